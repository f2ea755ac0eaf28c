"""Stack updates that keep resources and follow references, as CloudFormation's do.

moto updates only resources whose own template text changed, and drops a resource whose
model has no update. CloudFormation instead updates every resource whose resolved properties
changed, including those that merely refer (Ref, Fn::GetAtt, Fn::Sub) to a resource that got a
new physical ID: a new task-definition revision updates the service that runs it, a replaced
certificate moves the listeners that serve it. Without this, `fargo status` showed revision
:1 running while :2 was deployed, and outputs naming a target group vanished after an update.

A resource removed from the template with DeletionPolicy Retain is kept in the account, as
on AWS (moto deleted it). After the references have followed, a replaced resource's model
may delete its predecessor (`after_dependents_updated`), as in CloudFormation's clean-up.
"""

from __future__ import annotations

import re
from typing import Any

MAX_ROUNDS = 10
_SUB_NAME = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")


def install() -> None:
    from moto.cloudformation import parsing

    original_update_resource = parsing.parse_and_update_resource

    def keep_when_not_updatable(logical_id, resource_json, resources_map, account_id,
                                region_name):
        updated = original_update_resource(logical_id, resource_json, resources_map,
                                           account_id, region_name)
        if updated is None:  # moto cannot update this type: keep what exists
            return resources_map._parsed_resources.get(logical_id)
        return updated

    parsing.parse_and_update_resource = keep_when_not_updatable

    original_update = parsing.ResourceMap.update

    def update_and_follow_references(self, template: dict, parameters: dict | None = None):
        import warnings

        before = _physical_ids(self)
        _retain_removed(self, template)
        with warnings.catch_warnings():  # moto's "never created" notice for what was retained
            warnings.simplefilter("ignore", UserWarning)
            original_update(self, template, parameters)
        _follow_changed_references(self, before, parsing.parse_and_update_resource)

    parsing.ResourceMap.update = update_and_follow_references


def _retain_removed(resource_map: Any, template: dict) -> None:
    """A resource removed from the template with DeletionPolicy Retain stays in the account,
    as CloudFormation keeps it; moto would delete it. It leaves the stack all the same."""
    new = template.get("Resources") or {}
    for name, body in list(resource_map._resource_json_map.items()):
        if name not in new and body.get("DeletionPolicy") == "Retain":
            resource_map._parsed_resources.pop(name, None)


def _physical_ids(resource_map: Any) -> dict[str, str]:
    ids = {}
    for name, resource in resource_map._parsed_resources.items():
        physical = getattr(resource, "physical_resource_id", None)
        if isinstance(physical, str):
            ids[name] = physical
    return ids


def references(value: Any) -> set[str]:
    """Logical names a template fragment refers to through Ref, Fn::GetAtt or Fn::Sub."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                target = inner[0] if isinstance(inner, list) else str(inner).split(".")[0]
                found.add(target)
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                if isinstance(text, str):
                    found.update(_SUB_NAME.findall(text))
                found |= references(inner[1] if isinstance(inner, list) else None)
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def _follow_changed_references(resource_map: Any, before: dict[str, str], update) -> None:
    changed = {name for name, physical in _physical_ids(resource_map).items()
               if name in before and before[name] != physical}
    replaced = set(changed)
    for _ in range(MAX_ROUNDS):
        if not changed:
            break
        followers = [
            name for name, body in resource_map._resource_json_map.items()
            if name in resource_map._parsed_resources
            and references(body.get("Properties", {})) & changed
        ]
        now_before = _physical_ids(resource_map)
        for name in followers:
            body = resource_map._resource_json_map[name]
            resource_map._parsed_resources[name] = update(
                name, body, resource_map, resource_map._account_id, resource_map._region_name)
        after = _physical_ids(resource_map)
        changed = {n for n in followers if n in now_before and now_before[n] != after.get(n)}
        replaced |= changed
    for name in replaced:
        resource = resource_map._parsed_resources.get(name)
        finish = getattr(resource, "after_dependents_updated", None)
        if finish is not None:
            finish(resource_map._account_id, resource_map._region_name)
