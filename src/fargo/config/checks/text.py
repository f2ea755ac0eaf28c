"""User text inside fargo's one-line messages: echoed short, escaped, never a second line.

A value a user typed may be megabytes long, hold a newline or a terminal escape sequence;
a message quotes at most ECHO_LIMIT characters of it, with every control character escaped.
"""

from __future__ import annotations

import reprlib
import unicodedata
from typing import Any

ECHO_LIMIT = 80
# Line breaks and C0/C1 controls: never part of a sensible setting, and each would break a
# one-line message or a terminal. (Format characters such as a zero-width joiner are kept.)
_CONTROL_CATEGORIES = ("Cc", "Zl", "Zp")

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = ECHO_LIMIT
_REPR.maxother = ECHO_LIMIT
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def shown(value: Any) -> str:
    """A value as a message quotes it: repr-style, escaped, cut after ECHO_LIMIT characters."""
    if isinstance(value, str):
        if len(value) <= ECHO_LIMIT:
            return one_line(repr(value))
        return one_line(repr(value[:ECHO_LIMIT])) + f"... ({len(value)} characters)"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        digits = len(str(abs(value))) if value.bit_length() < 10_000 else None
        if digits is None or digits > ECHO_LIMIT:
            return "a number too long to show"
        return str(value)
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):  # e.g. an int too long for str() deep inside
        text = f"a {type(value).__name__}"
    if len(text) > ECHO_LIMIT:
        text = text[:ECHO_LIMIT] + "..."
    return one_line(text)


def cut(text: str) -> str:
    """Text for running prose, unquoted: escaped, cut after ECHO_LIMIT characters."""
    if len(text) <= ECHO_LIMIT:
        return one_line(text)
    return one_line(text[:ECHO_LIMIT]) + f"... ({len(text)} characters)"


def one_line(text: str) -> str:
    """The text with every character a terminal would not print as-is escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control or line-break character in text (outside `allowed`), or None."""
    for char in text:
        if char not in allowed and unicodedata.category(char) in _CONTROL_CATEGORIES:
            return char
    return None


def describe_character(char: str) -> str:
    """E.g. "a newline (U+000A)", for a message about a refused character."""
    names = {"\n": "a newline", "\r": "a carriage return", "\t": "a tab", "\x1b": "an escape"}
    return f"{names.get(char, 'a control character')} (U+{ord(char):04X})"


def _escape(char: str) -> str:
    escaped = repr(char)[1:-1]
    return escaped if escaped != char else f"\\u{ord(char):04x}"
