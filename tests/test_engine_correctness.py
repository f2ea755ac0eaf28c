"""What real CloudFormation requires of fargo's calls, checked where moto would not check it:
the parameters of every stack, the service's count across a replacement, both forms of "no
changes", an execute that went through although it answered an error, and update clean-up
failures that CloudFormation does not count as failures."""

from __future__ import annotations

import json

import pytest
from engine_support import FAST, answers
from test_engine_failures import NOW, STACK, STACK_ID, WATCHED, StubbedAws, stack

from fargo.engine import deploy as engine
from fargo.engine.change_set_calls import change_set_name
from fargo.engine.stack import StackEvent
from fargo.errors import AwsError
from fargo.stacks import TextStack
from fargo.stacks.service import SERVICE_COUNT

TEMPLATE = json.dumps({
    "Parameters": {"DesiredCount": {"Type": "String", "Default": "1"}},
    "Resources": {"Service": {"Type": "AWS::ECS::Service"}},
})
REQUEST = TextStack(STACK, TEMPLATE, {"DesiredCount": "1", "Undeclared": "x"},
                    task_count=SERVICE_COUNT, watching=WATCHED)


@pytest.fixture
def recorded(aws):
    """Every CreateChangeSet call, as sent."""
    calls: list[dict] = []

    def record(params, **_):
        calls.append(dict(params))

    aws.client("cloudformation").meta.events.register(
        "provide-client-params.cloudformation.CreateChangeSet", record)
    return calls


def assert_parameters_fit_their_templates(calls: list[dict]) -> None:
    assert calls
    for call in calls:
        declared = json.loads(call["TemplateBody"]).get("Parameters") or {}
        sent = {p["ParameterKey"] for p in call.get("Parameters", [])}
        assert sent <= set(declared), (call["StackName"], sent - set(declared))
        required = {k for k, slot in declared.items() if "Default" not in slot}
        assert required <= sent, (call["StackName"], required - sent)


@pytest.mark.parametrize("overrides", [
    {},
    {"https": False, "certificate_arn": None},
    {"certificate_arn": None},  # self-signed
    {"certificate_arn": None, "domain": "app.example.com", "hosted_zone": "example.com"},
    {"network": "public", "https": False, "certificate_arn": None},
])
def test_every_change_set_sends_exactly_the_declared_parameters(aws, recorded, overrides):
    from template_assertions import settings_for

    from fargo.commands.deploy import deploy_service
    from fargo.emulator.server import ensure_hosted_zone

    if "hosted_zone" in overrides:
        ensure_hosted_zone(aws.client("route53"), "example.com")
    if overrides.get("certificate_arn", "") == "" and "certificate_arn" not in overrides:
        from engine_support import import_self_signed_certificate

        overrides = {**overrides,
                     "certificate_arn": import_self_signed_certificate(aws.client("acm"))}
    first = settings_for(**overrides)
    deploy_service(aws, first, answers(), FAST)
    changed = settings_for(**{**overrides, "max_count": 3})
    deploy_service(aws, changed, answers(), FAST)
    assert {c["ChangeSetType"] for c in recorded} == {"CREATE", "UPDATE"}
    assert_parameters_fit_their_templates(recorded)


def test_a_second_build_deploy_updates_both_stacks_without_stray_parameters(
        aws, recorded, tmp_path):
    from template_assertions import settings_for

    from fargo.commands.deploy import deploy_service

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    settings = settings_for(build=str(tmp_path / "app"), https=False, certificate_arn=None,
                            port=8080)
    for max_count in (2, 3):
        result, _ = deploy_service(aws, settings.model_copy(update={"max_count": max_count}),
                                   answers(), FAST)
        assert result.outcome == "deployed"
    registry = [c for c in recorded if c["StackName"].endswith("-registry")]
    assert registry and all(not c.get("Parameters") for c in registry)
    assert_parameters_fit_their_templates(recorded)


def test_undeclared_parameters_are_not_sent():
    assert REQUEST.parameters(creates=True) == {"DesiredCount": "1"}
    assert REQUEST.parameters(creates=False) == {"DesiredCount": ""}


def test_a_required_parameter_without_value_is_a_fargo_bug_said_before_aws():
    template = json.dumps({"Parameters": {"CertificateArn": {"Type": "String"}},
                           "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    request = TextStack(STACK, template)
    with pytest.raises(Exception, match="CertificateArn"):
        request.parameters(creates=True)


def test_change_set_names_are_unique_within_a_second():
    assert len({change_set_name() for _ in range(50)}) == 50


def updated_stack(desired: str = "") -> dict:
    body = stack("UPDATE_COMPLETE")
    body["Stacks"][0]["Parameters"] = [{"ParameterKey": "DesiredCount",
                                        "ParameterValue": desired}]
    return body


def replacing_change_set() -> dict:
    return {"ChangeSetName": "fargo-1", "StackName": STACK, "Status": "CREATE_COMPLETE",
            "Changes": [{"Type": "Resource", "ResourceChange": {
                "Action": "Modify", "LogicalResourceId": "Service",
                "ResourceType": "AWS::ECS::Service", "Replacement": "True",
                "Details": [{"Target": {"Attribute": "Properties", "Name": "LaunchType",
                                        "RequiresRecreation": "Always"}}]}}]}


def test_a_replaced_service_starts_with_the_count_running_now():
    fake = StubbedAws("cloudformation", "ecs")
    fake.respond("cloudformation", "describe_stacks", updated_stack())
    fake.respond("cloudformation", "create_change_set", {"Id": "cs-1", "StackId": STACK_ID})
    fake.respond("cloudformation", "describe_change_set", replacing_change_set())
    fake.respond("cloudformation", "list_stack_resources", {"StackResourceSummaries": [
        {"LogicalResourceId": name, "PhysicalResourceId": physical, "ResourceType": kind,
         "ResourceStatus": "UPDATE_COMPLETE", "LastUpdatedTimestamp": NOW}
        for name, physical, kind in [
            ("Cluster", "l42-dev-Cluster-1", "AWS::ECS::Cluster"),
            ("Service", "arn:aws:ecs:eu-west-1:1:service/x/svc", "AWS::ECS::Service")]]})
    fake.respond("ecs", "describe_services", {"services": [{"desiredCount": 3}]})
    fake.respond("cloudformation", "delete_change_set", {})
    fake.stubs["cloudformation"].add_response(
        "create_change_set", {"Id": "cs-2", "StackId": STACK_ID},
        expected_params=None)
    fake.respond("cloudformation", "describe_change_set", replacing_change_set())
    fake.respond("cloudformation", "delete_change_set", {})
    sent = []
    fake.aws.client("cloudformation").meta.events.register(
        "provide-client-params.cloudformation.CreateChangeSet",
        lambda params, **_: sent.append({p["ParameterKey"]: p["ParameterValue"]
                                         for p in params["Parameters"]}))
    planned = engine.plan(fake.aws, REQUEST, timing=FAST)
    assert sent == [{"DesiredCount": ""}, {"DesiredCount": "3"}]
    (service,) = planned.changes
    assert service.action == "replace"
    assert "LaunchType" in service.reason and "starts with the 3 task(s) running now" in (
        service.reason)


def test_the_first_update_hands_the_count_to_autoscaling_only_with_another_change():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", updated_stack("1"))
    fake.respond("cloudformation", "create_change_set", {"Id": "cs-1", "StackId": STACK_ID})
    fake.respond("cloudformation", "describe_change_set", {
        "ChangeSetName": "fargo-1", "StackName": STACK, "Status": "FAILED",
        "StatusReason": "The submitted information didn't contain changes."})
    fake.respond("cloudformation", "delete_change_set", {})
    sent = []
    fake.aws.client("cloudformation").meta.events.register(
        "provide-client-params.cloudformation.CreateChangeSet",
        lambda params, **_: sent.append(params["Parameters"][0]["ParameterValue"]))
    planned = engine.plan(fake.aws, REQUEST, timing=FAST)
    assert planned.empty and sent == ["1"]
    fake.assert_all_used()


def test_no_changes_answered_as_a_validation_error_is_no_changes_too():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", updated_stack())
    fake.fail("cloudformation", "create_change_set", "ValidationError",
              "No updates are to be performed.")
    fake.respond("cloudformation", "describe_stacks", updated_stack())
    result = engine.deploy(fake.aws, REQUEST, answers(),
                           FAST)
    assert result.outcome == "no-changes"
    fake.assert_all_used()


def queue_update_change_set(fake: StubbedAws) -> None:
    fake.respond("cloudformation", "describe_stacks", updated_stack())
    fake.respond("cloudformation", "create_change_set", {"Id": "cs-1", "StackId": STACK_ID})
    fake.respond("cloudformation", "describe_change_set", {
        "ChangeSetName": "fargo-1", "StackName": STACK, "Status": "CREATE_COMPLETE",
        "Changes": [{"Type": "Resource", "ResourceChange": {
            "Action": "Modify", "LogicalResourceId": "Service",
            "ResourceType": "AWS::ECS::Service", "Replacement": "False"}}]})
    fake.respond("cloudformation", "describe_stack_events", {"StackEvents": []})
    fake.respond("cloudformation", "list_stack_resources", {"StackResourceSummaries": []})


def test_an_execute_that_went_through_before_its_retry_is_followed():
    fake = StubbedAws("cloudformation")
    queue_update_change_set(fake)
    fake.fail("cloudformation", "execute_change_set", "InvalidChangeSetStatus",
              "ChangeSet [cs-1] cannot be executed in its current status of [EXECUTE_IN_PROGRESS]")
    fake.respond("cloudformation", "describe_change_set", {
        "ChangeSetName": "fargo-1", "StackName": STACK, "Status": "CREATE_COMPLETE",
        "ExecutionStatus": "EXECUTE_IN_PROGRESS"})
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_IN_PROGRESS"))
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_COMPLETE"))
    fake.respond("cloudformation", "describe_stack_events", {"StackEvents": []})
    fake.respond("cloudformation", "list_stack_resources", {"StackResourceSummaries": []})
    request = TextStack(STACK, TEMPLATE, task_count=SERVICE_COUNT)
    result = engine.deploy(fake.aws, request, answers(),
                           FAST)
    assert result.outcome == "deployed"


def test_a_change_set_the_stack_moved_past_is_reported_and_nothing_is_applied():
    fake = StubbedAws("cloudformation")
    queue_update_change_set(fake)
    fake.fail("cloudformation", "execute_change_set", "ChangeSetNotFound",
              "ChangeSet [cs-1] does not exist")
    fake.fail("cloudformation", "describe_change_set", "ChangeSetNotFound", "gone")
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_COMPLETE"))
    fake.respond("cloudformation", "delete_change_set", {})
    with pytest.raises(AwsError, match="can no longer be executed") as failed:
        engine.deploy(fake.aws, REQUEST, answers(), FAST)
    assert "another deploy" in str(failed.value) and failed.value.exit_code == 1


def event(logical_id: str, status: str, reason: str = "") -> StackEvent:
    import datetime

    return StackEvent(f"{logical_id}-{status}", datetime.datetime.now(), logical_id,
                      "AWS::EC2::Subnet", status, reason)


def test_clean_up_failures_of_an_update_are_named_with_what_to_do():
    history = [event("PrivateSubnet3", "DELETE_IN_PROGRESS"),
               event("PrivateSubnet3", "DELETE_FAILED", "has dependencies and cannot be deleted"),
               event(STACK, "UPDATE_COMPLETE")]
    (warning,) = engine.cleanup_failures(history)
    assert "PrivateSubnet3 (AWS::EC2::Subnet)" in warning
    assert "has dependencies" in warning and "delete it by hand" in warning


def test_a_template_over_even_the_s3_limit_is_refused_before_any_call():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", updated_stack())
    big = json.dumps({"Description": "x" * 1_100_000,
                      "Resources": {"Service": {"Type": "AWS::ECS::Service"}}})
    request = TextStack(STACK, big)
    with pytest.raises(AwsError, match="1048576-byte limit even from S3"):
        engine.plan(fake.aws, request, timing=FAST)
