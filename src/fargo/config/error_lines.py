"""One line per problem, naming the setting, where its value came from and what to do:
the wording of every configuration error and warning."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Mapping
from typing import Any

from fargo.config.checks.text import ECHO_LIMIT, one_line, shown
from fargo.config.settings import Settings

_LONG_QUOTE = re.compile(rf"'[^'\n]{{{ECHO_LIMIT + 1},}}'")
_MAX_LINE = 600


def origin_note(setting: str, origin: Mapping[str, str], related: tuple[str, ...] = ()) -> str:
    """Where the value came from; for a conflict, the first of the settings the user set."""
    for name in (setting, *related):
        if name in origin:
            return f" in {origin[name]}"
    return ""


def field_error_line(error: Mapping[str, Any], values: Mapping[str, Any], origin) -> str:
    loc = list(error["loc"])
    setting = str(loc[0]) if loc else "settings"
    where = origin_note(setting, origin)
    path = setting_path(setting, loc[1:])
    if error["type"] == "extra_forbidden":
        if len(loc) == 1:
            close = difflib.get_close_matches(setting, Settings.model_fields, n=1) if len(
                setting) <= 64 else []
            hint = f"did you mean {close[0]}?" if close else "see the README's settings table"
            return error_line(f"error: unknown setting {shown(setting)}{where}: remove it ({hint})")
        known = entry_fields(setting)  # a key inside an entry, e.g. schedules[0].minimum
        key = str(loc[-1])
        close = difflib.get_close_matches(key, known, n=1) if len(key) <= 64 else []
        hint = f"did you mean {close[0]}?" if close else "known keys: " + ", ".join(known)
        return error_line(f"error: {path}{where} is an unknown key: remove it ({hint})")
    message = error["msg"].removeprefix("Value error, ")
    shown_value = values.get(setting, error.get("input"))
    if isinstance(shown_value, (str, int, float, bool)) and len(loc) == 1:
        return error_line(f"error: {path} = {shown(shown_value)}{where}: {message}")
    return error_line(f"error: {path}{where}: {message}")


def setting_path(setting: str, parts: list[Any]) -> str:
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


def error_line(text: str) -> str:
    """One line, whatever the message quotes: controls escaped, long quotes and lines cut."""
    text = _LONG_QUOTE.sub(lambda m: m.group()[: ECHO_LIMIT + 1] + "...'", one_line(text))
    return text if len(text) <= _MAX_LINE else text[:_MAX_LINE] + "..."


def entry_fields(setting: str) -> list[str]:
    """The keys an entry of a records setting (e.g. one schedule) accepts."""
    field = Settings.model_fields.get(setting)
    for arg in typing.get_args(field.annotation) if field else ():
        if isinstance(arg, type) and hasattr(arg, "model_fields"):
            return list(arg.model_fields)
    return []
