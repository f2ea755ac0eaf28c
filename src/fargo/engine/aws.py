"""One place that builds boto3 clients and turns AWS failures into one actionable line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fargo.errors import AwsError

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
            import boto3
            from botocore.config import Config

            if self._session is None:
                with aws_call("loading AWS profile"):
                    self._session = boto3.Session(
                        profile_name=self.profile, region_name=self.region,
                        **(self.credentials or {}),
                    )
            self._clients[service] = self._session.client(
                service, endpoint_url=self.endpoint_url,
                config=Config(retries={"mode": "standard", "max_attempts": 8},
                              user_agent_extra="fargo"),
            )
        return self._clients[service]


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


def translate(error: Exception, description: str) -> AwsError:
    """One line naming the call, AWS's reason and what to do about it."""
    from botocore import exceptions as bex

    if isinstance(error, bex.NoCredentialsError):
        return AwsError(
            f"error: {description}: no AWS credentials found: run `aws configure`, set "
            "AWS_PROFILE or pass --profile (or try it with --local)"
        )
    if isinstance(error, bex.ProfileNotFound):
        return AwsError(f"error: {description}: {error}: check --profile / AWS_PROFILE")
    if isinstance(error, bex.EndpointConnectionError):
        return AwsError(
            f"error: {description}: cannot reach {error.kwargs.get('endpoint_url', 'AWS')}: "
            "check the network, the region and --endpoint-url"
        )
    if isinstance(error, bex.ClientError):
        code = error_code(error)
        advice = _ADVICE.get(code, "fix the cause AWS names and run it again")
        return AwsError(f"error: {description} failed ({code}): {error_message(error)}: {advice}")
    return AwsError(f"error: {description} failed: {error}")
