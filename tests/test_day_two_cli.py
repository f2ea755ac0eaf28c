"""logs, exec, history, rollback and scale through the CLI: help, SERVICE, flags checked before
any AWS call, failures as one line and an exit code, and output on moto (the commands' AWS
context is the in-process moto of the `aws` fixture)."""

from __future__ import annotations

import json

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for
from typer.testing import CliRunner

from fargo.cli.app import app

DAY_TWO = ("logs", "exec", "history", "rollback", "scale")
APP_FILE = """\
[environment]
name = "shop"
region = "eu-west-1"

[services.web]
image = "nginx:1"
path = "/*"

[services.api]
image = "nginx:2"
path = "/api/*"
"""


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), terminal_width=200)


@pytest.mark.parametrize("name", DAY_TWO)
def test_each_command_has_help_with_examples_and_takes_a_service(name):
    result = invoke(name, "--help")
    assert result.exit_code == 0, result.output
    assert f"fargo {name} [OPTIONS] [SERVICE]" in result.output
    assert "Examples:" in result.output and f"fargo {name}" in result.output.split("Examples:")[1]
    assert name in invoke("--help").output


@pytest.fixture
def on_moto(aws, monkeypatch):
    """The commands act on a service deployed on moto: open_target answers moto's context."""
    from fargo.commands import service_target
    from fargo.commands.deploy import deploy_service
    from fargo.commands.session import Session
    from fargo.stacks import LegacyServiceStack

    settings = settings_for(https=False, certificate_arn=None, image="nginx:1.27")
    deploy_service(aws, settings, answers(), FAST)
    asked = []

    def open_target(invocation, service, env=None, verb="status"):
        asked.append(service)
        target = service_target.ServiceTarget(
            "l42", settings.stack_name, LegacyServiceStack(settings).watched,
            service_target.Path("fargo.toml"))
        return Session(settings, aws), target

    monkeypatch.setattr(service_target, "open_target", open_target)
    return asked


def test_scale_then_history_then_rollback_through_the_cli(on_moto, tmp_path):
    (tmp_path / "fargo.toml").write_text('name = "l42"\nregion = "eu-west-1"\nmax_count = 2\n')
    scaled = invoke("scale", "--min", "2", "--max", "4", "--yes")
    assert scaled.exit_code == 0, scaled.output
    assert "MaxCount: 2 -> 4" in scaled.stderr
    assert "this lasts until the next deploy from the file" in scaled.stderr
    assert "fargo.toml line 3: change `max_count = 2` to `max_count = 4`" in scaled.stderr
    assert "add `min_count = 2` to fargo.toml (at the top, before any [table])" in scaled.stderr

    listed = invoke("history", "--json")
    assert listed.exit_code == 0, listed.output
    document = json.loads(listed.stdout)
    assert (document["command"], document["schema"]) == ("history", 1)
    assert document["service"] == "l42" and document["stack"] == "l42-dev"
    newest, first = document["revisions"]  # newest first: the scale, then the deploy
    assert first["max_count"] == 2 and newest["max_count"] == 4
    assert first["image"] == newest["image"] == "nginx:1.27"
    table = invoke("history")
    assert "REV" in table.stdout and "2 *" in table.stdout and "nginx:1.27" in table.stdout

    refused = invoke("rollback", "--yes")  # the scale changed no image
    assert refused.exit_code == 2
    (line,) = refused.stderr.splitlines()
    assert line.startswith("error: l42 has run only nginx:1.27")

    as_json = invoke("scale", "--max", "5", "--yes", "--json")
    assert as_json.exit_code == 0, as_json.output
    scaled = json.loads(as_json.stdout)  # stdout holds the one object
    assert (scaled["command"], scaled["stack_name"], scaled["outcome"]) == (
        "scale", "l42-dev", "deployed")
    assert scaled["parameters"] == {"MaxCount": {"before": "4", "after": "5"}}
    assert "ScalableTarget" in {r["logical_id"] for r in scaled["resources"]}
    assert scaled["lasting"] == ["fargo.toml line 3: change `max_count = 2` to `max_count = 5`"]


def test_logs_prints_one_line_per_event_and_json(on_moto, aws):
    from fargo.engine.logs import log_source
    from fargo.stacks import LegacyServiceStack

    source = log_source(aws, "l42-dev", LegacyServiceStack(settings_for()).watched)
    logs = aws.client("logs")
    stream = source.stream_of("a" * 32)
    logs.create_log_stream(logGroupName=source.group, logStreamName=stream)
    import time

    now = int(time.time() * 1000)
    logs.put_log_events(logGroupName=source.group, logStreamName=stream, logEvents=[
        {"timestamp": now, "message": "started"}, {"timestamp": now + 1, "message": "ready"}])
    shown = invoke("logs", "l42")
    assert shown.exit_code == 0, shown.output
    assert [line.split(" ", 2)[1:] for line in shown.stdout.splitlines()] == [
        ["a" * 12, "started"], ["a" * 12, "ready"]]
    assert on_moto == ["l42"]
    document = json.loads(invoke("logs", "--json").stdout)
    assert [e["message"] for e in document["events"]] == ["started", "ready"]
    followed = invoke("logs", "--follow", "--json")
    assert followed.exit_code == 0, followed.output
    assert [json.loads(line)["message"] for line in followed.stdout.splitlines()] == [
        "started", "ready"]


def test_ctrl_c_ends_follow_cleanly_and_closes_the_tail(monkeypatch):
    from fargo.commands import logs as library
    from fargo.commands import service_target
    from fargo.engine.logs import LogEvent

    closed = []

    def events():
        try:
            yield LogEvent(__import__("datetime").datetime(2026, 1, 1), "a" * 32, "one")
            raise KeyboardInterrupt
        finally:
            closed.append(True)

    source = type("Source", (), {"group": "/g"})()
    monkeypatch.setattr(service_target, "open_target",
                        lambda invocation, service, env=None, verb="": (_NoSession(), None))
    monkeypatch.setattr(library, "follow_logs", lambda *a, **k: (source, events()))
    result = invoke("logs", "--follow")
    assert result.exit_code == 0, result.output
    assert "one" in result.stdout and "stopped following" in result.stderr
    assert closed == [True]


class _NoSession:
    aws = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


@pytest.mark.parametrize("args, message", [
    (("logs", "--since", "yesterday"), "error: --since 'yesterday' is neither a duration"),
    (("logs", "--previous", "--follow"), "error: --previous shows a stopped task's last lines"),
    (("logs", "--task", "x y"), "error: --task 'x y' is not an ECS task ID"),
    (("scale",), "error: fargo scale needs --min, --max or --desired"),
    (("scale", "--min", "5", "--max", "2", "--yes"), "error: --min 5 is more than --max 2"),
    (("rollback", "--timeout", "0", "--yes"), "error: --timeout (0.0) must be"),
    (("scale", "--min", "2"), "error: scale needs confirmation and there is no terminal"),
    (("scale", "--min", "2", "--json"), "error: scale --json needs --yes"),
    (("rollback", "--json"), "error: rollback --json needs --yes"),
])
def test_bad_flags_are_one_line_exit_2_before_any_aws_call(args, message, monkeypatch):
    from fargo.engine.aws import AwsContext

    monkeypatch.setattr(AwsContext, "client", lambda *_: pytest.fail("AWS was called"))
    result = invoke(*args, "--region", "eu-west-1")
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(message)


def test_a_service_the_file_does_not_have_is_refused(tmp_path, monkeypatch):
    from fargo.engine.aws import AwsContext

    monkeypatch.setattr(AwsContext, "client", lambda *_: pytest.fail("AWS was called"))
    (tmp_path / "fargo.toml").write_text('name = "l42"\nregion = "eu-west-1"\n')
    single = invoke("history", "web")
    assert single.exit_code == 2
    assert single.stderr.strip() == ("error: service web is not in this file, which is the "
                                     "single service l42 (no [services] tables): drop the "
                                     "argument")
    (tmp_path / "fargo.toml").write_text(APP_FILE)
    several = invoke("logs")
    assert several.exit_code == 2
    assert several.stderr.strip().startswith("error: fargo.toml has 2 services (web, api): "
                                             "name one")
    unknown = invoke("scale", "shop", "--min", "1", "--yes")
    assert unknown.exit_code == 2
    assert unknown.stderr.strip() == ("error: service shop is not in the file, which has web, "
                                      "api: name one of them")


def test_service_of_a_multi_service_file_finds_its_stack_and_table(tmp_path):
    from fargo.commands.invocation import Invocation
    from fargo.commands.service_target import open_target

    (tmp_path / "fargo.toml").write_text(APP_FILE)
    session, target = open_target(Invocation(), "api")
    with session:
        assert session.aws.region == "eu-west-1"
    assert (target.service, target.stack_name, target.table) == ("api", "shop-dev-api",
                                                                 "services.api")
    assert target.file_line("image", "nginx:3") == (
        'fargo.toml line 10: change `image = "nginx:2"` to `image = "nginx:3"`')


def test_exec_without_the_plugin_exits_2_before_any_aws_call(tmp_path, monkeypatch):
    from fargo.engine.aws import AwsContext

    monkeypatch.setattr(AwsContext, "client", lambda *_: pytest.fail("AWS was called"))
    monkeypatch.setenv("PATH", str(tmp_path))
    result = invoke("exec", "--region", "eu-west-1", "--", "ls")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: session-manager-plugin is not on PATH")


@pytest.mark.parametrize("args, service, command", [
    (("exec",), None, ["/bin/sh"]),
    (("exec", "--", "ls", "-la"), None, ["ls", "-la"]),
    (("exec", "web", "--", "env"), "web", ["env"]),
    (("exec", "web"), "web", ["/bin/sh"]),
])
def test_exec_reads_service_and_the_command_after_dashes(args, service, command, monkeypatch):
    from fargo.commands import exec as library
    from fargo.commands import service_target
    from fargo.engine.exec_session import ExecSession

    seen = {}
    monkeypatch.setattr(library, "find_plugin", lambda path=None: "/bin/true")

    def open_target(invocation, name, env=None, verb="status"):
        seen["service"] = name
        return _NoSession(), None

    monkeypatch.setattr(service_target, "open_target", open_target)

    def open_exec(aws, target, argv, task, choose):
        seen["command"] = argv
        return ExecSession("a" * 32, "web", ["true"])

    monkeypatch.setattr(library, "open_exec", open_exec)
    monkeypatch.setattr(library, "hand_over", lambda opened: 0)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert seen == {"service": service, "command": command}
