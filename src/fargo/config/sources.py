"""Merge fargo.toml, FARGO_* environment variables and flags into one validated Settings.

Precedence: flag > environment > file > default. Every value remembers where it came from,
so an error can say "in fargo.toml" or "in FARGO_MAX_COUNT" instead of leaving the user to guess.

Text syntax for flags and environment variables (the file uses plain TOML types):
- lists (allowed_cidrs, vpc_endpoints, task_egress, ...): comma-separated `a,b` or a JSON array;
- tables (container_environment, tags): `KEY=VALUE,KEY2=VALUE2` or a JSON object; a key given
  twice is an error;
- schedules: a JSON array of objects, e.g. `[{"schedule": "cron(0 8 ? * MON-FRI *)",
  "min_count": 2, "max_count": 4}]`;
- booleans: true/false, yes/no, 1/0, on/off. An empty string resets a setting to its default.

Every problem is one line, `error: <what> in <source>: <what to do>`, with the user's values
cut to a few dozen characters and control characters escaped.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fargo.config.checks.text import cut
from fargo.config.config_file import config_path, file_exists, read_file
from fargo.config.error_lines import error_line, field_error_line, origin_note
from fargo.config.settings import Settings, SettingsProblems
from fargo.config.text_values import apply_text
from fargo.errors import ConfigError

ENV_PREFIX = "FARGO_"
# fargo's own FARGO_* variables that are not settings: kept here, in one place, so that the
# unknown-variable warning leaves them alone. Add any new one to this list.
NON_SETTING_VARIABLES = ("FARGO_CONFIG",)


def env_var(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def flag_name(setting: str) -> str:
    return "--" + setting.replace("_", "-")


def load_settings(
    config_file: str | Path | None = None,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Build Settings from the layers; raise ConfigError with one line per problem."""
    values, origin = load_values(config_file, flags, environ)
    return validate(values, origin)


def load_values(
    config_file: str | Path | None = None,
    flags: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The merged raw values, not yet validated, and where each came from.

    Text that does not parse (FARGO_HTTPS=maybe) raises ConfigError, together with the
    problems of every other value that is wrong on its own, so one run shows them all.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}

    path, named_by = config_path(config_file, environ)
    if file_exists(path, named_by):
        file_values = read_file(path)
        values.update(file_values)
        origin.update({key: path.name for key in file_values})
    elif named_by:
        raise ConfigError(
            f"error: config file {cut(str(path))} (from {named_by}) does not exist: "
            f"create it with `fargo init` or fix {named_by}"
        )

    problems: list[str] = []
    for setting in Settings.model_fields:
        raw = environ.get(env_var(setting))
        if raw is None:
            continue
        apply_text(setting, raw, env_var(setting), values, origin, problems)
    for setting, raw in (flags or {}).items():
        if raw is None:
            continue
        source = flag_name(setting)
        if isinstance(raw, str):
            apply_text(setting, raw, source, values, origin, problems)
        else:
            values[setting] = raw
            origin[setting] = source
    if problems:
        raise ConfigError(*problems, *_value_problems(values, origin))
    return values, origin


def validate(values: Mapping[str, Any], origin: Mapping[str, str] | None = None) -> Settings:
    """Settings from plain values, or ConfigError naming each bad setting and its source."""
    origin = origin or {}
    try:
        return Settings.model_validate(dict(values))
    except ValidationError as exc:
        raise ConfigError(*[field_error_line(e, values, origin) for e in exc.errors()]) from None
    except SettingsProblems as exc:
        raise ConfigError(*[
            error_line(f"error: {p.text}{origin_note(p.setting, origin, p.related)}: {p.fix}")
            for p in exc.problems
        ]) from None


def advisories(
    settings: Settings, origin: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """`warning: ...` lines for valid settings worth a second look, and for the environment
    (e.g. an unknown FARGO_* variable). Commands print them; they never change the exit code."""
    origin = origin or {}
    environ = os.environ if environ is None else environ
    lines = [error_line(f"warning: {p.text}{origin_note(p.setting, origin, p.related)}: {p.fix}")
             for p in settings.advisories()]
    return lines + unknown_variable_warnings(environ)


def unknown_variable_warnings(environ: Mapping[str, str]) -> list[str]:
    """A warning for each FARGO_* variable that is no setting's (a typo fargo would ignore)."""
    known = [env_var(s) for s in Settings.model_fields] + list(NON_SETTING_VARIABLES)
    # Compared without the prefix they all share, or every name would look close.
    suffixes = {name.removeprefix(ENV_PREFIX): name for name in known}
    lines = []
    for name in sorted(environ):
        if not name.startswith(ENV_PREFIX) or name in known:
            continue
        suffix = name.removeprefix(ENV_PREFIX)
        close = difflib.get_close_matches(suffix, suffixes, n=1) if len(suffix) <= 64 else []
        hint = (f"did you mean {suffixes[close[0]]}?" if close
                else "see the README's settings table")
        lines.append(error_line(f"warning: environment variable {cut(name)} is not a fargo setting "
                           f"and is ignored: {hint}"))
    return lines


def _value_problems(values: Mapping[str, Any], origin: Mapping[str, str]) -> list[str]:
    """The lines of values that are wrong on their own (not the cross-setting rules, which
    would judge defaults standing in for the settings that did not parse)."""
    try:
        Settings.model_validate(dict(values))
    except ValidationError as exc:
        return [field_error_line(e, values, origin) for e in exc.errors()]
    except SettingsProblems:
        pass
    return []
