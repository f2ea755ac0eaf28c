"""A service's way in through the environment's load balancer: its target group(s) and the
listener rule that picks its requests by host and/or path, at its priority.

Rolling services forward to one target group. The traffic-shifting strategies (deployment
module) forward with weights to two groups, the primary at 1 and the alternate at 0; ECS
moves the weights during a deployment and registers the new revision's tasks in the group
that takes the traffic over. A service alone in its environment with neither host nor path
takes every request (`/*`).
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Ref, Template
from troposphere import elasticloadbalancingv2 as elb

from fargo.config.app import ServiceSettings
from fargo.template.load_balancer import target_group_resource

EVERY_PATH = "/*"


@dataclass(frozen=True)
class Routing:
    rule: elb.ListenerRule
    target_group: elb.TargetGroup
    alternate: elb.TargetGroup | None  # for blue-green, linear and canary


def add(template: Template, service: ServiceSettings, priority: int, listener,
        vpc) -> Routing:
    """`listener` and `vpc`: parameters naming the environment's."""
    primary = template.add_resource(target_group_resource("TargetGroup", service, Ref(vpc)))
    alternate = None
    if service.shifts_traffic:
        alternate = template.add_resource(
            target_group_resource("AlternateTargetGroup", service, Ref(vpc)))
        action = elb.ListenerRuleAction(Type="forward", ForwardConfig=elb.ForwardConfig(
            TargetGroups=[elb.TargetGroupTuple(TargetGroupArn=Ref(primary), Weight=1),
                          elb.TargetGroupTuple(TargetGroupArn=Ref(alternate), Weight=0)]))
    else:
        action = elb.ListenerRuleAction(Type="forward", TargetGroupArn=Ref(primary))
    rule = template.add_resource(elb.ListenerRule(
        "ListenerRule", ListenerArn=Ref(listener), Priority=priority,
        Conditions=conditions(service), Actions=[action],
    ))
    return Routing(rule, primary, alternate)


def conditions(service: ServiceSettings) -> list[elb.Condition]:
    found = []
    if service.host:
        found.append(elb.Condition(Field="host-header", HostHeaderConfig=elb.HostHeaderConfig(
            Values=[service.host])))
    if service.path or not service.host:
        found.append(elb.Condition(Field="path-pattern", PathPatternConfig=elb.PathPatternConfig(
            Values=[service.path or EVERY_PATH])))
    return found


def describe(service: ServiceSettings) -> str:
    """`host app.example.com`, `path /api/*`, both, or `every request`."""
    parts = [f"host {service.host}"] * bool(service.host) + [f"path {service.path}"] * bool(
        service.path)
    return " and ".join(parts) or "every request"
