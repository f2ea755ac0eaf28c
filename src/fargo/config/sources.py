"""Merge fargo.toml, FARGO_* environment variables and flags into one validated Settings.

Precedence: flag > environment > file > default. Every value remembers where it came from,
so an error can say "in fargo.toml" or "in FARGO_MAX_COUNT" instead of leaving the user to guess.

Text syntax for flags and environment variables (the file uses plain TOML types):
- lists (allowed_cidrs, vpc_endpoints, task_egress, ...): comma-separated `a,b` or a JSON array;
- tables (container_environment, tags): `KEY=VALUE,KEY2=VALUE2` or a JSON object;
- schedules: a JSON array of objects, e.g. `[{"schedule": "cron(0 8 ? * MON-FRI *)",
  "min_count": 2, "max_count": 4}]`;
- booleans: true/false, yes/no, 1/0, on/off. An empty string resets a setting to its default.
"""

from __future__ import annotations

import json
import os
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fargo.config.settings import Settings, SettingsProblems
from fargo.errors import ConfigError

DEFAULT_CONFIG_FILE = "fargo.toml"
ENV_PREFIX = "FARGO_"
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


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
    """The merged raw values, not yet validated, and where each came from."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}

    path, named_by = _config_path(config_file, environ)
    if path.exists():
        file_values = _read_file(path)
        values.update(file_values)
        origin.update({key: path.name for key in file_values})
    elif named_by:
        raise ConfigError(
            f"error: config file {path} (from {named_by}) does not exist: "
            f"create it with `fargo init` or fix {named_by}"
        )

    problems: list[str] = []
    for setting in Settings.model_fields:
        raw = environ.get(env_var(setting))
        if raw is None:
            continue
        _apply_text(setting, raw, env_var(setting), values, origin, problems)
    for setting, raw in (flags or {}).items():
        if raw is None:
            continue
        source = flag_name(setting)
        if isinstance(raw, str):
            _apply_text(setting, raw, source, values, origin, problems)
        else:
            values[setting] = raw
            origin[setting] = source
    if problems:
        raise ConfigError(*problems)
    return values, origin


def validate(values: Mapping[str, Any], origin: Mapping[str, str] | None = None) -> Settings:
    """Settings from plain values, or ConfigError naming each bad setting and its source."""
    origin = origin or {}
    try:
        return Settings.model_validate(dict(values))
    except ValidationError as exc:
        raise ConfigError(*[_field_error_line(e, values, origin) for e in exc.errors()]) from None
    except SettingsProblems as exc:
        raise ConfigError(*[
            f"error: {p.text}{_where(p.setting, origin, p.related)}: {p.fix}"
            for p in exc.problems
        ]) from None


def advisories(
    settings: Settings, origin: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """`warning: ...` lines for valid settings worth a second look, and for the environment
    (e.g. an unknown FARGO_* variable). Commands print them; they never change the exit code."""
    origin = origin or {}
    return [f"warning: {p.text}{_where(p.setting, origin, p.related)}: {p.fix}"
            for p in settings.advisories()]


def _config_path(config_file: str | Path | None, environ: Mapping[str, str]) -> tuple[Path, str]:
    """The settings file and what named it ("" for the default, which may be absent)."""
    if config_file is not None:
        return Path(config_file), "--config"
    from_env = environ.get("FARGO_CONFIG")
    if from_env:
        return Path(from_env), "FARGO_CONFIG"
    return Path(DEFAULT_CONFIG_FILE), ""


def _read_file(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file: keeps it off the file-less synth path

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"error: {path} is not valid TOML ({exc}): fix the line it names"
        ) from None
    except OSError as exc:
        raise ConfigError(f"error: cannot read {path} ({exc.strerror})") from None


def _apply_text(
    setting: str, raw: str, source: str, values: dict, origin: dict, problems: list[str]
) -> None:
    if raw.strip() == "":
        values.pop(setting, None)
        origin.pop(setting, None)
        return
    try:
        values[setting] = parse_text(setting, raw)
        origin[setting] = source
    except ValueError as exc:
        problems.append(f"error: {setting} in {source}: {exc}")


def parse_text(setting: str, raw: str) -> Any:
    """Turn a flag or environment string into the value the setting's type expects."""
    kind = _kind(setting)
    text = raw.strip()
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{raw!r} is not a boolean: use true or false (yes/no, 1/0, on/off)")
    if kind == "list":
        if text.startswith("["):
            return _json(text, list)
        return [item.strip() for item in text.split(",") if item.strip()]
    if kind == "table":
        if text.startswith("{"):
            return _json(text, dict)
        table = {}
        for pair in (p for p in text.split(",") if p.strip()):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{pair!r} is not KEY=VALUE (or give a JSON object)")
            table[key.strip()] = value.strip()
        return table
    if kind == "records":
        return _json(text, list)
    if kind == "int-choice":
        try:
            return int(text)
        except ValueError:
            return text  # the model names the allowed values
    return text


def _json(text: str, expected: type) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(value, expected):
        raise ValueError(f"must be a JSON {'array' if expected is list else 'object'}")
    return value


def _kind(setting: str) -> str:
    field = Settings.model_fields.get(setting)
    if field is None:
        return "text"
    annotation = field.annotation
    if annotation is bool:
        return "bool"
    origin = typing.get_origin(annotation)
    if origin is dict:
        return "table"
    if origin is list:
        (item,) = typing.get_args(annotation)
        return "list" if item is str else "records"
    if origin is typing.Literal and all(type(a) is int for a in typing.get_args(annotation)):
        return "int-choice"  # e.g. http_redirect_code: pydantic won't match "301" to 301
    return "text"


def _where(setting: str, origin: Mapping[str, str], related: tuple[str, ...] = ()) -> str:
    """Where the value came from; for a conflict, the first of the settings the user set."""
    for name in (setting, *related):
        if name in origin:
            return f" in {origin[name]}"
    return ""


def _field_error_line(error: Mapping[str, Any], values: Mapping[str, Any], origin) -> str:
    loc = [str(part) for part in error["loc"]]
    setting = loc[0] if loc else "settings"
    where = _where(setting, origin)
    path = setting + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
    if error["type"] == "extra_forbidden":
        import difflib

        if len(loc) == 1:
            close = difflib.get_close_matches(setting, Settings.model_fields, n=1)
            hint = f"did you mean {close[0]}?" if close else "see the README's settings table"
            return f"error: unknown setting {setting!r}{where}: remove it ({hint})"
        known = _entry_fields(setting)  # a key inside an entry, e.g. schedules[0].minimum
        close = difflib.get_close_matches(loc[-1], known, n=1)
        hint = f"did you mean {close[0]}?" if close else "known keys: " + ", ".join(known)
        return f"error: unknown key {path}{where}: remove it ({hint})"
    message = error["msg"].removeprefix("Value error, ")
    shown = values.get(setting, error.get("input"))
    if isinstance(shown, (str, int, float, bool)) and len(loc) == 1:
        return f"error: {path} = {shown!r}{where}: {message}"
    return f"error: {path}{where}: {message}"


def _entry_fields(setting: str) -> list[str]:
    """The keys an entry of a records setting (e.g. one schedule) accepts."""
    field = Settings.model_fields.get(setting)
    for arg in typing.get_args(field.annotation) if field else ():
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            return list(arg.model_fields)
    return []
