"""Open what an environment's command needs: the app's config for one environment, and an
AWS context. A file without `[services]` is a single service: `is_app_file` tells them apart
before anything else is read, so today's commands keep their path for today's files.

No `--local` here: an embedded emulator would start empty and be gone after the command; run
`fargo deploy --local --keep-running` elsewhere and pass its URL with --endpoint-url.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo.commands.invocation import Invocation
from fargo.config.app import AppConfig
from fargo.engine.aws import AwsContext
from fargo.errors import ConfigError


@dataclass
class AppSession:
    app: AppConfig
    aws: AwsContext
    notes: list[str] = field(default_factory=list)

    def advisories(self) -> list[str]:
        from fargo.config.app_sources import app_advisories

        return app_advisories(self.app)

    def __enter__(self) -> AppSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def is_app_file(invocation: Invocation) -> bool:
    """Whether the settings file has `[services.NAME]` tables (an environment's file)."""
    from fargo.config.app_sources import is_app_config

    return is_app_config(invocation.config)


def open_app_session(invocation: Invocation, env: str | None = None) -> AppSession:
    """The app's config for environment `env` (default: the file's own) and AWS clients."""
    from fargo.commands.session import _has_credentials, _is_loopback, check_endpoint_url
    from fargo.config.app_sources import load_app_config
    from fargo.emulator.server import LOCAL_CREDENTIALS

    if invocation.local:
        raise ConfigError("error: --local does not apply to a file with [services] yet: run "
                          "an emulator (`fargo deploy --local --keep-running` with a "
                          "single-service file) and pass its URL with --endpoint-url")
    if invocation.endpoint_url is not None:
        check_endpoint_url(invocation.endpoint_url)
    app = load_app_config(invocation.config, env, invocation.given_flags())
    region = app.environment.region
    aws = AwsContext(region=region, profile=invocation.profile,
                     endpoint_url=invocation.endpoint_url)
    notes = []
    if _is_loopback(invocation.endpoint_url):
        aws.emulated = True
        if not invocation.profile and not _has_credentials(region):
            aws.credentials = dict(LOCAL_CREDENTIALS)
        notes.append(f"emulator at {invocation.endpoint_url}: health checks are skipped")
    return AppSession(app, aws, notes)


def chosen_services(app: AppConfig, services: list[str] | None) -> list[str]:
    """The services a command acts on: those named (each must be in the file), or all."""
    unknown = [name for name in services or [] if name not in app.services]
    if unknown:
        raise ConfigError(f"error: service {', '.join(unknown)} is not in the file, which has "
                          f"{', '.join(app.services)}: name one of them")
    return list(dict.fromkeys(services)) if services else list(app.services)


def check_single_service(services: list[str] | None, name: str, env: str | None = None) -> None:
    """A single-service file takes no SERVICE argument, or its own name, and no --env (its
    environment is the `environment` setting)."""
    if env is not None:
        raise ConfigError("error: --env applies to a file with [services] tables: use "
                          "--environment for a single service")
    other = [s for s in services or [] if s != name]
    if other:
        raise ConfigError(f"error: service {other[0]} is not in this file, which is the single "
                          f"service {name} (no [services] tables): drop the argument")
