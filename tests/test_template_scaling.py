"""Application Auto Scaling: target tracking on CPU, memory and requests per task
(performance), schedules (time), bounds as parameters (fargo scale)."""

from __future__ import annotations

from template_assertions import Template, app_for, parameters, service_of

from fargo import contract

WEEKDAYS = {"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 4,
            "timezone": "Europe/Berlin", "name": "office-hours"}
NIGHTS = {"schedule": "cron(0 20 ? * MON-FRI *)", "min_count": 1, "max_count": 2}


def test_one_scalable_target_and_cpu_memory_and_request_policies():
    template = Template.of()
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 1)
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 3)
    assert {"CpuScalingPolicy", "MemoryScalingPolicy", "RequestsScalingPolicy"} <= set(
        template.resources)


def test_scalable_target_scales_the_services_desired_count():
    template = Template.of()
    template.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ServiceNamespace": "ecs", "ScalableDimension": "ecs:service:DesiredCount",
        "ResourceId": {"Fn::Join": ["/", [
            "service", {"Ref": "Cluster"}, {"Fn::GetAtt": ["Service", "Name"]},
        ]]},
    })


def test_scalable_target_bounds_are_the_min_and_max_count_parameters():
    """fargo scale --min --max changes them without a new template."""
    properties = Template.of().properties("ScalableTarget")
    assert (properties["MinCapacity"], properties["MaxCapacity"]) == (
        {"Ref": contract.MIN_COUNT_PARAMETER}, {"Ref": contract.MAX_COUNT_PARAMETER})


def test_count_parameters_default_to_one_to_two_tasks():
    declared = parameters(Template.of())
    assert declared[contract.MIN_COUNT_PARAMETER] == {
        "Type": "Number", "Default": 1, "MinValue": 1, "MaxValue": 1000,
        "Description": "Fewest tasks (fargo scale --min)"}
    assert declared[contract.MAX_COUNT_PARAMETER]["Default"] == 2


def test_count_parameters_default_to_min_and_max_count():
    declared = parameters(Template.of(min_count=2, max_count=6, desired_count=2))
    assert (declared[contract.MIN_COUNT_PARAMETER]["Default"],
            declared[contract.MAX_COUNT_PARAMETER]["Default"]) == (2, 6)


def test_other_counts_change_only_the_parameter_defaults():
    before, after = Template.of(), Template.of(min_count=2, max_count=6, desired_count=2)
    changed = {k for k in before.resources if before.resources[k] != after.resources[k]}
    assert changed == {contract.SETTINGS_RECORD_RESOURCE}  # the record keeps the file's too


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


def test_memory_target_tracking_holds_80_percent_by_default_and_follows_setting():
    for value, expected in ((None, 80.0), (65, 65.0)):
        template = Template.of(**({} if value is None else {"scaling_memory_target": value}))
        configuration = template.properties("MemoryScalingPolicy")[
            "TargetTrackingScalingPolicyConfiguration"]
        assert configuration["TargetValue"] == expected
        assert configuration["PredefinedMetricSpecification"] == {
            "PredefinedMetricType": "ECSServiceAverageMemoryUtilization"}


def test_requests_per_target_tracks_the_target_group_of_the_load_balancer():
    configuration = Template.of().properties("RequestsScalingPolicy")[
        "TargetTrackingScalingPolicyConfiguration"]
    assert configuration["TargetValue"] == 1000.0
    specification = configuration["PredefinedMetricSpecification"]
    assert specification["PredefinedMetricType"] == "ALBRequestCountPerTarget"
    label = specification["ResourceLabel"]["Fn::Join"]
    assert label[0] == "/"
    assert "LoadBalancer" in str(label[1][0]) and "TargetGroup" in str(label[1][1])


def test_off_turns_the_memory_and_request_policies_off():
    template = Template.of(scaling_memory_target="off", scaling_requests_per_target="off")
    template.resource_count_is("AWS::ApplicationAutoScaling::ScalingPolicy", 1)
    assert "CpuScalingPolicy" in template.resources


def test_an_environments_service_scales_on_requests_of_its_own_target_group():
    template = service_of(app_for(services={"web": {"host": "app.example.com"}}), "web")
    label = template.properties("RequestsScalingPolicy")[
        "TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"][
        "ResourceLabel"]
    assert "EnvListenerArn" in str(label) and "TargetGroup" in str(label)


def test_a_traffic_shifting_service_does_not_scale_on_one_groups_requests():
    """Its requests move between two target groups at every deployment."""
    app = app_for(services={"web": {"host": "app.example.com", "deployment": "blue-green"}})
    template = service_of(app, "web")
    assert "RequestsScalingPolicy" not in template.resources
    assert {"CpuScalingPolicy", "MemoryScalingPolicy"} <= set(template.resources)
