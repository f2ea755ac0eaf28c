"""logs and exec against a service deployed on moto.

moto's limits, stated: its ECS service starts no tasks, so the tests start and stop tasks
with RunTask/StopTask (logs), and ECS calls that moto does not implement (ExecuteCommand) or
whose answers need a running container (runtime ID, Exec agent) are faked at the boto3
boundary with botocore's Stubber (exec). Log events exist only where a test writes them.
"""

from __future__ import annotations

import json
import stat
import sys
from datetime import UTC, datetime, timedelta

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for

from fargo.commands.deploy import deploy_service
from fargo.commands.exec import open_exec
from fargo.commands.logs import follow_logs, parse_since, service_logs, task_id_of
from fargo.commands.service_target import ServiceTarget
from fargo.engine.exec_session import PLUGIN, hand_over
from fargo.engine.logs import log_source
from fargo.errors import AwsError, ConfigError
from fargo.stacks import LegacyServiceStack

TASK_A, TASK_B = "a" * 32, "b" * 32


@pytest.fixture
def service(aws, tmp_path):
    settings = settings_for(https=False, certificate_arn=None)
    deploy_service(aws, settings, answers(), FAST)
    return ServiceTarget(settings.name, settings.stack_name, LegacyServiceStack(settings).watched,
                         tmp_path / "fargo.toml")


def write_events(aws, source, task: str, *messages: str, at: datetime | None = None) -> None:
    logs, stream = aws.client("logs"), source.stream_of(task)
    logs.create_log_stream(logGroupName=source.group, logStreamName=stream)
    start = int((at or datetime.now(UTC)).timestamp() * 1000)
    logs.put_log_events(logGroupName=source.group, logStreamName=stream, logEvents=[
        {"timestamp": start + i, "message": m} for i, m in enumerate(messages)])


def test_logs_reads_the_group_of_the_running_task_definition_with_time_and_task(aws, service):
    source = log_source(aws, service.stack_name, service.watched)
    assert source.group == "/fargate/service/l42-dev" and source.stream_prefix == "l42/l42"
    write_events(aws, source, TASK_A, "GET / 200", "ERROR db down")
    write_events(aws, source, TASK_B, "GET /health 200")
    write_events(aws, source, "c" * 32, "too old", at=datetime.now(UTC) - timedelta(hours=2))
    result = service_logs(aws, service, parse_since("10m"))
    assert sorted(e.message for e in result.events) == ["ERROR db down", "GET / 200",
                                                        "GET /health 200"]
    line = result.events[0].line()
    assert line[:4].isdigit() and line[19:24].startswith(".") and line.split()[1] in (
        TASK_A[:12], TASK_B[:12])
    only_errors = service_logs(aws, service, parse_since("10m"), pattern="ERROR")
    assert [e.message for e in only_errors.events] == ["ERROR db down"]
    one_task = service_logs(aws, service, parse_since("1d"), task=TASK_B)
    assert [e.task for e in one_task.events] == [TASK_B]
    assert json.loads(json.dumps(one_task.as_json()))["events"][0]["task"] == TASK_B


def test_follow_streams_with_live_tail_and_closes_the_stream(aws, service):
    source = log_source(aws, service.stack_name, service.watched)
    write_events(aws, source, TASK_A, "hello", "world")
    _, events = follow_logs(aws, service)
    assert [e.message for e in events] == ["hello", "world"]  # moto: one update, then the end
    _, filtered = follow_logs(aws, service, pattern="world")
    assert [e.message for e in filtered] == ["world"]


def stub_service(aws, target, exec_on=None):
    """A Stubber on the ECS client answering DescribeServices and DescribeTaskDefinition as
    moto does for the deployed service (Exec as given), queued `rounds` times."""
    from botocore.stub import Stubber

    source = log_source(aws, target.stack_name, target.watched)
    ecs = aws.client("ecs")
    (service,) = ecs.describe_services(cluster=source.cluster,
                                       services=[source.service])["services"]
    if exec_on is not None:
        service = {**service, "enableExecuteCommand": exec_on}
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    definition.pop("ResponseMetadata", None)
    stub = Stubber(ecs)

    def queue_service() -> None:
        stub.add_response("describe_services", {"services": [service]})
        stub.add_response("describe_task_definition", definition)

    return stub, service, queue_service


def stopped_task(cluster: str, task: str, reason: str) -> dict:
    return {"taskArn": f"{cluster.replace(':cluster/', ':task/')}/{task}", "lastStatus": "STOPPED",
            "stoppedReason": reason, "stoppedAt": datetime(2026, 11, 28, 9, tzinfo=UTC),
            "containers": [{"name": "l42", "exitCode": 137, "reason": "OutOfMemoryError"}]}


def test_previous_shows_the_last_stopped_tasks_last_lines_and_why(aws, service):
    source = log_source(aws, service.stack_name, service.watched)
    write_events(aws, source, TASK_A, *[f"line {i}" for i in range(60)])
    stub, svc, queue_service = stub_service(aws, service)
    cluster = svc["clusterArn"]
    queue_service()
    stub.add_response("list_tasks", {"taskArns": [f"{cluster}/{TASK_A}"]})
    stub.add_response("describe_tasks", {"tasks": [
        stopped_task(cluster, TASK_A, "Essential container in task exited")]})
    queue_service()
    stub.add_response("describe_tasks", {"tasks": [
        stopped_task(cluster, TASK_A, "Essential container in task exited")]})
    with stub:
        result = service_logs(aws, service, parse_since("10m"), previous=True)
        by_id = service_logs(aws, service, parse_since("10m"), task=TASK_A)
    assert result.stopped.task_id == TASK_A
    assert result.stopped.stop_summary() == (
        "Essential container in task exited; OutOfMemoryError; exit code 137")
    assert [e.message for e in result.events] == [f"line {i}" for i in range(10, 60)]
    assert by_id.stopped.task_id == TASK_A and len(by_id.events) == 50
    assert result.as_json()["stopped_task"]["exit_code"] == 137


def test_previous_without_stopped_tasks_says_so(aws, service):
    stub, _, queue_service = stub_service(aws, service)
    queue_service()
    stub.add_response("list_tasks", {"taskArns": []})
    with stub:
        result = service_logs(aws, service, parse_since("10m"), previous=True)
    assert result.events == [] and "no stopped task" in result.notes[0]


@pytest.mark.parametrize("text, message", [
    ("ten minutes", "neither a duration nor a time"), ("5w", "neither a duration"),
])
def test_since_and_task_are_checked_before_any_call(text, message):
    with pytest.raises(ConfigError, match=message):
        parse_since(text)
    assert parse_since("2h", datetime(2026, 1, 1, 12, tzinfo=UTC)) == datetime(
        2026, 1, 1, 10, tzinfo=UTC)
    assert task_id_of(f"arn:aws:ecs:eu-west-1:1:task/c/{TASK_A}") == TASK_A
    with pytest.raises(ConfigError, match="is not an ECS task ID"):
        task_id_of("web; rm -rf /")


def test_logs_of_a_group_that_cannot_be_read_is_one_aws_error(aws, service, monkeypatch):
    from botocore.exceptions import ClientError

    logs = aws.client("logs")

    def refuse(**_):
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}},
                          "FilterLogEvents")

    monkeypatch.setattr(logs, "filter_log_events", refuse)
    with pytest.raises(AwsError) as failure:
        service_logs(aws, service, parse_since("10m"))
    (line,) = failure.value.problems
    assert line.startswith("error:") and "AccessDenied" in line


# exec ---------------------------------------------------------------------------------------


@pytest.fixture
def plugin(tmp_path):
    """A stand-in session-manager-plugin that records its arguments."""
    folder = tmp_path / "bin"
    folder.mkdir()
    record = tmp_path / "plugin-args.json"
    script = folder / PLUGIN
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder, record


def stub_ecs(aws, target, exec_on=True):
    """A Stubber on the ECS client, the deployed service as moto describes it (Exec as
    given), and its cluster's ARN."""
    from botocore.stub import Stubber

    source = log_source(aws, target.stack_name, target.watched)
    ecs = aws.client("ecs")
    (real,) = ecs.describe_services(cluster=source.cluster, services=[source.service])["services"]
    service = {**real, "enableExecuteCommand": exec_on}
    return Stubber(ecs), service, service["clusterArn"]


def add_exec_answers(stub, service, cluster, tasks, exec_on_task=True):
    from botocore.stub import ANY

    stub.add_response("describe_services", {"services": [service]}, {"cluster": ANY,
                                                                     "services": ANY})
    stub.add_response("describe_task_definition", {"taskDefinition": {
        "taskDefinitionArn": service["taskDefinition"],
        "containerDefinitions": [{"name": "l42", "image": "x"}]}}, {"taskDefinition": ANY})
    if not service.get("enableExecuteCommand"):
        return
    arns = [f"{cluster.replace(':cluster/', ':task/')}/{t}" for t in tasks]
    stub.add_response("list_tasks", {"taskArns": arns}, {"cluster": ANY, "serviceName": ANY,
                                                         "desiredStatus": "RUNNING"})
    stub.add_response("describe_tasks", {"tasks": [
        {"taskArn": arn, "lastStatus": "RUNNING", "enableExecuteCommand": exec_on_task,
         "startedAt": datetime(2026, 11, 28, 9, i, tzinfo=UTC),
         "containers": [{"name": "l42", "runtimeId": f"{t}-1234567890"}]}
        for i, (arn, t) in enumerate(zip(arns, tasks, strict=True))]},
        {"cluster": ANY, "tasks": ANY})


def session_answer(cluster, task):
    return {"clusterArn": cluster, "taskArn": f"{cluster.replace(':cluster/', ':task/')}/{task}",
            "containerName": "l42", "interactive": True,
            "session": {"sessionId": "ecs-execute-command-1", "streamUrl": "wss://ssm/x",
                        "tokenValue": "token"}}


def test_exec_hands_the_session_to_the_plugin_as_the_aws_cli_does(aws, service, plugin):
    from botocore.stub import ANY

    folder, record = plugin
    stub, svc, cluster = stub_ecs(aws, service)
    add_exec_answers(stub, svc, cluster, [TASK_A])
    stub.add_response("execute_command", session_answer(cluster, TASK_A), {
        "cluster": ANY, "task": TASK_A, "container": "l42", "interactive": True,
        "command": "ls -la '/app dir'"})
    with stub:
        opened = open_exec(aws, service, ["ls", "-la", "/app dir"], plugin_path=str(folder))
        stub.assert_no_pending_responses()
    assert hand_over(opened) == 0
    arguments = json.loads(record.read_text())
    assert json.loads(arguments[0]) == session_answer(cluster, TASK_A)["session"]
    assert arguments[1:4] == ["eu-west-1", "StartSession", ""]
    cluster_name = cluster.rsplit("/", 1)[-1]
    assert json.loads(arguments[4]) == {
        "Target": f"ecs:{cluster_name}_{TASK_A}_{TASK_A}-1234567890"}
    assert arguments[5].startswith("https://ecs.eu-west-1.amazonaws.com")


def test_exec_asks_which_task_when_several_run_and_refuses_without_a_terminal(
        aws, service, plugin):
    folder, _ = plugin
    stub, svc, cluster = stub_ecs(aws, service)
    add_exec_answers(stub, svc, cluster, [TASK_A, TASK_B])
    with stub, pytest.raises(ConfigError, match=r"runs 2 tasks and there is no terminal.*"
                                                  r"pass --task ID"):
        open_exec(aws, service, ["sh"], plugin_path=str(folder))
    asked = []
    add_exec_answers(stub, svc, cluster, [TASK_A, TASK_B])
    stub.add_response("execute_command", session_answer(cluster, TASK_A))
    with stub:
        opened = open_exec(aws, service, ["sh"], plugin_path=str(folder),
                           choose=lambda tasks: asked.append(tasks) or tasks[-1])
    assert len(asked[0]) == 2 and opened.task_id == TASK_A  # newest first: B, then A


def test_exec_off_names_the_setting_that_turns_it_on(aws, service, plugin):
    folder, _ = plugin
    stub, svc, cluster = stub_ecs(aws, service, exec_on=False)
    add_exec_answers(stub, svc, cluster, [TASK_A])
    with stub, pytest.raises(ConfigError) as refused:
        open_exec(aws, service, ["sh"], plugin_path=str(folder))
    (line,) = refused.value.problems
    assert "ECS Exec is off for l42" in line and "`ecs_exec = true`" in line
    assert 'network = "isolated"' in line


def test_exec_without_the_plugin_says_how_to_install_it_before_any_call(aws, service, tmp_path,
                                                                      monkeypatch):
    monkeypatch.setattr(aws, "client", lambda *_: pytest.fail("AWS was called"))
    with pytest.raises(ConfigError) as missing:
        open_exec(aws, service, ["sh"], plugin_path=str(tmp_path))
    assert missing.value.exit_code == 2
    assert "session-manager-plugin is not on PATH" in str(missing.value)
    assert "session-manager-working-with-install-plugin" in str(missing.value)


def test_exec_refused_by_ecs_is_one_aws_error(aws, service, plugin):
    folder, _ = plugin
    stub, svc, cluster = stub_ecs(aws, service)
    add_exec_answers(stub, svc, cluster, [TASK_A])
    stub.add_client_error("execute_command", "TargetNotConnectedException",
                          "The execute command failed due to an internal error.")
    with stub, pytest.raises(AwsError) as failed:
        open_exec(aws, service, ["sh"], plugin_path=str(folder))
    (line,) = failed.value.problems
    assert line.startswith("error:") and "TargetNotConnected" in line


def test_plugin_exit_code_comes_back(tmp_path):
    from fargo.engine.exec_session import ExecSession

    code = [sys.executable, "-c", "raise SystemExit(3)"]
    assert hand_over(ExecSession(TASK_A, "l42", code)) == 3


def test_exec_into_a_task_started_before_exec_was_on_says_to_wait(aws, service, plugin):
    folder, _ = plugin
    stub, svc, cluster = stub_ecs(aws, service)
    add_exec_answers(stub, svc, cluster, [TASK_A], exec_on_task=False)
    with stub, pytest.raises(AwsError, match=r"started before ECS Exec was turned on"):
        open_exec(aws, service, ["sh"], plugin_path=str(folder))


def test_the_installed_sdk_and_moto_have_live_tail():
    import boto3
    from moto.logs.responses import LogsResponse

    client = boto3.client("logs", region_name="eu-west-1")
    assert client.meta.service_model.operation_model("StartLiveTail").has_event_stream_output
    assert hasattr(LogsResponse, "start_live_tail")


def test_live_tail_through_an_endpoint_url_reaches_the_emulator():
    """Over HTTP (not in-process): the event stream is read as one (not as JSON), and no
    "streaming-" host prefix goes in front of the emulator's 127.0.0.1."""
    from fargo.emulator.server import LOCAL_CREDENTIALS, LocalEmulator
    from fargo.engine.aws import AwsContext
    from fargo.engine.logs import LogSource, follow_events

    with LocalEmulator() as emulator:
        aws = AwsContext(region="us-east-1", endpoint_url=emulator.url, emulated=True,
                         credentials=dict(LOCAL_CREDENTIALS))
        aws.client("logs").create_log_group(logGroupName="/g")
        source = LogSource("c", "s", "/g", "web/web", "web")
        write_events(aws, source, TASK_A, "over http")
        assert [e.message for e in follow_events(aws, source)] == ["over http"]
