"""fargo's example service: `/` answers with a short page, `/health` with 200 "ok".

Python's standard library only, so the image needs nothing installed. It listens on $PORT
(fargo sets it from the `port` setting; 8080 by default) and stops cleanly on SIGTERM, which
ECS sends when it replaces a task.
"""

from __future__ import annotations

import html
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>hello from fargo</title></head>
<body>
<h1>Hello from fargo</h1>
<p>Service <b>{product}</b> ({environment}), answered by task {host}.</p>
</body>
</html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "hello"

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/health":
            self._answer(200, "text/plain; charset=utf-8", "ok")
        elif path == "/":
            self._answer(200, "text/html; charset=utf-8", PAGE.format(
                product=html.escape(os.environ.get("PRODUCT", "hello")),
                environment=html.escape(os.environ.get("ENVIRONMENT", "local")),
                host=html.escape(socket.gethostname()),
            ))
        else:
            self._answer(404, "text/plain; charset=utf-8", "not found")

    def _answer(self, status: int, content_type: str, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:
        if not self.path.startswith("/health"):  # health checks would drown the real requests
            super().log_message(format, *args)


def main() -> None:
    port = int(os.environ.get("PORT", "8080"))
    server = ThreadingHTTPServer(("", port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on port {port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
