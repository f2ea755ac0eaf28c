"""After a deploy: are the targets healthy, and does /health answer through the load balancer?

The request goes to the load balancer's address but names the certificate's domain in SNI
and Host, and verifies TLS against that domain, so a passing check means a browser at that
domain would be served too. Verification is off only for a self-signed certificate, and then
the result says so.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.service_watch import target_health


@dataclass(frozen=True)
class CheckResult:
    name: str
    outcome: str  # passed, failed, skipped
    detail: str


def wait_for_healthy_targets(
    aws: AwsContext, target_group_arn: str, timeout_seconds: float, poll_seconds: float,
) -> CheckResult:
    deadline = time.monotonic() + timeout_seconds
    targets = []
    while True:
        targets = target_health(aws, target_group_arn)
        healthy = [t for t in targets if t.state == "healthy"]
        if healthy and all(t.state in ("healthy", "draining") for t in targets):
            return CheckResult("targets", "passed", f"{len(healthy)} healthy target(s)")
        if time.monotonic() > deadline:
            states = ", ".join(f"{t.target_id} {t.state}: {t.description or t.reason}"
                               for t in targets) or "no target registered"
            return CheckResult("targets", "failed", f"not healthy after "
                               f"{timeout_seconds:.0f} s: {states}")
        time.sleep(poll_seconds)


def certificate_domain(aws: AwsContext, certificate_arn: str) -> str | None:
    """The domain to present in SNI/Host for a given certificate (a wildcard gets a label)."""
    with aws_call(f"reading certificate {certificate_arn}"):
        certificate = aws.client("acm").describe_certificate(
            CertificateArn=certificate_arn)["Certificate"]
    domain = certificate.get("DomainName")
    if domain and domain.startswith("*."):
        domain = "fargo-health-check" + domain[1:]
    return domain


class _NamedHostHTTPSConnection(http.client.HTTPSConnection):
    """Connects to one address while speaking TLS and HTTP for another name."""

    def __init__(self, address: str, port: int, server_name: str, context: ssl.SSLContext,
                 timeout: float):
        super().__init__(address, port, timeout=timeout, context=context)
        self._server_name = server_name
        self._tls_context = context

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._tls_context.wrap_socket(sock, server_hostname=self._server_name)


def request_health(
    address: str, path: str, https: bool, server_name: str | None, verify: bool,
    timeout_seconds: float = 10.0, attempts: int = 6, pause_seconds: float = 10.0,
    port: int | None = None, cafile: str | None = None,
) -> CheckResult:
    """GET the health path; retried, because a new load balancer's DNS takes a while.

    `port` and `cafile` exist for tests (a loopback server with its own certificate
    authority); a deploy uses the listener ports and the system's trusted authorities.
    """
    host = server_name or address
    scheme = "https" if https else "http"
    url = f"{scheme}://{host}{path}"
    last = ""
    for attempt in range(attempts):
        try:
            if https:
                context = ssl.create_default_context(cafile=cafile)
                if not verify:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                connection = _NamedHostHTTPSConnection(address, port or 443, host, context,
                                                       timeout_seconds)
            else:
                connection = http.client.HTTPConnection(address, port or 80,
                                                        timeout=timeout_seconds)
            connection.request("GET", path, headers={"Host": host, "User-Agent": "fargo"})
            response = connection.getresponse()
            body = response.read(200).decode("utf-8", "replace").strip()
            connection.close()
            if 200 <= response.status < 300:
                note = "" if verify or not https else " (TLS not verified: self-signed certificate)"
                return CheckResult("health", "passed", f"GET {url} -> {response.status}{note}")
            last = f"GET {url} -> {response.status} {body[:80]}"
        except ssl.SSLCertVerificationError as error:
            return CheckResult("health", "failed", f"GET {url}: TLS verification failed: "
                               f"{error.verify_message}")
        except (OSError, http.client.HTTPException) as error:
            last = f"GET {url}: {error}"
        if attempt < attempts - 1:
            time.sleep(pause_seconds)
    return CheckResult("health", "failed", last)
