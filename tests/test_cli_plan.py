"""`fargo plan` and `fargo deploy` against a deployed stack (moto): the settings diff with
where each new value comes from, `--json` documents, `plan --exit-code` (5: changes), and
`--json` refusing to run a deploy or destroy without --yes."""

from __future__ import annotations

import json

import pytest
from engine_support import FAST, answers, request_for
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.commands.plan import settings_diff
from fargo.engine import deploy as engine

runner = CliRunner()
NEW_IMAGE = "public.ecr.aws/nginx/nginx:1.27"


@pytest.fixture
def deployed(aws):
    settings, request = request_for(aws)
    engine.deploy(aws, request, answers(), FAST)
    return aws, settings, ["--region", "eu-west-1", "--certificate-arn",
                           settings.certificate_arn]


def test_settings_diff_names_each_change_and_its_source(deployed):
    aws, settings, _ = deployed
    changed = settings.model_copy(update={"image": NEW_IMAGE, "max_count": 4})
    diff = settings_diff(aws, changed, {"image": "--image", "max_count": "fargo.toml"})
    assert diff.recorded
    by_name = {d.name: d for d in diff.differences}
    assert set(by_name) == {"image", "max_count"}
    assert (by_name["image"].before, by_name["image"].after) == (settings.image, NEW_IMAGE)
    assert by_name["image"].source == "--image" and by_name["max_count"].source == "fargo.toml"
    assert settings_diff(aws, settings).differences == []


def test_settings_diff_before_the_first_deploy_is_empty(aws):
    from template_assertions import settings_for

    assert not settings_diff(aws, settings_for()).recorded


def test_plan_starts_with_the_settings_that_differ(deployed):
    _, settings, args = deployed
    result = runner.invoke(app, ["plan", *args, "--image", NEW_IMAGE], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "settings changed since the last deploy (1):" in result.stderr
    assert f"image: '{settings.image}' -> '{NEW_IMAGE}'  (from --image)" in result.stderr
    assert result.stderr.index("settings changed") < result.stderr.index("Changes to")


def test_plan_exit_code_is_5_with_changes_and_0_without(deployed):
    _, _, args = deployed
    assert runner.invoke(app, ["plan", *args, "--image", NEW_IMAGE,
                               "--exit-code"]).exit_code == 5
    same = runner.invoke(app, ["plan", *args, "--exit-code"])
    assert same.exit_code == 0, same.output
    assert "no changes" in same.stderr


def test_plan_json_is_one_object_on_stdout(deployed):
    _, settings, args = deployed
    result = runner.invoke(app, ["plan", *args, "--image", NEW_IMAGE, "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document) == ["command", "schema", "stack_name", "region", "has_changes",
                              "creates_stack", "change_set", "settings", "resources", "notes"]
    assert document["has_changes"] is True and document["change_set"] is None
    assert document["settings"]["changes"] == [{
        "name": "image", "setting": "image", "before": settings.image, "after": NEW_IMAGE,
        "source": "--image"}]
    resource = document["resources"][0]
    assert set(resource) == {"logical_id", "type", "action", "reason", "properties"}


def test_deploy_json_prints_the_outcome_and_outputs_only(deployed, monkeypatch):
    import fargo.commands.session as session_module

    _, settings, args = deployed
    monkeypatch.setattr(session_module, "_is_loopback", lambda url: True)  # no health request
    result = runner.invoke(app, ["deploy", *args, "--image", NEW_IMAGE, "--yes", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["command"] == "deploy" and document["outcome"] == "deployed"
    assert document["settings"]["changes"][0]["after"] == NEW_IMAGE
    assert document["outputs"] and all(isinstance(v, str) for v in document["outputs"].values())
    assert all(set(check) == {"name", "outcome", "detail"} for check in document["checks"])
    assert "settings changed" in result.stderr  # progress and the diff: stderr


@pytest.mark.parametrize("command", ["deploy", "destroy"])
def test_json_without_yes_is_refused_before_any_call(command):
    result = runner.invoke(app, [command, "--region", "eu-west-1", "--json"])
    assert result.exit_code == 2
    assert f"{command} --json needs --yes" in result.stderr


def test_destroy_json(deployed):
    _, settings, args = deployed
    result = runner.invoke(app, ["destroy", "--region", "eu-west-1", "--yes", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["command"] == "destroy" and document["complete"] is True
    assert document["existed"] is True and any("stack" in r for r in document["removed"])
