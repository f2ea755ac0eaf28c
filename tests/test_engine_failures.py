"""Failure behaviour of the engine, with AWS's answers injected through botocore's Stubber."""

from __future__ import annotations

import datetime

import boto3
import pytest
from botocore.stub import Stubber
from engine_support import FAST, always, answers

from fargo.engine import deploy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.change_set_calls import planned_change
from fargo.engine.progress import RecordingReporter
from fargo.engine.protocol import CallbackHooks, Watched
from fargo.errors import AwsError
from fargo.stacks import TextStack
from fargo.stacks.service import SERVICE_COUNT

STACK = "l42-dev"
STACK_ID = f"arn:aws:cloudformation:eu-west-1:123456789012:stack/{STACK}/abc"
NOW = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
# The service's resources, by the logical IDs of today's single-service template
WATCHED = Watched(service_resource="Service", target_group_resource="TargetGroup",
                  cluster_resource="Cluster")
REQUEST = TextStack(STACK, '{"Resources": {}}', {"DesiredCount": "1"}, task_count=SERVICE_COUNT,
                    watching=WATCHED)


class StubbedAws:
    """An AwsContext whose clients answer from queued responses, in order."""

    def __init__(self, *services: str) -> None:
        self.aws = AwsContext(region="eu-west-1")
        self.stubs: dict[str, Stubber] = {}
        for service in services:
            client = boto3.client(service, region_name="eu-west-1", aws_access_key_id="x",
                                  aws_secret_access_key="x")
            self.aws._clients[service] = client
            self.stubs[service] = Stubber(client)
            self.stubs[service].activate()

    def respond(self, service: str, method: str, response: dict) -> None:
        self.stubs[service].add_response(method, response)

    def fail(self, service: str, method: str, code: str, message: str = "", status: int = 400):
        self.stubs[service].add_client_error(method, service_error_code=code,
                                            service_message=message, http_status_code=status)

    def assert_all_used(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()


def stack(status: str, reason: str = "") -> dict:
    body = {"StackName": STACK, "StackId": STACK_ID, "StackStatus": status,
            "CreationTime": NOW}
    if reason:
        body["StackStatusReason"] = reason
    return {"Stacks": [body]}


def event(logical_id: str, status: str, reason: str = "", seconds: int = 0,
          resource_type: str = "AWS::ECS::Service") -> dict:
    return {"StackId": STACK_ID, "EventId": f"{logical_id}-{status}-{seconds}",
            "StackName": STACK, "LogicalResourceId": logical_id, "ResourceType": resource_type,
            "Timestamp": NOW + datetime.timedelta(seconds=seconds), "ResourceStatus": status,
            "ResourceStatusReason": reason}


def queue_new_stack_change_set(fake: StubbedAws) -> None:
    fake.fail("cloudformation", "describe_stacks", "ValidationError",
              f"Stack with id {STACK} does not exist")
    fake.respond("cloudformation", "create_change_set", {"Id": "cs-1", "StackId": STACK_ID})
    fake.respond("cloudformation", "describe_change_set", {
        "ChangeSetName": "fargo-1", "StackName": STACK, "Status": "CREATE_COMPLETE",
        "Changes": [{"Type": "Resource", "ResourceChange": {
            "Action": "Add", "LogicalResourceId": "Service", "ResourceType": "AWS::ECS::Service"}}],
    })


def queue_create_started(fake: StubbedAws) -> None:
    """A new stack's change set, computed and executed: the stack is CREATE_IN_PROGRESS."""
    queue_new_stack_change_set(fake)
    fake.fail("cloudformation", "describe_stack_events", "ValidationError", "no stack yet")
    fake.respond("cloudformation", "execute_change_set", {})
    fake.respond("cloudformation", "describe_stacks", stack("CREATE_IN_PROGRESS"))


def queue_diagnostics(fake: StubbedAws) -> None:
    fake.respond("cloudformation", "list_stack_resources", {"StackResourceSummaries": [
        {"LogicalResourceId": "Cluster", "PhysicalResourceId": "l42-dev-Cluster-1",
         "ResourceType": "AWS::ECS::Cluster", "ResourceStatus": "CREATE_COMPLETE",
         "LastUpdatedTimestamp": NOW},
        {"LogicalResourceId": "Service",
         "PhysicalResourceId": "arn:aws:ecs:eu-west-1:1:service/x/svc",
         "ResourceType": "AWS::ECS::Service", "ResourceStatus": "CREATE_IN_PROGRESS",
         "LastUpdatedTimestamp": NOW},
        {"LogicalResourceId": "TargetGroup",
         "PhysicalResourceId": "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1",
         "ResourceType": "AWS::ElasticLoadBalancingV2::TargetGroup",
         "ResourceStatus": "CREATE_COMPLETE", "LastUpdatedTimestamp": NOW},
    ]})
    fake.respond("ecs", "list_tasks", {"taskArns": []})
    fake.respond("ecs", "list_tasks", {"taskArns": ["arn:aws:ecs:eu-west-1:1:task/x/0123456789ab"]})
    fake.respond("ecs", "describe_tasks", {"tasks": [{
        "taskArn": "arn:aws:ecs:eu-west-1:1:task/x/0123456789ab", "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED",
        "stoppedReason": "Essential container in task exited",
        "containers": [{"name": "l42", "exitCode": 1, "reason": "CannotPullContainerError"}],
    }]})
    fake.respond("elbv2", "describe_target_health", {"TargetHealthDescriptions": [{
        "Target": {"Id": "10.0.1.7", "Port": 80},
        "TargetHealth": {"State": "unhealthy", "Reason": "Target.ResponseCodeMismatch",
                         "Description": "Health checks failed with these codes: [404]"},
    }]})


def test_failed_first_create_names_the_first_failing_resource_and_why():
    fake = StubbedAws("cloudformation", "ecs", "elbv2")
    queue_create_started(fake)
    fake.respond("cloudformation", "describe_stacks", stack("ROLLBACK_COMPLETE"))
    fake.respond("cloudformation", "describe_stack_events", {"StackEvents": [
        event(STACK, "ROLLBACK_COMPLETE", seconds=9, resource_type="AWS::CloudFormation::Stack"),
        event("Listener", "CREATE_FAILED", "Resource creation cancelled", seconds=5),
        event("Service", "CREATE_FAILED", "ECS Deployment Circuit Breaker was triggered",
              seconds=4),
        event("Service", "CREATE_IN_PROGRESS", seconds=1),
    ]})
    queue_diagnostics(fake)
    with pytest.raises(AwsError) as failure:
        engine.deploy(fake.aws, REQUEST, answers(), FAST)
    lines = failure.value.problems
    assert lines[0] == ("error: stack l42-dev ended ROLLBACK_COMPLETE: Service (AWS::ECS::Service) "
                        "CREATE_FAILED: ECS Deployment Circuit Breaker was triggered")
    assert any("CannotPullContainerError" in line and "exit code 1" in line for line in lines)
    assert any("10.0.1.7:80 unhealthy: Health checks failed with these codes: [404]" in line
               for line in lines)
    assert failure.value.exit_code == 1
    fake.assert_all_used()


def test_stack_that_does_not_stabilise_in_time_shows_stop_reasons_and_target_health():
    fake = StubbedAws("cloudformation", "ecs", "elbv2")
    queue_create_started(fake)
    fake.respond("cloudformation", "describe_stacks", stack("CREATE_IN_PROGRESS"))
    fake.respond("cloudformation", "describe_stack_events", {"StackEvents": [
        event("Service", "CREATE_IN_PROGRESS", seconds=1)]})
    queue_diagnostics(fake)  # tasks first read by the live watcher, target health by the diagnosis
    fake.respond("ecs", "list_tasks", {"taskArns": []})  # ...then again for the diagnosis
    fake.respond("ecs", "list_tasks", {"taskArns": ["arn:aws:ecs:eu-west-1:1:task/x/0123456789ab"]})
    fake.respond("ecs", "describe_tasks", {"tasks": [{
        "taskArn": "arn:aws:ecs:eu-west-1:1:task/x/0123456789ab", "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED", "stoppedReason": "Task failed ELB health checks",
        "containers": [{"name": "l42"}]}]})
    reporter = RecordingReporter()
    timing = engine.Timing(poll_seconds=0, stack_timeout_seconds=0)
    with pytest.raises(AwsError) as failure:
        engine.deploy(fake.aws, REQUEST, answers(reporter=reporter), timing)
    lines = failure.value.problems
    assert "still CREATE_IN_PROGRESS after the timeout" in lines[0]
    assert "goes on in AWS" in lines[0]
    assert any("Task failed ELB health checks" in line for line in lines)
    assert any("Health checks failed with these codes: [404]" in line for line in lines)
    fake.assert_all_used()
    assert [t.stopped_reason for t in reporter.tasks] == ["Essential container in task exited"]


def test_stack_being_updated_by_someone_else_is_refused_and_nothing_changes():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_IN_PROGRESS"))
    with pytest.raises(AwsError) as failure:
        engine.deploy(fake.aws, REQUEST, answers(), FAST)
    assert "l42-dev is UPDATE_IN_PROGRESS" in str(failure.value)
    assert "nothing was changed" in str(failure.value)
    fake.assert_all_used()  # no change set was created: the stub would have had no answer


def test_rolled_back_first_create_is_offered_for_recreation_and_refused_when_declined():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", stack("ROLLBACK_COMPLETE"))
    offered = []

    def decline(state):
        offered.append(state.status)
        return False

    with pytest.raises(AwsError) as failure:
        engine.deploy(fake.aws, REQUEST,
                      CallbackHooks(RecordingReporter(), always(True), decline), FAST)
    assert offered == ["ROLLBACK_COMPLETE"]
    assert "can only be deleted" in str(failure.value)


def test_ctrl_c_while_following_says_the_operation_goes_on_and_how_to_resume():
    fake = StubbedAws("cloudformation")
    queue_create_started(fake)
    fake.respond("cloudformation", "describe_stacks", stack("CREATE_IN_PROGRESS"))
    fake.respond("cloudformation", "describe_stack_events", {"StackEvents": []})

    class InterruptingReporter(RecordingReporter):
        def stack_progress(self, state, events):
            raise KeyboardInterrupt

    with pytest.raises(engine.FollowInterrupted) as interrupted:
        engine.deploy(fake.aws, REQUEST, answers(reporter=InterruptingReporter()), FAST)
    message = str(interrupted.value)
    assert "goes on in AWS" in message and "fargo status" in message
    assert "fargo deploy --wait" in message
    assert interrupted.value.exit_code == 130


def test_change_set_without_changes_is_reported_as_no_changes_and_deleted():
    fake = StubbedAws("cloudformation")
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_COMPLETE"))
    fake.respond("cloudformation", "create_change_set", {"Id": "cs-1", "StackId": STACK_ID})
    fake.respond("cloudformation", "describe_change_set", {
        "ChangeSetName": "fargo-1", "StackName": STACK, "Status": "FAILED",
        "StatusReason": "The submitted information didn't contain changes. Submit different "
                        "information to create a change set."})
    fake.respond("cloudformation", "delete_change_set", {})
    fake.respond("cloudformation", "describe_stacks", stack("UPDATE_COMPLETE"))
    result = engine.deploy(fake.aws, REQUEST, answers(),
                           FAST)
    assert result.outcome == "no-changes"
    fake.assert_all_used()


def test_replacement_in_a_change_set_says_which_property_forces_it():
    change = planned_change({
        "Action": "Modify", "LogicalResourceId": "Vpc", "ResourceType": "AWS::EC2::VPC",
        "Replacement": "True",
        "Details": [{"Target": {"Attribute": "Properties", "Name": "CidrBlock",
                                "RequiresRecreation": "Always"}}],
    })
    assert change.action == "replace"
    assert change.reason == "changing CidrBlock requires a new resource"


def test_conditional_replacement_is_shown_as_a_possible_replacement():
    change = planned_change({
        "Action": "Modify", "LogicalResourceId": "Service", "ResourceType": "AWS::ECS::Service",
        "Replacement": "Conditional",
        "Details": [{"Target": {"Attribute": "Properties", "Name": "LoadBalancers",
                                "RequiresRecreation": "Conditionally"}}],
    })
    assert change.action == "replace"
    assert "may require a new resource" in change.reason


@pytest.mark.parametrize(("code", "advice"), [
    ("AccessDenied", "another --profile"),
    ("ExpiredToken", "refresh your credentials"),
    ("Throttling", "wait a minute"),
    ("OptInRequired", "enable this region"),
    ("UnsupportedFeatureException", "choose another region"),  # e.g. a region without Fargate
])
def test_aws_errors_become_one_line_naming_the_call_and_what_to_do(code, advice):
    fake = StubbedAws("cloudformation")
    fake.fail("cloudformation", "describe_stacks", code, "nope")
    with pytest.raises(AwsError) as failure:
        engine.deploy(fake.aws, REQUEST, answers(), FAST)
    (line,) = failure.value.problems
    assert line.startswith(f"error: reading stack {STACK} failed ({code}): nope: ")
    assert advice in line


def test_missing_credentials_say_how_to_provide_them(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    aws = AwsContext(region="eu-west-1")
    with pytest.raises(AwsError) as failure, aws_call("reading stack l42-dev"):
        aws.client("cloudformation").describe_stacks(StackName=STACK)
    assert "no AWS credentials found" in str(failure.value)
    assert "--profile" in str(failure.value) and "--local" in str(failure.value)


def test_clients_retry_in_standard_mode():
    client = AwsContext(region="eu-west-1").client("cloudformation")
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.retries["total_max_attempts"] >= 5


def test_timeout_while_the_certificate_waits_for_validation_says_what_to_check():
    from fargo.engine.deploy import waiting_hints
    from fargo.engine.protocol import SlowResource
    from fargo.engine.stack import StackEvent
    from fargo.stacks.service import CERTIFICATE_WAIT

    history = [StackEvent("1", NOW, "Certificate", "AWS::CertificateManager::Certificate",
                          "CREATE_IN_PROGRESS", "")]
    slow = (SlowResource("Certificate", CERTIFICATE_WAIT),)
    (hint,) = waiting_hints(history, slow)
    assert "waiting for DNS validation" in hint and "hosted_zone" in hint
    done = history + [StackEvent("2", NOW, "Certificate", "AWS::CertificateManager::Certificate",
                                 "CREATE_COMPLETE", "")]
    assert waiting_hints(done, slow) == []


def _targets(state: str, description: str = "") -> dict:
    return {"TargetHealthDescriptions": [{
        "Target": {"Id": "10.0.1.7", "Port": 80},
        "TargetHealth": {"State": state, "Description": description}}]}


def test_targets_check_passes_once_every_target_is_healthy():
    from fargo.engine.health import wait_for_healthy_targets

    fake = StubbedAws("elbv2")
    fake.respond("elbv2", "describe_target_health", _targets("initial", "registering"))
    fake.respond("elbv2", "describe_target_health", _targets("healthy"))
    result = wait_for_healthy_targets(fake.aws, "arn:tg", timeout_seconds=30, poll_seconds=0)
    assert (result.outcome, result.detail) == ("passed", "1 healthy target(s)")
    fake.assert_all_used()


def test_targets_check_fails_after_its_timeout_with_the_targets_reasons():
    from fargo.engine.health import wait_for_healthy_targets

    fake = StubbedAws("elbv2")
    fake.respond("elbv2", "describe_target_health",
                 _targets("unhealthy", "Health checks failed with these codes: [502]"))
    result = wait_for_healthy_targets(fake.aws, "arn:tg", timeout_seconds=0, poll_seconds=0)
    assert result.outcome == "failed"
    assert "10.0.1.7 unhealthy: Health checks failed with these codes: [502]" in result.detail
