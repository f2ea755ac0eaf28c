"""Alarms (issue 12): 5xx rate, unhealthy tasks, p99 response time, CPU and memory, to an
encrypted SNS topic; only the error alarms roll a deployment back. Single-service and
environment service stacks alike."""

from __future__ import annotations

import pytest
from template_assertions import Template, app_for, outputs, service_of

from fargo import contract

ALARMS = {"ErrorRateAlarm": "l42-dev-target-5xx-rate",
          "UnhealthyTasksAlarm": "l42-dev-unhealthy-tasks",
          "ResponseTimeAlarm": "l42-dev-p99-response-time",
          "CpuHighAlarm": "l42-dev-cpu-high", "MemoryHighAlarm": "l42-dev-memory-high"}
LOAD_BALANCER = {"Fn::Select": [1, {"Fn::Split": [":loadbalancer/", {"Ref": "LoadBalancer"}]}]}
TARGET_GROUP = {"Fn::Select": [5, {"Fn::Split": [":", {"Ref": "TargetGroup"}]}]}


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.of()


def test_five_alarms_named_for_the_stack(template):
    template.resource_count_is("AWS::CloudWatch::Alarm", 5)
    assert {k: template.properties(k)["AlarmName"] for k in ALARMS} == ALARMS


def test_every_alarm_notifies_the_topic_when_it_fires_and_when_it_recovers(template):
    for logical_id in ALARMS:
        properties = template.properties(logical_id)
        assert properties["AlarmActions"] == [{"Ref": contract.ALARM_TOPIC_RESOURCE}]
        assert properties["OKActions"] == [{"Ref": contract.ALARM_TOPIC_RESOURCE}]
        assert properties["TreatMissingData"] == "notBreaching"


def test_only_the_error_alarms_are_deployment_alarms_with_rollback(template):
    configuration = template.properties("Service")["DeploymentConfiguration"]
    assert configuration["Alarms"] == {
        "AlarmNames": [{"Ref": "ErrorRateAlarm"}, {"Ref": "UnhealthyTasksAlarm"}],
        "Enable": True, "Rollback": True}
    assert configuration["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}


def test_the_5xx_rate_is_metric_math_over_the_target_groups_requests(template):
    properties = template.properties("ErrorRateAlarm")
    rate, requests, errors = properties["Metrics"]
    assert rate == {"Id": "rate", "ReturnData": True, "Expression":
                    "IF((FILL(r0,0))>0,100*(FILL(e0,0))/(FILL(r0,0)),0)"}
    assert requests["MetricStat"]["Metric"] == {
        "Namespace": "AWS/ApplicationELB", "MetricName": "RequestCount", "Dimensions": [
            {"Name": "TargetGroup", "Value": TARGET_GROUP},
            {"Name": "LoadBalancer", "Value": LOAD_BALANCER}]}
    assert errors["MetricStat"]["Metric"]["MetricName"] == "HTTPCode_Target_5XX_Count"
    assert (properties["Threshold"], properties["EvaluationPeriods"],
            properties["DatapointsToAlarm"]) == (5.0, 3, 2)


def test_unhealthy_tasks_alarm_on_an_unhealthy_target_for_three_minutes_running(template):
    """Longer than a start within the 60 s grace period can stay unhealthy (two minutes)."""
    properties = template.properties("UnhealthyTasksAlarm")
    assert {k: properties[k] for k in ("MetricName", "Statistic", "Period", "Threshold",
                                       "ComparisonOperator", "EvaluationPeriods",
                                       "DatapointsToAlarm")} == {
        "MetricName": "UnHealthyHostCount", "Statistic": "Maximum", "Period": 60,
        "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 3, "DatapointsToAlarm": 3}


@pytest.mark.parametrize(("grace", "minutes"), [(0, 2), (60, 3), (61, 4), (300, 7),
                                                (100_000, 30)])
def test_the_unhealthy_alarm_outlasts_the_grace_period(grace, minutes):
    properties = Template.of(health_check_grace_period=grace).properties("UnhealthyTasksAlarm")
    assert (properties["EvaluationPeriods"], properties["DatapointsToAlarm"]) == (
        minutes, minutes)


def test_response_time_alarm_watches_p99(template):
    properties = template.properties("ResponseTimeAlarm")
    assert (properties["MetricName"], properties["ExtendedStatistic"],
            properties["Threshold"]) == ("TargetResponseTime", "p99", 2.0)


def test_cpu_and_memory_alarms_watch_the_service_for_five_minutes(template):
    for logical_id, metric in (("CpuHighAlarm", "CPUUtilization"),
                               ("MemoryHighAlarm", "MemoryUtilization")):
        properties = template.properties(logical_id)
        assert properties["Namespace"] == "AWS/ECS" and properties["MetricName"] == metric
        assert properties["Dimensions"] == [
            {"Name": "ClusterName", "Value": {"Ref": "Cluster"}},
            {"Name": "ServiceName", "Value": {"Fn::GetAtt": ["Service", "Name"]}}]
        assert (properties["Threshold"], properties["EvaluationPeriods"],
                properties["DatapointsToAlarm"]) == (90.0, 5, 5)


def test_thresholds_follow_the_settings():
    template = Template.of(alarm_5xx_percent=1, alarm_p99_seconds=0.5, alarm_cpu_percent=80,
                           alarm_memory_percent=85)
    assert [template.properties(k)["Threshold"] for k in (
        "ErrorRateAlarm", "ResponseTimeAlarm", "CpuHighAlarm", "MemoryHighAlarm")] == [
        1.0, 0.5, 80.0, 85.0]


def test_the_topic_is_encrypted_with_a_rotating_key_cloudwatch_may_use(template):
    topic = template.properties(contract.ALARM_TOPIC_RESOURCE)
    assert topic["KmsMasterKeyId"] == {"Ref": "AlarmTopicKey"}
    key = template.properties("AlarmTopicKey")
    assert key["EnableKeyRotation"] is True and key["PendingWindowInDays"] == 7
    (cloudwatch,) = [s for s in key["KeyPolicy"]["Statement"]
                     if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert cloudwatch["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert template.resources["AlarmTopicKey"]["DeletionPolicy"] == "Delete"


def test_the_topic_policy_lets_only_this_stacks_alarms_publish_and_only_over_tls(template):
    statements = template.properties("AlarmTopicPolicy")["PolicyDocument"]["Statement"]
    allow, deny = statements
    assert allow["Action"] == "sns:Publish"
    assert allow["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Sub"].endswith(
        ":alarm:l42-dev-*")
    assert deny["Effect"] == "Deny" and deny["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}}


def test_no_email_subscription_without_an_address(template):
    template.resource_count_is("AWS::SNS::Subscription", 0)


def test_alarm_email_subscribes_the_address():
    template = Template.of(alarm_email="ops@example.com")
    template.has_resource_properties("AWS::SNS::Subscription", {
        "Protocol": "email", "Endpoint": "ops@example.com",
        "TopicArn": {"Ref": contract.ALARM_TOPIC_RESOURCE}})


def test_outputs_name_the_topic_the_alarms_and_the_deployment_alarms(template):
    found = outputs(template)
    assert found[contract.OUTPUT_ALARM_TOPIC]["Value"] == {"Ref": "AlarmTopic"}
    assert found[contract.OUTPUT_ALARMS]["Value"] == {
        "Fn::Join": [",", [{"Ref": k} for k in ALARMS]]}
    assert found[contract.OUTPUT_DEPLOYMENT_ALARMS]["Value"] == {
        "Fn::Join": [",", [{"Ref": "ErrorRateAlarm"}, {"Ref": "UnhealthyTasksAlarm"}]]}


def test_an_environments_service_alarms_on_the_shared_load_balancer_by_its_listener():
    template = service_of(app_for(services={"web": {"host": "app.example.com"}}), "web")
    template.resource_count_is("AWS::CloudWatch::Alarm", 5)
    assert template.properties("ErrorRateAlarm")["AlarmName"] == "shop-dev-web-target-5xx-rate"
    (_, load_balancer) = template.properties("UnhealthyTasksAlarm")["Dimensions"]
    assert "EnvListenerArn" in str(load_balancer) and ":listener/" in str(load_balancer)
    assert template.properties("Service")["DeploymentConfiguration"]["Alarms"]["Rollback"]


def test_a_blue_green_service_alarms_on_both_its_target_groups():
    app = app_for(services={"web": {"host": "app.example.com", "deployment": "blue-green"}})
    template = service_of(app, "web")
    rate = template.properties("ErrorRateAlarm")["Metrics"][0]["Expression"]
    assert rate == ("IF((FILL(r0,0)+FILL(r1,0))>0,100*(FILL(e0,0)+FILL(e1,0))/"
                    "(FILL(r0,0)+FILL(r1,0)),0)")
    unhealthy = template.properties("UnhealthyTasksAlarm")["Metrics"]
    assert unhealthy[0]["Expression"] == "FILL(m0,0)+FILL(m1,0)"
    latency = template.properties("ResponseTimeAlarm")["Metrics"]
    assert latency[0]["Expression"] == "MAX([m0,m1])"
    groups = {str(q["MetricStat"]["Metric"]["Dimensions"][0]["Value"]) for q in latency[1:]}
    assert len(groups) == 2 and any("AlternateTargetGroup" in g for g in groups)
