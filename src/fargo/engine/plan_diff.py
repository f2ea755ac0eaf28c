"""Property-level plan: before -> after per changed property of a change set's resource.

`DescribeChangeSet` with `IncludePropertyValues=True` gives, for each property a change
touches, its path (`/Properties/ContainerDefinitions/0/Image`), its value before and after,
whether it forces a replacement, and what caused it (`ParameterReference` + the parameter's
name, a `DirectModification` of the template, ...). Endpoints that give no values (moto,
older partitions) leave `properties` empty: the plan then shows names only, as before.

Secret values never reach a plan: anything under a container's `Secrets` is withheld here,
and `redacted` withholds any value `is_secret(name, value)` judges secret (the commands layer
passes the settings record's masking: a `container_environment` value it masks) before the
plan is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

WITHHELD = "(secret: not shown)"
SHOWN_CHARACTERS = 120  # a value longer than this is cut in the plan (AWS may cut it too)

# (the variable's name, "" when unknown; a value, or None to judge the name alone)
SecretJudge = Callable[[str, str | None], bool]


@dataclass(frozen=True)
class PropertyChange:
    path: str  # "ContainerDefinitions/0/Image" (the Properties/ prefix dropped)
    change: str  # add, remove, modify
    before: str | None  # None: absent before (or not given by the endpoint)
    after: str | None
    recreation: str = "Never"  # Never, Conditionally, Always
    cause: str = ""  # "parameter ImageUri", "template", "resource Cluster", ...
    environment_name: str | None = None  # inside a container's Environment: its variable
    # ("" when the endpoint did not say which); None elsewhere

    def __str__(self) -> str:
        return f"{self.path}: {_shown(self.before)} -> {_shown(self.after)}"


def property_changes(resource_change: dict[str, Any]) -> tuple[PropertyChange, ...]:
    """The resource's changed properties with values; () when the endpoint gave none."""
    contexts = [_context(resource_change.get(key)) for key in ("BeforeContext", "AfterContext")]
    changes = []
    for detail in resource_change.get("Details", []):
        target = detail.get("Target", {})
        raw_path = target.get("Path")
        if not raw_path or ("BeforeValue" not in target and "AfterValue" not in target):
            continue
        path = raw_path.removeprefix("/").removeprefix("Properties/")
        parts = raw_path.strip("/").split("/")
        before, after = target.get("BeforeValue"), target.get("AfterValue")
        if "Secrets" in parts:
            before, after = _withhold(before), _withhold(after)
        changes.append(PropertyChange(
            path, (target.get("AttributeChangeType") or "Modify").lower(), before, after,
            target.get("RequiresRecreation") or "Never", _cause(detail),
            _environment_name(parts, contexts)))
    return tuple(_unique(changes))


def redacted(changes: tuple[PropertyChange, ...],
             is_secret: SecretJudge) -> tuple[PropertyChange, ...]:
    """`changes` with every value `is_secret` judges secret withheld (both sides of it)."""
    from dataclasses import replace

    def secret(change: PropertyChange) -> bool:
        if change.environment_name is None:
            return False
        return any(is_secret(change.environment_name, value)
                   for value in (change.before, change.after, None))

    return tuple(replace(c, before=_withhold(c.before), after=_withhold(c.after))
                 if secret(c) else c for c in changes)


def replacement_reason(properties: tuple[PropertyChange, ...], conditional: bool) -> str:
    """The "why" of a replacement, from the properties that force it (with their causes)."""
    forcing = [p for p in properties if p.recreation in ("Always", "Conditionally")]
    if not forcing:
        return ""
    parts = [p.path + (f" (from {p.cause})" if p.cause and p.cause != "template" else "")
             for p in forcing]
    return ("changing " + ", ".join(parts)
            + (" may require a new resource" if conditional else " requires a new resource"))


def _withhold(value: str | None) -> str | None:
    return WITHHELD if value is not None else None


def _environment_name(parts: list[str], contexts: list[dict]) -> str | None:
    """The variable's name for a path inside a container's Environment list, else None."""
    if "Environment" not in parts:
        return None
    index = parts.index("Environment")
    entry_path = parts[: index + 2]
    for context in contexts:
        entry = _at(context, entry_path)
        if isinstance(entry, dict) and "Name" in entry:
            return str(entry["Name"])
    return ""  # inside Environment, but the name is not known: judge the values alone


def _at(document: Any, parts: list[str]) -> Any:
    """The value at `parts` (["Properties", "ContainerDefinitions", "0", ...]) of a context
    ({"Properties": {...}}); None when it is not there."""
    for part in parts:
        if isinstance(document, list) and part.isdigit() and int(part) < len(document):
            document = document[int(part)]
        elif isinstance(document, dict) and part in document:
            document = document[part]
        else:
            return None
    return document


def _context(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _cause(detail: dict[str, Any]) -> str:
    source, entity = detail.get("ChangeSource", ""), detail.get("CausingEntity", "")
    if source == "ParameterReference" and entity:
        return f"parameter {entity}"
    if source in ("ResourceReference", "ResourceAttribute") and entity:
        return f"resource {entity.split('.')[0]}"
    if source == "DirectModification":
        return "template"
    return source.lower()


def _unique(changes: list[PropertyChange]) -> list[PropertyChange]:
    """One row per path (CloudFormation lists a property once per cause: static, dynamic)."""
    seen: dict[str, PropertyChange] = {}
    for change in changes:
        seen.setdefault(change.path, change)
    return list(seen.values())


def _shown(value: str | None) -> str:
    if value is None:
        return "(none)"
    flat = " ".join(value.split())
    return flat if len(flat) <= SHOWN_CHARACTERS else flat[: SHOWN_CHARACTERS - 3] + "..."
