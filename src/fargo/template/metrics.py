"""Where a service's metrics are: its load balancer and target group(s) in AWS/ApplicationELB,
its cluster and service in AWS/ECS. Alarms, the dashboard and request scaling read them.

The dimension values are the ARNs' resource parts: `app/NAME/ID` of a load balancer's
(`arn:...:loadbalancer/app/NAME/ID`) or a listener's ARN (`arn:...:listener/app/NAME/ID/L`),
`targetgroup/NAME/ID` of a target group's. Cutting them out of the ARNs (Ref) works alike for
a single service's own load balancer and for an environment's service stack, which knows only
the environment's listener ARN (published in SSM); it spares publishing one more environment
value, and the emulator (moto 5.2.5) has no LoadBalancerFullName or TargetGroupFullName
attribute to GetAtt.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import AWSHelperFn, GetAtt, Join, Ref, Select, Split
from troposphere import cloudwatch as cw

ELB = "AWS/ApplicationELB"
ECS = "AWS/ECS"
PERIOD = 60


@dataclass(frozen=True)
class Traffic:
    """The load balancer's and the target groups' metric dimension values."""

    load_balancer: AWSHelperFn  # LoadBalancerFullName: app/NAME/ID
    target_groups: tuple[AWSHelperFn, ...]  # TargetGroupFullName: targetgroup/NAME/ID each

    @property
    def request_label(self) -> Join:
        """ALBRequestCountPerTarget's resource label: the load balancer and the (first)
        target group, app/NAME/ID/targetgroup/NAME/ID."""
        return Join("/", [self.load_balancer, self.target_groups[0]])


def of_load_balancer(load_balancer, target_groups) -> Traffic:
    """This stack's load balancer and target group(s)."""
    name = Select(1, Split(":loadbalancer/", Ref(load_balancer)))  # app/NAME/ID
    return Traffic(name, _group_names(target_groups))


def of_listener(listener_arn: AWSHelperFn, target_groups) -> Traffic:
    """The environment's load balancer, named by its listener's ARN, and this stack's groups."""
    parts = Split("/", Select(1, Split(":listener/", listener_arn)))  # app, NAME, ID, LISTENER
    return Traffic(Join("/", [Select(0, parts), Select(1, parts), Select(2, parts)]),
                   _group_names(target_groups))


def _resource(arn: AWSHelperFn) -> Select:
    return Select(5, Split(":", arn))  # arn:PARTITION:elasticloadbalancing:R:ACCOUNT:RESOURCE


def _group_names(target_groups) -> tuple[AWSHelperFn, ...]:
    return tuple(_resource(Ref(group)) for group in target_groups)  # targetgroup/NAME/ID


def target_group_metric(traffic: Traffic, index: int, name: str) -> cw.Metric:
    return cw.Metric(Namespace=ELB, MetricName=name, Dimensions=[
        cw.MetricDimension(Name="TargetGroup", Value=traffic.target_groups[index]),
        cw.MetricDimension(Name="LoadBalancer", Value=traffic.load_balancer),
    ])


def service_metric(cluster: AWSHelperFn, service, name: str) -> cw.Metric:
    return cw.Metric(Namespace=ECS, MetricName=name, Dimensions=[
        cw.MetricDimension(Name="ClusterName", Value=cluster),
        cw.MetricDimension(Name="ServiceName", Value=GetAtt(service, "Name")),
    ])
