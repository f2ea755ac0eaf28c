"""The emulator refuses what CloudFormation and ACM refuse, and does what they do.

Each test fails against plain moto 5.2.5 (see test_emulator_canaries.py for the gaps).
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

STACK = "rules"
BUCKET_TEMPLATE = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}


def body(parameters: dict | None = None, outputs: dict | None = None, resources=None) -> str:
    template = {"Resources": resources or BUCKET_TEMPLATE["Resources"]}
    if parameters is not None:
        template["Parameters"] = parameters
    if outputs is not None:
        template["Outputs"] = outputs
    return json.dumps(template)


def create(cfn, template: str, parameters: dict | None = None, kind: str = "CREATE",
           name: str = "cs1", tags: dict | None = None) -> dict:
    return cfn.create_change_set(
        StackName=STACK, ChangeSetName=name, TemplateBody=template, ChangeSetType=kind,
        Parameters=[{"ParameterKey": k, "ParameterValue": v}
                    for k, v in (parameters or {}).items()],
        Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()])


def refused(call, *args, **kwargs) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        call(*args, **kwargs)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def cfn(aws):
    return aws.client("cloudformation")


def deployed(cfn, template: str, parameters: dict | None = None) -> str:
    change_set = create(cfn, template, parameters)
    cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    return change_set["StackId"]


# Parameters

def test_a_parameter_the_template_does_not_declare_is_refused(cfn):
    code, message = refused(create, cfn, body({"Known": {"Type": "String"}}),
                            {"Known": "a", "DesiredCount": ""})
    assert (code, message) == ("ValidationError",
                               "Parameters: [DesiredCount] do not exist in the template")


def test_parameters_for_a_template_without_parameters_are_refused(cfn):
    code, message = refused(create, cfn, body(), {"DesiredCount": ""})
    assert message == "Parameter values specified for a template which does not require them."


def test_a_parameter_without_default_needs_a_value(cfn):
    _, message = refused(create, cfn, body({"Certificate": {"Type": "String"}}))
    assert message == "Parameters: [Certificate] must have values"


def test_allowed_pattern_is_enforced(cfn):
    slot = {"Type": "String", "AllowedPattern": "^pl-[0-9a-f]{8}$"}
    _, message = refused(create, cfn, body({"PrefixList": slot}), {"PrefixList": "pl-x"})
    assert message == "Parameter 'PrefixList' must match pattern ^pl-[0-9a-f]{8}$"


def test_allowed_values_are_enforced(cfn):
    slot = {"Type": "String", "AllowedValues": ["a", "b"]}
    _, message = refused(create, cfn, body({"Mode": slot}), {"Mode": "c"})
    assert message == "Parameter 'Mode' must be one of AllowedValues"


@pytest.mark.parametrize(("value", "expected"), [
    ("x", "Parameter 'Count' must be a number."),
    ("0", "Parameter 'Count' must be a number not less than 1"),
    ("11", "Parameter 'Count' must be a number not greater than 10"),
])
def test_number_parameters_are_numbers_within_their_bounds(cfn, value, expected):
    slot = {"Type": "Number", "MinValue": 1, "MaxValue": 10}
    assert refused(create, cfn, body({"Count": slot}), {"Count": value})[1] == expected


def test_a_default_is_checked_too(cfn):
    slot = {"Type": "String", "Default": "", "AllowedPattern": "^.+$"}
    assert "must match pattern" in refused(create, cfn, body({"Name": slot}))[1]


def test_a_hosted_zone_parameter_must_name_a_zone_of_the_account(cfn):
    slot = {"Type": "AWS::Route53::HostedZone::Id"}
    _, message = refused(create, cfn, body({"Zone": slot}), {"Zone": "Z0000UNKNOWN"})
    assert message == "Parameter value Z0000UNKNOWN for parameter name Zone does not exist."


# Template and tags

def test_a_template_over_51200_bytes_is_refused(cfn):
    padding = "x" * 51_200
    template = json.dumps({"Description": padding[:1000], "Resources": {
        f"Topic{i}": {"Type": "AWS::SNS::Topic", "Metadata": {"pad": padding[:1000]}}
        for i in range(52)}})
    code, message = refused(create, cfn, template)
    assert code == "ValidationError" and "51200" in message


def test_logical_names_must_be_alphanumeric(cfn):
    resources = {"My-Topic": {"Type": "AWS::SNS::Topic"}}
    _, message = refused(create, cfn, body(resources=resources))
    assert message == "Template format error: Resource name My-Topic is non alphanumeric."


def test_output_names_must_be_alphanumeric(cfn):
    outputs = {"Alb_Dns": {"Value": "x"}}
    _, message = refused(create, cfn, body(outputs=outputs))
    assert message == "Template format error: Outputs name 'Alb_Dns' is non alphanumeric."


def test_more_than_50_stack_tags_are_refused(cfn):
    tags = {f"k{i}": "v" for i in range(51)}
    code, message = refused(create, cfn, body(), tags=tags)
    assert "Member must have length less than or equal to 50" in message


# Change sets and stack states

def test_an_unchanged_update_ends_as_a_failed_change_set_instead_of_raising(cfn):
    template = body({"Count": {"Type": "String", "Default": "1"}})
    deployed(cfn, template, {"Count": "2"})
    change_set = create(cfn, template, {"Count": "2"}, kind="UPDATE", name="cs2")
    described = cfn.describe_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    assert described["Status"] == "FAILED"
    assert "didn't contain changes" in described["StatusReason"]
    assert described["ExecutionStatus"] == "UNAVAILABLE"


def test_an_update_with_another_parameter_value_is_a_change(cfn):
    template = body({"Count": {"Type": "String", "Default": "1"}})
    deployed(cfn, template, {"Count": "2"})
    change_set = create(cfn, template, {"Count": "3"}, kind="UPDATE", name="cs2")
    described = cfn.describe_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    assert described["Status"] == "CREATE_COMPLETE"


def test_a_changed_parameter_modifies_the_resources_that_refer_to_it(cfn):
    resources = {"Topic": {"Type": "AWS::SNS::Topic",
                           "Properties": {"DisplayName": {"Ref": "Label"}}},
                 "Other": {"Type": "AWS::SNS::Topic"}}
    template = body({"Label": {"Type": "String"}}, resources=resources)
    deployed(cfn, template, {"Label": "a"})
    change_set = create(cfn, template, {"Label": "b"}, kind="UPDATE", name="cs2")
    changes = cfn.describe_change_set(ChangeSetName=change_set["Id"], StackName=STACK)["Changes"]
    assert [(c["ResourceChange"]["LogicalResourceId"], c["ResourceChange"]["Action"])
            for c in changes] == [("Topic", "Modify")]


def test_an_unsent_parameter_takes_the_new_templates_default_on_update(cfn):
    """AWS: an update that does not send a parameter gives it the new template's default
    (only UsePreviousValue keeps the old value); moto kept the old value."""
    resources = {"Topic": {"Type": "AWS::SNS::Topic",
                           "Properties": {"DisplayName": {"Ref": "Label"}}}}
    deployed(cfn, body({"Label": {"Type": "String", "Default": "a"}}, resources=resources))
    change_set = create(cfn, body({"Label": {"Type": "String", "Default": "b"}},
                                  resources=resources), kind="UPDATE", name="cs2")
    described = cfn.describe_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    assert [(c["ResourceChange"]["LogicalResourceId"], c["ResourceChange"]["Action"])
            for c in described["Changes"]] == [("Topic", "Modify")]
    cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["Parameters"] == [{"ParameterKey": "Label", "ParameterValue": "b"}]


def test_a_create_change_set_on_a_stack_under_review_reuses_that_stack(cfn):
    first = create(cfn, body())
    second = create(cfn, body(), name="cs2")
    assert second["StackId"] == first["StackId"]
    stacks = [s for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == STACK]
    assert len(stacks) == 1
    names = [s["ChangeSetName"] for s in cfn.list_change_sets(StackName=STACK)["Summaries"]]
    assert sorted(names) == ["cs1", "cs2"]


def test_a_create_change_set_for_an_existing_stack_is_refused(cfn):
    deployed(cfn, body())
    code, _ = refused(create, cfn, body(), name="cs2")
    assert code == "AlreadyExistsException"


def test_an_update_change_set_on_a_stack_under_review_is_refused(cfn):
    create(cfn, body())
    _, message = refused(create, cfn, body(), kind="UPDATE", name="cs2")
    assert "is in REVIEW_IN_PROGRESS state and can not be updated" in message


def test_an_update_change_set_for_a_missing_stack_is_refused(cfn):
    _, message = refused(create, cfn, body(), kind="UPDATE")
    assert message == f"Stack [{STACK}] does not exist"


def test_a_change_set_name_is_unique_per_stack(cfn):
    create(cfn, body())
    code, _ = refused(create, cfn, body())
    assert code == "AlreadyExistsException"


def test_a_change_set_runs_once_and_takes_the_stacks_other_change_sets_with_it(cfn):
    template = body({"Count": {"Type": "String"}})
    deployed(cfn, template, {"Count": "1"})
    one = create(cfn, template, {"Count": "2"}, kind="UPDATE", name="one")
    other = create(cfn, template, {"Count": "3"}, kind="UPDATE", name="other")
    cfn.execute_change_set(ChangeSetName=one["Id"], StackName=STACK)
    code, _ = refused(cfn.execute_change_set, ChangeSetName=one["Id"], StackName=STACK)
    assert code == "InvalidChangeSetStatus"
    code, _ = refused(cfn.execute_change_set, ChangeSetName=other["Id"], StackName=STACK)
    assert code == "ChangeSetNotFound"


def test_a_failed_change_set_cannot_be_executed(cfn):
    template = body()
    deployed(cfn, template)
    unchanged = create(cfn, template, kind="UPDATE", name="cs2")
    code, _ = refused(cfn.execute_change_set, ChangeSetName=unchanged["Id"], StackName=STACK)
    assert code == "InvalidChangeSetStatus"


def test_a_resource_that_fails_rolls_a_first_create_back_and_keeps_retained_resources(
        cfn, aws, monkeypatch):
    from moto.sns.models import Topic

    def fail(*args, **kwargs):
        raise RuntimeError("Topic limit exceeded")

    resources = {"Logs": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"},
                 "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Logs"}}
    monkeypatch.setattr(Topic, "create_from_cloudformation_json", classmethod(fail))
    change_set = create(cfn, body(resources=resources))
    cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    events = cfn.describe_stack_events(StackName=STACK)["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed[0]["LogicalResourceId"] == "Topic"
    assert "Topic limit exceeded" in failed[0]["ResourceStatusReason"]
    assert len(aws.client("s3").list_buckets()["Buckets"]) == 1  # retained, as on AWS
    _, message = refused(create, cfn, body(resources=resources), kind="UPDATE", name="cs2")
    assert "ROLLBACK_COMPLETE state and can not be updated" in message


def test_a_resource_that_cannot_be_deleted_leaves_the_stack_delete_failed(cfn, monkeypatch):
    from moto.sns.models import Topic

    deployed(cfn, body())

    def refuse(self, *args, **kwargs):
        raise RuntimeError("DependencyViolation: still in use")

    monkeypatch.setattr(Topic, "delete", refuse, raising=False)
    monkeypatch.setattr(Topic, "delete_from_cloudformation_json", classmethod(refuse))
    cfn.delete_stack(StackName=STACK)
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "DELETE_FAILED"
    events = cfn.describe_stack_events(StackName=STACK)["StackEvents"]
    assert any(e["ResourceStatus"] == "DELETE_FAILED" and e["LogicalResourceId"] == "Topic"
               for e in events)


# ACM

def test_acm_refuses_to_delete_a_certificate_a_listener_serves(aws):
    from engine_support import FAST, answers, request_for

    from fargo.engine import deploy as engine

    settings, request = request_for(aws)
    engine.deploy(aws, request, answers(), FAST)
    code, message = refused(aws.client("acm").delete_certificate,
                            CertificateArn=settings.certificate_arn)
    assert code == "ResourceInUseException" and "is in use" in message


# What moto got wrong after an update

@pytest.fixture
def updated(aws):
    from engine_support import FAST, answers, request_for

    from fargo.engine import deploy as engine

    settings, request = request_for(aws)
    engine.deploy(aws, request, answers(), FAST)
    _, changed = request_for(aws, certificate_arn=settings.certificate_arn, image="nginx:1.27",
                             health_check_path="/ping")
    result = engine.deploy(aws, changed, answers(), FAST)
    return settings, result


def test_outputs_that_name_an_updated_target_group_remain(updated):
    _, result = updated
    assert result.outputs["TargetGroupArn"].startswith("arn:aws:elasticloadbalancing:")


def test_an_updated_target_group_has_the_new_health_check(aws, updated):
    _, result = updated
    group = aws.client("elbv2").describe_target_groups(
        TargetGroupArns=[result.outputs["TargetGroupArn"]])["TargetGroups"][0]
    assert group["HealthCheckPath"] == "/ping"


def test_the_service_runs_the_new_task_definition_revision(aws, updated):
    from fargo.engine.status import gather_status
    from fargo.stacks import LegacyServiceStack

    settings, _ = updated
    report = gather_status(aws, LegacyServiceStack(settings))
    assert [r.task_definition for r in report.rollouts] == [f"{settings.stack_name}:2"]


def test_a_new_certificate_arn_plans_a_listener_change(aws):
    from engine_support import FAST, answers, import_self_signed_certificate, request_for

    from fargo.engine import deploy as engine

    settings, request = request_for(aws)
    engine.deploy(aws, request, answers(), FAST)
    other = import_self_signed_certificate(aws.client("acm"), "other.localhost")
    _, changed = request_for(aws, certificate_arn=other)
    planned = engine.plan(aws, changed, timing=FAST)
    assert ("HttpsListener", "modify") in {(c.logical_id, c.action) for c in planned.changes}


def test_an_ssm_typed_parameter_must_name_a_parameter_that_exists(cfn, aws):
    slot = {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/fargo/shop/dev/vpc-id"}
    _, message = refused(create, cfn, body({"EnvVpcId": slot}))
    assert message == ("Unable to fetch parameters [/fargo/shop/dev/vpc-id] from parameter store "
                       "for this account.")
    aws.client("ssm").put_parameter(Name="/fargo/shop/dev/vpc-id", Value="vpc-1", Type="String")
    create(cfn, body({"EnvVpcId": slot}))


def test_a_stack_can_publish_ssm_parameters_with_tags(cfn, aws):
    resources = {"Published": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Type": "String", "Value": "vpc-1", "Name": "/fargo/shop/dev/vpc-id",
        "Tags": {"fargo:stack": "shop-dev-env"}}}}
    deployed(cfn, body(resources=resources))
    assert aws.client("ssm").get_parameter(Name="/fargo/shop/dev/vpc-id")["Parameter"][
        "Value"] == "vpc-1"


def test_an_updated_ssm_parameter_gets_a_new_version(cfn, aws):
    """AWS: a stack update that changes a parameter's Value adds a version (moto replaced it,
    so `fargo history` had one revision and `rollback` nothing to go back to)."""
    def record(value: str) -> str:
        return body(resources={"Record": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Type": "String", "Value": value, "Name": "/rule/record"}}})

    deployed(cfn, record("one"))
    change_set = create(cfn, record("two"), kind="UPDATE", name="cs2")
    cfn.execute_change_set(ChangeSetName=change_set["Id"], StackName=STACK)
    history = aws.client("ssm").get_parameter_history(Name="/rule/record")["Parameters"]
    assert [(p["Version"], p["Value"]) for p in history] == [(1, "one"), (2, "two")]


def test_bucket_policies_denying_insecure_transport_let_the_sdk_through(aws):
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="tls-only",
                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_policy(Bucket="tls-only", Policy=json.dumps({"Statement": [{
        "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_object(Bucket="tls-only", Key="k", Body=b"x")
    assert s3.get_object(Bucket="tls-only", Key="k")["Body"].read() == b"x"
