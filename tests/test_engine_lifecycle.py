"""plan -> deploy -> status -> no-change deploy -> change -> plan -> destroy, against moto."""

from __future__ import annotations

import pytest
from engine_support import FAST, always, answers, request_for

from fargo.engine import deploy as engine
from fargo.engine.destroy import destroy
from fargo.engine.progress import RecordingReporter
from fargo.engine.protocol import CallbackHooks
from fargo.engine.stack import describe_stack
from fargo.engine.status import gather_status
from fargo.stacks import LegacyServiceStack, TextStack


@pytest.fixture
def calls(aws):
    """The parameters of every CloudFormation call, captured before they are sent."""
    recorded: list[tuple[str, dict]] = []

    def record(params, model, **_):
        recorded.append((model.name, dict(params)))

    aws.client("cloudformation").meta.events.register("provide-client-params.cloudformation.*",
                                                      record)
    return recorded


def deploy_settings(aws, **overrides):
    settings, request = request_for(aws, **overrides)
    result = engine.deploy(aws, request, answers(), FAST)
    return settings, request, result


def test_plan_of_a_new_stack_lists_every_resource_as_add_and_leaves_no_stack(aws):
    _, request = request_for(aws)
    change_set = engine.plan(aws, request, timing=FAST)
    assert {c.action for c in change_set.changes} == {"add"}
    assert {"Service", "LoadBalancer", "HttpsListener", "ScalableTarget"} <= {
        c.logical_id for c in change_set.changes}
    assert describe_stack(aws, request.stack_name) is None


def test_change_sets_carry_the_iam_capabilities(aws, calls):
    _, request = request_for(aws)
    engine.plan(aws, request, timing=FAST)
    created = [params for name, params in calls if name == "CreateChangeSet"]
    assert created and set(created[0]["Capabilities"]) == {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}


def test_plan_with_keep_leaves_the_change_set(aws):
    _, request = request_for(aws)
    change_set = engine.plan(aws, request, keep=True, timing=FAST)
    listed = aws.client("cloudformation").list_change_sets(StackName=request.stack_name)
    assert [s["ChangeSetName"] for s in listed["Summaries"]] == [change_set.name]


def test_deploy_creates_service_load_balancer_listeners_and_scaling(aws):
    settings, _, result = deploy_settings(aws)
    assert result.outcome == "deployed"
    ecs = aws.client("ecs")
    cluster = result.outputs["ClusterName"]
    services = ecs.describe_services(cluster=cluster, services=[result.outputs["ServiceName"]])
    assert services["services"][0]["status"] == "ACTIVE"
    elbv2 = aws.client("elbv2")
    balancers = elbv2.describe_load_balancers()["LoadBalancers"]
    assert [b["DNSName"] for b in balancers] == [result.outputs["AlbDns"]]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancers[0]["LoadBalancerArn"])
    assert sorted(x["Port"] for x in listeners["Listeners"]) == [80, 443]
    assert elbv2.describe_target_groups()["TargetGroups"][0]["HealthCheckPath"] == "/"
    targets = aws.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="ecs")["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in targets] == [(1, 2)]
    assert result.outputs["ServiceUrl"] == f"https://{result.outputs['AlbDns']}"


def test_deploy_under_the_emulator_reports_health_checks_as_skipped(aws):
    _, _, result = deploy_settings(aws)
    assert [(c.name, c.outcome) for c in result.checks] == [("targets", "skipped"),
                                                           ("health", "skipped")]


def test_status_after_deploy_shows_stack_service_and_scaling(aws):
    settings, _, result = deploy_settings(aws)
    report = gather_status(aws, LegacyServiceStack(settings))
    assert report.stack.status == "CREATE_COMPLETE"
    assert report.desired == 1
    assert report.scaling["min"] == 1 and report.scaling["max"] == 2
    assert report.scaling["policies"] == ["cpu-target-tracking", "memory-target-tracking",
                                         "requests-target-tracking"]
    assert report.url == result.outputs["ServiceUrl"]


def test_status_of_a_stack_never_deployed_says_so(aws):
    report = gather_status(aws, TextStack("nothing-here", "{}"))
    assert report.stack is None


def test_second_deploy_without_changes_says_no_changes(aws):
    settings, request, _ = deploy_settings(aws)
    again = engine.deploy(aws, request, answers(), FAST)
    assert again.outcome == "no-changes"
    assert again.outputs["AlbDns"]


def test_update_keeps_the_running_count_autoscaling_chose(aws, calls):
    certificate = request_for(aws)[0].certificate_arn
    deploy_settings(aws, certificate_arn=certificate)
    deploy_settings(aws, certificate_arn=certificate, max_count=3)
    deploy_settings(aws, certificate_arn=certificate, max_count=4)
    change_sets = [p for name, p in calls if name == "CreateChangeSet"]
    desired = [{x["ParameterKey"]: x["ParameterValue"] for x in p["Parameters"]}["DesiredCount"]
               for p in change_sets]
    # create with 1; the first update tries the stack's own value (to see whether anything
    # else changed), then hands the count to autoscaling; later updates send "" at once
    assert desired == ["1", "1", "", ""]


def test_the_count_hand_over_alone_is_no_change(aws, calls):
    settings, request, _ = deploy_settings(aws)
    assert describe_stack(aws, request.stack_name).parameters["DesiredCount"] == "1"
    again = engine.deploy(aws, request, answers(), FAST)
    assert again.outcome == "no-changes"
    assert describe_stack(aws, request.stack_name).parameters["DesiredCount"] == "1"


def test_changing_max_count_plans_a_modify_and_applies_it(aws):
    certificate = request_for(aws)[0].certificate_arn
    deploy_settings(aws, certificate_arn=certificate)
    _, request = request_for(aws, certificate_arn=certificate, max_count=3)
    planned = engine.plan(aws, request, timing=FAST)
    assert ("ScalableTarget", "modify") in {(c.logical_id, c.action) for c in planned.changes}
    engine.deploy(aws, request, answers(), FAST)
    targets = aws.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="ecs")["ScalableTargets"]
    assert [t["MaxCapacity"] for t in targets] == [3]


def test_changing_the_image_registers_a_new_task_definition(aws):
    certificate = request_for(aws)[0].certificate_arn
    _, _, first = deploy_settings(aws, certificate_arn=certificate)
    _, _, second = deploy_settings(aws, certificate_arn=certificate, image="nginx:1.27")
    assert ("TaskDefinition", "modify") in {(c.logical_id, c.action) for c in second.changes}
    ecs = aws.client("ecs")
    service = ecs.describe_services(cluster=second.outputs["ClusterName"],
                                    services=[second.outputs["ServiceName"]])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    assert definition["taskDefinition"]["containerDefinitions"][0]["image"] == "nginx:1.27"
    assert service["taskDefinition"] != first.stack_resources["TaskDefinition"]["physical_id"]


def test_declined_confirmation_changes_nothing(aws):
    _, request = request_for(aws)
    result = engine.deploy(aws, request, answers(confirm=False), FAST)
    assert result.outcome == "cancelled"
    assert describe_stack(aws, request.stack_name) is None


def test_destroy_removes_stack_and_retained_bucket_and_leaves_nothing(aws):
    settings, _, result = deploy_settings(aws)
    bucket = result.outputs["AccessLogBucket"]
    aws.client("s3").put_object(Bucket=bucket, Key="alb/AWSLogs/1/x.log.gz", Body=b"log")
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert removed.left == []
    assert f"S3 bucket {bucket}" in removed.removed
    assert describe_stack(aws, settings.stack_name) is None
    assert aws.client("s3").list_buckets()["Buckets"] == []
    assert aws.client("ecs").describe_clusters(
        clusters=[result.outputs["ClusterName"]])["clusters"][0]["status"] == "INACTIVE"


def test_destroy_deletes_the_container_insights_log_group(aws):
    settings, _, result = deploy_settings(aws)
    insights = f"/aws/ecs/containerinsights/{result.outputs['ClusterName']}/performance"
    aws.client("logs").create_log_group(logGroupName=insights)
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert f"log group {insights}" in removed.removed
    assert removed.left == []


def test_destroy_twice_is_not_an_error(aws):
    settings, _, _ = deploy_settings(aws)
    destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    second = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert second.stack_existed is False and second.left == []


def test_destroy_reports_what_it_could_not_remove_by_name(aws, monkeypatch):
    from fargo.engine import destroy as destroy_module

    settings, _, result = deploy_settings(aws)
    monkeypatch.setattr(destroy_module, "delete_bucket", lambda *a: False)
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert removed.left == [f"S3 bucket {result.outputs['AccessLogBucket']}"]


@pytest.mark.parametrize("overrides", [
    {"https": False, "certificate_arn": None},
    {"network": "isolated", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"},
    {"network": "public"},
    {"az_count": 1, "ecs_exec": False},
])
def test_each_variant_deploys_and_destroys_cleanly(aws, overrides):
    overrides = {k: v for k, v in overrides.items()}
    settings, _, result = deploy_settings(aws, **overrides)
    assert result.outcome == "deployed" and result.outputs["AlbDns"]
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert removed.left == []


def _force_status(stack_name: str, status: str) -> None:
    from moto.cloudformation.models import cloudformation_backends

    backend = cloudformation_backends["123456789012"]["eu-west-1"]
    (stack,) = [s for s in backend.stacks.values() if s.name == stack_name]
    stack.status = status


def test_rolled_back_first_create_is_deleted_and_created_again_when_accepted(aws):
    settings, request, _ = deploy_settings(aws)
    _force_status(settings.stack_name, "ROLLBACK_COMPLETE")
    offered = []

    def accept(state):
        offered.append(state.status)
        return True

    result = engine.deploy(aws, request,
                           CallbackHooks(RecordingReporter(), always(True), accept), FAST)
    assert offered == ["ROLLBACK_COMPLETE"]
    assert result.outcome == "deployed"
    assert describe_stack(aws, settings.stack_name).status == "CREATE_COMPLETE"


def test_wait_follows_a_running_operation_before_deploying(aws, monkeypatch):
    settings, request, _ = deploy_settings(aws)
    _force_status(settings.stack_name, "UPDATE_IN_PROGRESS")
    reporter = RecordingReporter()

    def finish_on_progress(state, events):
        _force_status(settings.stack_name, "UPDATE_COMPLETE")

    monkeypatch.setattr(reporter, "stack_progress", finish_on_progress)
    result = engine.deploy(aws, request, answers(reporter=reporter), FAST,
                           wait_for_running=True)
    assert "step: waiting for the running UPDATE_IN_PROGRESS of l42-dev to finish" in reporter.lines
    assert result.outcome == "no-changes"
