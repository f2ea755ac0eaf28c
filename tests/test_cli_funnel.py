"""The one error funnel: any exception reaching the top is one line and an exit code from
ExitCode, for CliRunner, `python -m fargo` and the installed `fargo` alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.parsers import ResponseParserError
from loopback_junk import JunkEndpoint
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.errors import AwsError, ConfigError, ExitCode

SYNTH = ["synth", "--region", "eu-west-1", "--no-https"]

runner = CliRunner()


@pytest.fixture
def junk_endpoint():
    with JunkEndpoint() as endpoint:
        yield endpoint


def fargo(*args: str):
    return runner.invoke(app, list(args))


def one_line(result, exit_code: int) -> str:
    """The single stderr line of a command that ended with `exit_code`, and no traceback."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    return line


def synth_raising(monkeypatch, error: BaseException):
    """`fargo synth` whose rendering raises `error`."""
    import fargo.commands.synth as synth_module

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(synth_module, "synthesize", fail)
    return fargo(*SYNTH)


def test_exit_codes_are_the_documented_ones():
    assert {0, 1, 2, 130} <= {int(code) for code in ExitCode}
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    table = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in ExitCode:
        assert f"| {int(code)} |" in table, code


def test_config_error_is_its_lines_and_exit_2(monkeypatch):
    result = synth_raising(monkeypatch, ConfigError("error: port (0) in --port: use 1-65535"))
    assert one_line(result, 2) == "error: port (0) in --port: use 1-65535"


def test_aws_error_is_its_line_and_exit_1(monkeypatch):
    result = synth_raising(monkeypatch, AwsError("error: reading stack x failed: why: do"))
    assert one_line(result, 1) == "error: reading stack x failed: why: do"


def test_client_error_names_the_operation_and_what_to_do(monkeypatch):
    error = ClientError({"Error": {"Code": "AccessDenied", "Message": "not\nallowed"}},
                        "DescribeStacks")
    line = one_line(synth_raising(monkeypatch, error), 1)
    assert line.startswith("error: DescribeStacks failed (AccessDenied): not allowed: ")
    assert "grant this identity the permission" in line


def test_botocore_error_is_one_line_exit_1(monkeypatch):
    error = EndpointConnectionError(endpoint_url="https://cloudformation.eu-west-1.amazonaws.com")
    line = one_line(synth_raising(monkeypatch, error), 1)
    assert "cannot reach https://cloudformation.eu-west-1.amazonaws.com" in line


def test_response_parser_error_is_one_line_exit_1(monkeypatch):
    error = ResponseParserError("Unable to parse response (not well-formed), invalid XML:\nb'<'")
    line = one_line(synth_raising(monkeypatch, error), 1)
    assert "not an AWS response" in line and "--endpoint-url" in line


def test_os_error_names_the_path_and_the_reason(monkeypatch):
    error = PermissionError(13, "Permission denied", "/etc/fargo/template.json")
    line = one_line(synth_raising(monkeypatch, error), 1)
    assert line.startswith("error: /etc/fargo/template.json: Permission denied: ")


def test_any_other_exception_names_its_type_and_asks_for_a_report(monkeypatch):
    line = one_line(synth_raising(monkeypatch, RuntimeError("boom\nsecond line")), 1)
    assert line == ("error: unexpected RuntimeError: boom second line: run again with --debug "
                    "and report it")


def test_ctrl_c_exits_130_with_what_goes_on(monkeypatch):
    line = one_line(synth_raising(monkeypatch, KeyboardInterrupt()), 130)
    assert line.startswith("interrupted:") and "fargo status" in line


def test_debug_raises_the_error_itself_for_its_traceback(monkeypatch):
    import fargo.commands.synth as synth_module

    def fail(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(synth_module, "synthesize", fail)
    result = fargo(*SYNTH, "--debug")
    assert isinstance(result.exception, RuntimeError)


def test_options_module_catches_nothing_itself():
    source = (Path(__file__).parents[1] / "src/fargo/cli/options.py").read_text()
    assert "except" not in source


def test_an_error_inside_a_botocore_call_names_service_and_operation(junk_endpoint):
    """A body that is not even UTF-8 breaks botocore's JSON parser with a ValueError."""
    import boto3

    from fargo.cli.funnel import describe

    junk_endpoint.body = b"\xff\xfe"
    client = boto3.client("ecs", endpoint_url=junk_endpoint.url, region_name="us-east-1")
    with pytest.raises(ValueError) as raised:
        client.describe_services(cluster="c", services=["s"])
    (line,), code = describe(raised.value)
    assert code == 1
    assert line.startswith("error: ecs DescribeServices: the endpoint's answer is not an AWS")


# Usage errors: one line, exit 2, "did you mean".

@pytest.mark.parametrize("command", ["init", "synth", "validate", "plan", "deploy", "status",
                                     "destroy"])
def test_unknown_option_is_one_line_with_a_suggestion(command):
    line = one_line(fargo(command, "--regoin", "eu-west-1"), 2)
    assert line == f"error: `fargo {command}` has no option --regoin: did you mean --region?"


def test_unknown_option_without_a_close_one_points_to_help():
    line = one_line(fargo("status", "--colour"), 2)
    assert line == "error: `fargo status` has no option --colour: see `fargo status -h` for " \
                   "its options"


def test_unknown_command_is_one_line_with_a_suggestion():
    assert one_line(fargo("deplyo"), 2) == "error: fargo has no command 'deplyo': did you " \
                                           "mean deploy?"


def test_missing_option_value_is_one_line_naming_the_command():
    line = one_line(fargo("status", "--name"), 2)
    assert line == "error: option '--name' requires an argument: see `fargo status -h`"


def test_option_value_of_the_wrong_type_is_one_line():
    line = one_line(fargo("destroy", "--timeout", "soon"), 2)
    assert line.startswith("error: invalid value for '--timeout': ")


# Real processes: the `fargo` entry point and `python -m fargo`.

def fargo_process(*args: str, entry_point: bool) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "fargo"
    command = [str(script)] if entry_point else [sys.executable, "-m", "fargo"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FARGO_")}
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=60,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("entry_point", [True, False], ids=["fargo", "python -m fargo"])
def test_processes_funnel_usage_errors(entry_point):
    if entry_point and not (Path(sys.executable).parent / "fargo").exists():
        pytest.skip("fargo is not installed as a script in this environment")
    done = fargo_process("status", "--cpu", "2", entry_point=entry_point)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: `fargo status` has no option --cpu: see `fargo status -h` for its options"]


def test_process_funnels_an_endpoint_answering_garbage(junk_endpoint):
    done = fargo_process("status", "--endpoint-url", junk_endpoint.url, "--region",
                         "us-east-1", entry_point=False)
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("error: cloudformation DescribeStacks: the endpoint's answer is not")
