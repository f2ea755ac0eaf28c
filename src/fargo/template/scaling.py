"""Application Auto Scaling: performance-based (CPU target tracking) and time-based (schedules).

The original declared a scalable target without any policy, so nothing ever scaled.
"""

from __future__ import annotations

from troposphere import GetAtt, Join, Ref, Template
from troposphere import applicationautoscaling as scaling

from fargo.config import Settings
from fargo.template.service import Service


def add(template: Template, settings: Settings, service: Service) -> scaling.ScalableTarget:
    target = template.add_resource(scaling.ScalableTarget(
        "ScalableTarget", ServiceNamespace="ecs", ScalableDimension="ecs:service:DesiredCount",
        ResourceId=Join("/", ["service", service.cluster, GetAtt(service.service, "Name")]),
        MinCapacity=settings.min_count, MaxCapacity=settings.max_count,
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
    template.add_resource(scaling.ScalingPolicy(
        "CpuScalingPolicy", PolicyName="cpu-target-tracking", PolicyType="TargetTrackingScaling",
        ScalingTargetId=Ref(target),
        TargetTrackingScalingPolicyConfiguration=scaling.TargetTrackingScalingPolicyConfiguration(
            TargetValue=settings.scaling_cpu_target,
            ScaleInCooldown=settings.scale_in_cooldown,
            ScaleOutCooldown=settings.scale_out_cooldown,
            PredefinedMetricSpecification=scaling.PredefinedMetricSpecification(
                PredefinedMetricType="ECSServiceAverageCPUUtilization",
            ),
        ),
    ))
    return target
