"""`fargo cost` (offline estimate, --compare, --json, usage assumptions, a file of [services])
and `plan_cost_lines`, the bill lines `plan` and `deploy` print."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.commands.cost import compare_config, estimate_config, plan_cost_lines, usage_for
from fargo.cost import load
from fargo.errors import ConfigError
from tests.template_assertions import CERT, settings_for

runner = CliRunner()
US = CERT.replace("eu-west-1", "us-east-1")
EU = ["--region", "eu-west-1", "--certificate-arn", CERT]
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"


def fargo(*args: str):
    return runner.invoke(app, list(args))


@cache
def _template(items: tuple) -> str:
    from fargo.template import render

    return render(settings_for(**{"region": "us-east-1", "certificate_arn": US, **dict(items)}))


def template(**overrides) -> dict:
    return json.loads(_template(tuple(sorted(overrides.items(), key=str))))


# plan_cost_lines: what plan and deploy print


def test_a_first_create_prints_the_monthly_total_and_the_price_date():
    lines = plan_cost_lines(None, template(), "us-east-1")
    date = load("us-east-1").date
    assert len(lines) == 1
    assert lines[0].startswith("cost: total: US$")
    assert "a month at 1 task" in lines[0] and "at 2 tasks" in lines[0]
    assert f"prices of {date}" in lines[0]


def test_an_update_prints_the_delta_and_each_changed_line():
    """A NAT gateway per AZ: one more gateway (730 h x US$0.045 = US$32.85) and its Elastic
    IP (730 h x US$0.005 = US$3.65), as hand-computed from the us-east-1 table."""
    table = load("us-east-1")
    nat = 730 * table.get("nat.hour").price
    address = 730 * table.get("ipv4.hour").price
    lines = plan_cost_lines(template(), template(nat_per_az=True), "us-east-1")
    assert lines[1].startswith(f"cost: +US${nat + address:,.2f}/month: ")
    assert lines[2] == (f"  +US${nat:,.2f}/month: NAT gateway: hours (1 gateway(s), one for all "
                        "AZs -> 2 gateway(s), one per AZ)")
    assert lines[3] == (f"  +US${address:,.2f}/month: Public IPv4: addresses "
                        "(3 address(es) -> 4 address(es))")
    assert lines[2] == "  +US$32.85/month: NAT gateway: hours (1 gateway(s), one for all AZs -> " \
                       "2 gateway(s), one per AZ)"


def test_a_cheaper_change_is_negative_and_names_the_maximum_when_it_differs():
    lines = plan_cost_lines(template(), template(platform="linux/arm64"), "us-east-1")
    assert lines[1].startswith("cost: -US$")
    assert any("Fargate: vCPU, ARM, on-demand (new:" in line for line in lines)
    assert lines[-1].endswith("/month at the maximum task count")
    assert lines[-1].startswith("  -US$")


def test_no_change_says_so():
    lines = plan_cost_lines(template(), template(), "us-east-1")
    assert lines[1] == "cost: no change to the monthly estimate"


def test_templates_may_be_json_text_as_getTemplate_and_synth_give_them():
    old, new = _template(()), _template((("nat_per_az", True),))
    assert plan_cost_lines(old, new, "us-east-1") == plan_cost_lines(
        template(), template(nat_per_az=True), "us-east-1")


def test_a_region_without_a_price_table_does_not_fail_the_plan():
    lines = plan_cost_lines(None, template(), "ap-south-1")
    assert lines == [lines[0]] and lines[0].startswith("cost: not estimated (no price table")


# the library behind `fargo cost`


def test_stated_assumptions_feed_the_lines_they_name():
    est = estimate_config(None, {"region": "eu-west-1", "certificate_arn": CERT},
                          assumptions={"nat_gb": 50.0, "lcu": 2.0})
    nat = next(line for line in est.lines if line.label == "NAT gateway: data processed")
    assert nat.quantity == (50.0, 50.0) and "assumed 50 GB" in nat.assumption
    lcu = next(line for line in est.lines if line.item == "capacity units (LCU)")
    assert lcu.quantity == (2 * 730.0, 2 * 730.0)


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), "ten", True])
def test_a_bad_assumption_is_bad_input(value):
    with pytest.raises(ConfigError, match="--nat-gb .* is not a number >= 0"):
        usage_for("eu-west-1", {"nat_gb": value})


def test_compare_rows_follow_the_settings_and_skip_what_they_refuse():
    result = compare_config(None, {"region": "eu-west-1", "certificate_arn": CERT})
    names = [row.variant.name for row in result.rows]
    assert names[0] == "as configured (nat, x86, on-demand)"
    assert "nat, a NAT gateway per AZ" in names and "public" in names
    assert "nat, ARM on Spot" in names
    # the sample image is on the internet: an isolated network cannot pull it
    assert [name for name, _ in result.skipped] == ["isolated"]
    assert "cannot pull" in result.skipped[0][1]
    by_name = {row.variant.name: row for row in result.rows}
    assert by_name["nat, Spot"].group("Fargate")[0] < by_name["nat, ARM"].group("Fargate")[0] \
        < by_name["public"].group("Fargate")[0]
    assert by_name["public"].group("NAT") == (0.0, 0.0)


def test_compare_with_an_image_in_ecr_includes_isolated():
    result = compare_config(None, {"region": "eu-west-1", "certificate_arn": CERT,
                                   "image": ECR})
    assert not result.skipped
    isolated = next(row for row in result.rows if row.variant.name == "isolated")
    assert any(line.component == "DNS Firewall" for line in isolated.estimate.lines)


# the command


def test_cost_prints_every_line_with_its_assumption_totals_and_the_price_date():
    result = fargo("cost", *EU)
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    est = estimate_config(None, {"region": "eu-west-1", "certificate_arn": CERT})
    assert out[0].startswith(f"Monthly estimate for eu-west-1, prices of {est.price_date}")
    for line in est.lines:
        assert any(f"{line.label}: {line.assumption}" in text for text in out), line.label
    low, high = est.total
    assert f"Total: US${low:,.2f} a month at 1 task, US${high:,.2f} at 2 tasks" in out


def test_cost_takes_usage_assumptions_and_setting_flags():
    result = fargo("cost", *EU, "--nat-per-az", "--nat-gb", "40", "--max-count", "4")
    assert result.exit_code == 0, result.output
    assert "2 NAT gateway(s) (one per AZ)" in result.stdout
    assert "assumed 40 GB a month through the NAT gateway(s)" in result.stdout
    assert "at 4 tasks" in result.stdout


def test_cost_json_is_one_object_with_the_lines_and_totals():
    result = fargo("cost", *EU, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    est = estimate_config(None, {"region": "eu-west-1", "certificate_arn": CERT})
    assert document["total"] == [round(est.total[0], 2), round(est.total[1], 2)]
    assert document["price_date"] == est.price_date and document["currency"] == "USD"
    (stack,) = document["stacks"]
    assert len(stack["lines"]) == len(est.lines)
    assert {"component", "item", "assumption", "unit_price", "monthly"} <= set(stack["lines"][0])


def test_cost_compare_prints_the_variants_side_by_side():
    result = fargo("cost", *EU, "--compare")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "variant" in out and "Fargate" in out and "NAT" in out
    assert "nat, a NAT gateway per AZ" in out and "nat, ARM on Spot" in out
    assert "not compared: isolated: " in out


def test_cost_compare_json():
    result = fargo("cost", *EU, "--compare", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["variants"][0]["name"].startswith("as configured")
    assert document["skipped"][0]["name"] == "isolated"


def _write_app(path: Path) -> Path:
    path.write_text(
        '[environment]\nname = "shop"\nregion = "eu-west-1"\ndomain = "example.com"\n'
        'hosted_zone = "example.com"\n\n[services.web]\nhost = "app.example.com"\n\n'
        '[services.api]\npath = "/api/*"\n')
    return path


def test_cost_of_a_file_of_services_counts_the_environment_once_and_each_share(tmp_path):
    config = _write_app(tmp_path / "app.toml")
    result = fargo("cost", "--config", str(config))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "shop-dev-env (shared): US$" in out
    assert "shop-dev-web (service): US$" in out and "shop-dev-api (service): US$" in out
    assert "shop-dev-web's share (its lines and an equal part of the shared stacks): US$" \
        in out
    assert "a month at 2 tasks" in out  # one task each at the minimum
    document = json.loads(fargo("cost", "--config", str(config), "--json").stdout)
    roles = [stack["role"] for stack in document["stacks"]]
    assert roles == ["environment", "service", "service"]
    assert len(document["shares"]) == 2
    assert sum(share[0] for share in document["shares"].values()) == pytest.approx(
        document["total"][0], abs=0.02)


@pytest.mark.parametrize(("args", "message"), [
    (["--lcu", "-1"], "error: --lcu -1 is not a number >= 0"),
    (["--lcu", "lots"], "--lcu"),
    (["--env", "prod"], "error: --env chooses an environment of a file with [services]"),
    (["--compare", "--env", "prod"], "error: --compare prices one service and takes no --env"),
    (["--region", "ap-south-1"], "error: no price table for region 'ap-south-1'"),
    (["--no-such-flag"], "--no-such-flag"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    base = ["--no-https"] + ([] if "--region" in args else ["--region", "eu-west-1"])
    result = fargo("cost", *base, *args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert message in line


def test_compare_refuses_a_file_of_services(tmp_path):
    config = _write_app(tmp_path / "app.toml")
    result = fargo("cost", "--config", str(config), "--compare")
    assert result.exit_code == 2
    assert "--compare prices one service" in result.stderr


def test_cost_help_has_examples():
    result = fargo("cost", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "fargo cost --compare" in result.stdout
    assert "--nat-gb" in result.stdout and "--region" in result.stdout


# plan_cost: against the stack deployed now (GetTemplate), on the emulator


def test_plan_cost_of_a_first_create_is_the_total_alone(aws):
    from fargo.commands.cost import plan_cost

    settings = settings_for(region=aws.region, certificate_arn=CERT.replace(
        "eu-west-1", aws.region))
    lines = plan_cost(aws, settings)
    assert len(lines) == 1 and lines[0].startswith("cost: total: US$")


def test_plan_cost_reads_the_deployed_template_and_prints_the_delta(aws):
    from fargo.commands.cost import deployed_template, plan_cost

    settings = settings_for(region=aws.region, certificate_arn=CERT.replace(
        "eu-west-1", aws.region))
    old = {"Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
    aws.client("cloudformation").create_stack(StackName=settings.stack_name,
                                              TemplateBody=json.dumps(old))
    assert deployed_template(aws, settings.stack_name) == old
    lines = plan_cost(aws, settings)
    assert lines[1].startswith("cost: +US$")
    assert any(line.startswith("  +US$35.04/month: NAT gateway: hours (new: ")
               for line in lines), lines


def test_plan_cost_goes_on_when_the_template_cannot_be_read():
    from botocore.exceptions import ClientError

    from fargo.commands.cost import plan_cost

    class Refusing:
        region = "eu-west-1"

        def client(self, service):
            class Client:
                def get_template(self, **kwargs):
                    raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}},
                                      "GetTemplate")
            return Client()

    lines = plan_cost(Refusing(), settings_for(region="eu-west-1", certificate_arn=CERT))
    assert lines[0].startswith("cost: total: US$")
    assert lines[1].startswith("cost: no delta (error: reading the template of l42-dev "
                               "failed (AccessDenied)")


def test_plan_cost_of_a_change_set_that_creates_the_stack_makes_no_aws_call():
    from fargo.commands.cost import plan_cost

    class NoCalls:
        region = "eu-west-1"

        def client(self, service):
            raise AssertionError("no AWS call expected")

    lines = plan_cost(NoCalls(), settings_for(region="eu-west-1", certificate_arn=CERT),
                      creates_stack=True)
    assert len(lines) == 1 and lines[0].startswith("cost: total: US$188.54 a month at 1 task")


# plan and deploy print the bill (on a running emulator)


@pytest.fixture
def emulator():
    from fargo.emulator.server import LocalEmulator

    with LocalEmulator() as running:
        yield running.url


def test_plan_and_deploy_print_the_monthly_total_and_then_the_delta(emulator, tmp_path):
    us = ["--endpoint-url", emulator, "--region", "us-east-1", "--no-https"]
    planned = runner.invoke(app, ["plan", *us], terminal_width=200)
    assert planned.exit_code == 0, planned.output
    (total,) = [line for line in planned.output.splitlines() if line.startswith("cost:")]
    assert total.startswith("cost: total: US$") and "prices of" in total
    deployed = runner.invoke(app, ["deploy", *us, "--yes"], terminal_width=200)
    assert deployed.exit_code == 0, deployed.output
    assert total in deployed.output
    changed = runner.invoke(app, ["plan", *us, "--nat-per-az"], terminal_width=200)
    assert changed.exit_code == 0, changed.output
    assert "cost: +US$" in changed.output
    assert ("  +US$32.85/month: NAT gateway: hours (1 gateway(s), one for all AZs -> "
            "2 gateway(s), one per AZ)") in changed.output


def test_with_build_the_image_repository_is_priced_beside_the_service():
    est = estimate_config(None, {"region": "eu-west-1", "certificate_arn": CERT,
                                 "build": "examples/hello"})
    names = [stack.name for stack in est.stacks]
    assert names == ["l42-dev", "l42-dev-registry"]
    (ecr,) = [line for line in est.lines if line.component == "ECR"]
    assert ecr.stack == "l42-dev-registry"
    assert ecr.monthly[0] == pytest.approx(1.0 * load("eu-west-1").get("ecr.gb_month").price)
