"""Small readers for a synthesised CloudFormation template held as a plain dict.

fargo's templates use few intrinsic functions in the places read here: `Ref` to a resource or
to a parameter (whose default stands in for its value), `Fn::GetAtt`, `Fn::Sub` and `Fn::If`
around optional values. These helpers answer "which resources", "what does this point at" and
"what number is this", and nothing more.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Template = Mapping[str, Any]


def resources(template: Template, resource_type: str) -> dict[str, dict]:
    return {k: v for k, v in template.get("Resources", {}).items()
            if v.get("Type") == resource_type}


def properties(resource: Mapping[str, Any]) -> dict:
    return resource.get("Properties", {}) or {}


def target(value: Any) -> str | None:
    """The logical ID a `Ref` or `Fn::GetAtt` names, else None."""
    if isinstance(value, Mapping):
        if "Ref" in value and isinstance(value["Ref"], str):
            return value["Ref"]
        if "Fn::GetAtt" in value:
            attribute = value["Fn::GetAtt"]
            if isinstance(attribute, list) and attribute:
                return str(attribute[0])
            if isinstance(attribute, str):
                return attribute.split(".")[0]
    return None


def targets(value: Any) -> Iterator[str]:
    """Every logical ID referred to anywhere inside a value (Ref, GetAtt, ${Name} in Sub)."""
    if isinstance(value, Mapping):
        found = target(value)
        if found:
            yield found
        if "Fn::Sub" in value:
            text = value["Fn::Sub"]
            text = text[0] if isinstance(text, list) and text else text
            if isinstance(text, str):
                for part in text.split("${")[1:]:
                    name = part.split("}")[0].split(".")[0]
                    if not name.startswith("AWS::"):
                        yield name
        for inner in value.values():
            yield from targets(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from targets(inner)


def number(template: Template, value: Any, default: float | None = None) -> float | None:
    """A number: a literal, a numeric string, or a Ref to a parameter with a default."""
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return default
    name = target(value)
    if name and name in template.get("Parameters", {}):
        return number(template, template["Parameters"][name].get("Default"), default)
    if isinstance(value, Mapping) and "Fn::If" in value:
        branches = value["Fn::If"]
        for branch in branches[1:] if isinstance(branches, list) else []:
            found = number(template, branch)
            if found is not None:
                return found
    return default


def text(value: Any) -> str:
    """A readable string for a value: literals as they are, Sub with pseudo parameters kept."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if "Fn::Sub" in value:
            inner = value["Fn::Sub"]
            return text(inner[0] if isinstance(inner, list) and inner else inner)
        name = target(value)
        if name:
            return name
    return str(value)


def resolved(template: Template, value: Any) -> Any:
    """A Ref to a parameter stands for the parameter's default (the value a deploy from the
    file sends, e.g. the image as ImageUri); anything else is itself."""
    name = target(value) if isinstance(value, Mapping) and "Ref" in value else None
    slot = template.get("Parameters", {}).get(name) if name else None
    if isinstance(slot, Mapping) and "Default" in slot:
        return slot["Default"]
    return value


def count(value: Any) -> int:
    """How many items a list property holds (a non-list counts as one)."""
    if isinstance(value, list):
        return len(value)
    return 0 if value is None else 1


def endpoint_service(value: Any) -> str:
    """`com.amazonaws.${AWS::Region}.ecr.api` (or a literal region) -> `ecr.api`."""
    name = text(value)
    if "${AWS::Region}." in name:
        return name.split("${AWS::Region}.", 1)[1]
    parts = name.split(".", 3)
    return parts[3] if name.startswith("com.amazonaws.") and len(parts) == 4 else name
