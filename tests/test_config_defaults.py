"""Settings defaults, the layers that override them, and the text syntax of flags and variables.

Defaults are the original L42 deployment's values (shared/seed/settings.md); the layers are
flag > environment > fargo.toml > default.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import load_settings
from fargo.config.checks.images import SAMPLE_IMAGE

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"
REQUIRED = {"region": "eu-west-1", "certificate_arn": CERT}


def load(flags=None, environ=None, file_text=None, **values):
    """Settings from the layers; the required region and certificate come as flags."""
    if file_text is not None:
        Path("fargo.toml").write_text(file_text)
    return load_settings(None, {**REQUIRED, **values, **(flags or {})}, environ or {})


def defaults():
    return load()


# Defaults: the original's values.

def test_default_name_and_environment_are_l42_and_dev():
    settings = defaults()
    assert (settings.name, settings.environment) == ("l42", "dev")


def test_default_task_counts_are_min_1_max_2_desired_1():
    settings = defaults()
    assert (settings.min_count, settings.max_count, settings.desired_count) == (1, 2, 1)


def test_default_task_size_is_1024_cpu_units_and_2048_mib():
    settings = defaults()
    assert (settings.cpu, settings.memory) == (1024, 2048)


def test_default_container_port_is_80():
    assert defaults().port == 80


def test_default_log_retention_is_90_days():
    assert defaults().log_retention_days == 90


# Fast, safe rollouts (issue 12): AWS's ECS guidance, not the original's values; the reasons
# are beside the fields (config/fields/health.py).

def test_default_deregistration_delay_is_10_seconds_matched_to_the_stop_timeout():
    settings = defaults()
    assert settings.deregistration_delay == settings.stop_timeout == 10


def test_default_health_check_grace_period_is_60_seconds():
    assert defaults().health_check_grace_period == 60


def test_default_health_check_is_every_5_s_timeout_4_s_matcher_200_thresholds_2_and_3():
    settings = defaults()
    assert (
        settings.health_check_interval, settings.health_check_timeout,
        settings.health_check_matcher, settings.healthy_threshold, settings.unhealthy_threshold,
    ) == (5, 4, "200", 2, 3)


def test_default_stop_and_drain_fit_a_spot_interruption_with_the_stop_covering_the_drain():
    settings = defaults()
    assert settings.deregistration_delay + settings.stop_timeout <= 120
    assert settings.stop_timeout >= settings.deregistration_delay


def test_default_rollout_critical_path_is_at_most_a_quarter_of_the_originals():
    """The benchmark's model (benchmarks/rollout_bench.py): first check + drain + stop."""
    settings = defaults()
    ours = settings.health_check_interval + 1 + settings.deregistration_delay + (
        settings.stop_timeout)
    original = 60 + 1 + 30 + 30
    assert ours <= 0.25 * original


def test_default_capacity_is_on_demand_with_memory_and_request_scaling_on():
    settings = defaults()
    assert (settings.capacity, settings.capacity_base, settings.scaling_memory_target,
            settings.scaling_requests_per_target) == ("on-demand", None, 80.0, 1000)


def test_default_alarms_go_nowhere_but_the_topic_with_their_thresholds():
    settings = defaults()
    assert (settings.alarm_email, settings.alarm_5xx_percent, settings.alarm_p99_seconds,
            settings.alarm_cpu_percent, settings.alarm_memory_percent) == (
        None, 5.0, 2.0, 90.0, 90.0)


def test_default_vpc_cidr_is_10_0_0_0_16():
    assert defaults().vpc_cidr == "10.0.0.0/16"


def test_default_public_subnets_are_10_0_0_0_and_10_0_2_0():
    assert defaults().used_public_cidrs == ["10.0.0.0/24", "10.0.2.0/24"]


def test_default_private_subnets_are_10_0_1_0_and_10_0_3_0():
    assert defaults().used_private_cidrs == ["10.0.1.0/24", "10.0.3.0/24"]


def test_default_image_is_the_amazon_ecs_sample():
    assert defaults().image == "amazon/amazon-ecs-sample"


def test_default_http_redirect_is_302():
    assert defaults().http_redirect_code == 302


def test_default_is_https_with_nat_network_and_ecs_exec():
    settings = defaults()
    assert (settings.https, settings.network, settings.ecs_exec) == (True, "nat", True)


def test_default_vpc_endpoints_are_the_platforms_three():
    assert defaults().vpc_endpoints == ["ecr.api", "ecr.dkr", "logs"]


def test_default_task_egress_is_https_to_anywhere_only():
    assert defaults().task_egress == ["0.0.0.0/0:443"]


def test_settings_have_no_tags_beyond_name_and_environment_by_default():
    assert defaults().tags == {}


# Health check path: the sample image answers only "/".

@pytest.mark.parametrize("image", [
    SAMPLE_IMAGE, f"{SAMPLE_IMAGE}:latest", f"docker.io/{SAMPLE_IMAGE}",
])
def test_health_path_defaults_to_root_for_the_sample_image(image):
    assert load(image=image).health_path == "/"


@pytest.mark.parametrize("image", [ECR_IMAGE, "nginx:1.27", "ghcr.io/acme/l42:2"])
def test_health_path_defaults_to_health_for_any_other_image(image):
    assert load(image=image).health_path == "/health"


def test_explicit_health_path_wins_over_the_image_default():
    assert load(health_check_path="/ready").health_path == "/ready"


# Container environment: PORT and ENVIRONMENT, merged with the user's (the original's
# L42-specific HEALTHCHECK, ENABLE_LOGGING and PRODUCT live in examples/l42/fargo.toml).

def test_container_environment_defaults_to_port_and_environment():
    assert load(image=ECR_IMAGE).container_variables == {"PORT": "80", "ENVIRONMENT": "dev"}


def test_container_environment_follows_port_and_environment():
    settings = load(port="8080", name="shop", environment="prod", health_check_path="/ok")
    assert settings.container_variables == {"PORT": "8080", "ENVIRONMENT": "prod"}


def test_container_environment_setting_overrides_and_extends_the_defaults():
    variables = load(container_environment="ENABLE_LOGGING=false,FEATURE=x").container_variables
    assert variables == {
        "PORT": "80", "ENABLE_LOGGING": "false", "ENVIRONMENT": "dev", "FEATURE": "x",
    }


# Precedence: flag > environment > file > default.

def test_file_overrides_the_default():
    assert load(file_text="max_count = 5\n").max_count == 5


def test_environment_overrides_the_file():
    settings = load(environ={"FARGO_MAX_COUNT": "6"}, file_text="max_count = 5\n")
    assert settings.max_count == 6


def test_flag_overrides_the_environment():
    settings = load(flags={"max_count": "7"}, environ={"FARGO_MAX_COUNT": "6"})
    assert settings.max_count == 7


def test_flag_overrides_the_file():
    assert load(flags={"max_count": "7"}, file_text="max_count = 5\n").max_count == 7


def test_layers_combine_setting_by_setting():
    settings = load(
        flags={"max_count": "4"}, environ={"FARGO_MIN_COUNT": "2"},
        file_text='desired_count = 3\nname = "shop"\n',
    )
    assert (settings.name, settings.min_count, settings.desired_count, settings.max_count) == (
        "shop", 2, 3, 4)


def test_file_named_by_config_argument_is_read(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text("max_count = 9\n")
    assert load_settings(other, REQUIRED, {}).max_count == 9


def test_file_named_by_fargo_config_variable_is_read(tmp_path):
    other = tmp_path / "other.toml"
    other.write_text("max_count = 9\n")
    assert load_settings(None, REQUIRED, {"FARGO_CONFIG": str(other)}).max_count == 9


def test_missing_default_file_is_not_an_error():
    assert not Path("fargo.toml").exists()
    assert defaults().region == "eu-west-1"


@pytest.mark.parametrize(("variable", "text", "setting", "value"), [
    ("FARGO_REGION", "ap-southeast-2", "region", "ap-southeast-2"),
    ("FARGO_CERTIFICATE_ARN", CERT.replace("eu-west-1", "ap-southeast-2"), "certificate_arn",
     CERT.replace("eu-west-1", "ap-southeast-2")),
    ("FARGO_IMAGE", ECR_IMAGE, "image", ECR_IMAGE),
    ("FARGO_MIN_COUNT", "2", "min_count", 2),
    ("FARGO_MAX_COUNT", "3", "max_count", 3),
    ("FARGO_DESIRED_COUNT", "2", "desired_count", 2),
    ("FARGO_CPU", "512", "cpu", 512),
    ("FARGO_MEMORY", "4096", "memory", 4096),
    ("FARGO_PORT", "8080", "port", 8080),
    ("FARGO_HEALTH_CHECK_PATH", "/ping", "health_check_path", "/ping"),
    ("FARGO_NAME", "shop", "name", "shop"),
    ("FARGO_ENVIRONMENT", "prod", "environment", "prod"),
])
def test_each_named_environment_variable_sets_its_setting(variable, text, setting, value):
    environ = {"FARGO_REGION": "ap-southeast-2",
               "FARGO_CERTIFICATE_ARN": CERT.replace("eu-west-1", "ap-southeast-2"),
               "FARGO_MIN_COUNT": "2", "FARGO_MAX_COUNT": "3", "FARGO_DESIRED_COUNT": "2"}
    environ[variable] = text
    assert getattr(load_settings(None, {}, environ), setting) == value


# `fargo synth` with no file at all.

runner = CliRunner()


def synth_resources(args, env=None) -> set[str]:
    """The resource types of the template `fargo synth` prints."""
    result = runner.invoke(app, ["synth", *args], env=env)
    assert result.exit_code == 0, result.output
    return {r["Type"] for r in json.loads(result.stdout)["Resources"].values()}


ALB = "AWS::ElasticLoadBalancingV2::LoadBalancer"


def test_synth_without_a_file_takes_region_and_certificate_from_flags():
    assert not Path("fargo.toml").exists()
    resources = synth_resources(["--region", "eu-west-1", "--certificate-arn", CERT])
    assert ALB in resources


def test_synth_without_a_file_takes_region_and_certificate_from_the_environment():
    resources = synth_resources([], env={"FARGO_REGION": "eu-west-1",
                                         "FARGO_CERTIFICATE_ARN": CERT})
    assert ALB in resources


def test_synth_without_a_file_in_http_only_mode_needs_no_certificate():
    resources = synth_resources(["--region", "eu-west-1", "--no-https"])
    assert ALB in resources


def test_synth_without_a_file_reads_http_only_mode_from_the_environment():
    resources = synth_resources([], env={"FARGO_REGION": "eu-west-1", "FARGO_HTTPS": "false"})
    assert ALB in resources


# Text syntax of flags and environment variables.

def test_list_setting_reads_comma_separated_text():
    settings = load(environ={"FARGO_ALLOWED_CIDRS": "10.1.0.0/16, 192.168.0.0/24"})
    assert settings.allowed_cidrs == ["10.1.0.0/16", "192.168.0.0/24"]


def test_list_setting_reads_a_json_array():
    settings = load(flags={"vpc_endpoints": '["ecr.api", "ecr.dkr", "logs", "sns"]'})
    assert settings.vpc_endpoints == ["ecr.api", "ecr.dkr", "logs", "sns"]


def test_table_setting_reads_key_value_pairs():
    settings = load(environ={"FARGO_TAGS": "team=web, cost-center=42"})
    assert settings.tags == {"team": "web", "cost-center": "42"}


def test_table_value_may_contain_an_equals_sign():
    settings = load(flags={"container_environment": "QUERY=a=b"})
    assert settings.container_environment == {"QUERY": "a=b"}


def test_table_setting_reads_a_json_object():
    settings = load(flags={"container_environment": '{"GREETING": "hi, there"}'})
    assert settings.container_environment == {"GREETING": "hi, there"}


def test_schedules_read_a_json_array_of_objects():
    text = json.dumps([{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2,
                        "max_count": 4, "timezone": "Europe/Berlin"}])
    (schedule,) = load(environ={"FARGO_SCHEDULES": text}).schedules
    assert (schedule.schedule, schedule.min_count, schedule.max_count, schedule.timezone) == (
        "cron(0 8 ? * MON-FRI *)", 2, 4, "Europe/Berlin")


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("false", False), ("yes", True), ("no", False), ("1", True), ("0", False),
    ("TRUE", True), ("No", False), ("on", True), ("off", False),
])
def test_boolean_setting_reads_true_false_yes_no_1_0(text, value):
    assert load(environ={"FARGO_ECS_EXEC": text}).ecs_exec is value


def test_numeric_choice_setting_reads_text():
    assert load(environ={"FARGO_HTTP_REDIRECT_CODE": "301"}).http_redirect_code == 301


def test_empty_environment_variable_resets_the_file_value_to_the_default():
    settings = load(environ={"FARGO_MAX_COUNT": ""}, file_text="max_count = 5\n")
    assert settings.max_count == 2


def test_empty_flag_resets_the_environment_value_to_the_default():
    settings = load(flags={"image": ""}, environ={"FARGO_IMAGE": ECR_IMAGE})
    assert settings.image == SAMPLE_IMAGE


def test_empty_list_flag_resets_to_the_default_list():
    settings = load(flags={"vpc_endpoints": " "}, file_text='vpc_endpoints = ["ecr.api"]\n')
    assert settings.vpc_endpoints == ["ecr.api", "ecr.dkr", "logs"]
