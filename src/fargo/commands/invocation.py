"""What a command was asked, before any AWS call: the one invocation type of fargo.

The CLI fills it from flags; Python callers build it by hand (`Invocation(local=True)`);
`fargo.commands.session.open_session` and `load_settings` take it. The setting flags are
described here from the Settings model, so the CLI can offer one flag per setting without
reading the model itself.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fargo.config import Settings, sources
from fargo.config.sources import flag_name, load_values, validate

ALL_SETTINGS: tuple[str, ...] = tuple(Settings.model_fields)
# What finds a deployed stack: all that `status` and `destroy` take.
IDENTITY: tuple[str, ...] = ("name", "environment", "region")


@dataclass
class Invocation:
    """Global options and setting flags (None: not given) of one command."""

    config: Path | None = None
    flags: dict[str, Any] = field(default_factory=dict)
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False
    debug: bool = False

    def given_flags(self) -> dict[str, Any]:
        return {k: v for k, v in self.flags.items() if v is not None}


def load_settings(invocation: Invocation) -> tuple[Settings, list[str]]:
    """The validated settings (offline) and their advisories (`warning:` lines to print)."""
    values, origin = load_values(invocation.config, invocation.given_flags())
    settings = validate(values, origin)
    return settings, sources.advisories(settings, origin)


@dataclass(frozen=True)
class SettingFlag:
    """One setting as a command-line flag."""

    name: str  # the setting
    flag: str  # --max-count
    boolean: bool  # a --x/--no-x switch; otherwise a text value parsed like FARGO_* text
    metavar: str
    help: str | None


def setting_flags(names: Sequence[str] = ALL_SETTINGS) -> list[SettingFlag]:
    return [_setting_flag(name) for name in names]


def _setting_flag(name: str) -> SettingFlag:
    model_field = Settings.model_fields[name]
    boolean = model_field.annotation is bool
    return SettingFlag(name, flag_name(name), boolean,
                       "" if boolean else _metavar(model_field.annotation),
                       model_field.description)


def _metavar(annotation: Any) -> str:
    """What --help shows for a setting's value: numbers as numbers, choices as choices."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is typing.Literal:
        return "[" + "|".join(str(a) for a in args) + "]"
    if typing.get_origin(annotation) is dict:
        return "KEY=VALUE,..."
    if typing.get_origin(annotation) is list:
        return "A,B,..." if args == [str] else "JSON"
    return {int: "INTEGER", float: "FLOAT"}.get(annotation, "TEXT")
