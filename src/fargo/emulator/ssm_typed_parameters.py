"""Stack parameters of type `AWS::SSM::Parameter::Value<...>` compared by what they resolve to.

A service stack of an environment reads it through such parameters, whose defaults are SSM
names; the deploy sends none of them. moto keeps the resolved value as the stack's parameter
(AWS keeps the name and shows the value as ResolvedValue apart), so the parameter-aware diff
(change_sets) compared the SSM name with nothing sent before and saw every resource that
reads the environment as modified on each unchanged update. AWS resolves the names again at
each change set and updates a resource only when a value differs: so here, an SSM-typed
parameter whose name resolves to the value the stack holds now is no change.
"""

from __future__ import annotations

from typing import Any

SSM_TYPE = "AWS::SSM::Parameter::Value<"


def install() -> None:
    from moto.cloudformation.parsing import ResourceMap

    original = ResourceMap.build_resource_diff

    def build_resource_diff(self, other_template: dict, parameters: dict | None = None) -> dict:
        if parameters:
            slots = other_template.get("Parameters") or {}
            parameters = {k: v for k, v in parameters.items()
                          if not _same_value(self, slots.get(k) or {}, k, v)}
        return original(self, other_template, parameters)

    ResourceMap.build_resource_diff = build_resource_diff


def _same_value(resource_map: Any, slot: dict, key: str, name: Any) -> bool:
    """Whether the SSM name `name` resolves to the value the stack holds for `key` now."""
    if not str(slot.get("Type", "")).startswith(SSM_TYPE) or not name:
        return False
    from moto.ssm.models import ssm_backends

    backend = ssm_backends[resource_map._account_id][resource_map._region_name]
    parameter = backend.get_parameter(str(name))
    if parameter is None:
        return False
    held = resource_map.resolved_parameters.get(key)
    held = ",".join(str(v) for v in held) if isinstance(held, list) else str(held)
    return parameter.value == held
