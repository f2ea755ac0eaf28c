"""`fargo status` as a report and a verdict: the day-two signals it reads, the exit codes
(3 not deployed, 4 unhealthy), `--json`'s keys. moto runs no tasks and returns no metric
values: the report says "no data" rather than failing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from engine_support import FAST, answers, request_for
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.commands.status import StatusReport, Verdict, health_problems, service_report
from fargo.engine import deploy as engine
from fargo.engine.service_signals import AlarmState, StoppedTask, stopped_tasks
from fargo.engine.stack import StackState
from fargo.engine.status import Rollout, ServiceStatus

runner = CliRunner()


@pytest.fixture
def deployed(aws):
    settings, request = request_for(aws)
    engine.deploy(aws, request, answers(), FAST)
    return aws, settings


def report_of(status: str = "UPDATE_COMPLETE", desired=2, running=2, **extra) -> StatusReport:
    service = ServiceStatus("l42-dev", "eu-west-1", StackState("l42-dev", "id", status),
                            desired=desired, running=running, pending=0)
    return StatusReport(service, **extra)


def test_a_deployed_service_reports_its_signals(deployed):
    aws, settings = deployed
    report = service_report(aws, settings)
    assert report.verdict == Verdict.HEALTHY, report.problems  # emulated: counts not judged
    assert report.usage is not None and report.usage.cpu_percent is None  # moto: no data
    assert report.dashboard_url and "l42-dev-eu-west-1" in report.dashboard_url
    assert report.deployment.image == settings.image
    assert report.deployment.revision == 1
    assert report.unread == []


def test_not_deployed_is_its_own_verdict(aws):
    from template_assertions import settings_for

    assert service_report(aws, settings_for()).verdict == Verdict.NOT_DEPLOYED


@pytest.mark.parametrize(("report", "problem"), [
    (report_of(running=1), "1 of 2 tasks running"),
    (report_of("UPDATE_ROLLBACK_COMPLETE"), "stack UPDATE_ROLLBACK_COMPLETE"),
    (report_of(alarms=[AlarmState("l42-dev-target-5xx-rate", "ALARM")]),
     "alarm l42-dev-target-5xx-rate in ALARM"),
])
def test_what_makes_a_service_unhealthy(report, problem):
    assert health_problems(report) == [problem]


def test_a_failed_rollout_is_unhealthy():
    report = report_of()
    report.service.rollouts = [Rollout("ecs-svc/1", "PRIMARY", "FAILED", "", "td:2", 2, 2, 0, 3)]
    assert health_problems(report) == ["deployment ecs-svc/1 FAILED"]
    assert health_problems(report_of(running=0), emulated=True) == []


def test_stopped_tasks_newest_first_with_reasons():
    class Ecs:
        def list_tasks(self, **kwargs):
            assert kwargs["desiredStatus"] == "STOPPED"
            return {"taskArns": ["arn:t/a", "arn:t/b"]}

        def describe_tasks(self, **_):
            return {"tasks": [
                {"taskArn": "arn:t/a", "stoppedAt": datetime(2026, 1, 1, 10, tzinfo=UTC),
                 "stoppedReason": "Scaling activity initiated by deployment"},
                {"taskArn": "arn:t/b", "stoppedAt": datetime(2026, 1, 1, 11, tzinfo=UTC),
                 "stoppedReason": "Essential container in task exited",
                 "containers": [{"reason": "OutOfMemoryError: Container killed", "exitCode": 137}]},
            ]}

    class Aws:
        def client(self, name):
            return Ecs()

    tasks = stopped_tasks(Aws(), "cluster", "arn:aws:ecs:eu-west-1:1:service/c/web")
    assert tasks == [
        StoppedTask("b", datetime(2026, 1, 1, 11, tzinfo=UTC),
                    "Essential container in task exited", "OutOfMemoryError: Container killed",
                    137),
        StoppedTask("a", datetime(2026, 1, 1, 10, tzinfo=UTC),
                    "Scaling activity initiated by deployment")]


def test_status_exits_4_when_deployed_and_unhealthy(deployed):
    # Outside --local/loopback the CLI judges task counts: moto runs none of the desired one.
    result = runner.invoke(app, ["status", "--region", "eu-west-1"])
    assert result.exit_code == 4, result.output
    assert "unhealthy: 0 of 1 tasks running" in result.stdout
    assert "use (last 10 min): cpu no data, memory no data" in result.stdout
    assert "deployed: " in result.stdout and "(revision 1)" in result.stdout


def test_status_json_is_one_object_with_stable_keys(deployed):
    result = runner.invoke(app, ["status", "--region", "eu-west-1", "--json"])
    assert result.exit_code == 4, result.output
    document = json.loads(result.stdout)
    assert list(document)[:6] == ["command", "schema", "stack_name", "region", "deployed",
                                  "verdict"]
    assert document["verdict"] == "unhealthy" and document["deployed"] is True
    assert set(document["tasks"]) == {"desired", "running", "pending"}
    assert document["tasks"]["desired"] == 1 and document["tasks"]["running"] == 0
    assert document["usage"]["cpu_percent"] is None
    assert set(document["image"]) == {"image", "digest", "revision", "deployed_at",
                                      "deployed_by"}
    assert document["stack_status"] == "CREATE_COMPLETE"


def test_status_json_of_nothing_deployed_exits_3(aws):
    result = runner.invoke(app, ["status", "--region", "eu-west-1", "--json"])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["deployed"] is False and document["verdict"] == "not-deployed"


def test_watch_and_json_exclude_each_other():
    result = runner.invoke(app, ["status", "--region", "eu-west-1", "--json", "--watch"])
    assert result.exit_code == 2
    assert "exclude each other" in result.stderr


def test_watch_ends_cleanly_on_ctrl_c(aws, monkeypatch):
    import time

    def interrupt(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupt)
    result = runner.invoke(app, ["status", "--region", "eu-west-1", "--watch"])
    assert result.exit_code == 0, result.output
    assert "not deployed" in result.stdout and "stopped watching" in result.stderr
