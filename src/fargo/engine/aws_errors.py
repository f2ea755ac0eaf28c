"""AWS failures as one actionable line: which call, AWS's reason, what to do; a broken local
AWS setup is bad input (exit 2), everything else an AWS-side failure (exit 1)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

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


@functools.cache
def call_timed_out() -> type[Exception]:
    """The error of a call out of tries or time: a BotoCoreError (so every handler of AWS
    failures takes it) that botocore does not retry again. Made on first use: botocore
    loads slowly."""
    from botocore.exceptions import BotoCoreError

    class CallTimedOut(BotoCoreError):
        fmt = "{endpoint} did not answer in time ({detail})"

    return CallTimedOut


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
            f"is not in {aws_file('config')} or {aws_file('credentials')}: fix --profile / "
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
        where = {"env": "the environment", "config-file": aws_file("config"),
                 "shared-credentials-file": aws_file("credentials")}
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
            f"see why, then fix the profile in {aws_file('config')}"
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


def aws_file(kind: str) -> str:
    """Where the AWS SDK reads its config or credentials file, for messages."""
    import os

    variable = "AWS_CONFIG_FILE" if kind == "config" else "AWS_SHARED_CREDENTIALS_FILE"
    return os.environ.get(variable) or f"~/.aws/{kind}"
