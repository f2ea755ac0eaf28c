"""The property-level plan: before -> after per property from DescribeChangeSet with
IncludePropertyValues=True, secrets never shown, the "why" of a replacement filled. moto does
not implement property values: these tests use responses in botocore's own shape (Stubber
checks each against the service model), recorded from what CloudFormation answers."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.stub import Stubber
from rich.console import Console
from template_assertions import settings_for

from fargo.cli.render import change_table
from fargo.commands.plan import redact
from fargo.engine import change_set_calls
from fargo.engine.plan_diff import WITHHELD, property_changes
from fargo.engine.protocol import CallbackHooks

CONTAINERS_BEFORE = {"Properties": {"ContainerDefinitions": [{
    "Image": "repo/l42:1",
    "Environment": [{"Name": "MODE", "Value": "blue"}, {"Name": "DB_PASSWORD", "Value": "hunter2"}],
    "Secrets": [{"Name": "API_KEY", "ValueFrom": "arn:aws:ssm:eu-west-1:1:parameter/a"}]}]}}
CONTAINERS_AFTER = {"Properties": {"ContainerDefinitions": [{
    "Image": "repo/l42:2",
    "Environment": [{"Name": "MODE", "Value": "green"},
                    {"Name": "DB_PASSWORD", "Value": "correct-horse"}],
    "Secrets": [{"Name": "API_KEY", "ValueFrom": "arn:aws:ssm:eu-west-1:1:parameter/b"}]}]}}


def target(path: str, before: str, after: str, recreation: str = "Never") -> dict:
    return {"Attribute": "Properties", "Name": path.split("/")[2], "Path": path,
            "RequiresRecreation": recreation, "BeforeValue": before, "AfterValue": after,
            "AttributeChangeType": "Modify"}


TASK_DEFINITION_CHANGE = {
    "Type": "Resource",
    "ResourceChange": {
        "Action": "Modify", "LogicalResourceId": "TaskDefinition",
        "PhysicalResourceId": "arn:aws:ecs:eu-west-1:123456789012:task-definition/l42-dev:3",
        "ResourceType": "AWS::ECS::TaskDefinition", "Replacement": "True",
        "Scope": ["Properties"],
        "BeforeContext": json.dumps(CONTAINERS_BEFORE),
        "AfterContext": json.dumps(CONTAINERS_AFTER),
        "Details": [
            {"Target": target("/Properties/ContainerDefinitions/0/Image", "repo/l42:1",
                              "repo/l42:2", "Always"),
             "Evaluation": "Static", "ChangeSource": "ParameterReference",
             "CausingEntity": "ImageUri"},
            {"Target": target("/Properties/ContainerDefinitions/0/Image", "repo/l42:1",
                              "repo/l42:2", "Always"),
             "Evaluation": "Dynamic", "ChangeSource": "DirectModification"},
            {"Target": target("/Properties/ContainerDefinitions/0/Environment/0/Value", "blue",
                              "green", "Always"),
             "Evaluation": "Static", "ChangeSource": "DirectModification"},
            {"Target": target("/Properties/ContainerDefinitions/0/Environment/1/Value",
                              "hunter2", "correct-horse", "Always"),
             "Evaluation": "Static", "ChangeSource": "DirectModification"},
            {"Target": target("/Properties/ContainerDefinitions/0/Secrets/0/ValueFrom",
                              "arn:aws:ssm:eu-west-1:1:parameter/a",
                              "arn:aws:ssm:eu-west-1:1:parameter/b", "Always"),
             "Evaluation": "Static", "ChangeSource": "DirectModification"},
        ],
    },
}
SERVICE_CHANGE = {"Type": "Resource", "ResourceChange": {
    "Action": "Modify", "LogicalResourceId": "Service", "PhysicalResourceId": "arn:svc",
    "ResourceType": "AWS::ECS::Service", "Replacement": "False", "Scope": ["Properties"],
    "Details": [{"Target": {"Attribute": "Properties", "Name": "TaskDefinition",
                            "RequiresRecreation": "Never"},
                 "Evaluation": "Dynamic", "ChangeSource": "ResourceReference",
                 "CausingEntity": "TaskDefinition"}]}}


class StubbedAws:
    def __init__(self, client) -> None:
        self._client = client

    def client(self, name):
        return self._client


def computed(changes: list[dict]) -> change_set_calls.ChangeSet:
    """The change set as the engine reads it from a stubbed DescribeChangeSet."""
    client = boto3.client("cloudformation", region_name="eu-west-1")
    with Stubber(client) as stub:
        stub.add_response("describe_change_set", {
            "ChangeSetName": "fargo-1", "ChangeSetId": "arn:cs", "StackName": "l42-dev",
            "Status": "CREATE_COMPLETE", "ExecutionStatus": "AVAILABLE", "Changes": changes,
        }, {"ChangeSetName": "arn:cs", "StackName": "l42-dev", "IncludePropertyValues": True})
        empty = change_set_calls.ChangeSet("l42-dev", "fargo-1", "arn:cs", False, [])
        change_set = change_set_calls._computed(StubbedAws(client), empty, poll_seconds=0,
                                                timeout_seconds=5)
        stub.assert_no_pending_responses()
    return change_set


def test_each_changed_property_has_its_values_and_its_cause():
    (task, service) = computed([TASK_DEFINITION_CHANGE, SERVICE_CHANGE]).changes
    image = task.properties[0]
    assert (image.path, image.before, image.after, image.cause) == (
        "ContainerDefinitions/0/Image", "repo/l42:1", "repo/l42:2", "parameter ImageUri")
    assert [p.path for p in task.properties].count("ContainerDefinitions/0/Image") == 1
    assert service.properties == ()  # no values given: names only, as before


def test_secrets_are_withheld_by_the_engine_whatever_the_settings():
    properties = property_changes(TASK_DEFINITION_CHANGE["ResourceChange"])
    secret = next(p for p in properties if "Secrets" in p.path)
    assert (secret.before, secret.after) == (WITHHELD, WITHHELD)


def test_a_masked_environment_value_is_withheld_and_others_shown():
    settings = settings_for(container_environment={"MODE": "green",
                                                   "DB_PASSWORD": "correct-horse"})
    (task,) = redact(computed([TASK_DEFINITION_CHANGE]), settings).changes
    values = {p.path: (p.before, p.after) for p in task.properties}
    assert values["ContainerDefinitions/0/Environment/0/Value"] == ("blue", "green")
    assert values["ContainerDefinitions/0/Environment/1/Value"] == (WITHHELD, WITHHELD)
    text = render(task)
    assert "hunter2" not in text and "correct-horse" not in text
    assert "parameter/a" not in text


def test_the_replacement_says_which_property_forces_it_and_why():
    (task,) = computed([TASK_DEFINITION_CHANGE]).changes
    assert task.action == "replace"
    assert task.reason.startswith("changing ContainerDefinitions/0/Image (from parameter "
                                  "ImageUri)")
    assert task.reason.endswith("requires a new resource")


def test_the_plan_table_shows_before_and_after():
    settings = settings_for(container_environment={"DB_PASSWORD": "x"})
    (task,) = redact(computed([TASK_DEFINITION_CHANGE]), settings).changes
    assert "repo/l42:1 → repo/l42:2" in render(task)


@pytest.mark.parametrize("context", ["", "not json", "[]"])
def test_without_context_an_unnamed_variable_is_withheld_when_any_is_masked(context):
    change = json.loads(json.dumps(TASK_DEFINITION_CHANGE))
    change["ResourceChange"]["BeforeContext"] = context
    change["ResourceChange"]["AfterContext"] = context
    masked = settings_for(container_environment={"DB_PASSWORD": "x"})
    (task,) = redact(computed([change]), masked).changes
    values = {p.path: (p.before, p.after) for p in task.properties}
    assert values["ContainerDefinitions/0/Environment/0/Value"] == (WITHHELD, WITHHELD)
    assert values["ContainerDefinitions/0/Image"] == ("repo/l42:1", "repo/l42:2")
    (plain,) = redact(computed([change]), settings_for()).changes  # nothing masked: shown
    assert ("blue", "green") in {(p.before, p.after) for p in plain.properties}


def render(change: change_set_calls.PlannedChange) -> str:
    console = Console(file=io.StringIO(), width=240)
    change_set = change_set_calls.ChangeSet("l42-dev", "fargo-1", "id", False, [change])
    console.print(change_table(change_set))
    return console.file.getvalue()


def test_a_service_of_an_environment_withholds_its_secrets_in_plan_and_deploy(monkeypatch):
    """The environment's services go through commands.app_service: its plan and the change
    set its deploy shows are redacted as the single service's are."""
    from template_assertions import app_for

    from fargo.commands import app_service

    app = app_for(services={"web": {"host": "app.example.com", "container_environment": {
        "MODE": "green", "DB_PASSWORD": "correct-horse"}}})
    service = app.service("web")
    monkeypatch.setattr(app_service, "check_against_account", lambda *a: None)
    monkeypatch.setattr(app_service, "require_environment", lambda *a: None)
    monkeypatch.setattr(app_service, "host_problem", lambda *a: None)
    monkeypatch.setattr(app_service, "service_stack", lambda *a: None)
    monkeypatch.setattr(app_service.engine, "plan",
                        lambda *a, **k: computed([TASK_DEFINITION_CHANGE]))
    change_set, _ = app_service.plan_app_service(None, app, "web")
    (task,) = change_set.changes
    assert "hunter2" not in render(task) and "correct-horse" not in render(task)

    shown = []
    hooks = app_service.redacting(
        CallbackHooks(None, lambda cs: shown.append(render(cs.changes[0])) or True,
                      lambda state: False), service)
    assert hooks.confirm(computed([TASK_DEFINITION_CHANGE]))
    assert "blue → green" in shown[0]
    assert "hunter2" not in shown[0] and "correct-horse" not in shown[0]
