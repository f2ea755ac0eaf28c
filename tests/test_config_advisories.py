"""Valid but questionable input gets a `warning:` line, never an error: security-group rules
over the default quota, a TLS policy name fargo does not know, an unknown FARGO_* variable."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import load_settings
from fargo.config.sources import NON_SETTING_VARIABLES, advisories, load_values, validate

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
HTTPS = {"region": "eu-west-1", "certificate_arn": CERT}
runner = CliRunner()


def warnings(flags=None, environ=None) -> list[str]:
    values, origin = load_values(None, {**HTTPS, **(flags or {})}, environ or {})
    return advisories(validate(values, origin), origin, environ or {})


def cidrs(count: int) -> str:
    return ",".join(f"10.{i}.0.0/16" for i in range(count))


# Security-group rules: one per allowed range and listener port, against a quota of 60.

def test_allowed_ranges_over_the_rule_quota_get_a_warning_naming_the_quota():
    (line,) = warnings({"allowed_cidrs": cidrs(31)})
    assert line.startswith("warning: the load balancer security group gets 62 inbound IPv4 "
                           "rules (31 allowed_cidrs x 2 listener ports)")
    assert "default quota of 60" in line and "raise the quota" in line
    assert "in --allowed-cidrs" in line


def test_allowed_ranges_within_the_quota_get_no_warning():
    assert warnings({"allowed_cidrs": cidrs(30)}) == []


def test_http_only_counts_one_listener_port():
    assert warnings({"allowed_cidrs": cidrs(31), "https": False}) == []
    (line,) = warnings({"allowed_cidrs": cidrs(61), "https": False})
    assert "61 inbound IPv4 rules (61 allowed_cidrs x 1 listener ports)" in line


def test_egress_rules_over_the_quota_get_a_warning():
    rules = ",".join(f"10.{i}.0.0/16:443" for i in range(59))
    (line,) = warnings({"task_egress": rules})
    assert "task security group gets 61 outbound IPv4 rules" in line
    assert "in --task-egress" in line


def test_the_rule_warning_does_not_block_the_settings():
    settings = load_settings(None, {**HTTPS, "allowed_cidrs": cidrs(40)}, {})
    assert len(settings.allowed_cidrs) == 40


# TLS policies.

@pytest.mark.parametrize("policy", ["ELBSecurityPolicy-TLS13-1-2-2021-06",
                                    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
                                    "ELBSecurityPolicy-FS-1-2-Res-2020-10"])
def test_a_known_tls_policy_passes_silently(policy):
    assert warnings({"tls_policy": policy}) == []


def test_an_unknown_tls_policy_of_aws_form_gets_a_warning():
    (line,) = warnings({"tls_policy": "ELBSecurityPolicy-TLS13-1-3-PQ-2031-01"})
    assert line.startswith("warning: tls_policy 'ELBSecurityPolicy-TLS13-1-3-PQ-2031-01' is not "
                           "a policy fargo knows in --tls-policy")


def test_an_unknown_tls_policy_without_https_is_not_worth_a_warning():
    assert warnings({"tls_policy": "ELBSecurityPolicy-New-2031", "https": False}) == []


# FARGO_* variables.

def test_a_misspelt_variable_gets_a_did_you_mean_warning():
    (line,) = warnings(environ={"FARGO_REGOIN": "eu-west-1"})
    assert line == ("warning: environment variable FARGO_REGOIN is not a fargo setting and is "
                    "ignored: did you mean FARGO_REGION?")


def test_an_unrelated_variable_gets_a_pointer_to_the_settings_table():
    (line,) = warnings(environ={"FARGO_XYZZY_PLUGH": "1"})
    assert "FARGO_XYZZY_PLUGH" in line and "README" in line


def test_fargos_own_variables_and_other_prefixes_are_not_reported(tmp_path):
    (tmp_path / "other.toml").write_text("")
    environ = {name: str(tmp_path / "other.toml") for name in NON_SETTING_VARIABLES}
    environ.update({"FARGO_MAX_COUNT": "3", "FARGOX": "1", "AWS_REGION": "eu-west-1"})
    assert warnings(environ=environ) == []
    assert "FARGO_CONFIG" in NON_SETTING_VARIABLES


def test_a_control_character_in_a_variable_name_is_escaped():
    (line,) = warnings(environ={"FARGO_\x1bBAD": "1"})
    assert "\x1b" not in line and "FARGO_\\x1bBAD" in line


def test_synth_prints_the_warning_and_still_succeeds():
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https"],
                           env={"FARGO_MAX_CUONT": "3"})
    assert result.exit_code == 0, result.output
    assert "warning: environment variable FARGO_MAX_CUONT is not a fargo setting" in result.stderr
    assert "did you mean FARGO_MAX_COUNT?" in result.stderr


# Addresses: a rollout runs up to twice max_count tasks, each with an address of its own.

def test_a_max_count_the_task_subnets_cannot_hold_during_a_rollout_gets_a_warning():
    (line,) = warnings({"max_count": "300"})
    assert "task subnets (10.0.1.0/24, 10.0.3.0/24) have about 494 free addresses" in line
    assert "max_count 300 needs up to 600" in line and "in --max-count" in line


def test_a_max_count_the_task_subnets_hold_gets_no_warning():
    assert warnings({"max_count": "240"}) == []


def test_small_public_task_subnets_count_the_load_balancers_addresses():
    (line,) = warnings({"network": "public", "max_count": "20",
                        "public_subnet_cidrs": "10.0.0.0/27,10.0.2.0/27"})
    assert "about 38 free addresses" in line and "public_subnet_cidrs" in line
