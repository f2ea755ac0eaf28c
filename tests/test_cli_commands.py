"""The commands a user starts with: `fargo init`, `fargo synth` and `fargo validate`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from cfn_flip import to_json
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import load_settings
from fargo.config.settings import Settings

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
VALID = ["--region", "eu-west-1", "--certificate-arn", CERT]
SCHEDULES = [{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 4,
              "timezone": "Europe/Berlin"}]

runner = CliRunner()


def fargo(*args: str, env: dict | None = None):
    return runner.invoke(app, list(args), env=env)


def init(*args: str):
    result = fargo("init", *args)
    assert result.exit_code == 0, result.output
    return result


# fargo init

def test_init_writes_fargo_toml_that_parses_as_toml():
    init(*VALID)
    assert tomllib.loads(Path("fargo.toml").read_text())["region"] == "eu-west-1"


def test_init_file_has_every_setting_under_a_comment():
    init(*VALID)
    lines = Path("fargo.toml").read_text().splitlines()
    for name in Settings.model_fields:
        keys = [i for i, line in enumerate(lines)
                if line.lstrip("# ").startswith((f"{name} = ", f"[[{name}]]"))]
        assert keys, f"{name} is not in the file"
        assert lines[keys[0] - 1].startswith("# "), f"{name} has no comment above it"


def test_init_file_leaves_unchosen_settings_as_commented_defaults():
    init(*VALID)
    text = Path("fargo.toml").read_text()
    assert "# max_count = 2\n" in text
    assert set(tomllib.loads(text)) == {"region", "certificate_arn"}


def test_init_file_commented_defaults_are_toml_of_the_models_defaults():
    init(*VALID)
    plain_keys = Path("fargo.toml").read_text().split("[[schedules]]")[0]  # not the example
    checked = set()
    for line in plain_keys.splitlines():
        name = line.removeprefix("# ").split(" = ")[0]
        field = Settings.model_fields.get(name)
        if line.startswith("# ") and field is not None and field.default is not None:
            value = tomllib.loads(line.removeprefix("# "))[name]
            assert value == field.get_default(call_default_factory=True), name
            checked.add(name)
    without_default = {"region", "certificate_arn", "health_check_path", "schedules", "build",
                       "domain", "hosted_zone", "user", "secrets_kms_key",
                       # derived from the network profile (issue 10)
                       "ecs_exec", "drop_capabilities", "dns_firewall", "flow_logs",
                       # day two (issue 12): no address, a base only with capacity "mixed"
                       "alarm_email", "capacity_base"}
    assert checked == set(Settings.model_fields) - without_default


def test_init_file_round_trips_to_the_flags_values():
    init("--region", "eu-west-1", "--no-https", "--min-count", "2", "--max-count", "4",
         "--desired-count", "3", "--http-redirect-code", "301", "--tags", "team=web,cost=42",
         "--container-environment", "MODE=demo", "--vpc-endpoints", "ecr.api,ecr.dkr,logs,sns",
         "--scaling-cpu-target", "55.5", "--schedules", json.dumps(SCHEDULES))
    settings = load_settings(Path("fargo.toml"), {}, {})
    assert (settings.region, settings.https, settings.min_count, settings.max_count,
            settings.desired_count, settings.http_redirect_code, settings.scaling_cpu_target) == (
        "eu-west-1", False, 2, 4, 3, 301, 55.5)
    assert settings.tags == {"team": "web", "cost": "42"}
    assert settings.container_environment == {"MODE": "demo"}
    assert settings.vpc_endpoints == ["ecr.api", "ecr.dkr", "logs", "sns"]
    assert [s.model_dump(exclude_none=True) for s in settings.schedules] == SCHEDULES


def test_init_writes_numbers_from_flags_as_toml_numbers():
    init(*VALID, "--max-count", "4", "--http-redirect-code", "301")
    values = tomllib.loads(Path("fargo.toml").read_text())
    assert (values["max_count"], values["http_redirect_code"]) == (4, 301)


def test_init_refuses_to_overwrite_an_existing_file():
    Path("fargo.toml").write_text("# mine\n")
    result = fargo("init", *VALID)
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert Path("fargo.toml").read_text() == "# mine\n"


def test_init_with_force_overwrites_an_existing_file():
    Path("fargo.toml").write_text("# mine\n")
    init(*VALID, "--force")
    assert tomllib.loads(Path("fargo.toml").read_text())["region"] == "eu-west-1"


def test_init_writes_where_config_points():
    init(*VALID, "--config", "service.toml")
    assert Path("service.toml").exists() and not Path("fargo.toml").exists()


def test_init_without_certificate_has_nothing_to_do_as_deploy_generates_one():
    result = init("--region", "eu-west-1")
    assert result.exit_code == 0
    assert "to do" not in result.stderr


def test_init_lists_the_missing_region_as_still_to_do():
    result = init("--no-https")
    assert "region is not set" in result.stderr


def test_init_with_complete_settings_has_nothing_to_do():
    assert "to do" not in init(*VALID).stderr


def test_init_file_with_its_to_do_items_done_synthesizes():
    init("--region", "eu-west-1")
    result = fargo("synth", "--certificate-arn", CERT)
    assert result.exit_code == 0, result.output


def test_init_refuses_a_bad_flag_value_and_writes_nothing():
    result = fargo("init", *VALID, "--port", "70000")
    assert result.exit_code == 2
    assert "port" in result.stderr and "--port" in result.stderr
    assert not Path("fargo.toml").exists()


def test_init_refuses_unparsable_flag_text_without_a_traceback():
    result = fargo("init", *VALID, "--schedules", "[{")
    assert result.exit_code == 2
    assert "schedules in --schedules" in result.stderr
    assert not Path("fargo.toml").exists()


def test_init_tells_what_to_run_next():
    assert "fargo synth" in init(*VALID).stderr


# fargo synth

def synth_ok(*args: str):
    result = fargo("synth", *VALID, *args)
    assert result.exit_code == 0, result.output
    return result


def test_synth_prints_a_json_template_with_resources():
    template = json.loads(synth_ok().stdout)
    assert template["AWSTemplateFormatVersion"] == "2010-09-09"
    assert template["Resources"]


def test_synth_prints_yaml_of_the_same_template():
    as_json = json.loads(synth_ok().stdout)
    as_yaml = synth_ok("--format", "yaml").stdout
    assert not as_yaml.lstrip().startswith("{")
    assert json.loads(to_json(as_yaml)) == as_json


def test_synth_output_option_writes_the_file_and_nothing_to_stdout():
    printed = synth_ok().stdout
    result = synth_ok("-o", "template.json")
    assert result.stdout == ""
    assert Path("template.json").read_text() == printed


def test_synth_reads_fargo_toml_from_the_working_directory():
    Path("fargo.toml").write_text('region = "eu-west-1"\nhttps = false\nname = "shop"\n')
    result = fargo("synth")
    assert result.exit_code == 0, result.output
    assert "shop-dev" in result.stdout  # the stack name: service name and environment


def test_synth_refuses_an_unknown_format():
    result = fargo("synth", *VALID, "--format", "xml")
    assert result.exit_code == 2
    assert "--format" in result.stderr and "json or yaml" in result.stderr
    assert result.stdout == ""


# fargo validate (runs cfn-lint: the slowest test here)

def test_validate_says_the_template_is_clean_for_valid_settings():
    result = fargo("validate", *VALID)
    assert result.exit_code == 0, result.output
    assert "template clean" in result.stderr


# --help

def wide_help(command: str) -> str:
    result = fargo(command, "--help", env={"COLUMNS": "240"})
    assert result.exit_code == 0
    return result.stdout


@pytest.mark.parametrize("command", ["init", "synth", "validate"])
def test_help_shows_an_example(command):
    text = wide_help(command)
    assert "Example" in text
    assert f"fargo {command} --region" in text


@pytest.mark.parametrize("command", ["init", "synth", "validate"])
def test_help_lists_a_flag_for_every_setting(command):
    text = wide_help(command)
    for name in Settings.model_fields:
        assert "--" + name.replace("_", "-") in text, name


@pytest.mark.parametrize("command", ["init", "synth", "validate"])
def test_help_lists_the_config_option(command):
    assert "--config" in wide_help(command)


def test_help_shows_every_setting_flag_in_full_on_an_80_column_terminal():
    result = fargo("synth", "--help", env={"COLUMNS": "80"})
    for name in Settings.model_fields:
        assert "--" + name.replace("_", "-") in result.stdout, name


def test_synth_prints_the_registry_stack_template_on_request():
    result = fargo("synth", "--region", "eu-west-1", "--build", ".", "--stack", "registry")
    assert result.exit_code == 0, result.output
    assert '"AWS::ECR::Repository"' in result.stdout


def test_synth_refuses_an_unknown_stack_with_exit_2():
    result = fargo("synth", "--region", "eu-west-1", "--stack", "database")
    assert result.exit_code == 2
    assert "--stack 'database'" in result.stderr


def test_validate_with_build_lints_the_registry_template_too(monkeypatch):
    import fargo.commands.synth as synth_module

    linted = []
    monkeypatch.setattr(synth_module, "lint_template",
                        lambda text, region: linted.append(text) or [])
    result = fargo("validate", "--region", "eu-west-1", "--build", ".")
    assert result.exit_code == 0, result.output
    assert len(linted) == 2 and "AWS::ECR::Repository" in linted[1]


def test_version_prints_the_package_version():
    from fargo import __version__

    result = fargo("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"fargo {__version__}"
