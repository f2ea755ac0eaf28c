"""Deployment strategies per service: rolling, and ECS's own blue-green, linear and canary
(a second target group, weights on the listener rule, a role for ECS). The emulator does not
model them: these template tests are all the proof there is before a real deploy."""

from __future__ import annotations

import pytest
from template_assertions import app_for, outputs, service_of

from fargo.template.deployment import INFRASTRUCTURE_ROLE, LOAD_BALANCER_POLICY

# Every strategy rolls back on the error alarms (template/alarms.py)
ALARMS = {"Alarms": {"AlarmNames": [{"Ref": "ErrorRateAlarm"}, {"Ref": "UnhealthyTasksAlarm"}],
                     "Enable": True, "Rollback": True}}


def service_with(**routing):
    app = app_for(services={"web": {"host": "app.example.com", **routing}})
    return service_of(app, "web")


@pytest.fixture(scope="module")
def blue_green():
    return service_with(deployment="blue-green", bake_minutes=30)


def test_rolling_keeps_todays_deployment_configuration():
    template = service_with()
    service = template.properties("Service")
    assert service["DeploymentConfiguration"] == {
        "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True},
        "MaximumPercent": 200, "MinimumHealthyPercent": 100, **ALARMS}
    assert "DeploymentController" not in service
    template.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 1)
    template.resource_count_is("AWS::IAM::Role", 2)  # execution and task role only


def test_blue_green_sets_strategy_bake_time_and_circuit_breaker(blue_green):
    service = blue_green.properties("Service")
    assert service["DeploymentConfiguration"] == {
        "Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 30,
        "DeploymentCircuitBreaker": {"Enable": True, "Rollback": True}, **ALARMS}
    assert service["DeploymentController"] == {"Type": "ECS"}


def test_blue_green_has_a_second_target_group_like_the_first(blue_green):
    blue_green.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 2)
    first = blue_green.properties("TargetGroup")
    second = blue_green.properties("AlternateTargetGroup")
    assert {k: v for k, v in first.items() if k != "Tags"} == {
        k: v for k, v in second.items() if k != "Tags"}
    assert "AlternateTargetGroupArn" in outputs(blue_green)


def test_the_listener_rule_forwards_with_all_weight_on_the_primary_group(blue_green):
    (action,) = blue_green.properties("ListenerRule")["Actions"]
    assert action == {"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": {"Ref": "TargetGroup"}, "Weight": 1},
        {"TargetGroupArn": {"Ref": "AlternateTargetGroup"}, "Weight": 0}]}}


def test_the_service_names_the_alternate_group_the_rule_and_the_role(blue_green):
    (load_balancer,) = blue_green.properties("Service")["LoadBalancers"]
    assert load_balancer["TargetGroupArn"] == {"Ref": "TargetGroup"}
    assert load_balancer["AdvancedConfiguration"] == {
        "AlternateTargetGroupArn": {"Ref": "AlternateTargetGroup"},
        "ProductionListenerRule": {"Ref": "ListenerRule"},
        "RoleArn": {"Fn::GetAtt": [INFRASTRUCTURE_ROLE, "Arn"]}}


def test_ecs_assumes_the_role_with_the_load_balancer_policy(blue_green):
    role = blue_green.properties(INFRASTRUCTURE_ROLE)
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "ecs.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole"]
    assert role["ManagedPolicyArns"] == [
        {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{LOAD_BALANCER_POLICY}"}]


def test_linear_moves_traffic_in_steps_with_a_bake_between():
    service = service_with(deployment="linear", step_percent=20, bake_minutes=5).properties(
        "Service")
    assert service["DeploymentConfiguration"] == {
        "Strategy": "LINEAR", "BakeTimeInMinutes": 5,
        "LinearConfiguration": {"StepPercent": 20.0, "StepBakeTimeInMinutes": 5}, **ALARMS}


def test_canary_moves_a_first_share_then_the_rest():
    service = service_with(deployment="canary").properties("Service")
    assert service["DeploymentConfiguration"] == {
        "Strategy": "CANARY", "BakeTimeInMinutes": 15,
        "CanaryConfiguration": {"CanaryPercent": 5.0, "CanaryBakeTimeInMinutes": 15},
        **ALARMS}


@pytest.mark.parametrize("deployment", ["blue-green", "linear", "canary"])
def test_every_traffic_shifting_strategy_has_what_ecs_needs(deployment):
    template = service_with(deployment=deployment)
    assert INFRASTRUCTURE_ROLE in template.resources
    assert "AlternateTargetGroup" in template.resources
    # the rule is named by the service already: no DependsOn to repeat it
    assert "DependsOn" not in template.resources["Service"]


def test_strategies_differ_per_service():
    app = app_for(services={"web": {"host": "app.example.com", "deployment": "blue-green"},
                            "api": {"path": "/api/*"}})
    assert "AlternateTargetGroup" in service_of(app, "web").resources
    assert "AlternateTargetGroup" not in service_of(app, "api").resources
