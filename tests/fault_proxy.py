"""A loopback HTTP proxy in front of the emulator that breaks one chosen AWS call on purpose.

fargo is pointed at the proxy with `--endpoint-url`; the proxy forwards every request to the
emulator (moto's server) and records each AWS call it sees: the service from the signature's
credential scope, the operation from `X-Amz-Target` (JSON protocols), the `Action` field
(query protocols) or the method and path (S3, Route 53). botocore marks every logical call
with an invocation ID that its retries share, so the proxy tells a call from an attempt.

For a chosen call (service, operation, which occurrence) it injects a fault on some or all of
its attempts, shaped as that service's protocol would answer:

- `error500`: 500 InternalFailure, the call never reaches the emulator;
- `lost500`: the call goes through, then its answer is replaced by a 500 (the retry meets a
  changed world: an executed change set, a deleted stack);
- `throttle`: 400 Throttling / ThrottlingException (503 SlowDown for S3, RequestLimitExceeded
  for EC2);
- `garbage`: 200 with junk (invalid JSON for JSON protocols, not-XML for the others);
- `hang`: accepts the request and never answers;
- `interrupt`: the call goes through, then `on_interrupt` runs (by default Ctrl-C in the main
  thread, `_thread.interrupt_main()`) before the answer is sent.

And `meanwhile`, no fault of the network: the fault's `meanwhile` runs before the call is
forwarded (another deploy that gets there first, say).
"""

from __future__ import annotations

import _thread
import http.client
import http.server
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

KINDS = ("error500", "lost500", "throttle", "garbage", "hang", "interrupt")


@dataclass(frozen=True)
class Call:
    """One logical AWS call: the nth call of this operation (retries are the same call)."""

    service: str
    operation: str
    occurrence: int = 1
    method: str = "POST"

    def __str__(self) -> str:
        return f"{self.service}:{self.operation}#{self.occurrence}"


@dataclass
class Fault:
    kind: str
    service: str
    operation: str
    occurrence: int = 1
    attempts: int | None = None  # how many attempts get the fault; None: every attempt
    hits: int = 0  # attempts it was applied to
    meanwhile: Callable[[], None] | None = None  # for kind "meanwhile"

    def matches(self, call: Call) -> bool:
        return (call.service, call.operation, call.occurrence) == (
            self.service, self.operation, self.occurrence)

    def __str__(self) -> str:
        times = "every attempt" if self.attempts is None else f"{self.attempts} attempt(s)"
        return f"{self.kind} at {self.service}:{self.operation}#{self.occurrence} ({times})"


@dataclass
class _Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    call: Call | None = None
    attempt: int = 1
    protocol: str = "rest-xml"


@dataclass
class FaultProxy:
    upstream: str  # the emulator's URL
    on_interrupt: Callable[[], None] = _thread.interrupt_main
    calls: list[Call] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    # Every attempt: (call, attempt number, HTTP status answered; None for a hang).
    attempts: list[tuple[Call, int, int | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._invocations: dict[str, Call] = {}
        self._counts: dict[tuple[str, str], int] = {}
        self._closing = threading.Event()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()  # answers go out at once (no 40 ms wait for a delayed ACK)
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                exchange = _Exchange(self.command, self.path,
                                     {k: v for k, v in self.headers.items()}, body)
                status, headers, payload = proxy._answer(exchange)
                if status is None:
                    return  # a hang: never answer, drop the connection at the end
                try:
                    self.send_response(status)
                    for name, value in headers:
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up on this answer

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _handle

            def log_message(self, *_args) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # a client that hung up mid-answer: nothing to report

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        target = urlsplit(self.upstream)
        self._upstream = (target.hostname, target.port)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> FaultProxy:
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         name="fault-proxy").start()
        return self

    def stop(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset(self, *faults: Fault) -> None:
        """Forget the calls seen so far and arm `faults` (none: forward everything)."""
        with self._lock:
            self.calls.clear()
            self.attempts.clear()
            self.faults = list(faults)
            self._invocations.clear()
            self._counts.clear()

    # -- the work -----------------------------------------------------------------------

    def _answer(self, exchange: _Exchange):
        self._identify(exchange)
        answer = self._answer_for(exchange)
        if answer[0] is not None:  # a hang was recorded when it began
            with self._lock:
                self.attempts.append((exchange.call, exchange.attempt, answer[0]))
        return answer

    def answers(self, operation: str) -> list[tuple[int, int | None]]:
        """(attempt, status) of every attempt of the operation's calls, in order."""
        with self._lock:
            return [(attempt, status) for call, attempt, status in self.attempts
                    if call.operation == operation]

    def _answer_for(self, exchange: _Exchange):
        fault = self._fault_for(exchange)
        kind = fault.kind if fault else None
        if kind == "hang":
            with self._lock:
                self.attempts.append((exchange.call, exchange.attempt, None))
            self._closing.wait()
            return None, [], b""
        if kind in ("error500", "throttle", "garbage"):
            return _shaped(kind, exchange)
        if kind == "meanwhile":
            fault.meanwhile()
        status, headers, payload = self._forward(exchange)
        if kind == "lost500":
            return _shaped("error500", exchange)
        if kind == "interrupt":
            self.on_interrupt()
        return status, headers, payload

    def _identify(self, exchange: _Exchange) -> None:
        service, operation, protocol = identify(exchange.method, exchange.path,
                                                exchange.headers, exchange.body)
        exchange.protocol = protocol
        invocation = exchange.headers.get("amz-sdk-invocation-id", "")
        attempt = re.search(r"attempt=(\d+)", exchange.headers.get("amz-sdk-request", ""))
        exchange.attempt = int(attempt[1]) if attempt else 1
        with self._lock:
            call = self._invocations.get(invocation) if invocation else None
            if call is None:
                key = (service, operation)
                self._counts[key] = self._counts.get(key, 0) + 1
                call = Call(service, operation, self._counts[key], exchange.method)
                if invocation:
                    self._invocations[invocation] = call
                self.calls.append(call)
        exchange.call = call

    def _fault_for(self, exchange: _Exchange) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(exchange.call) and (
                        fault.attempts is None or fault.hits < fault.attempts):
                    fault.hits += 1
                    return fault
        return None

    def _forward(self, exchange: _Exchange):
        connection = http.client.HTTPConnection(*self._upstream, timeout=60)
        try:
            headers = {k: v for k, v in exchange.headers.items()
                       if k.lower() not in ("connection", "keep-alive", "expect")}
            connection.request(exchange.method, exchange.path, body=exchange.body or None,
                               headers=headers)
            response = connection.getresponse()
            payload = response.read()
            kept = [(k, v) for k, v in response.getheaders()
                    if k.lower() not in ("connection", "keep-alive", "transfer-encoding",
                                         "content-length", "server", "date")]
            return response.status, kept, payload
        finally:
            connection.close()


_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")


def identify(method: str, path: str, headers: dict[str, str], body: bytes
             ) -> tuple[str, str, str]:
    """(service, operation, protocol) of a signed AWS request."""
    lowered = {k.lower(): v for k, v in headers.items()}
    scope = _CREDENTIAL_SCOPE.search(lowered.get("authorization", ""))
    service = scope[1] if scope else "unknown"
    target = lowered.get("x-amz-target")
    if target:
        return service, target.rsplit(".", 1)[-1], "json"
    content_type = lowered.get("content-type", "")
    if "x-www-form-urlencoded" in content_type:
        action = parse_qs(body.decode(errors="replace")).get("Action", [""])[0]
        if action:
            return service, action, "ec2" if service == "ec2" else "query"
    if service == "s3":
        return service, s3_operation(method, path), "s3"
    return service, f"{method} {_path_shape(urlsplit(path).path)}", "rest-xml"


_S3_SUBRESOURCES = {
    ("GET", "tagging"): "GetBucketTagging", ("PUT", "tagging"): "PutBucketTagging",
    ("GET", "versions"): "ListObjectVersions", ("POST", "delete"): "DeleteObjects",
    ("PUT", "publicAccessBlock"): "PutPublicAccessBlock",
    ("PUT", "encryption"): "PutBucketEncryption", ("PUT", "lifecycle"): "PutBucketLifecycle",
    ("PUT", "policy"): "PutBucketPolicy", ("GET", "policy"): "GetBucketPolicy",
    ("GET", "location"): "GetBucketLocation", ("GET", "list-type"): "ListObjectsV2",
}


def s3_operation(method: str, path: str) -> str:
    parts = urlsplit(path)
    keys = set(parse_qs(parts.query, keep_blank_values=True))
    for key in keys:
        if (method, key) in _S3_SUBRESOURCES:
            return _S3_SUBRESOURCES[(method, key)]
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return "ListBuckets" if method == "GET" else f"{method} /"
    on_object = len(segments) > 1
    return {("GET", False): "ListObjects", ("HEAD", False): "HeadBucket",
            ("PUT", False): "CreateBucket", ("DELETE", False): "DeleteBucket",
            ("GET", True): "GetObject", ("HEAD", True): "HeadObject",
            ("PUT", True): "PutObject", ("DELETE", True): "DeleteObject",
            }.get((method, on_object), f"{method} {'object' if on_object else 'bucket'}")


def _path_shape(path: str) -> str:
    """A REST path with its IDs blanked, so the same operation is the same name."""
    return re.sub(r"/(hostedzone|change|healthcheck)/[^/]+", r"/\1/{id}", path)


def _shaped(kind: str, exchange: _Exchange):
    """The answer AWS's protocol of this request would give for `kind`."""
    protocol = exchange.protocol
    if kind == "garbage":
        if protocol == "json":
            return 200, [("content-type", "application/x-amz-json-1.1")], b'{"truncated": [1, '
        return 200, [("content-type", "text/xml")], b"<<not an AWS answer>> \x00\xff"
    if kind == "error500":
        status, code, message = 500, "InternalFailure", "We encountered an internal error."
        if protocol in ("s3", "ec2"):
            code = "InternalError"
    else:  # throttle
        status, code, message = 400, "ThrottlingException", "Rate exceeded"
        if protocol in ("query", "rest-xml"):
            code = "Throttling"
        elif protocol == "ec2":
            status, code, message = 503, "RequestLimitExceeded", "Request limit exceeded."
        elif protocol == "s3":
            status, code, message = 503, "SlowDown", "Please reduce your request rate."
    if protocol == "json":
        body = f'{{"__type": "{code}", "message": "{message}"}}'.encode()
        return status, [("content-type", "application/x-amz-json-1.1"),
                        ("x-amzn-errortype", code)], body
    if protocol == "ec2":
        body = (f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message>"
                "</Error></Errors><RequestID>fault-proxy</RequestID></Response>")
    elif protocol == "s3":
        body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    else:
        kind_of = "Receiver" if status >= 500 else "Sender"
        body = (f"<ErrorResponse><Error><Type>{kind_of}</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error><RequestId>fault-proxy</RequestId>"
                "</ErrorResponse>")
    return status, [("content-type", "text/xml")], body.encode()
