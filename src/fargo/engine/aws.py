"""One place that builds boto3 clients and turns AWS failures into one actionable line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass
class AwsContext:
    """Where calls go: region, profile, endpoint (the emulator's, for --local)."""

    region: str
    profile: str | None = None
    endpoint_url: str | None = None
    emulated: bool = False
    credentials: dict[str, str] | None = None
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            from botocore.config import Config

            if self._session is None:
                self._session = boto_session(self.profile, self.region, self.credentials)
            self._clients[service] = self._session.client(
                service, endpoint_url=self.endpoint_url,
                config=Config(retries={"mode": "standard", "max_attempts": 8},
                              user_agent_extra="fargo"),
            )
        return self._clients[service]


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


@contextlib.contextmanager
def aws_call(description: str) -> Iterator[None]:
    """Run AWS calls; any failure becomes AwsError('<description> failed: why: what to do')."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise translate(error, description) from None


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
