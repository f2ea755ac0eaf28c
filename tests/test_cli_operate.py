"""The AWS-facing commands through the CLI: exit codes, consent, the local end-to-end run."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


@pytest.fixture
def emulator():
    """An emulator kept running, as `fargo deploy --local --keep-running` keeps one: its URL."""
    from fargo.emulator.server import LocalEmulator

    with LocalEmulator() as running:
        yield running.url


def run_fargo(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FARGO_"))}
    return subprocess.run([sys.executable, "-m", "fargo", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, stdin=subprocess.DEVNULL)


def test_local_deploy_runs_end_to_end_as_a_process_and_tears_down():
    done = run_fargo("deploy", "--local", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "LOCAL EMULATOR" in done.stderr
    assert "deployed l42-dev" in done.stderr
    assert "health: skipped" in done.stderr and "runs no containers" in done.stderr
    assert "AlbDns" in done.stdout and ".elb.amazonaws.com" in done.stdout
    assert "AccessLogBucketPolicy (AWS::S3::BucketPolicy)" in done.stderr
    assert "nothing of l42-dev is left" in done.stderr


def test_deploy_without_terminal_and_without_yes_refuses_with_exit_2():
    done = run_fargo("deploy", "--local")
    assert done.returncode == 2
    assert "pass --yes" in done.stderr
    assert "Traceback" not in done.stderr


def test_destroy_without_terminal_and_without_yes_refuses_with_exit_2():
    done = run_fargo("destroy", "--region", "eu-west-1")
    assert done.returncode == 2 and "pass --yes" in done.stderr


def test_keep_running_without_local_is_a_usage_error():
    result = CliRunner().invoke(app, ["deploy", "--keep-running", "--yes", "--region",
                                      "eu-west-1", "--certificate-arn", CERT])
    assert result.exit_code == 2
    assert "--keep-running goes with --local" in result.output


def test_local_and_endpoint_url_together_are_refused():
    result = CliRunner().invoke(app, ["deploy", "--local", "--yes",
                                      "--endpoint-url", "http://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def test_plan_on_a_running_emulator_lists_resources_to_add(emulator):
    result = CliRunner().invoke(app, ["plan", "--endpoint-url", emulator,
                                      "--region", "us-east-1"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "LoadBalancer" in result.output and "add" in result.output
    assert "fargo deploy" in result.output


def test_status_of_nothing_deployed_says_not_deployed(emulator):
    result = CliRunner().invoke(app, ["status", "--endpoint-url", emulator,
                                      "--region", "us-east-1"])
    assert result.exit_code == 3, result.output  # ExitCode.NOT_DEPLOYED
    assert "l42-dev: not deployed in us-east-1" in result.output


def test_destroy_of_nothing_deployed_is_not_an_error(emulator):
    result = CliRunner().invoke(app, ["destroy", "--endpoint-url", emulator,
                                      "--region", "us-east-1", "--yes"])
    assert result.exit_code == 0, result.output
    assert "nothing to destroy" in result.output


@pytest.mark.parametrize("command", ["status", "plan", "destroy"])
def test_local_on_a_command_that_needs_a_deployed_emulator_is_refused(command, monkeypatch):
    from fargo.emulator.server import LocalEmulator

    monkeypatch.setattr(LocalEmulator, "start", lambda self: pytest.fail("emulator started"))
    result = CliRunner().invoke(app, [command, "--local", "--yes"][:3 if command == "destroy"
                                                                   else 2])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: `fargo {command} --local` would start a new, empty emulator")
    assert "fargo deploy --local --keep-running" in line and "--endpoint-url" in line


def test_aws_failure_exits_1_with_one_line_and_no_traceback(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    result = CliRunner().invoke(app, ["status", "--region", "eu-west-1"])
    assert result.exit_code == 1
    assert "no AWS credentials found" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf"])
@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_bad_timeout_is_a_usage_error(command, value, monkeypatch):
    from fargo.engine.aws import AwsContext

    monkeypatch.setattr(AwsContext, "client", lambda *_: pytest.fail("AWS was called"))
    result = CliRunner().invoke(app, [command, "--region", "eu-west-1", "--yes",
                                      f"--timeout={value}"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: --timeout") and "above 0" in line


def test_keep_running_serves_the_emulator_for_other_commands_until_interrupted(tmp_path):
    import re
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "FARGO_"))}
    server = subprocess.Popen(
        [sys.executable, "-m", "fargo", "deploy", "--local", "--yes", "--keep-running"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        stdin=subprocess.DEVNULL,
    )
    try:
        url, seen, deadline = None, [], time.monotonic() + 90
        while url is None and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"emulator running at (http://127\.0\.0\.1:\d+)", line)
            url = match.group(1) if match else None
        assert url, "".join(seen)
        status = run_fargo("status", "--endpoint-url", url, "--region", "us-east-1")
        assert status.returncode == 0, status.stderr
        assert "l42-dev (us-east-1): stack CREATE_COMPLETE" in status.stdout
        assert "scaling: 1..2 tasks" in status.stdout
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    assert server.returncode == 0
