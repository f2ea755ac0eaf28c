"""Every command that validates the settings prints their advisories (`warning:` lines) on
stderr, with the sources of the values; synth's stdout stays the template alone."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app

WARNING = "warning: cpu (4096) is more than this service needs in --cpu: lower it"
ARGS = ["--region", "eu-west-1", "--no-https", "--cpu", "4096", "--memory", "8192"]

runner = CliRunner()


@pytest.fixture
def advised(monkeypatch):
    """sources.advisories answers one warning; records the origin it was given."""
    from fargo.config import sources

    seen = []

    def advisories(settings, origin=None, environ=None):
        seen.append(dict(origin or {}))
        return [WARNING]

    monkeypatch.setattr(sources, "advisories", advisories)
    return seen


def assert_warned(result, seen) -> None:
    assert result.exit_code == 0, result.output
    assert WARNING in result.stderr.splitlines()
    assert seen and seen[-1]["cpu"] == "--cpu" and seen[-1]["region"] == "--region"


def test_synth_prints_advisories_on_stderr_and_only_the_template_on_stdout(advised):
    result = runner.invoke(app, ["synth", *ARGS])
    assert_warned(result, advised)
    assert json.loads(result.stdout)["Resources"]
    assert "warning" not in result.stdout


def test_validate_prints_advisories(advised, monkeypatch):
    import fargo.commands.synth as synth_module

    monkeypatch.setattr(synth_module, "lint_template", lambda text, region: [])
    assert_warned(runner.invoke(app, ["validate", *ARGS]), advised)


def test_init_prints_advisories_of_the_flags_it_writes(advised):
    assert_warned(runner.invoke(app, ["init", *ARGS]), advised)
    assert Path("fargo.toml").exists()


def test_plan_prints_advisories(advised, monkeypatch):
    import fargo.commands.deploy as deploy_module

    empty = SimpleNamespace(empty=True, stack_name="l42-dev")
    monkeypatch.setattr(deploy_module, "plan_service", lambda aws, settings, keep: (empty, []))
    assert_warned(runner.invoke(app, ["plan", *ARGS]), advised)


def test_deploy_prints_advisories(advised, monkeypatch):
    import fargo.commands.deploy as deploy_module

    monkeypatch.setattr(deploy_module, "check_build_inputs", lambda *_: None)
    monkeypatch.setattr(deploy_module, "deploy_service", lambda *_a, **_k: (
        SimpleNamespace(outcome="cancelled"), SimpleNamespace(notes=[])))
    result = runner.invoke(app, ["deploy", "--yes", *ARGS])
    assert_warned(result, advised)
    assert "cancelled" in result.output


@pytest.mark.parametrize("command", [["status"], ["destroy", "--yes"]])
def test_identity_commands_validate_no_settings_to_advise_on(command, advised, aws):
    result = runner.invoke(app, [*command, "--region", "eu-west-1"])
    assert result.exit_code == (3 if command == ["status"] else 0), result.output  # 3: not deployed
    assert advised == [] and "warning" not in result.stderr
