"""What a setting's raw value must be before pydantic's lax coercion sees it.

pydantic takes `port = true` as 1, `https = 1` as true, and a string holding a newline as any
other string. TOML and JSON give typed values, so a boolean where a number belongs (or the
reverse) is a mistake to report, not to convert. Whole numbers written as floats (`80.0`) are
accepted; fractional (`80.5`) and non-finite ones are refused. No text anywhere in a setting may
hold a control character or a line break.
"""

from __future__ import annotations

import math
import re
import types
import typing
from typing import Any, Literal, Union

from fargo.config.checks.text import control_character, describe_character, shown

# fargo's own settings nest two levels (schedules: a list of tables); anything much deeper
# is a mistake, and refusing it early keeps every later walk over the value shallow.
MAX_NESTING = 8
_WHOLE_TEXT = re.compile(r"[+-]?[0-9]+")
_NUMBER_TEXT = re.compile(
    r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?(nan|inf|infinity)", re.IGNORECASE
)


def checked(annotation: Any, value: Any, text_allowed_in_values: str = "") -> Any:
    """The value, normalised (`80.0` -> 80), or ValueError saying what is wrong with it.

    `text_allowed_in_values`: control characters a table's values may hold (a container
    environment value may hold a newline or a tab; its names may not).
    """
    kind = _kind(annotation)
    if kind == "whole":
        value = _whole(value)
    elif kind == "number":
        value = _number(value)
    elif kind == "switch" and isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("a number is not a switch: use true or false")
    _check_text(value, text_allowed_in_values)
    return value


def _kind(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _kind(options[0]) if len(options) == 1 else "other"
    if annotation is bool:
        return "switch"
    if annotation is int:
        return "whole"
    if annotation is float:
        return "number"
    if origin is Literal and all(type(a) is int for a in typing.get_args(annotation)):
        return "whole"
    return "other"


def _whole(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("true/false is not a number: give a whole number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("is not a finite number: give a whole number")
        if not value.is_integer():
            raise ValueError("is not a whole number: give one without a fraction")
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if _WHOLE_TEXT.fullmatch(text) or not _NUMBER_TEXT.fullmatch(text):
            return value  # a plain integer, or not a number at all: pydantic says which
        return _whole(float(text))
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("true/false is not a number: give a number")
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        value = float(value.strip())
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("is not a finite number: give a number")
    return value


def _check_text(value: Any, allowed_in_values: str) -> None:
    """Walk the value (iteratively, depth-limited) for text with a control character."""
    pending: list[tuple[str, Any, int, str]] = [("", value, 0, "")]
    while pending:
        where, item, depth, allowed = pending.pop()
        if depth > MAX_NESTING:
            raise ValueError(f"is nested more than {MAX_NESTING} levels deep: "
                             "fargo's settings are plain values, lists and tables")
        if isinstance(item, str):
            char = control_character(item, allowed)
            if char:
                place = f"{where} " if where else ""
                raise ValueError(f"{place}holds {describe_character(char)}: remove it")
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                pending.append((f"{where}[{shown(key)}]", child, depth + 1, allowed_in_values))
                pending.append((f"{where} key {shown(key)}".strip(), key, depth + 1, ""))
        elif isinstance(item, (list, tuple)):
            for index in reversed(range(len(item))):
                pending.append((f"{where}[{index}]", item[index], depth + 1, ""))
