"""Throttling is retried with backoff before anything is reported (a loopback HTTP stub)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fargo.engine.aws import AwsContext
from fargo.engine.stack import describe_stack

THROTTLED = b"""<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
<RequestId>1</RequestId></ErrorResponse>"""
STACKS = b"""<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
<DescribeStacksResult><Stacks><member><StackName>l42-dev</StackName>
<StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/l42-dev/1</StackId>
<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-11-26T09:00:00Z</CreationTime>
</member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>2</RequestId>
</ResponseMetadata></DescribeStacksResponse>"""


@pytest.fixture
def throttling_endpoint():
    """Answers Throttling to the first two requests, then a stack."""
    seen: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(1)
            throttle = len(seen) <= 2
            body = THROTTLED if throttle else STACKS
            self.send_response(400 if throttle else 200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def test_throttled_calls_are_retried_until_they_succeed(throttling_endpoint):
    url, seen = throttling_endpoint
    aws = AwsContext(region="eu-west-1", endpoint_url=url)
    state = describe_stack(aws, "l42-dev")
    assert state.status == "CREATE_COMPLETE"
    assert len(seen) == 3
