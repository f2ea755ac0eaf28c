"""Open what a command needs to talk to AWS: settings, an AWS context, maybe the emulator.

`--local` starts the embedded emulator, points every client at it with dummy credentials and
defaults the region. A certificate ARN the emulator's ACM does not hold is dropped, so the
deploy generates a self-signed one there (moto refuses a listener whose certificate it lacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fargo.config import Settings
from fargo.config.sources import load_values, validate
from fargo.engine.aws import AwsContext
from fargo.engine.local import LOCAL_CREDENTIALS, LOCAL_REGION, LocalEmulator
from fargo.errors import ConfigError


@dataclass
class Target:
    """Where a command acts, given by the global options."""

    config: Path | None = None
    flags: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False


@dataclass
class Session:
    settings: Settings
    aws: AwsContext
    emulator: LocalEmulator | None = None
    notes: list[str] = field(default_factory=list)

    def close(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()
            self.emulator = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


IDENTITY = ("name", "environment", "region")


def open_session(target: Target, identity_only: bool = False) -> Session:
    """Settings and AWS context for a command.

    `identity_only` is for commands that act on what is deployed (status, destroy): they need
    only the stack's name and region, so an incomplete or changed fargo.toml does not block them.
    """
    if target.local and target.endpoint_url:
        raise ConfigError("error: --local and --endpoint-url exclude each other: choose one")
    flags = {k: v for k, v in target.flags.items() if v is not None}
    values, origin = load_values(target.config, flags)
    if identity_only:
        values = {k: v for k, v in values.items() if k in IDENTITY}
        values["https"] = False
    if not target.local:
        settings = validate(values, origin)
        aws = AwsContext(region=settings.region, profile=target.profile,
                         endpoint_url=target.endpoint_url)
        notes = []
        if _is_loopback(target.endpoint_url):
            # An emulator on this machine (fargo deploy --local --keep-running, say): it runs
            # no containers, and accepts any credentials when the user has none configured.
            aws.emulated = True
            if not target.profile and not _has_credentials():
                aws.credentials = dict(LOCAL_CREDENTIALS)
            notes.append(f"emulator at {target.endpoint_url}: health checks are skipped")
        return Session(settings, aws, notes=notes)

    emulator = LocalEmulator().start()
    try:
        values.setdefault("region", LOCAL_REGION)
        aws = AwsContext(region=str(values["region"]), endpoint_url=emulator.url, emulated=True,
                         credentials=dict(LOCAL_CREDENTIALS))
        notes = [f"local emulator (moto) at {emulator.url}: nothing here touches AWS"]
        arn = values.get("certificate_arn")
        if arn and not _known_certificate(aws, arn):
            # The emulator's ACM holds no real certificate: fall back to the generated one.
            values.pop("certificate_arn")
            origin.pop("certificate_arn", None)
            notes.append(f"certificate {arn} is unknown to the emulator: a self-signed one "
                         "is used instead")
        zone = values.get("hosted_zone")
        if zone and values.get("domain"):
            from fargo.engine.local import ensure_hosted_zone

            ensure_hosted_zone(aws.client("route53"), str(zone))
            notes.append(f"hosted zone {zone} created in the emulator (it starts empty)")
        settings = validate(values, origin)
        return Session(settings, aws, emulator, notes)
    except BaseException:
        emulator.stop()
        raise


def _known_certificate(aws: AwsContext, arn: Any) -> bool:
    if not arn:
        return False
    from botocore.exceptions import ClientError

    try:
        aws.client("acm").describe_certificate(CertificateArn=str(arn))
        return True
    except ClientError:
        return False


def _is_loopback(url: str | None) -> bool:
    if not url:
        return False
    import ipaddress
    from urllib.parse import urlparse

    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_credentials() -> bool:
    import boto3

    return boto3.Session().get_credentials() is not None
