"""Each command takes only the flags it uses, no two options share a flag, help shows numbers
as numbers and answers to -h."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import Settings

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
SETTING_FLAGS = {"--" + name.replace("_", "-") for name in Settings.model_fields}
IDENTITY_FLAGS = {"--name", "--environment", "--region"}
AWS_GLOBALS = {"--config", "-c", "--profile", "--endpoint-url", "--debug", "-h", "--help"}
SETTING_COMMANDS = ["init", "synth", "validate", "plan", "deploy"]

runner = CliRunner()


def command_contexts():
    """(name, command, context) for every command of the click app, with the root's context
    settings (so the help option is the one users get)."""
    group = get_command(app)
    root = group.context_class(group, info_name="fargo", **group.context_settings)
    for name, command in group.commands.items():
        yield name, command, command.context_class(command, info_name=name, parent=root)


def flags(command, ctx, hidden: bool = True) -> list[str]:
    return [flag for param in command.get_params(ctx)
            if hidden or not getattr(param, "hidden", False)
            for flag in (*param.opts, *param.secondary_opts)]


def test_the_app_has_the_seven_commands():
    """The seven first, in this order; later commands (cost, diagram, ...) follow them."""
    names = [name for name, _, _ in command_contexts()]
    assert names[:7] == ["init", "synth", "validate", "plan", "deploy", "status", "destroy"]
    assert {"cost", "diagram"} <= set(names)


@pytest.mark.parametrize("name", ["init", "synth", "validate", "plan", "deploy", "status",
                                  "destroy"])
def test_no_command_has_two_options_sharing_a_flag(name):
    (command, ctx), = [(c, x) for n, c, x in command_contexts() if n == name]
    seen = flags(command, ctx)
    assert "-h" in seen and "--help" in seen
    if name in SETTING_COMMANDS:
        assert "--no-https" in seen  # the --no- forms are checked too
    duplicates = sorted({flag for flag in seen if seen.count(flag) > 1})
    assert not duplicates, f"fargo {name}: {duplicates}"


def test_status_takes_only_the_identity_and_the_aws_options():
    """And its own: SERVICE and --env (files of [services]), --json, --watch, --interval."""
    (command, ctx), = [(c, x) for n, c, x in command_contexts() if n == "status"]
    assert set(flags(command, ctx, hidden=False)) == IDENTITY_FLAGS | AWS_GLOBALS | {
        "service", "--env", "--json", "--watch", "--interval"}


def test_destroy_takes_only_the_identity_the_aws_options_and_its_own():
    (command, ctx), = [(c, x) for n, c, x in command_contexts() if n == "destroy"]
    assert set(flags(command, ctx, hidden=False)) == IDENTITY_FLAGS | AWS_GLOBALS | {
        "--yes", "-y", "--keep-registry", "--timeout", "service", "--env", "--json"}


@pytest.mark.parametrize("name", SETTING_COMMANDS)
def test_commands_that_render_take_every_setting_flag(name):
    (command, ctx), = [(c, x) for n, c, x in command_contexts() if n == name]
    assert SETTING_FLAGS <= set(flags(command, ctx, hidden=False))


@pytest.mark.parametrize("name", ["init", "synth", "validate"])
def test_offline_commands_take_no_aws_options(name):
    (command, ctx), = [(c, x) for n, c, x in command_contexts() if n == name]
    assert not {"--profile", "--endpoint-url", "--local"} & set(flags(command, ctx))


def test_identity_flags_are_the_settings_the_session_keeps():
    from fargo.cli.options import IDENTITY as FLAGS
    from fargo.commands.session import IDENTITY as KEPT

    assert FLAGS == KEPT


def wide_help(*args: str) -> str:
    result = runner.invoke(app, [*args], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", [None, "init", "synth", "validate", "plan", "deploy",
                                  "status", "destroy"])
def test_dash_h_is_help(name):
    args = [name] if name else []
    assert wide_help(*args, "-h") == wide_help(*args, "--help")
    assert wide_help(*args, "-h").startswith("Usage: fargo")


@pytest.mark.parametrize("name", ["status", "destroy"])
def test_help_of_status_and_destroy_lists_no_setting_but_the_identity(name):
    text = wide_help(name, "--help")
    for flag in SETTING_FLAGS - IDENTITY_FLAGS:
        assert f"{flag} " not in text, flag
    assert "--local" not in text
    for flag in IDENTITY_FLAGS:
        assert flag in text


def test_help_shows_numbers_as_numbers_and_choices_as_choices():
    text = wide_help("deploy", "--help")
    for shown in ("--port INTEGER", "--desired-count INTEGER", "--scaling-cpu-target FLOAT",
                  "--timeout FLOAT", "--network [nat|isolated|public]",
                  "--http-redirect-code [301|302]", "--tags KEY=VALUE,..."):
        assert shown in text, shown


def test_a_setting_flag_on_status_is_refused_in_one_line():
    result = runner.invoke(app, ["status", "--region", "eu-west-1", "--cpu", "999"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: `fargo status` has no option --cpu: see `fargo status -h` for its options"]


def test_a_number_flag_that_is_not_a_number_names_the_flag():
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https",
                                 "--port", "eighty"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: port = 'eighty' in --port: ")


def test_an_empty_number_flag_still_means_the_default():
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https", "--port", ""])
    assert result.exit_code == 0, result.output


# destroy's switch and the keep_images setting no longer share --keep-images.

@pytest.fixture
def destroy_calls(monkeypatch):
    """What `fargo destroy` asked of the library, without AWS."""
    import fargo.commands.destroy as destroy_module
    from fargo.commands.destroy import DestroyScope
    from fargo.engine.destroy import DestroyResult

    calls = []

    def scope(aws, settings, keep):
        calls.append(("scope", keep))
        return DestroyScope(settings.stack_name, aws.region, None)

    def destroy(aws, settings, reporter, keep=False, timing=None):
        calls.append(("destroy", keep))
        return DestroyResult(settings.stack_name, stack_existed=True)

    monkeypatch.setattr(destroy_module, "destroy_scope", scope)
    monkeypatch.setattr(destroy_module, "destroy_service", destroy)
    return calls


def test_destroy_keep_registry_keeps_the_registry(destroy_calls):
    result = runner.invoke(app, ["destroy", "--region", "eu-west-1", "--keep-registry", "--yes"])
    assert result.exit_code == 0, result.output
    assert destroy_calls == [("scope", True), ("destroy", True)]


def test_destroy_without_keep_registry_removes_the_registry(destroy_calls):
    result = runner.invoke(app, ["destroy", "--region", "eu-west-1", "--yes"])
    assert result.exit_code == 0, result.output
    assert destroy_calls == [("scope", False), ("destroy", False)]


def test_destroy_refuses_keep_images_and_points_to_keep_registry(destroy_calls):
    result = runner.invoke(app, ["destroy", "--region", "eu-west-1", "--keep-images", "--yes"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: `fargo destroy` has no option --keep-images: did you mean --keep-registry?"]
    assert destroy_calls == []


def test_keep_images_setting_still_takes_a_number_on_deploy_and_synth():
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https", "--build", ".",
                                 "--stack", "registry", "--keep-images", "5"])
    assert result.exit_code == 0, result.output
    assert '\\"countNumber\\": 5' in result.stdout or '"countNumber": 5' in result.stdout
