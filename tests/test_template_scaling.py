"""Application Auto Scaling: CPU target tracking (performance) and schedules (time)."""

from __future__ import annotations

from template_assertions import Template

WEEKDAYS = {"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 4,
            "timezone": "Europe/Berlin", "name": "office-hours"}
NIGHTS = {"schedule": "cron(0 20 ? * MON-FRI *)", "min_count": 1, "max_count": 2}


def test_one_scalable_target_and_one_scaling_policy():
    template = Template.of()
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 1)
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 1)


def test_scalable_target_scales_the_services_desired_count():
    template = Template.of()
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
        "ResourceId": {"Fn::Join": ["/", [
            "service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Service", "Name"]},
        ]]},
    })


def test_scalable_target_keeps_one_to_two_tasks_by_default():
    properties = Template.of().properties("ScalableTarget")
    assert (properties["MinCapacity"], properties["MaxCapacity"]) == (1, 2)


def test_scalable_target_follows_min_and_max_count():
    properties = Template.of(min_count=2, max_count=6, desired_count=2).properties("ScalableTarget")
    assert (properties["MinCapacity"], properties["MaxCapacity"]) == (2, 6)


def test_cpu_target_tracking_holds_70_percent_by_default():
    template = Template.of()
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "TargetTrackingScaling", "ScalingTargetId": {"Ref": "ScalableTarget"},
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization",
            },
        },
    })


def test_cpu_target_follows_setting():
    configuration = Template.of(scaling_cpu_target=55).properties("CpuScalingPolicy")[
        "TargetTrackingScalingPolicyConfiguration"]
    assert configuration["TargetValue"] == 55.0


def test_scaling_cooldowns_follow_settings():
    configuration = Template.of(scale_in_cooldown=600, scale_out_cooldown=30).properties(
        "CpuScalingPolicy")["TargetTrackingScalingPolicyConfiguration"]
    assert (configuration["ScaleInCooldown"], configuration["ScaleOutCooldown"]) == (600, 30)


def test_no_scheduled_actions_by_default():
    assert "ScheduledActions" not in Template.of().properties("ScalableTarget")


def test_schedules_become_scheduled_actions_of_the_scalable_target():
    template = Template.of(max_count=4, schedules=[WEEKDAYS, NIGHTS])
    assert template.properties("ScalableTarget")["ScheduledActions"] == [
        {
            "ScheduledActionName": "office-hours", "Schedule": "cron(0 8 ? * MON-FRI *)",
            "Timezone": "Europe/Berlin",
            "ScalableTargetAction": {"MinCapacity": 2, "MaxCapacity": 4},
        },
        {
            "ScheduledActionName": "schedule-2", "Schedule": "cron(0 20 ? * MON-FRI *)",
            "Timezone": "UTC",
            "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 2},
        },
    ]


def test_scheduled_action_names_are_unique():
    template = Template.of(schedules=[NIGHTS, NIGHTS, NIGHTS])
    names = [a["ScheduledActionName"]
             for a in template.properties("ScalableTarget")["ScheduledActions"]]
    assert len(set(names)) == 3


def test_one_time_schedule_is_passed_through():
    once = {"schedule": "at(2030-01-01T00:00:00)", "min_count": 0, "max_count": 0}
    actions = Template.of(schedules=[once]).properties("ScalableTarget")["ScheduledActions"]
    assert actions[0]["Schedule"] == "at(2030-01-01T00:00:00)"
    assert actions[0]["ScalableTargetAction"] == {"MinCapacity": 0, "MaxCapacity": 0}
