"""Render and lint the service's template."""

from __future__ import annotations

from fargo.config import Settings
from fargo.errors import ConfigError
from fargo.validation import Finding, lint_template


def synthesize(settings: Settings, fmt: str = "json") -> str:
    if fmt not in ("json", "yaml"):
        raise ConfigError(f"error: --format {fmt!r} is not supported: use json or yaml")
    from fargo.template import render

    return render(settings, fmt)


def lint(settings: Settings) -> list[Finding]:
    return lint_template(synthesize(settings), settings.region or "us-east-1")
