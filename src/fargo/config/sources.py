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
import json
import os
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fargo.config.checks.text import ECHO_LIMIT, cut, one_line, shown
from fargo.config.settings import Settings, SettingsProblems
from fargo.errors import ConfigError

DEFAULT_CONFIG_FILE = "fargo.toml"
ENV_PREFIX = "FARGO_"
# fargo's own FARGO_* variables that are not settings: kept here, in one place, so that the
# unknown-variable warning leaves them alone. Add any new one to this list.
NON_SETTING_VARIABLES = ("FARGO_CONFIG",)
# A settings file is a few KiB; a limit keeps `--config /dev/zero` (or a log file named by
# mistake) from filling memory.
MAX_CONFIG_BYTES = 1024 * 1024
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_LONG_QUOTE = re.compile(rf"'[^'\n]{{{ECHO_LIMIT + 1},}}'")
_MAX_LINE = 600


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

    path, named_by = _config_path(config_file, environ)
    if _exists(path, named_by):
        file_values = _read_file(path)
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
        raise ConfigError(*problems, *_value_problems(values, origin))
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
            _line(f"error: {p.text}{_where(p.setting, origin, p.related)}: {p.fix}")
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
    lines = [_line(f"warning: {p.text}{_where(p.setting, origin, p.related)}: {p.fix}")
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
        lines.append(_line(f"warning: environment variable {cut(name)} is not a fargo setting "
                           f"and is ignored: {hint}"))
    return lines


def _config_path(config_file: str | Path | None, environ: Mapping[str, str]) -> tuple[Path, str]:
    """The settings file and what named it ("" for the default, which may be absent)."""
    if config_file is not None:
        return Path(config_file), "--config"
    from_env = environ.get("FARGO_CONFIG")
    if from_env:
        return Path(from_env), "FARGO_CONFIG"
    return Path(DEFAULT_CONFIG_FILE), ""


def _exists(path: Path, named_by: str) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        raise ConfigError(f"error: cannot use config file {cut(str(path))} (from "
                          f"{named_by or 'the default'}): {exc.strerror}") from None


def _read_file(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file: keeps it off the file-less synth path

    name = cut(str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"error: cannot read {name} ({exc.strerror}): name a readable "
                          "settings file") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"error: {name} is larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB "
                          "(or is a device): name a fargo.toml settings file")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"error: {name} is not UTF-8 text (byte {exc.start + 1} is not): "
                          "save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"error: {name} is not valid TOML ({one_line(str(exc))}): fix the line it names"
        ) from None
    except RecursionError:
        raise ConfigError(f"error: {name} nests arrays or tables too deeply: fargo's settings "
                          "are plain values, lists and tables") from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ConfigError(f"error: {name} holds a value too large to read (a number of "
                          "thousands of digits?): fix that value") from None


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
        values.pop(setting, None)  # reported here; not validated again from another layer
        origin.pop(setting, None)
        problems.append(_line(f"error: {setting} in {source}: {exc}"))


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
        raise ValueError(f"{shown(raw)} is not a boolean: use true or false (yes/no, 1/0, on/off)")
    if kind == "list":
        if text.startswith("["):
            return _json(text, list)
        return [item.strip() for item in text.split(",") if item.strip()]
    if kind == "table":
        if text.startswith("{"):
            return _json(text, dict)
        table: dict[str, str] = {}
        for pair in (p for p in text.split(",") if p.strip()):
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{shown(pair)} is not KEY=VALUE (or give a JSON object)")
            if key.strip() in table:
                raise ValueError(f"key {shown(key.strip())} is given twice: keep one")
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
        value = json.loads(text, object_pairs_hook=_object_without_repeats)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise ValueError("is JSON nested too deeply: fargo's settings are plain values, "
                         "lists and tables") from None
    except ValueError as exc:  # a repeated key, or a number of thousands of digits
        raise ValueError(f"is not usable JSON ({cut(str(exc))})") from None
    if not isinstance(value, expected):
        raise ValueError(f"must be a JSON {'array' if expected is list else 'object'}")
    return value


def _object_without_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise ValueError(f"key {shown(key)} is given twice: keep one")
        table[key] = value
    return table


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


def _value_problems(values: Mapping[str, Any], origin: Mapping[str, str]) -> list[str]:
    """The lines of values that are wrong on their own (not the cross-setting rules, which
    would judge defaults standing in for the settings that did not parse)."""
    try:
        Settings.model_validate(dict(values))
    except ValidationError as exc:
        return [_field_error_line(e, values, origin) for e in exc.errors()]
    except SettingsProblems:
        pass
    return []


def _field_error_line(error: Mapping[str, Any], values: Mapping[str, Any], origin) -> str:
    loc = list(error["loc"])
    setting = str(loc[0]) if loc else "settings"
    where = _where(setting, origin)
    path = _path(setting, loc[1:])
    if error["type"] == "extra_forbidden":
        if len(loc) == 1:
            close = difflib.get_close_matches(setting, Settings.model_fields, n=1) if len(
                setting) <= 64 else []
            hint = f"did you mean {close[0]}?" if close else "see the README's settings table"
            return _line(f"error: unknown setting {shown(setting)}{where}: remove it ({hint})")
        known = _entry_fields(setting)  # a key inside an entry, e.g. schedules[0].minimum
        key = str(loc[-1])
        close = difflib.get_close_matches(key, known, n=1) if len(key) <= 64 else []
        hint = f"did you mean {close[0]}?" if close else "known keys: " + ", ".join(known)
        return _line(f"error: {path}{where} is an unknown key: remove it ({hint})")
    message = error["msg"].removeprefix("Value error, ")
    shown_value = values.get(setting, error.get("input"))
    if isinstance(shown_value, (str, int, float, bool)) and len(loc) == 1:
        return _line(f"error: {path} = {shown(shown_value)}{where}: {message}")
    return _line(f"error: {path}{where}: {message}")


def _path(setting: str, parts: list[Any]) -> str:
    """schedules[0].min_count, tags['a b']: where inside a setting a problem is."""
    text = setting if setting.isidentifier() else shown(setting)
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part).isidentifier():
            text += f".{part}"
        else:
            text += f"[{shown(str(part))}]"
    return text


def _line(text: str) -> str:
    """One line, whatever the message quotes: controls escaped, long quotes and lines cut."""
    text = _LONG_QUOTE.sub(lambda m: m.group()[: ECHO_LIMIT + 1] + "...'", one_line(text))
    return text if len(text) <= _MAX_LINE else text[:_MAX_LINE] + "..."


def _entry_fields(setting: str) -> list[str]:
    """The keys an entry of a records setting (e.g. one schedule) accepts."""
    field = Settings.model_fields.get(setting)
    for arg in typing.get_args(field.annotation) if field else ():
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            return list(arg.model_fields)
    return []


def load_app_config(
    config_file: str | Path | None = None, env: str | None = None,
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
):
    """An environment and its services from a file with `[services.NAME]` tables, for the
    environment `env` (see fargo.config.app_sources); ConfigError with one line per problem."""
    from fargo.config.app_sources import load_app_config as load

    return load(config_file, env, flags, environ)


def is_app_config(config_file: str | Path | None = None,
                  environ: Mapping[str, str] | None = None) -> bool:
    """Whether the settings file holds many services (`[services]`), not today's one."""
    from fargo.config.app_sources import is_app_config as check

    return check(config_file, environ)
