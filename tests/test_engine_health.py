"""The post-deploy health request, against loopback servers: SNI and Host name the domain,
TLS is verified against it, and only a self-signed certificate goes unverified (and says so)."""

from __future__ import annotations

import contextlib
import http.server
import ssl
import threading

import pytest

from fargo.engine.certificates import generate_self_signed
from fargo.engine.health import request_health

DOMAIN = "app.example.com"


class Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        sni = getattr(self.connection, "fargo_sni", None)
        Recorder.seen.append({"path": self.path, "host": self.headers.get("Host"), "sni": sni})
        status = 200 if self.path == "/health" else 404
        body = b"ok" if status == 200 else b"not found"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def certificate_files(tmp_path):
    cert_pem, key_pem = generate_self_signed(DOMAIN, [DOMAIN])
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    (tmp_path / "key.pem").write_bytes(key_pem)
    return str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")


@contextlib.contextmanager
def served(tls_files=None):
    """A loopback server for the duration of the block; yields its port."""
    server = serve(tls_files)
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()


def serve(tls_files=None):
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    if tls_files:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls_files)

        def remember_sni(sock, name, _context):
            sock.fargo_sni = name

        context.sni_callback = remember_sni
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_https_request_names_the_domain_in_sni_and_host_and_verifies_it(certificate_files):
    with served(certificate_files) as port:
        result = request_health("127.0.0.1", "/health", True, DOMAIN, True, port=port,
                                cafile=certificate_files[0], attempts=1)
    assert result.outcome == "passed", result.detail
    assert result.detail == f"GET https://{DOMAIN}/health -> 200"
    assert Recorder.seen == [{"path": "/health", "host": DOMAIN, "sni": DOMAIN}]


def test_https_request_fails_when_the_certificate_is_not_trusted(certificate_files):
    with served(certificate_files) as port:
        result = request_health("127.0.0.1", "/health", True, DOMAIN, True, port=port,
                                attempts=1)
    assert result.outcome == "failed"
    assert "TLS verification failed" in result.detail


def test_self_signed_certificate_is_not_verified_and_the_result_says_so(certificate_files):
    with served(certificate_files) as port:
        result = request_health("127.0.0.1", "/health", True, None, False, port=port,
                                attempts=1)
    assert result.outcome == "passed"
    assert "TLS not verified: self-signed certificate" in result.detail


def test_http_only_request_reports_a_failing_status_after_its_attempts():
    with served() as port:
        result = request_health("127.0.0.1", "/missing", False, None, True, port=port,
                                attempts=2, pause_seconds=0)
    assert result.outcome == "failed"
    assert "-> 404" in result.detail
    assert len(Recorder.seen) == 2
