"""One place that builds boto3 clients and turns AWS failures into one actionable line."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fargo.errors import AwsError, ConfigError, FargoError

# What to do about an AWS error code, keyed by code.
_ADVICE = {
    "AccessDenied": "grant this identity the permission, or use another --profile",
    "AccessDeniedException": "grant this identity the permission, or use another --profile",
    "UnauthorizedOperation": "grant this identity the permission, or use another --profile",
    "ExpiredToken": "refresh your credentials (e.g. `aws sso login`) and try again",
    "ExpiredTokenException": "refresh your credentials (e.g. `aws sso login`) and try again",
    "InvalidClientTokenId": "check the access key of this profile",
    "UnrecognizedClientException": "check the access key of this profile",
    "SignatureDoesNotMatch": "check the secret key of this profile",
    "Throttling": "AWS kept throttling after retries: wait a minute and run it again",
    "ThrottlingException": "AWS kept throttling after retries: wait a minute and run it again",
    "RequestLimitExceeded": "AWS kept throttling after retries: wait a minute and run it again",
    "OptInRequired": "enable this region for the account, or choose another region",
    "UnsupportedFeatureException": "this region does not offer it: choose another region",
}


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


@functools.cache
def call_timed_out() -> type[Exception]:
    """The error of a call out of tries or time: a BotoCoreError (so every handler of AWS
    failures takes it) that botocore does not retry again. Made on first use: botocore
    loads slowly."""
    from botocore.exceptions import BotoCoreError

    class CallTimedOut(BotoCoreError):
        fmt = "{endpoint} did not answer in time ({detail})"

    return CallTimedOut


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
            f"fix it in {_aws_file('config')}") from None
    return session


def error_code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Code", "")


def error_message(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    return response.get("Error", {}).get("Message", str(error))


def aws_failures() -> tuple[type[Exception], ...]:
    """Every way an AWS call fails: botocore's errors, AWS's refusals, an answer that does
    not parse, and a call out of time (imported on use: boto3 loads slowly)."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    return BotoCoreError, ClientError, ResponseParserError


@contextlib.contextmanager
def aws_call(description: str) -> Iterator[None]:
    """Run AWS calls; any failure becomes AwsError('<description> failed: why: what to do')."""
    try:
        yield
    except Exception as error:
        if not isinstance(error, aws_failures()):
            raise
        raise translate(error, description) from None


def failed_call(error: BaseException) -> str:
    """`service Operation` of the botocore call `error` came out of ("an AWS call" if it
    does not tell): to name the call when a step reports a failure it did not expect."""
    return api_call_of(error) or "an AWS call"


def api_call_of(error: BaseException) -> str | None:
    """`service Operation` of the botocore API call `error` came out of, if it did (read
    from the traceback: botocore's own errors do not all carry the operation)."""
    operation = getattr(error, "operation_name", None)
    service = None
    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_name == "_make_api_call" and "botocore" in frame.f_code.co_filename:
            operation = frame.f_locals.get("operation_name", operation)
            meta = getattr(frame.f_locals.get("self"), "meta", None)
            service = getattr(getattr(meta, "service_model", None), "service_name", None)
        traceback = traceback.tb_next
    if operation is None:
        return None
    return f"{service} {operation}" if service else str(operation)


def translate(error: Exception, description: str) -> FargoError:
    """One line naming the call, AWS's reason and what to do about it.

    A broken local AWS setup (a missing profile, a file that does not parse, a key without its
    secret, a failing credential_process) is bad input, exit 2; everything else exits 1.
    """
    from botocore import exceptions as bex
    from botocore.parsers import ResponseParserError

    def flat(text: object, limit: int = 200) -> str:
        words = " ".join(str(text).split())
        return words if len(words) <= limit else words[: limit - 3] + "..."

    if isinstance(error, bex.NoCredentialsError):
        return AwsError(
            f"error: {description}: no AWS credentials found: run `aws configure`, set "
            "AWS_PROFILE or pass --profile (or try it with --local)"
        )
    if isinstance(error, bex.ProfileNotFound):
        return ConfigError(
            f"error: {description}: AWS profile {flat(error.kwargs.get('profile'), 80)!r} "
            f"is not in {_aws_file('config')} or {_aws_file('credentials')}: fix --profile / "
            "AWS_PROFILE, or create it with `aws configure --profile NAME`"
        )
    if isinstance(error, bex.ConfigParseError):
        reason = str(error.kwargs.get("error", "")).splitlines()[:1] or ["unreadable"]
        return ConfigError(
            f"error: {description}: the AWS file {error.kwargs.get('path')} does not parse "
            f"({flat(reason[0], 80)}): fix it, or point AWS_CONFIG_FILE / "
            "AWS_SHARED_CREDENTIALS_FILE at another file"
        )
    if isinstance(error, bex.PartialCredentialsError):
        where = {"env": "the environment", "config-file": _aws_file("config"),
                 "shared-credentials-file": _aws_file("credentials")}
        provider = error.kwargs.get("provider", "")
        return ConfigError(
            f"error: {description}: {where.get(provider, provider)} has an access key but no "
            f"{error.kwargs.get('cred_var')}: add the secret key, or remove the access key"
        )
    if isinstance(error, bex.CredentialRetrievalError):
        provider = error.kwargs.get("provider", "the credential provider")
        reason = flat(error.kwargs.get("error_msg", "") or "no reason given", 120)
        what = "credential_process" if provider == "custom-process" else provider
        return ConfigError(
            f"error: {description}: {what} gave no credentials ({reason}): run it by hand to "
            f"see why, then fix the profile in {_aws_file('config')}"
        )
    if isinstance(error, bex.EndpointConnectionError):
        return AwsError(
            f"error: {description}: cannot reach {error.kwargs.get('endpoint_url', 'AWS')}: "
            "check the network, the region and --endpoint-url"
        )
    if isinstance(error, call_timed_out()):
        return AwsError(
            f"error: {description}: {error}: check the network and --endpoint-url, then run it "
            "again")
    if isinstance(error, (bex.ReadTimeoutError, bex.ConnectTimeoutError)):
        return AwsError(
            f"error: {description}: {error.kwargs.get('endpoint_url', 'AWS')} did not answer "
            "in time: check the network and --endpoint-url, then run it again"
        )
    if isinstance(error, ResponseParserError):
        return AwsError(
            f"error: {description}: the endpoint's answer is not an AWS response "
            f"({flat(error, 100)}): check that --endpoint-url is an AWS-compatible endpoint, "
            "or run it again"
        )
    if isinstance(error, bex.ClientError):
        code = error_code(error)
        advice = _ADVICE.get(code, "fix the cause AWS names and run it again")
        return AwsError(f"error: {description} failed ({flat(code, 80)}): "
                        f"{flat(error_message(error))}: {advice}")
    return AwsError(f"error: {description} failed: {flat(error)}")


def _aws_file(kind: str) -> str:
    """Where the AWS SDK reads its config or credentials file, for messages."""
    import os

    variable = "AWS_CONFIG_FILE" if kind == "config" else "AWS_SHARED_CREDENTIALS_FILE"
    return os.environ.get(variable) or f"~/.aws/{kind}"
