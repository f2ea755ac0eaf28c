"""`--json`: one JSON object per command on stdout; everything else goes to stderr.

Every command's object starts with `"command"` and `"schema"` (bump the version when a key
changes meaning or goes away: added keys are not a change), so scripts can check what they
read. Values JSON has no type for are written as text: datetimes in ISO 8601 (UTC when
known), enums as their value, paths as text; dataclasses become objects.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

SCHEMA = 1


def to_json_value(value: Any) -> Any:
    """`value` as plain JSON types (dicts, lists, text, numbers, booleans, null)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_json_value(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, enum.Enum):
        return to_json_value(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def json_document(command: str, **keys: Any) -> dict[str, Any]:
    """The object `fargo COMMAND --json` prints: its command, the schema version, its keys."""
    return {"command": command, "schema": SCHEMA, **to_json_value(keys)}


def print_json(document: Mapping[str, Any]) -> None:
    """Write one JSON object (indented, keys in the order given) and a newline to stdout."""
    sys.stdout.write(json.dumps(to_json_value(document), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
