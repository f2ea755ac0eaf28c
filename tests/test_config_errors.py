"""Invalid settings are refused before anything is generated: exit code 2, one line per
problem naming the setting, where it came from and the fix, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.errors import ConfigError

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
US_CERT = CERT.replace("eu-west-1", "us-east-1")
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"
VALID = ["--region", "eu-west-1", "--certificate-arn", CERT]

runner = CliRunner()


def synth(*args: str, env: dict | None = None, file_text: str | None = None):
    """`fargo synth` with the valid region and certificate unless the args say otherwise."""
    if file_text is not None:
        Path("fargo.toml").write_text(file_text)
    return runner.invoke(app, ["synth", *args], env=env)


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_refused(result, *expected: str, problems: int = 1) -> None:
    """Exit 2, nothing printed on stdout, `problems` error lines that mention `expected`."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = error_lines(result)
    assert len(lines) == problems, lines
    assert all(line.startswith("error: ") for line in lines), lines
    text = "\n".join(lines)
    for word in expected:
        assert word in text, f"{word!r} not in {text!r}"


# Unknown keys and unreadable files.

def test_unknown_key_in_fargo_toml_is_named_with_a_suggestion():
    result = synth(*VALID, file_text='regoin = "eu-west-1"\n')
    assert_refused(result, "unknown setting 'regoin'", "fargo.toml", "did you mean region?")


def test_unknown_key_without_a_close_match_points_to_the_settings_table():
    result = synth(*VALID, file_text="colour = 3\n")
    assert_refused(result, "unknown setting 'colour'", "fargo.toml", "README")


def test_invalid_toml_file_is_refused_with_its_line():
    result = synth(*VALID, file_text='region = "eu-west-1\n')
    assert_refused(result, "fargo.toml", "not valid TOML", "line 1")


def test_config_flag_naming_a_missing_file_is_refused():
    result = synth(*VALID, "--config", "missing.toml")
    assert_refused(result, "missing.toml", "does not exist", "--config", "fargo init")


def test_fargo_config_variable_naming_a_missing_file_is_refused():
    result = synth(*VALID, env={"FARGO_CONFIG": "missing.toml"})
    assert_refused(result, "missing.toml", "FARGO_CONFIG")


# Identity: region and certificate.

def test_missing_region_is_refused_with_the_three_ways_to_set_it():
    result = synth("--certificate-arn", CERT)
    assert_refused(result, "region is not set", "fargo.toml", "FARGO_REGION", "--region")


@pytest.mark.parametrize("region", ["eu-wst-1", "euwest1", "EU-WEST-1", "eu-west"])
def test_bad_region_name_in_a_flag_is_refused(region):
    result = synth("--region", region, "--no-https")
    assert_refused(result, "region", "--region", "eu-west-1")


def test_bad_region_name_in_the_environment_names_the_variable():
    result = synth("--no-https", env={"FARGO_REGION": "mars-north-1"})
    assert_refused(result, "region", "FARGO_REGION")


def test_certificate_of_another_region_is_refused():
    result = synth("--region", "eu-west-1", "--certificate-arn", US_CERT)
    assert_refused(result, "certificate_arn", "us-east-1", "--certificate-arn",
                   "issued in eu-west-1")


def test_certificate_that_is_no_acm_arn_is_refused():
    result = synth("--region", "eu-west-1", "--certificate-arn", "my-cert")
    assert_refused(result, "certificate_arn", "--certificate-arn", "arn:aws:acm:")


def test_domain_without_hosted_zone_is_refused():
    result = synth("--region", "eu-west-1", "--domain", "app.example.com")
    assert_refused(result, "domain is set but hosted_zone is not", "--domain")


def test_hosted_zone_without_domain_is_refused():
    result = synth("--region", "eu-west-1", env={"FARGO_HOSTED_ZONE": "example.com"})
    assert_refused(result, "hosted_zone is set but domain is not", "FARGO_HOSTED_ZONE")


def test_domain_outside_its_hosted_zone_is_refused():
    result = synth("--region", "eu-west-1", "--domain", "app.example.org",
                   "--hosted-zone", "example.com")
    assert_refused(result, "domain app.example.org is not inside hosted_zone example.com")


def test_domain_that_is_no_dns_name_is_refused():
    result = synth("--region", "eu-west-1", "--domain", "app_example", "--hosted-zone",
                   "example.com")
    assert_refused(result, "domain", "not a DNS name")


def test_build_together_with_an_image_is_refused():
    result = synth("--region", "eu-west-1", "--no-https", "--build", ".", "--image", "nginx:1")
    assert_refused(result, "build and image (nginx:1) are both set", "--build")


def test_two_schedules_with_one_name_are_refused():
    schedule = ('{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 1, "max_count": 2, '
                '"name": "am"}')
    result = synth("--region", "eu-west-1", "--no-https", "--schedules", f"[{schedule},{schedule}]")
    assert_refused(result, "schedules use the name am twice")


# Task counts and size.

def test_min_count_above_max_count_in_the_file_is_refused():
    result = synth(*VALID, file_text="min_count = 3\nmax_count = 2\n")
    assert_refused(result, "max_count (2) is below min_count (3)", "fargo.toml",
                   "raise max_count or lower min_count")


def test_desired_count_above_max_count_is_refused():
    result = synth(*VALID, env={"FARGO_DESIRED_COUNT": "5"})
    assert_refused(result, "desired_count (5)", "FARGO_DESIRED_COUNT", "between min_count")


def test_desired_count_below_min_count_is_refused():
    result = synth(*VALID, "--min-count", "2", "--max-count", "3", "--desired-count", "1")
    assert_refused(result, "desired_count (1)", "between min_count and max_count")


@pytest.mark.parametrize(("cpu", "memory", "setting", "fix"), [
    ("256", "4096", "memory", "512, 1024, 2048"),
    ("1024", "1024", "memory", "2048 to 8192"),
    ("300", "1024", "cpu", "256, 512, 1024"),
])
def test_cpu_memory_pair_fargate_rejects_is_refused(cpu, memory, setting, fix):
    result = synth(*VALID, "--cpu", cpu, "--memory", memory)
    assert_refused(result, f"{setting} ({cpu if setting == 'cpu' else memory})", fix,
                   f"--{setting}")


# Container and health check.

@pytest.mark.parametrize("port", ["0", "65536"])
def test_port_out_of_range_is_refused(port):
    assert_refused(synth(*VALID, "--port", port), f"port = '{port}'", "--port", "65535"
                   if port != "0" else "greater than or equal to 1")


def test_port_that_is_no_number_is_refused():
    assert_refused(synth(*VALID, env={"FARGO_PORT": "http"}), "port", "FARGO_PORT", "integer")


def test_health_path_not_starting_with_a_slash_is_refused():
    result = synth(*VALID, "--health-check-path", "health")
    assert_refused(result, "health_check_path", "--health-check-path", "must start with /")


# Network.

def test_overlapping_subnet_ranges_are_refused():
    result = synth(*VALID, "--private-subnet-cidrs", "10.0.0.0/24,10.0.3.0/24")
    assert_refused(result, "private_subnet_cidrs", "10.0.0.0/24 overlaps 10.0.0.0/24",
                   "public_subnet_cidrs", "--private-subnet-cidrs", "own range")


def test_subnet_outside_the_vpc_is_refused():
    result = synth(*VALID, file_text='public_subnet_cidrs = ["10.1.0.0/24", "10.0.2.0/24"]\n')
    assert_refused(result, "public_subnet_cidrs", "10.1.0.0/24 is outside vpc_cidr 10.0.0.0/16",
                   "fargo.toml")


def test_range_that_is_no_cidr_is_refused():
    result = synth(*VALID, "--allowed-cidrs", "10.0.0.300/8")
    assert_refused(result, "allowed_cidrs", "--allowed-cidrs", "not a CIDR range")


def test_isolated_network_with_a_docker_hub_image_is_refused():
    result = synth(*VALID, "--network", "isolated", "--image", "nginx:1.27")
    assert_refused(result, "network isolated cannot pull nginx:1.27", "private ECR")


def test_isolated_network_with_the_default_image_names_the_network_flag():
    result = synth(*VALID, "--network", "isolated")
    assert_refused(result, "amazon/amazon-ecs-sample", "--network")


def test_isolated_network_without_the_logs_endpoint_is_refused():
    result = synth(*VALID, "--network", "isolated", "--image", ECR_IMAGE,
                   "--vpc-endpoints", "ecr.api,ecr.dkr")
    assert_refused(result, "vpc_endpoints", "logs", "--vpc-endpoints")


def test_nat_per_az_with_the_public_network_is_refused():
    result = synth(*VALID, "--network", "public", "--nat-per-az")
    assert_refused(result, "nat_per_az", "public", "--nat-per-az")


def test_unknown_network_profile_is_refused():
    assert_refused(synth(*VALID, "--network", "private"), "network", "'nat', 'isolated'")


@pytest.mark.parametrize("rule", ["0.0.0.0/0", "0.0.0.0/0:99999", "0.0.0.0/0:https",
                                  "everywhere:443"])
def test_bad_egress_rule_is_refused(rule):
    assert_refused(synth(*VALID, "--task-egress", rule), "task_egress", "--task-egress")


def test_unknown_vpc_endpoint_is_refused_with_the_known_ones():
    result = synth(*VALID, env={"FARGO_VPC_ENDPOINTS": "ecr.api,ecr.dkr,logs,s3x"})
    assert_refused(result, "vpc_endpoints", "FARGO_VPC_ENDPOINTS", "unknown endpoint s3x",
                   "ssmmessages")


# Scaling schedules.

def schedules(**fields) -> str:
    entry = {"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 1, "max_count": 2, **fields}
    return json.dumps([entry])


@pytest.mark.parametrize("expression", [
    "cron(0 8 * * MON-FRI *)", "cron(0 8 ? * MON-FRI)", "0 8 ? * MON-FRI *", "rate(5 minute)",
])
def test_bad_cron_schedule_is_refused(expression):
    result = synth(*VALID, "--schedules", schedules(schedule=expression))
    assert_refused(result, "schedules[0].schedule", "--schedules")


def test_unknown_time_zone_is_refused():
    result = synth(*VALID, env={"FARGO_SCHEDULES": schedules(timezone="Mars/Olympus")})
    assert_refused(result, "schedules[0].timezone", "FARGO_SCHEDULES", "IANA")


def test_unknown_key_in_a_schedule_is_refused():
    result = synth(*VALID, "--schedules", schedules(**{"min-count": 1}))
    assert_refused(result, "schedules[0]['min-count'] in --schedules is an unknown key",
                   "did you mean min_count?")


# Text syntax of environment variables and flags.

def test_bad_boolean_in_an_environment_variable_is_refused():
    result = synth(*VALID, env={"FARGO_HTTPS": "maybe"})
    assert_refused(result, "https", "FARGO_HTTPS", "'maybe'", "true or false")


def test_bad_json_in_an_environment_variable_is_refused():
    result = synth(*VALID, env={"FARGO_SCHEDULES": '[{"schedule": '})
    assert_refused(result, "schedules", "FARGO_SCHEDULES", "not valid JSON")


def test_json_of_the_wrong_shape_is_refused():
    result = synth(*VALID, env={"FARGO_SCHEDULES": '{"schedule": "cron(0 8 ? * * *)"}'})
    assert_refused(result, "schedules", "FARGO_SCHEDULES", "JSON array")


def test_table_text_without_key_value_pairs_is_refused():
    result = synth(*VALID, "--tags", "team")
    assert_refused(result, "tags", "--tags", "KEY=VALUE")


def test_invalid_container_variable_name_is_refused():
    result = synth(*VALID, "--container-environment", "1ST=x")
    assert_refused(result, "container_environment", "--container-environment", "'1ST'")


# Several problems, the right source, nothing generated.

def test_several_cross_setting_problems_give_one_line_each():
    result = synth(*VALID, "--cpu", "300", "--min-count", "3", "--network", "public",
                   "--nat-per-az")
    assert_refused(result, "cpu (300)", "max_count", "nat_per_az", problems=3)


def test_several_invalid_values_give_one_line_each():
    result = synth(*VALID, "--port", "0", "--health-check-path", "health")
    assert_refused(result, "port", "health_check_path", problems=2)


def test_several_unparsable_texts_give_one_line_each():
    result = synth(*VALID, env={"FARGO_HTTPS": "maybe", "FARGO_TAGS": "team"})
    assert_refused(result, "FARGO_HTTPS", "FARGO_TAGS", problems=2)


def test_error_names_the_flag_that_overrode_the_file():
    result = synth(*VALID, "--max-count", "0", file_text="max_count = 2\n")
    assert_refused(result, "max_count", "--max-count")


def test_refused_synth_writes_no_output_file():
    result = synth(*VALID, "--port", "0", "-o", "template.json")
    assert_refused(result, "port")
    assert not Path("template.json").exists()


def test_validate_refuses_invalid_settings_before_linting():
    result = runner.invoke(app, ["validate", *VALID, "--min-count", "3"])
    assert_refused(result, "max_count", "--min-count")


def test_debug_flag_lets_the_error_raise_for_a_traceback():
    result = runner.invoke(app, ["synth", *VALID, "--min-count", "3", "--debug"])
    assert isinstance(result.exception, ConfigError)


# A real process: the installed entry point, exactly as a user runs it.

def fargo_command() -> list[str]:
    script = Path(sys.executable).parent / "fargo"
    return [str(script)] if script.exists() else [sys.executable, "-m", "fargo"]


def test_installed_fargo_exits_2_without_traceback_on_a_bad_setting():
    completed = subprocess.run(
        [*fargo_command(), "synth", *VALID, "--cpu", "256", "--memory", "4096"],
        capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "error: memory (4096) does not fit cpu 256 on Fargate in --memory: use 512, 1024, "
        "2048 MiB"
    ]


def test_python_m_fargo_exits_2_without_traceback_on_a_bad_file(tmp_path):
    (tmp_path / "fargo.toml").write_text("min_count = [\n")
    completed = subprocess.run(
        [sys.executable, "-m", "fargo", "synth", *VALID],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "fargo.toml is not valid TOML" in completed.stderr
