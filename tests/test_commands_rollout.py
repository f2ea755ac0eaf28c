"""`fargo deploy` shows the ECS rollout as it happens (new tasks started, old drained), read
from DescribeServices' deployments; and after `--local`, what the emulator did not create."""

from __future__ import annotations

import json

from fargo.commands.local import UnmodelledResource, unmodelled_resources
from fargo.commands.rollout import RolloutReporter, rollout_line
from fargo.engine.progress import RecordingReporter
from fargo.engine.protocol import Watched
from fargo.engine.stack import StackState
from fargo.engine.status import Rollout
from fargo.errors import AwsError


def deployment(status: str, running: int, desired: int = 2, pending: int = 0,
               state: str = "IN_PROGRESS", failed: int = 0) -> Rollout:
    return Rollout(f"ecs-svc/{status}", status, state, "", "td:2", desired, running, pending,
                   failed)


def test_the_rollout_line_counts_new_tasks_and_old_ones_left():
    assert rollout_line([deployment("PRIMARY", 1, pending=1), deployment("ACTIVE", 2)]) == (
        "rollout IN_PROGRESS: new tasks 1 of 2 running, 1 pending; old tasks: 2 still running")
    assert rollout_line([deployment("PRIMARY", 2), deployment("ACTIVE", 0)]) == (
        "rollout IN_PROGRESS: new tasks 2 of 2 running; old tasks drained")
    assert rollout_line([deployment("PRIMARY", 2, state="COMPLETED")]) == (
        "rollout COMPLETED: new tasks 2 of 2 running")
    assert rollout_line([deployment("PRIMARY", 0, failed=3, state="FAILED")]).endswith(
        "0 of 2 running, 3 failed")
    assert rollout_line([]) is None


class FakeEcsAws:
    """DescribeServices answers one picture per call."""

    def __init__(self, pictures):
        self.pictures = list(pictures)

    def client(self, name):
        return self

    def describe_services(self, **_):
        picture = self.pictures.pop(0)
        if isinstance(picture, Exception):
            raise picture
        return {"services": [{"deployments": [
            {"id": d.deployment_id, "status": d.status, "rolloutState": d.rollout_state,
             "desiredCount": d.desired, "runningCount": d.running, "pendingCount": d.pending}
            for d in picture]}]}


def test_the_reporter_tells_each_new_picture_once(monkeypatch):
    import fargo.commands.rollout as rollout

    monkeypatch.setattr(rollout, "MIN_SECONDS_BETWEEN_READS", 0)
    monkeypatch.setattr(rollout.cfn, "stack_resources", lambda aws, stack_id: {
        "Service": {"physical_id": "arn:aws:ecs:eu-west-1:1:service/c/web"}})
    inner = RecordingReporter()
    aws = FakeEcsAws([[deployment("PRIMARY", 0, pending=2), deployment("ACTIVE", 2)],
                      [deployment("PRIMARY", 0, pending=2), deployment("ACTIVE", 2)],
                      [deployment("PRIMARY", 2), deployment("ACTIVE", 0)]])
    reporter = RolloutReporter(inner, aws, "l42-dev", Watched(service_resource="Service"))
    running = StackState("l42-dev", "id", "UPDATE_IN_PROGRESS")
    for _ in range(3):
        reporter.stack_progress(running, [])
    reporter.stack_progress(StackState("l42-dev", "id", "UPDATE_COMPLETE"), [])
    assert inner.lines == [
        "note: rollout IN_PROGRESS: new tasks 0 of 2 running, 2 pending; old tasks: 2 still "
        "running",
        "note: rollout IN_PROGRESS: new tasks 2 of 2 running; old tasks drained"]


def test_a_rollout_that_cannot_be_read_is_a_warning_once_never_a_failure(monkeypatch):
    import fargo.commands.rollout as rollout

    monkeypatch.setattr(rollout, "MIN_SECONDS_BETWEEN_READS", 0)
    monkeypatch.setattr(rollout.cfn, "stack_resources", lambda aws, stack_id: {
        "Service": {"physical_id": "arn:aws:ecs:eu-west-1:1:service/c/web"}})
    monkeypatch.setattr(rollout, "rollouts", lambda *_: (_ for _ in ()).throw(
        AwsError("error: describing service web failed: AccessDenied")))
    inner = RecordingReporter()
    reporter = RolloutReporter(inner, FakeEcsAws([]), "l42-dev",
                               Watched(service_resource="Service"))
    for _ in range(2):
        reporter.stack_progress(StackState("l42-dev", "id", "UPDATE_IN_PROGRESS"), [])
    assert inner.lines == ["warn: could not read the rollout: error: describing service web "
                           "failed: AccessDenied"]


def test_unmodelled_resources_are_declared_and_not_created():
    template = json.dumps({"Resources": {"Waf": {"Type": "AWS::WAFv2::WebACL"},
                                         "Vpc": {"Type": "AWS::EC2::VPC"}}})
    assert unmodelled_resources(template, {"Vpc": {}}) == [
        UnmodelledResource("Waf", "AWS::WAFv2::WebACL")]
    assert unmodelled_resources("", {}) == []
