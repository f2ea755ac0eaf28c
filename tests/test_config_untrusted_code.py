"""Settings for untrusted code: derived defaults per profile, their rules and their warnings."""

from __future__ import annotations

import pytest

from fargo.config import load_settings
from fargo.config.checks.secrets import looks_secret, parse_secret_reference
from fargo.config.reference import settings_table
from fargo.config.sources import advisories
from fargo.errors import ConfigError

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"
ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
DERIVED = ("ecs_exec", "drop_capabilities", "dns_firewall", "flow_logs")


def load(environ=None, **flags):
    return load_settings(None, {"region": "eu-west-1", "certificate_arn": CERT, **flags},
                         environ or {})


def refused(**flags) -> str:
    with pytest.raises(ConfigError) as caught:
        load(**flags)
    return "\n".join(caught.value.problems or [str(caught.value)])


def warnings(**flags) -> list[str]:
    return advisories(load(**flags))


# Derived defaults

@pytest.mark.parametrize("network", ["nat", "public"])
def test_outside_isolated_exec_is_on_and_firewall_flow_logs_and_dropping_are_off(network):
    settings = load(network=network)
    assert (settings.ecs_exec, settings.dns_firewall, settings.flow_logs,
            settings.drop_capabilities) == (True, False, False, [])


def test_isolated_turns_exec_off_and_the_dns_firewall_and_flow_logs_on():
    settings = load(**ISOLATED)
    assert (settings.ecs_exec, settings.dns_firewall, settings.flow_logs) == (False, True, True)


def test_isolated_drops_every_capability_only_for_a_non_root_user_on_a_high_port():
    assert load(**ISOLATED, user="1000:1000", port="8080").drop_capabilities == ["ALL"]
    assert load(**ISOLATED, user="app", port="8080").drop_capabilities == ["ALL"]
    assert load(**ISOLATED, user="1000:1000").drop_capabilities == []  # port 80
    assert load(**ISOLATED, user="root", port="8080").drop_capabilities == []
    assert load(**ISOLATED, port="8080").drop_capabilities == []  # the image decides


def test_a_read_only_root_turns_exec_off_by_default():
    assert load(readonly_root_filesystem=True).ecs_exec is False


@pytest.mark.parametrize("setting,value", [("ecs_exec", True), ("dns_firewall", False),
                                           ("flow_logs", False)])
def test_derived_defaults_yield_to_an_explicit_value(setting, value):
    assert getattr(load(**ISOLATED, **{setting: value}), setting) is value


def test_derived_booleans_read_true_false_from_the_environment():
    settings = load({"FARGO_DNS_FIREWALL": "off", "FARGO_ECS_EXEC": "yes"}, **ISOLATED)
    assert (settings.dns_firewall, settings.ecs_exec) == (False, True)


def test_readme_table_calls_the_profile_dependent_defaults_derived():
    rows = {line.split("|")[1].strip(" `"): line for line in settings_table().splitlines()[2:]}
    for name in DERIVED:
        assert "`(derived)`" in rows[name], rows[name]
    assert "`--ecs-exec/--no-ecs-exec`" in rows["ecs_exec"]


# Values in flags and FARGO_* variables

def test_tables_and_lists_read_from_the_environment():
    settings = load({"FARGO_SECRETS": "API_KEY=ssm:/l42/key", "FARGO_ULIMITS": "nproc=512",
                     "FARGO_WRITABLE_PATHS": "/tmp,/app/work",
                     "FARGO_DROP_CAPABILITIES": "NET_RAW"}, readonly_root_filesystem=True)
    assert settings.secrets == {"API_KEY": "ssm:/l42/key"}
    assert settings.ulimits == {"nproc": 512}
    assert settings.writable_paths == ["/tmp", "/app/work"]
    assert settings.drop_capabilities == ["NET_RAW"]


# Rules

def test_exec_with_a_read_only_root_is_refused():
    text = refused(readonly_root_filesystem=True, ecs_exec=True)
    assert "ecs_exec and readonly_root_filesystem are both on" in text
    assert "in --ecs-exec" in text


@pytest.mark.parametrize("flags,expected", [
    ({"user": "1000:"}, "user"),
    ({"user": "bad user"}, "user"),
    ({"writable_paths": ["tmp"]}, "absolute directory path"),
    ({"writable_paths": ["/"]}, "absolute directory path"),
    ({"writable_paths": ["/tmp", "/tmp"]}, "listed twice"),
    ({"drop_capabilities": ["NET_FLY"]}, "unknown capability NET_FLY"),
    ({"ulimits": {"procs": 5}}, "unknown ulimit 'procs'"),
    ({"ulimits": {"nproc": -1}}, "outside 0..2147483647"),
    ({"stop_timeout": 121}, "stop_timeout"),
    ({"secrets": {"DB": "my-password"}}, "is not a secret reference"),
    ({"secrets": {"1DB": "ssm:/x"}}, "not a valid environment variable name"),
    ({"secrets_kms_key": "alias/mine"}, "not a KMS key ARN"),
    ({"dns_allowed_domains": ["not a name"]}, "is not a DNS name"),
    ({"hsts": "max-age=forever"}, "max-age=SECONDS"),
    ({"waf_rate_limit": 5}, "waf_rate_limit"),
])
def test_invalid_values_are_refused(flags, expected):
    assert expected in refused(**flags)


def test_a_variable_in_both_secrets_and_container_environment_is_refused():
    text = refused(secrets={"PORT": "ssm:/x"})
    assert "secrets and container_environment both set PORT" in text


def test_isolated_refuses_a_secret_in_another_region():
    text = refused(**ISOLATED, secrets={"DB": SECRET.replace("eu-west-1", "us-east-1")})
    assert "secret DB is in us-east-1" in text


def test_ipv6_allowed_cidrs_need_ipv6_on():
    assert "set ipv6 = true" in refused(allowed_cidrs=["2001:db8::/32"])
    assert load(allowed_cidrs=["2001:db8::/32"], ipv6=True).allowed_cidrs == ["2001:db8::/32"]


def test_isolated_secrets_bring_their_endpoints():
    settings = load(**ISOLATED, secrets={"DB": SECRET, "KEY": "ssm:/l42/key"})
    assert settings.interface_endpoints == ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]


def test_nat_secrets_add_no_endpoint():
    assert "ssm" not in load(secrets={"KEY": "ssm:/l42/key"}).interface_endpoints


# Secret references

def test_secrets_manager_reference_keeps_its_json_key_and_grants_both_arn_forms():
    reference = parse_secret_reference("DB", SECRET + ":password::")
    assert reference.value_from == SECRET + ":password::"
    assert reference.resources == (SECRET, SECRET + "-??????")
    assert (reference.service, reference.region) == ("secretsmanager", "eu-west-1")


def test_ssm_short_reference_names_this_accounts_parameter():
    reference = parse_secret_reference("KEY", "ssm:/l42/key")
    assert reference.value_from == (
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/l42/key")
    assert (reference.service, reference.region) == ("ssm", None)


# Warnings

@pytest.mark.parametrize("name", ["DB_PASSWORD", "API_KEY", "GITHUB_TOKEN", "SECRET_KEY_BASE",
                                  "AWS_SECRET_ACCESS_KEY", "ADMINPASSWORD"])
def test_secret_looking_names_are_recognised(name):
    assert looks_secret(name)


@pytest.mark.parametrize("name", ["PORT", "ENVIRONMENT", "MODE", "KEYBOARD_LAYOUT", "TOKENIZER"])
def test_ordinary_names_are_not_taken_for_secrets(name):
    assert not looks_secret(name)


def test_a_secret_looking_environment_variable_gets_a_warning_pointing_at_secrets():
    (line,) = warnings(container_environment={"DB_PASSWORD": "hunter2"})
    assert line.startswith("warning: container_environment DB_PASSWORD looks like a credential")
    assert "move it to secrets" in line
    assert "hunter2" not in line


def test_isolated_warns_while_the_user_is_root_or_unknown():
    assert any("as the image's own user" in w for w in warnings(**ISOLATED))
    assert any("runs untrusted code as root" in w for w in warnings(**ISOLATED, user="0"))
    assert not any("untrusted code as" in w for w in warnings(**ISOLATED, user="1000:1000"))


def test_isolated_warns_when_exec_is_turned_on():
    assert any("ecs_exec is on in network isolated" in w
               for w in warnings(**ISOLATED, user="1000", ecs_exec=True))


def test_dropping_all_capabilities_for_a_root_or_low_port_container_warns():
    assert any("drop_capabilities removes ALL" in w for w in warnings(drop_capabilities=["ALL"]))


def test_writable_paths_without_a_read_only_root_warn():
    assert any("writable_paths is set" in w for w in warnings(writable_paths=["/tmp"]))


def test_a_dns_firewall_outside_isolated_asks_for_the_names_the_code_calls():
    assert any("dns_allowed_domains" in w for w in warnings(dns_firewall=True))
    assert not any("dns_firewall is on" in w
                   for w in warnings(dns_firewall=True, dns_allowed_domains=["example.org"]))


def test_defaults_warn_about_nothing_of_these():
    assert warnings() == []


@pytest.mark.parametrize("text", ["off", "none", "OFF"])
def test_hsts_off_turns_the_header_off_from_a_flag(text):
    assert load({"FARGO_HSTS": text}).hsts == ""
