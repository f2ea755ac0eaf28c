"""Settings given as text (flags and FARGO_* variables) turned into the values the model
takes: booleans, comma lists or JSON arrays, KEY=VALUE tables or JSON objects, records."""

from __future__ import annotations

import json
import typing
from typing import Any

from fargo.config.checks.text import cut, shown
from fargo.config.error_lines import error_line
from fargo.config.settings import Settings

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def apply_text(
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
        problems.append(error_line(f"error: {setting} in {source}: {exc}"))


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
