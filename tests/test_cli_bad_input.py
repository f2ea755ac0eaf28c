"""Bad input at the command line is one line and exit 2 before any AWS call; an endpoint that
answers garbage is one line and exit 1; status and destroy need only the identity."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from loopback_junk import JunkEndpoint
from typer.testing import CliRunner

from fargo.cli.app import app

runner = CliRunner()


def fargo(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def refused(result, *expected: str) -> str:
    """The one stderr line of a run that exited 2 without a traceback, holding `expected`."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    for word in expected:
        assert word in line, (word, line)
    return line


@pytest.fixture
def no_aws_call(monkeypatch):
    """Fail the test if any AWS client is even created."""
    from fargo.engine.aws import AwsContext

    monkeypatch.setattr(AwsContext, "client", lambda *_: pytest.fail("AWS was called"))


# Output paths.

def test_synth_output_in_a_missing_directory_is_refused():
    result = fargo("synth", "--region", "eu-west-1", "--no-https", "-o", "missing/t.json")
    refused(result, "--output missing/t.json", "directory missing does not exist")
    assert result.stdout == "" and not Path("missing").exists()


def test_synth_output_that_is_a_directory_is_refused():
    Path("out").mkdir()
    refused(fargo("synth", "--region", "eu-west-1", "--no-https", "-o", "out"), "out")


def test_init_config_in_a_missing_directory_is_refused():
    result = fargo("init", "--region", "eu-west-1", "-c", "/missing-dir/f.toml")
    refused(result, "--config /missing-dir/f.toml", "does not exist")


# --endpoint-url.

@pytest.mark.parametrize("url", [
    "localhost:4566",  # no scheme
    "ftp://127.0.0.1:21",  # not http
    "http://127.0.0.1:99999",  # port out of range
    "http://127.0.0.1:port",  # port not a number
    "http://127.0.0.1:0",
    "http://local host:4566",  # a space
    "http://127.0.0.1:4566\n",  # a newline
    "http://",  # no host
    "",
])
@pytest.mark.parametrize("command", ["status", "plan", "destroy", "deploy"])
def test_malformed_endpoint_url_is_refused_before_any_call(command, url, no_aws_call):
    result = fargo(command, "--region", "us-east-1", "--yes", "--endpoint-url", url) \
        if command in ("destroy", "deploy") else \
        fargo(command, "--region", "us-east-1", "--endpoint-url", url)
    refused(result, "--endpoint-url", "http://HOST:PORT")


# validate and cfn-lint's regions.

def test_validate_in_a_region_cfn_lint_does_not_know_is_one_line():
    result = fargo("validate", "--region", "eu-north-9", "--no-https")
    refused(result, "region 'eu-north-9'", "cfn-lint", "did you mean eu-north-1?")


# A broken local AWS setup: one line naming the profile or file, exit 2, on every path.

PATHS = {"aws": [], "loopback endpoint": ["--endpoint-url", "http://127.0.0.1:9"]}


def remove_environment_keys(monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")


def aws_config(text: str) -> None:
    import os

    Path(os.environ["AWS_CONFIG_FILE"]).write_text(text)


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_missing_profile_from_the_flag_is_one_line(path, monkeypatch):
    remove_environment_keys(monkeypatch)
    result = fargo("status", "--region", "eu-west-1", "--profile", "nope", *path)
    refused(result, "'nope'", "--profile")


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_missing_profile_from_the_environment_is_one_line(path, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "nope")
    refused(fargo("status", "--region", "eu-west-1", *path), "'nope'", "AWS_PROFILE")


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_aws_config_file_that_does_not_parse_is_one_line(path, monkeypatch):
    import os

    aws_config("[default\nregion = eu-west-1\n")
    line = refused(fargo("status", "--region", "eu-west-1", *path), "does not parse")
    assert os.environ["AWS_CONFIG_FILE"] in line


@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_access_key_without_secret_is_one_line(path, monkeypatch):
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    refused(fargo("status", "--region", "eu-west-1", *path), "AWS_SECRET_ACCESS_KEY")


def test_access_key_without_secret_in_a_profile_names_the_profile_and_file(monkeypatch):
    import os

    remove_environment_keys(monkeypatch)
    aws_config("[profile half]\naws_access_key_id = AKIAEXAMPLE\n")
    line = refused(fargo("status", "--region", "eu-west-1", "--profile", "half"),
                   "'half'", "aws_secret_access_key")
    assert os.environ["AWS_CONFIG_FILE"] in line


@pytest.mark.parametrize("output", ["", "not json"], ids=["fails", "prints garbage"])
@pytest.mark.parametrize("path", PATHS.values(), ids=PATHS.keys())
def test_failing_credential_process_is_one_line(path, output, monkeypatch):
    remove_environment_keys(monkeypatch)
    script = f"print({output!r}) if {bool(output)} else exit(3)"
    aws_config(f'[profile tool]\ncredential_process = {sys.executable} -c "{script}"\n')
    refused(fargo("status", "--region", "eu-west-1", "--profile", "tool", *path),
            "'tool'", "credential_process")


def test_local_emulator_ignores_a_broken_aws_setup(monkeypatch):
    from fargo.commands.invocation import Invocation
    from fargo.commands.session import open_session

    aws_config("[default\n")
    monkeypatch.setenv("AWS_PROFILE", "nope")
    with open_session(Invocation(local=True), identity_only=True) as session:
        stacks = session.aws.client("cloudformation").describe_stacks()["Stacks"]
    assert stacks == []


# An endpoint answering garbage.

@pytest.mark.parametrize(("status", "body"), [
    (200, b"<<garbage>>"),
    (200, b'{"invalid": json'),
    (200, b"\xff\xfe\x00"),
    (400, b"<<garbage>>"),
])
def test_endpoint_answering_garbage_is_one_line_exit_1(status, body):
    with JunkEndpoint(body, status) as endpoint:
        result = fargo("status", "--region", "us-east-1", "--endpoint-url", endpoint.url)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: cloudformation DescribeStacks: the endpoint's answer is not "
                           "an AWS response")
    assert "Traceback" not in result.output


# status and destroy need only the identity.

UNRELATED_BAD = {"FARGO_HTTPS": "maybe", "FARGO_CPU": "abc", "FARGO_TAGS": "team",
                 "FARGO_SCHEDULES": "[{"}


@pytest.fixture
def bad_unrelated_settings():
    Path("fargo.toml").write_text('region = "eu-west-1"\ncpu = "abc"\nregoin = 1\n'
                                  'port = true\n')
    return UNRELATED_BAD


def test_bad_unrelated_settings_do_not_block_status(aws, bad_unrelated_settings):
    result = fargo("status", env=bad_unrelated_settings)
    assert result.exit_code == 3, result.output  # ExitCode.NOT_DEPLOYED: nothing blocked it
    assert "l42-dev: not deployed in eu-west-1" in result.output


def test_bad_unrelated_settings_do_not_block_destroy(aws, bad_unrelated_settings):
    result = fargo("destroy", "--yes", env=bad_unrelated_settings)
    assert result.exit_code == 0, result.output
    assert "nothing to destroy" in result.output


def test_a_bad_identity_still_blocks_status(aws, bad_unrelated_settings, no_aws_call):
    result = fargo("status", env={**bad_unrelated_settings, "FARGO_NAME": "no spaces please"})
    refused(result, "name", "FARGO_NAME")


def test_bad_unrelated_settings_still_block_synth(bad_unrelated_settings):
    result = fargo("synth", env=bad_unrelated_settings)
    assert result.exit_code == 2
    assert "FARGO_HTTPS" in result.stderr
