"""What-if edits of a rendered template, for estimates of choices the settings do not offer yet.

`with_capacity` places the service's tasks on Fargate Spot ("spot") or on a base of on-demand
tasks with the rest on Spot ("mixed"), the way a capacity provider strategy does (which then
replaces the launch type). Once settings carry the capacity, compare variants name it in their
overrides instead.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from fargo.cost import cfn

CapacityChoice = Literal["on-demand", "spot", "mixed"]


def strategy(capacity: CapacityChoice, base: int = 1) -> list[dict[str, Any]] | None:
    """The capacity provider strategy for a choice; None means the FARGATE launch type."""
    if capacity == "on-demand":
        return None
    if capacity == "spot":
        return [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]
    if capacity == "mixed":
        return [{"CapacityProvider": "FARGATE", "Base": base, "Weight": 0},
                {"CapacityProvider": "FARGATE_SPOT", "Weight": 1}]
    raise ValueError(f"capacity must be on-demand, spot or mixed, not {capacity!r}")


def with_capacity(template: Mapping[str, Any], capacity: CapacityChoice,
                  base: int = 1) -> dict[str, Any]:
    """A copy of the template whose ECS services run on the chosen capacity."""
    changed = copy.deepcopy(dict(template))
    chosen = strategy(capacity, base)
    for service in cfn.resources(changed, "AWS::ECS::Service").values():
        props = service.setdefault("Properties", {})
        if chosen is None:
            props.pop("CapacityProviderStrategy", None)
            props["LaunchType"] = "FARGATE"
        else:
            props.pop("LaunchType", None)
            props["CapacityProviderStrategy"] = copy.deepcopy(chosen)
    return changed
