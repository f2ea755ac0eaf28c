"""`fargo env deploy|status|destroy` and `fargo deploy|plan|status|destroy [SERVICE]` with a
file of [environment] and [services.NAME] tables, on the in-process emulator; a
single-service file takes no SERVICE but its own name, and no `fargo env`."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app

runner = CliRunner()
APP_FILE = """
[environment]
name = "shop"
region = "eu-west-1"
domain = "example.com"
hosted_zone = "example.com"

[services.web]
host = "app.example.com"

[services.api]
path = "/api/*"
"""


@pytest.fixture
def app_file(aws, tmp_path, monkeypatch):
    """The file, with its zone in the emulator; the CLI's own AWS context is not marked
    emulated (no endpoint), so the health checks that would leave the machine are skipped."""
    from fargo.emulator.server import ensure_hosted_zone
    from fargo.engine import post_deploy

    monkeypatch.setattr(post_deploy, "checks", lambda *a: [])
    ensure_hosted_zone(aws.client("route53"), "example.com")
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE)
    return str(path)


@pytest.fixture
def single_file(tmp_path):
    path = tmp_path / "single.toml"
    path.write_text('name = "l42"\nregion = "eu-west-1"\nhttps = false\n')
    return str(path)


def fargo(*args: str):
    return runner.invoke(app, [*args, "--timeout", "1"] if args[-1] == "--yes" else list(args))


def test_environment_then_services_deploy_plan_status_and_destroy(app_file):
    deployed = fargo("env", "deploy", "-c", app_file, "--yes")
    assert deployed.exit_code == 0, deployed.output
    assert "deployed environment shop-dev-env" in deployed.output
    services = fargo("deploy", "-c", app_file, "--yes")
    assert services.exit_code == 0, services.output
    assert "shop-dev-web" in services.output and "shop-dev-api" in services.output
    planned = fargo("plan", "api", "-c", app_file)
    assert planned.exit_code == 0, planned.output
    assert "shop-dev-api: no changes" in planned.output
    shown = fargo("env", "status", "-c", app_file)
    assert shown.exit_code == 0, shown.output
    assert all(name in shown.output for name in ("shop-dev-env", "shop-dev-web", "shop-dev-api"))
    refused = fargo("env", "destroy", "-c", app_file, "--yes")
    assert refused.exit_code == 1 and "still has service stack" in refused.output
    web = fargo("destroy", "web", "-c", app_file, "--yes")
    assert web.exit_code == 0, web.output
    assert "nothing of shop-dev-web is left" in web.output
    everything = fargo("env", "destroy", "--all", "-c", app_file, "--yes")
    assert everything.exit_code == 0, everything.output
    assert "removed stack shop-dev-api" in everything.output


def test_an_unknown_service_is_refused_before_any_change(app_file):
    result = fargo("deploy", "shop", "-c", app_file, "--yes")
    assert result.exit_code == 2
    assert "service shop is not in the file, which has web, api" in result.output


def test_destroy_of_an_app_file_names_the_service(app_file):
    result = fargo("destroy", "-c", app_file, "--yes")
    assert result.exit_code == 2 and "fargo env destroy --all" in result.output


@pytest.mark.parametrize("args", [["status", "other"], ["plan", "other"],
                                  ["status", "--env", "prod"]])
def test_a_single_service_file_takes_only_its_own_name(aws, single_file, args):
    result = fargo(*args, "-c", single_file)
    assert result.exit_code == 2, result.output


def test_a_single_service_file_takes_its_own_name(aws, single_file):
    result = fargo("status", "l42", "-c", single_file)
    assert result.exit_code == 3, result.output  # not deployed
    assert "l42-dev: not deployed" in result.output


def test_env_needs_a_file_with_services(aws, single_file):
    result = fargo("env", "status", "-c", single_file)
    assert result.exit_code == 2 and "[services.NAME]" in result.output


def test_env_help_has_examples():
    for verb in ("deploy", "status", "destroy"):
        result = runner.invoke(app, ["env", verb, "--help"])
        assert result.exit_code == 0 and "Examples:" in result.output
