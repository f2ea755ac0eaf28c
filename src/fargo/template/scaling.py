"""Application Auto Scaling: performance-based (target tracking on CPU, memory and requests per
task) and time-based (schedules).

The original declared a scalable target without any policy, so nothing ever scaled. The
bounds are the MinCount and MaxCount parameters (parameters module), so `fargo scale` changes
them without a new template. With several target-tracking policies Application Auto Scaling
scales out when any of them asks and in only when all agree (the settings' defaults and why:
config/fields/capacity.py). Requests per task count the requests of one target group: a
service whose deployments move traffic between two groups (blue-green, linear, canary) would
find its count halved or zeroed after each swap, so it scales on CPU and memory only.
"""

from __future__ import annotations

from troposphere import GetAtt, Join, Ref, Template
from troposphere import applicationautoscaling as scaling

from fargo.config import Settings
from fargo.template import parameters
from fargo.template.metrics import Traffic
from fargo.template.service import Service


def add(template: Template, settings: Settings, service: Service,
        traffic: Traffic | None = None) -> scaling.ScalableTarget:
    low, high = parameters.task_counts(template, settings)
    target = template.add_resource(scaling.ScalableTarget(
        "ScalableTarget", ServiceNamespace="ecs", ScalableDimension="ecs:service:DesiredCount",
        ResourceId=Join("/", ["service", service.cluster, GetAtt(service.service, "Name")]),
        MinCapacity=Ref(low), MaxCapacity=Ref(high),
    ))
    if settings.schedules:
        target.ScheduledActions = [
            scaling.ScheduledAction(
                ScheduledActionName=schedule.name or f"schedule-{index}",
                Schedule=schedule.schedule, Timezone=schedule.timezone,
                ScalableTargetAction=scaling.ScalableTargetAction(
                    MinCapacity=schedule.min_count, MaxCapacity=schedule.max_count,
                ),
            )
            for index, schedule in enumerate(settings.schedules, start=1)
        ]
    _policy(template, settings, target, "CpuScalingPolicy", "cpu-target-tracking",
            settings.scaling_cpu_target, "ECSServiceAverageCPUUtilization")
    if settings.scaling_memory_target is not None:
        _policy(template, settings, target, "MemoryScalingPolicy", "memory-target-tracking",
                settings.scaling_memory_target, "ECSServiceAverageMemoryUtilization")
    if (settings.scaling_requests_per_target is not None and traffic is not None
            and len(traffic.target_groups) == 1):
        _policy(template, settings, target, "RequestsScalingPolicy",
                "requests-target-tracking", float(settings.scaling_requests_per_target),
                "ALBRequestCountPerTarget", traffic.request_label)
    return target


def _policy(template: Template, settings: Settings, target: scaling.ScalableTarget,
            logical_id: str, name: str, value: float, metric: str, label=None) -> None:
    specification = scaling.PredefinedMetricSpecification(PredefinedMetricType=metric)
    if label is not None:
        specification.ResourceLabel = label
    template.add_resource(scaling.ScalingPolicy(
        logical_id, PolicyName=name, PolicyType="TargetTrackingScaling",
        ScalingTargetId=Ref(target),
        TargetTrackingScalingPolicyConfiguration=scaling.TargetTrackingScalingPolicyConfiguration(
            TargetValue=value,
            ScaleInCooldown=settings.scale_in_cooldown,
            ScaleOutCooldown=settings.scale_out_cooldown,
            PredefinedMetricSpecification=specification,
        ),
    ))
