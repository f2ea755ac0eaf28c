"""Render and lint the templates: the service stack's, and with `build` the registry's; for a
file with [services], the environment's and each service's (and registry's)."""

from __future__ import annotations

from pathlib import Path

from fargo.config import Settings
from fargo.errors import ConfigError
from fargo.validation import Finding, lint_template

STACKS = ("service", "registry")


def synthesize(settings: Settings, fmt: str = "json", stack: str = "service") -> str:
    if fmt not in ("json", "yaml"):
        raise ConfigError(f"error: --format {fmt!r} is not supported: use json or yaml")
    if stack not in STACKS:
        raise ConfigError(f"error: --stack {stack!r} is not a fargo stack: use service or "
                          "registry")
    if stack == "registry":
        from fargo.template.registry import build_registry_template

        template = build_registry_template(settings)
        return template.to_yaml() if fmt == "yaml" else template.to_json(indent=2) + "\n"
    from fargo.template import render

    return render(settings, fmt)


def check_output_path(path: Path, source: str) -> None:
    """Refuse (exit 2) a file fargo could not write, before any work: its directory must exist
    and the path must not be a directory."""
    shown = " ".join(str(path).split())[:80]
    parent = path.parent
    if not parent.is_dir():
        what = "does not exist" if not parent.exists() else "is not a directory"
        raise ConfigError(f"error: {source} {shown}: the directory "
                          f"{' '.join(str(parent).split())[:80]} {what}: create it first, or "
                          "choose another path")
    if path.is_dir():
        raise ConfigError(f"error: {source} {shown} is a directory: name a file in it")


def lint(settings: Settings) -> list[Finding]:
    """Findings for every stack this configuration deploys."""
    stacks = STACKS if settings.build else ("service",)
    region = settings.region or "us-east-1"
    return [finding for stack in stacks
            for finding in lint_template(synthesize(settings, stack=stack), region)]


def app_stacks(app) -> list[str]:
    """The stacks an environment file deploys, by the name `--stack` takes."""
    names = ["environment"]
    for name, service in app.services.items():
        names.append(name)
        if service.build:
            names.append(f"{name}-registry")
    return names


def synthesize_app(app, fmt: str = "json", stack: str = "environment") -> str:
    """One stack of an environment file: `environment`, a service's name, or NAME-registry
    (a service with `build`)."""
    if fmt not in ("json", "yaml"):
        raise ConfigError(f"error: --format {fmt!r} is not supported: use json or yaml")
    known = app_stacks(app)
    if stack == "service":  # the single-service default: the environment here
        stack = "environment"
    if stack not in known:
        raise ConfigError(f"error: --stack {stack!r} is not a stack of this file: use "
                          f"{', '.join(known)}")
    if stack == "environment":
        from fargo.template.environment import build_environment_template

        template = build_environment_template(app)
    elif stack.endswith("-registry") and stack.removesuffix("-registry") in app.services:
        from fargo.template.registry import build_registry_template

        template = build_registry_template(app.service(stack.removesuffix("-registry")))
    else:
        from fargo.template.env_service import build_service_template

        template = build_service_template(app, stack)
    return template.to_yaml() if fmt == "yaml" else template.to_json(indent=2) + "\n"


def lint_app(app) -> list[tuple[str, Finding]]:
    """(stack, finding) for every stack of an environment file."""
    region = app.environment.region or "us-east-1"
    return [(stack, finding) for stack in app_stacks(app)
            for finding in lint_template(synthesize_app(app, stack=stack), region)]
