"""One place that builds boto3 clients: region, profile or the emulator's credentials, and
how long a call may take (fargo.engine.aws_errors turns their failures into one line)."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field, replace
from typing import Any

from fargo.engine.aws_errors import aws_file, call_timed_out, translate
from fargo.errors import ConfigError

# Calls that move data rather than ask a question: they get the longer read timeout.
SLOW_CALLS = frozenset({("s3", "PutObject"), ("s3", "DeleteObjects")})


@dataclass(frozen=True)
class CallLimits:
    """How long one AWS call may take, retries included.

    botocore waits 60 s for an answer and, in standard mode, tries a call up to 8 times: an
    endpoint that accepts connections and never answers held a command for eight minutes.
    Here a connection must open within `connect_seconds`; an answer must start within
    `read_seconds` (`slow_read_seconds` for SLOW_CALLS); a call that timed out is tried
    `timeout_tries` times in all, not 8; and a call with every retry (throttling, 5xx) ends
    after `budget_seconds`, which a command's --timeout lowers.
    """

    connect_seconds: float = 5.0
    read_seconds: float = 15.0
    slow_read_seconds: float = 60.0
    slow_calls: frozenset[tuple[str, str]] = SLOW_CALLS
    timeout_tries: int = 2
    max_attempts: int = 8  # in all, the first included
    budget_seconds: float = 120.0

    def read_timeout(self, service: str, operation: str) -> float:
        slow = (service, operation) in self.slow_calls
        return self.slow_read_seconds if slow else self.read_seconds

    def bounded_by(self, seconds: float) -> CallLimits:
        return replace(self, budget_seconds=min(self.budget_seconds, seconds))


DEFAULT_LIMITS = CallLimits()


@dataclass
class AwsContext:
    """Where calls go: region, profile, endpoint (the emulator's, for --local), and how long
    a call may take."""

    region: str
    profile: str | None = None
    endpoint_url: str | None = None
    emulated: bool = False
    credentials: dict[str, str] | None = None
    limits: CallLimits = field(default_factory=lambda: DEFAULT_LIMITS)
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            from botocore.config import Config

            if self._session is None:
                self._session = boto_session(self.profile, self.region, self.credentials)
            limits = self.limits
            client = self._session.client(
                service, endpoint_url=self.endpoint_url,
                config=Config(retries={"mode": "standard",
                                       "total_max_attempts": limits.max_attempts},
                              connect_timeout=limits.connect_seconds,
                              read_timeout=limits.read_seconds, user_agent_extra="fargo",
                              # an endpoint URL names its host: no "streaming-" prefix
                              # (StartLiveTail) in front of an emulator's 127.0.0.1
                              inject_host_prefix=self.endpoint_url is None),
            )
            _bound_calls(client, service, self)
            self._clients[service] = client
        return self._clients[service]

    def limit_calls_to(self, seconds: float) -> None:
        """No call (with its retries) may take longer than `seconds` (a command's --timeout)."""
        self.limits = self.limits.bounded_by(seconds)


def _bound_calls(client: Any, service: str, aws: AwsContext) -> None:
    """Hook the client's calls: a read timeout per call and attempt, tries after timeouts
    counted, and a JSON answer that does not parse refused instead of read as empty."""
    from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError

    def before_send(request: Any, event_name: str = "", **_: Any) -> None:
        context = getattr(request, "context", None)
        if context is None:
            return
        limits, now = aws.limits, time.monotonic()
        elapsed = now - context.setdefault("fargo_started", now)
        timeouts = context.get("fargo_timeouts", 0)
        endpoint = aws.endpoint_url or f"AWS {service}"
        if timeouts >= limits.timeout_tries:
            raise call_timed_out()(endpoint=endpoint, detail=f"{timeouts} tries without an answer")
        if elapsed >= limits.budget_seconds:
            raise call_timed_out()(endpoint=endpoint, detail=(
                f"no answer within {limits.budget_seconds:.0f} s, retries included"))
        operation = event_name.rsplit(".", 1)[-1]
        context["read_timeout"] = max(0.05, min(limits.read_timeout(service, operation),
                                                limits.budget_seconds - elapsed))

    def response_received(exception: Any = None, context: Any = None, **_: Any) -> None:
        if context is not None and isinstance(exception, (ReadTimeoutError,
                                                          ConnectTimeoutError)):
            context["fargo_timeouts"] = context.get("fargo_timeouts", 0) + 1

    events = client.meta.events
    events.register("before-send", before_send)
    events.register("response-received", response_received)
    events.register("before-parse", refuse_unparsable_json)


def refuse_unparsable_json(operation_model: Any, response_dict: dict, **_: Any) -> None:
    """botocore reads a JSON-protocol answer that is not JSON as {"message": body}: a call
    would 'succeed' with none of its fields. Refuse it as the unparsable answer it is."""
    from botocore.parsers import ResponseParserError

    model = operation_model.service_model
    protocol = getattr(model, "resolved_protocol", None) or model.metadata.get("protocol")
    if protocol != "json" or operation_model.has_streaming_output or getattr(
            operation_model, "has_event_stream_output", False):
        return  # rest-json payloads may be any bytes; the JSON RPC protocol's are objects
    if response_dict.get("status_code", 200) >= 300:
        return  # an error answer: botocore reads it leniently, and retries a 5xx
    body = response_dict.get("body") or b""
    if not body.strip():
        return
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        text = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
        shown = " ".join(text[:60].split())
        raise ResponseParserError(f"{operation_model.name} answered something that is not "
                                  f"JSON ({shown!r})")


def boto_session(profile: str | None, region: str, credentials: dict[str, str] | None) -> Any:
    """A boto3 session whose credentials are resolved now, so a broken AWS setup is one line
    here instead of a traceback at the first call.

    Given credentials (the emulator's dummy ones) and no profile, the user's AWS files and
    AWS_PROFILE are not read at all: nothing in them can break `--local`.
    """
    import boto3
    from botocore.exceptions import BotoCoreError

    label = (f"profile {profile!r} (--profile)" if profile else
             f"profile {os.environ['AWS_PROFILE']!r} (AWS_PROFILE)"
             if os.environ.get("AWS_PROFILE") else "the default AWS profile")
    try:
        if credentials and not profile:
            import botocore.session

            isolated = botocore.session.Session(session_vars={
                "profile": (None, None, None, None),
                "config_file": (None, None, os.devnull, None),
                "credentials_file": (None, None, os.devnull, None),
            })
            session = boto3.Session(botocore_session=isolated, region_name=region,
                                    **credentials)
        else:
            session = boto3.Session(profile_name=profile, region_name=region,
                                    **(credentials or {}))
        session.get_credentials()
    except BotoCoreError as error:
        raise translate(error, f"loading the AWS credentials of {label}") from None
    except ValueError as error:  # credential_process printed something that is not JSON
        raise ConfigError(
            f"error: loading the AWS credentials of {label}: its credential_process printed "
            f"no JSON credentials ({' '.join(str(error).split())[:80]}): run it by hand and "
            f"fix it in {aws_file('config')}") from None
    return session
