"""Open what an environment's command needs: the app's config for one environment, and an
AWS context. A file without `[services]` is a single service: `is_app_file` tells them apart
before anything else is read, so today's commands keep their path for today's files.

With `--local` (deploy only) the embedded emulator starts empty: `fargo deploy --local`
deploys the environment first, then the services, and tears all down afterwards (or keeps
the emulator serving with --keep-running).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo.commands.invocation import Invocation
from fargo.config.app import AppConfig
from fargo.emulator.server import LocalEmulator
from fargo.engine.aws import AwsContext
from fargo.errors import ConfigError


@dataclass
class AppSession:
    app: AppConfig
    aws: AwsContext
    notes: list[str] = field(default_factory=list)
    emulator: LocalEmulator | None = None  # --local: the embedded emulator, stopped at close
    hidden_environment: dict[str, str | None] | None = None  # restored at close

    def advisories(self) -> list[str]:
        from fargo.config.app_sources import app_advisories

        return app_advisories(self.app)

    def close(self) -> None:
        from fargo.commands.session import release_local

        release_local(self)

    def __enter__(self) -> AppSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_app_file(invocation: Invocation) -> bool:
    """Whether the settings file has `[services.NAME]` tables (an environment's file)."""
    from fargo.config.app_sources import is_app_config

    return is_app_config(invocation.config)


def open_app_session(invocation: Invocation, env: str | None = None) -> AppSession:
    """The app's config for environment `env` (default: the file's own) and AWS clients."""
    from fargo.commands.session import aws_for, check_endpoint_choice
    from fargo.config.app_sources import load_app_config

    check_endpoint_choice(invocation)
    if invocation.local:
        from fargo.emulator.server import LOCAL_REGION

        app = load_app_config(invocation.config, env, invocation.given_flags(),
                              defaults={"region": (LOCAL_REGION, "--local")})
        return _open_local(app)
    app = load_app_config(invocation.config, env, invocation.given_flags())
    aws, notes = aws_for(invocation, app.environment.region)
    return AppSession(app, aws, notes)


def _open_local(app: AppConfig) -> AppSession:
    """The app on a fresh embedded emulator: the hosted zone created, and a certificate the
    emulator cannot hold replaced by a self-signed one."""
    from fargo.commands.session import fit_to_emulator, start_local_emulator

    emulator, aws, hidden = start_local_emulator(str(app.environment.region))
    session = AppSession(app, aws, [], emulator, hidden)
    try:
        env = app.environment
        drop_certificate, session.notes = fit_to_emulator(aws, env.certificate_arn, env.domain,
                                                          env.hosted_zone)
        if drop_certificate:
            session.app = without_certificate_arn(app)
        return session
    except BaseException:
        session.close()
        raise


def without_certificate_arn(app: AppConfig) -> AppConfig:
    import dataclasses

    from fargo.config.app import environment_of

    services = {name: service.model_copy(update={"certificate_arn": None})
                for name, service in app.services.items()}
    return dataclasses.replace(app, environment=environment_of(list(services.values())),
                               services=services)


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
