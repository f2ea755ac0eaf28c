"""Open what a command needs to talk to AWS: settings, an AWS context, maybe the emulator.

`--local` starts the embedded emulator, points every client at it with dummy credentials and
defaults the region. A certificate ARN the emulator's ACM does not hold is dropped, so the
deploy generates a self-signed one there (moto refuses a listener whose certificate it lacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fargo.commands.invocation import IDENTITY, Invocation
from fargo.config import Settings, sources
from fargo.config.sources import ENV_PREFIX, env_var, load_values, validate
from fargo.emulator.server import LOCAL_CREDENTIALS, LOCAL_REGION, WHAT_DOES_NOT_RUN, LocalEmulator
from fargo.engine.aws import AwsContext, boto_session
from fargo.errors import ConfigError


@dataclass(frozen=True)
class LocalEmulatorInfo:
    """The embedded emulator a `--local` command runs on, for its banner."""

    url: str
    what_does_not_run: str  # what the emulator accepts but does not run (containers, ...)


@dataclass
class Session:
    settings: Settings
    aws: AwsContext
    emulator: LocalEmulator | None = None
    notes: list[str] = field(default_factory=list)  # what differs from the settings asked
    origin: dict[str, str] = field(default_factory=dict)  # where each setting came from
    hidden_environment: dict[str, str | None] | None = None  # restored at close

    @property
    def local(self) -> LocalEmulatorInfo | None:
        """The embedded emulator this session runs (`--local`), or None."""
        if self.emulator is None:
            return None
        return LocalEmulatorInfo(self.emulator.url, WHAT_DOES_NOT_RUN)

    def advisories(self) -> list[str]:
        """`warning:` lines on the settings, naming where each came from."""
        return sources.advisories(self.settings, self.origin)

    def close(self) -> None:
        release_local(self)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_session(invocation: Invocation, identity_only: bool = False) -> Session:
    """Settings and AWS context for a command.

    `identity_only` is for commands that act on what is deployed (status, destroy): they need
    only the stack's name and region, so an incomplete or changed fargo.toml does not block them.
    """
    check_endpoint_choice(invocation)
    flags = {k: v for k, v in invocation.flags.items() if v is not None}
    environ = None
    if identity_only:
        # Filter before parsing: a bad unrelated value (FARGO_HTTPS=maybe, cpu = "abc" in the
        # file) must not block a command that only needs to find the stack.
        flags = {k: v for k, v in flags.items() if k in IDENTITY}
        environ = _identity_environment()
    values, origin = load_values(invocation.config, flags, environ)
    if identity_only:
        values = {k: v for k, v in values.items() if k in IDENTITY}
        origin = {k: v for k, v in origin.items() if k in IDENTITY}
        values["https"] = False
    if not invocation.local:
        settings = validate(values, origin)
        aws, notes = aws_for(invocation, settings.region)
        return Session(settings, aws, notes=notes, origin=origin)

    values.setdefault("region", LOCAL_REGION)
    emulator, aws, hidden = start_local_emulator(str(values["region"]))
    try:
        drop_certificate, notes = fit_to_emulator(
            aws, values.get("certificate_arn"), values.get("domain"), values.get("hosted_zone"))
        if drop_certificate:
            values.pop("certificate_arn")
            origin.pop("certificate_arn", None)
        settings = validate(values, origin)
        return Session(settings, aws, emulator, notes, origin, hidden)
    except BaseException:
        emulator.stop()
        restore_environment(hidden)
        raise


def check_endpoint_choice(invocation: Invocation) -> None:
    """--local or --endpoint-url (a usable one), not both: before any work (exit 2)."""
    if invocation.local and invocation.endpoint_url:
        raise ConfigError("error: --local and --endpoint-url exclude each other: choose one")
    if invocation.endpoint_url is not None:
        check_endpoint_url(invocation.endpoint_url)


def aws_for(invocation: Invocation, region: str | None) -> tuple[AwsContext, list[str]]:
    """The AWS context of a command without --local, and what to note about it."""
    aws = AwsContext(region=region, profile=invocation.profile,
                     endpoint_url=invocation.endpoint_url)
    notes: list[str] = []
    if _is_loopback(invocation.endpoint_url):
        # An emulator on this machine (fargo deploy --local --keep-running, say): it runs
        # no containers, and accepts any credentials when the user has none configured.
        aws.emulated = True
        if not invocation.profile and not _has_credentials(region):
            aws.credentials = dict(LOCAL_CREDENTIALS)
        notes.append(f"emulator at {invocation.endpoint_url}: health checks are skipped")
    return aws, notes


def fit_to_emulator(aws: AwsContext, certificate_arn: Any, domain: Any,
                    hosted_zone: Any) -> tuple[bool, list[str]]:
    """A fresh emulator holds no real certificate and no hosted zone: whether to drop the
    given certificate (the deploy then makes one: the domain's, or a self-signed one), and
    the hosted zone created; with a note for each."""
    drop, notes = False, []
    if certificate_arn and not known_certificate(aws, certificate_arn):
        drop = True
        instead = (f"the deploy requests one for {domain}" if domain
                   else "a self-signed one is used instead")
        notes.append(f"certificate {certificate_arn} is unknown to the emulator: {instead}")
    if hosted_zone and domain:
        from fargo.emulator.server import ensure_hosted_zone

        ensure_hosted_zone(aws.client("route53"), str(hosted_zone))
        notes.append(f"hosted zone {hosted_zone} created in the emulator (it starts empty)")
    return drop, notes


def start_local_emulator(region: str) -> tuple[LocalEmulator, AwsContext, dict]:
    """The embedded emulator, an AWS context on it, and what of the user's AWS setup was
    hidden meanwhile (restore it with `restore_environment` after stopping the emulator)."""
    hidden = _hide_user_aws_setup()
    try:
        emulator = LocalEmulator().start()
    except BaseException:
        restore_environment(hidden)
        raise
    return emulator, AwsContext(region=region, endpoint_url=emulator.url, emulated=True,
                                credentials=dict(LOCAL_CREDENTIALS)), hidden


def release_local(session: Any) -> None:
    """Stop a session's embedded emulator and give the user's AWS setup back (once)."""
    if session.emulator is not None:
        session.emulator.stop()
        session.emulator = None
    if session.hidden_environment is not None:
        restore_environment(session.hidden_environment)
        session.hidden_environment = None


def follow_timing(timeout_minutes: float, flag: str = "--timeout"):
    """The engine's timing for following a stack `timeout_minutes` long; refuses (exit 2) a
    value that is not a number of minutes above 0, before any AWS call."""
    import math

    from fargo.engine.progress import Timing

    if not math.isfinite(timeout_minutes) or timeout_minutes <= 0:
        raise ConfigError(f"error: {flag} ({timeout_minutes}) must be a number of minutes "
                          f"above 0: e.g. {flag} 30")
    return Timing(stack_timeout_seconds=timeout_minutes * 60)


_USER_AWS_SETUP = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE",
                   "AWS_SHARED_CREDENTIALS_FILE")


def _hide_user_aws_setup() -> dict[str, str | None]:
    """Hide the user's AWS profile and files from this process while the emulator runs.

    moto builds boto3 sessions from the process environment (on import and per request), so
    a broken ~/.aws/config or an unknown AWS_PROFILE would break the emulator; `--local` talks
    to nothing else. Returns what to restore.
    """
    import os

    saved = {name: os.environ.get(name) for name in _USER_AWS_SETUP}
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_DEFAULT_PROFILE", None)
    os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    return saved


def restore_environment(saved: dict[str, str | None]) -> None:
    import os

    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def check_endpoint_url(url: str) -> None:
    """Refuse an --endpoint-url botocore could not use, before any call (exit 2)."""
    from urllib.parse import urlsplit

    shown = " ".join(url.split())[:80] if url.strip() else repr(url)
    fix = "give it as http://HOST:PORT or https://HOST[:PORT]"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise ConfigError(f"error: --endpoint-url {shown!r} holds spaces or control "
                          f"characters: {fix}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"error: --endpoint-url {shown!r} is not an http or https URL: {fix}")
    try:
        port = parts.port
    except ValueError:
        port = -1
    if not parts.hostname or port == -1 or port == 0:
        what = "has no host" if not parts.hostname else "has an invalid port"
        raise ConfigError(f"error: --endpoint-url {shown!r} {what}: {fix}")


def _identity_environment() -> dict[str, str]:
    """os.environ without the FARGO_* variables of settings other than the identity."""
    import os

    keep = {env_var(name) for name in IDENTITY}
    return {k: v for k, v in os.environ.items()
            if not k.startswith(ENV_PREFIX) or k in keep or k == "FARGO_CONFIG"}


def known_certificate(aws: AwsContext, arn: Any) -> bool:
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


def _has_credentials(region: str | None) -> bool:
    """Whether the user's AWS setup yields credentials (a broken setup is one line, exit 2)."""
    return boto_session(None, region or LOCAL_REGION, None).get_credentials() is not None
