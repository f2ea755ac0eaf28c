"""A stack's listener rules and target groups go when the stack (or the resource) is deleted.

moto's CloudFormation deletes neither: after a service stack of an environment is destroyed,
its listener rule would still route its host or path on the environment's shared listener, and
its target groups would stay in the account. Deleted as CloudFormation deletes them: a rule
first, then a target group once no rule or listener forwards to it (moto's stack deletion
retries a resource that is still in use after the others).
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.elbv2.models import FakeListenerRule, FakeTargetGroup, elbv2_backends

    def delete_rule(cls, resource_name: str, cloudformation_json: Any, account_id: str,
                    region_name: str) -> None:
        elbv2_backends[account_id][region_name].delete_rule(resource_name)

    def delete_target_group(cls, resource_name: str, cloudformation_json: Any, account_id: str,
                            region_name: str) -> None:
        backend = elbv2_backends[account_id][region_name]
        if resource_name in backend.target_groups:
            backend.delete_target_group(resource_name)

    FakeListenerRule.delete_from_cloudformation_json = classmethod(delete_rule)
    FakeTargetGroup.delete_from_cloudformation_json = classmethod(delete_target_group)
