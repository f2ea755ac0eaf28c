"""`fargo env deploy|status|destroy` and `fargo deploy|plan|status|destroy [SERVICE]` with a
file of [environment] and [services.NAME] tables, on the in-process emulator; a
single-service file takes no SERVICE but its own name, and no `fargo env`."""

from __future__ import annotations

from pathlib import Path

import pytest
from template_assertions import TWO_SERVICES_FILE
from typer.testing import CliRunner

from fargo.cli.app import app

runner = CliRunner()
APP_FILE = TWO_SERVICES_FILE


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
    assert "cost: total: US$" in deployed.output  # the environment stack alone: no tasks
    assert "a month at 0 tasks" not in deployed.output
    services = fargo("deploy", "-c", app_file, "--yes")
    assert services.exit_code == 0, services.output
    assert "shop-dev-web" in services.output and "shop-dev-api" in services.output
    planned = fargo("plan", "api", "-c", app_file)
    assert planned.exit_code == 0, planned.output
    assert "shop-dev-api: no changes" in planned.output
    grown = Path(app_file).with_name("grown.toml")
    grown.write_text(APP_FILE.replace('path = "/api/*"', 'path = "/api/*"\nmax_count = 6'))
    bigger = fargo("plan", "api", "-c", str(grown))
    assert bigger.exit_code == 0, bigger.output
    assert "cost: " in bigger.output and "/month at the maximum task count" in bigger.output
    # the settings that differ from the deployed record, with where the new value comes from
    assert "settings changed since the last deploy (1):" in bigger.output
    assert "max_count: 2 -> 6  (from grown.toml [services.api])" in bigger.output
    shown = fargo("env", "status", "-c", app_file)
    # this CLI's context is not marked emulated, so no running task is judged, as on AWS
    assert shown.exit_code == 4, shown.output
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


def test_status_of_an_environment_exits_as_a_single_service_status_does(app_file):
    """3 while the environment or a service asked about is not deployed, 4 when one is
    unhealthy (this CLI's context is not marked emulated, so the service's task that never
    runs is judged, as on AWS); --json holds every stack asked about."""
    import json

    assert fargo("status", "-c", app_file).exit_code == 3
    assert fargo("env", "deploy", "-c", app_file, "--yes").exit_code == 0
    assert fargo("deploy", "web", "-c", app_file, "--yes").exit_code == 0
    assert fargo("status", "-c", app_file).exit_code == 3  # api is not deployed
    assert fargo("env", "status", "-c", app_file).exit_code == 3
    web = fargo("status", "web", "-c", app_file, "--json")
    assert web.exit_code == 4, web.output
    document = json.loads(web.stdout)
    assert document["command"] == "status" and document["verdict"] == "unhealthy"
    assert document["environment"]["stack_name"] == "shop-dev-env"
    assert document["environment"]["verdict"] == "healthy"
    assert list(document["services"]) == ["web"]
    assert document["services"]["web"]["stack_status"] == "CREATE_COMPLETE"
    assert document["services"]["web"]["problems"] == ["0 of 1 tasks running"]
    assert fargo("deploy", "api", "-c", app_file, "--yes").exit_code == 0
    everything = fargo("env", "status", "-c", app_file, "--json")
    assert everything.exit_code == 4, everything.output
    assert sorted(json.loads(everything.stdout)["services"]) == ["api", "web"]
    assert fargo("env", "destroy", "--all", "-c", app_file, "--yes").exit_code == 0


def test_plan_of_an_environment_file_takes_json_and_exit_code(app_file):
    import json

    assert fargo("env", "deploy", "-c", app_file, "--yes").exit_code == 0
    planned = fargo("plan", "-c", app_file, "--json", "--exit-code")
    assert planned.exit_code == 5, planned.output
    document = json.loads(planned.stdout)
    assert document["command"] == "plan" and document["has_changes"] is True
    assert [s["stack_name"] for s in document["stacks"]] == ["shop-dev-web", "shop-dev-api"]
    assert all(s["creates_stack"] for s in document["stacks"])
    assert any(r["type"] == "AWS::ECS::Service" for r in document["stacks"][0]["resources"])
    deployed = fargo("deploy", "-c", app_file, "--yes", "--json")
    assert deployed.exit_code == 0, deployed.output
    result = json.loads(deployed.stdout)  # stdout holds the one object, outputs included
    assert result["command"] == "deploy"
    assert [(s["stack_name"], s["outcome"]) for s in result["stacks"]] == [
        ("shop-dev-web", "deployed"), ("shop-dev-api", "deployed")]
    assert result["stacks"][0]["outputs"]
    unchanged = fargo("plan", "api", "-c", app_file, "--exit-code")
    assert unchanged.exit_code == 0, unchanged.output
    destroyed = fargo("destroy", "web", "-c", app_file, "--yes", "--json")
    assert destroyed.exit_code == 0, destroyed.output
    gone = json.loads(destroyed.stdout)
    assert (gone["command"], gone["stack_name"], gone["complete"]) == (
        "destroy", "shop-dev-web", True)
    assert "stack shop-dev-web" in gone["removed"]
    assert fargo("env", "destroy", "--all", "-c", app_file, "--yes").exit_code == 0


def test_deploy_local_of_an_environment_file_deploys_everything_and_tears_it_down(tmp_path):
    """No `aws` fixture: --local starts the embedded emulator (moto's server on loopback)."""
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE.replace('region = "eu-west-1"\n', ""))
    result = runner.invoke(app, ["deploy", "--local", "--yes", "-c", str(path)])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "LOCAL EMULATOR" in output
    assert "hosted zone example.com created in the emulator" in output
    assert "deployed environment shop-dev-env" in output
    assert "deployed service shop-dev-web" in output and "deployed service shop-dev-api" in output
    assert "tearing the local deploy down" in output
    assert "removed stack shop-dev-web" in output and "removed stack shop-dev-env" in output
    assert "us-east-1" in output  # the local region, as for a single service
    assert "in shop-dev-web the emulator did not create" in output


def test_local_and_endpoint_url_exclude_each_other_for_an_environment_file(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE)
    result = runner.invoke(app, ["deploy", "--local", "--endpoint-url", "http://127.0.0.1:1",
                                 "--yes", "-c", str(path)])
    assert result.exit_code == 2
    assert "--local and --endpoint-url exclude each other" in result.output


def test_status_watch_of_an_environment_file_redraws_until_ctrl_c(app_file, monkeypatch):
    import time

    def interrupt(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", interrupt)
    result = runner.invoke(app, ["status", "-c", app_file, "--watch"])
    assert result.exit_code == 0, result.output
    assert "shop-dev-env: not deployed in eu-west-1" in result.stdout
    assert "shop-dev-web: not deployed in eu-west-1" in result.stdout
    assert "stopped watching" in result.stderr
    both = runner.invoke(app, ["status", "-c", app_file, "--watch", "--json"])
    assert both.exit_code == 2 and "exclude each other" in both.stderr


def test_synth_of_an_environment_file_prints_each_stack(tmp_path):
    import json

    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE)
    environment = runner.invoke(app, ["synth", "-c", str(path)])
    assert environment.exit_code == 0, environment.output
    resources = json.loads(environment.stdout)["Resources"]
    assert any(r["Type"] == "AWS::ElasticLoadBalancingV2::LoadBalancer"
               for r in resources.values())
    api = runner.invoke(app, ["synth", "-c", str(path), "--stack", "api", "--format", "yaml"])
    assert api.exit_code == 0, api.output
    assert "AWS::ECS::Service" in api.stdout
    unknown = runner.invoke(app, ["synth", "-c", str(path), "--stack", "registry"])
    assert unknown.exit_code == 2
    assert unknown.stderr.strip().splitlines()[-1] == (
        "error: --stack 'registry' is not a stack of this file: use environment, web, api")
    single = tmp_path / "single.toml"
    single.write_text('name = "l42"\nregion = "eu-west-1"\n')
    refused = runner.invoke(app, ["synth", "-c", str(single), "--env", "prod"])
    assert refused.exit_code == 2 and "--env applies to a file with [services]" in refused.stderr


def test_validate_of_an_environment_file_lints_every_stack(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE.replace('host = "app.example.com"',
                                     'host = "app.example.com"\nbuild = "web"'))
    result = runner.invoke(app, ["validate", "-c", str(path)])
    assert result.exit_code == 0, result.output
    assert ("shop-dev-env: settings valid, 4 templates (environment, web, web-registry, api) "
            "clean under cfn-lint") in result.stderr


def test_a_day_two_hint_names_the_command_it_is_for(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE)
    result = runner.invoke(app, ["history", "-c", str(path)])
    assert result.exit_code == 2
    assert "name one, e.g. `fargo history web`" in result.stderr
