"""A loopback HTTP endpoint that answers every request with the same junk: what a broken proxy
or a non-AWS server behind --endpoint-url looks like to botocore."""

from __future__ import annotations

import http.server
import threading


class JunkEndpoint:
    """Answers `status` with `body`; `url` is where it listens."""

    def __init__(self, body: bytes = b"<<not an AWS answer>>", status: int = 200) -> None:
        self.body, self.status = body, status
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(endpoint.status)
                self.send_header("content-length", str(len(endpoint.body)))
                self.end_headers()
                self.wfile.write(endpoint.body)

            do_GET = do_POST = _answer

            def log_message(self, *_args) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"

    def __enter__(self) -> JunkEndpoint:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
