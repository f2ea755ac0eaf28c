"""Values AWS (or Docker) would refuse are refused offline, each with one line that names the
setting and its source: image references, schedules, tags, health checks, networks, numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fargo.config import load_settings
from fargo.errors import ConfigError

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
BASE = {"region": "eu-west-1", "https": False}


def from_flags(**flags):
    """Settings from text flags (as typed after --setting), the region given."""
    return load_settings(None, {**BASE, **flags}, {})


def from_file(text: str):
    """Settings from a fargo.toml; the region flag only where the file leaves it out."""
    Path("fargo.toml").write_text(text)
    flags = {k: v for k, v in BASE.items() if not text.startswith(f"{k} =")}
    return load_settings(None, flags, {})


def refused(load, *expected: str) -> str:
    """The single error line of a refused load; it mentions every `expected` text."""
    with pytest.raises(ConfigError) as caught:
        load()
    lines = caught.value.problems
    assert len(lines) == 1, lines
    (line,) = lines
    assert line.startswith("error: ") and "\n" not in line, line
    for text in expected:
        assert text in line, f"{text!r} not in {line!r}"
    return line


# Regular expressions: Python's $ matches before a final newline.

@pytest.mark.parametrize(("key", "value"), [
    ("name", "l42\n"), ("environment", "dev\n"), ("region", "eu-west-1\n"),
    ("certificate_arn", CERT + "\n"), ("domain", "app.example.com\n"),
])
def test_a_trailing_newline_in_the_file_is_refused(key, value):
    refused(lambda: from_file(f"{key} = {json.dumps(value)}\n"), key, "fargo.toml", "newline")


@pytest.mark.parametrize("key", ["name", "image", "build", "health_check_path", "tls_policy"])
def test_a_control_character_in_any_text_setting_is_refused(key):
    refused(lambda: from_flags(**{key: "ab\x1b[2Jc"}), key, flag(key), "U+001B")


def test_a_control_character_inside_a_schedule_is_refused():
    text = json.dumps([{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 1,
                        "max_count": 2, "name": "a\x07b"}])
    refused(lambda: from_flags(schedules=text), "schedules", "--schedules", "U+0007")


def test_a_newline_in_a_container_environment_value_is_kept():
    settings = from_flags(container_environment=json.dumps({"PEM": "line 1\nline 2"}))
    assert settings.container_environment["PEM"] == "line 1\nline 2"


def test_a_newline_in_a_container_environment_name_is_refused():
    refused(lambda: from_flags(container_environment=json.dumps({"A\nB": "x"})),
            "container_environment", "newline")


# TOML types: booleans are not numbers, fractions are not counts.

@pytest.mark.parametrize("key", ["port", "min_count", "keep_images", "health_check_interval",
                                 "http_redirect_code", "scaling_cpu_target"])
def test_a_boolean_for_a_number_is_refused(key):
    refused(lambda: from_file(f"{key} = true\n"), key, "fargo.toml", "not a number")


@pytest.mark.parametrize("text", ["port = 80.5", "max_count = 2.5"])
def test_a_fraction_for_a_whole_number_is_refused(text):
    refused(lambda: from_file(text + "\n"), text.split()[0], "not a whole number")


def test_a_whole_float_counts_as_its_integer():
    assert from_file("port = 8080.0\n").port == 8080


@pytest.mark.parametrize("text", ["port = nan", "port = inf", "scaling_cpu_target = nan"])
def test_a_non_finite_number_is_refused(text):
    refused(lambda: from_file(text + "\n"), text.split()[0], "not a finite number")


@pytest.mark.parametrize("text", ["https = 1", "access_logs = 0", "nat_per_az = 1.0"])
def test_a_number_for_a_switch_is_refused(text):
    refused(lambda: from_file(text + "\n"), text.split()[0], "true or false")


def test_a_number_too_long_to_read_is_refused():
    refused(lambda: from_file("port = " + "9" * 5000 + "\n"), "fargo.toml", "too large")


# Image references (Docker's grammar, ECS's 255 characters).

@pytest.mark.parametrize(("image", "why"), [
    ("image with spaces", "space"), ("Owner/App:1", "'App'"), ("::::", "no repository"),
    ("repo:tag:extra", "tag"), ("a" * 256, "255"), ("nginx@sha1:abc", "sha256"),
    ("bad_host:99999999999x/app", "host"), ("app:.hidden", "tag"), ("", "empty"),
])
def test_an_image_reference_docker_refuses_is_refused(image, why):
    refused(lambda: from_file(f"image = {json.dumps(image)}\n"), "image", "fargo.toml", why)


@pytest.mark.parametrize("image", [
    "nginx", "nginx:1.27", "amazon/amazon-ecs-sample", "ghcr.io/acme/l42:2",
    "localhost:5000/app", "Registry.Example.com:443/team/app_x/web-1:v1.2_3",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42@sha256:" + "a" * 64,
    "public.ecr.aws/nginx/nginx:stable-alpine", "a__b/c--d/e.f",
])
def test_valid_image_references_pass(image):
    assert from_flags(image=image).image == image


# Schedules: field by field, as Application Auto Scaling checks them.

def schedule(expression: str, **fields) -> str:
    return json.dumps([{"schedule": expression, "min_count": 1, "max_count": 2, **fields}])


@pytest.mark.parametrize("expression", [
    "cron(0 8 ? * MON-FRI *)", "cron(*/15 * * * ? *)", "cron(0 9-17/2 L * ? 2025-2030)",
    "cron(30 6 ? JAN,MAR-MAY 2#3 *)", "cron(0 0 15W * ? *)", "cron(0 0 LW * ? *)",
    "cron(0 0 ? * 6L *)", "cron(0 0 ? * MON#1 *)", "cron(5,35 14 1 DEC ? 2199)",
    "rate(1 minute)", "rate(5 minutes)", "rate(2 hours)", "rate(1 day)",
    "at(2030-01-31T23:59:59)",
])
def test_schedules_application_auto_scaling_accepts_pass(expression):
    (entry,) = from_flags(schedules=schedule(expression)).schedules
    assert entry.schedule == expression


@pytest.mark.parametrize(("expression", "why"), [
    ("cron(60 8 ? * MON-FRI *)", "minutes"), ("cron(0 24 ? * MON-FRI *)", "hours"),
    ("cron(0 8 32 * ? *)", "day-of-month"), ("cron(0 8 0 * ? *)", "day-of-month"),
    ("cron(0 8 ? 13 MON *)", "month"), ("cron(0 8 ? FOO MON *)", "month"),
    ("cron(0 8 ? * 8 *)", "day-of-week"), ("cron(0 8 ? * MON/2 *)", "day-of-week"),
    ("cron(0 8 ? * MON#6 *)", "day-of-week"), ("cron(0 8 ? * 1 1969)", "year"),
    ("cron(0 8 ? * 1 2200)", "year"), ("cron(0 8 ? ? 1 *)", "month"),
    ("cron(0/0 8 ? * 1 *)", "step"), ("cron(0 8 40W * ? *)", "day-of-month"),
    ("cron(0 8 * * MON *)", "exactly one"), ("cron(0 8 ? * ? *)", "exactly one"),
    ("cron(0 8 ? * MON)", "6"), ("rate(0 minutes)", "at least 1"),
    ("rate(5 minute)", "with an s"), ("rate(1 hours)", "without an s"),
    ("rate(5 weeks)", "minute"), ("at(2024-02-30T10:00:00)", "real date"),
    ("at(2030-01-01 10:00:00)", "real date"), ("every day", "cron(...)"),
])
def test_schedules_application_auto_scaling_refuses_are_refused(expression, why):
    refused(lambda: from_flags(schedules=schedule(expression)), "schedules[0].schedule",
            "--schedules", why)


def test_more_than_200_schedules_are_refused():
    entries = [{"schedule": f"cron({i % 60} {i // 60} ? * MON *)", "min_count": 1,
                "max_count": 2} for i in range(201)]
    refused(lambda: from_flags(schedules=json.dumps(entries)), "schedules", "at most 200")


def test_200_schedules_pass():
    entries = [{"schedule": f"cron({i % 60} {i // 60} ? * MON *)", "min_count": 1,
                "max_count": 2} for i in range(200)]
    assert len(from_flags(schedules=json.dumps(entries)).schedules) == 200


def test_a_time_zone_fargo_does_not_know_is_refused():
    refused(lambda: from_flags(schedules=schedule("rate(1 day)", timezone="localtime")),
            "schedules[0].timezone", "IANA")


# Tags: AWS's rules, and the tags fargo adds itself.

@pytest.mark.parametrize(("tags", "why"), [
    ({"aws:team": "a"}, "reserved"), ({"AWS:team": "a"}, "reserved"),
    ({"fargo:service": "x"}, "reserved"), ({"": "a"}, "empty key"),
    ({"k" * 129: "a"}, "128"), ({"team": "v" * 257}, "256"),
    ({"team": "aws:web"}, "aws:"), ({"te#am": "a"}, "'#'"), ({"team": "a;b"}, "';'"),
    ({"environment": "x"}, "differ only in case"), ({"Team": "a", "team": "b"}, "case"),
    ({f"k{i}": "v" for i in range(48)}, "51"),
])
def test_tags_aws_refuses_are_refused(tags, why):
    refused(lambda: from_flags(tags=json.dumps(tags)), "tags", "--tags", why)


def test_tags_within_aws_rules_pass():
    tags = {"cost-center": "42", "Owner": "ops@example.com", "path": "a/b:c=d+e",
            "Ünïcode 名前": "välue", "Name": "own-name", "empty": "",
            **{f"k{i}": "v" for i in range(42)}}  # with Environment and fargo:service: 50
    assert from_flags(tags=json.dumps(tags)).tags == tags


def test_a_key_given_twice_in_tag_text_is_refused():
    refused(lambda: load_settings(None, BASE, {"FARGO_TAGS": "k=a,k=b"}), "tags", "FARGO_TAGS",
            "'k' is given twice")


def test_a_key_given_twice_in_a_json_object_is_refused():
    refused(lambda: from_flags(container_environment='{"A": "1", "A": "2"}'),
            "container_environment", "'A' is given twice")


# Health checks.

@pytest.mark.parametrize(("path", "why"), [
    ("health", "start with /"), ("/a b", "space"), ("/a#b", "'#'"), ("/a%zz", "bare %"),
    ("/a\\b", "'\\\\'"), ("/é", "'é'"), ("/" + "a" * 1024, "1024"),
])
def test_a_health_path_an_alb_refuses_is_refused(path, why):
    refused(lambda: from_flags(health_check_path=path), "health_check_path", why)


@pytest.mark.parametrize("path", ["/", "/health", "/a/b-c_d.e~f", "/ping?full=1&x=%20y",
                                  "/" + "a" * 1023])
def test_health_paths_an_alb_accepts_pass(path):
    assert from_flags(health_check_path=path).health_check_path == path


@pytest.mark.parametrize(("matcher", "why"), [
    ("100", "200-499"), ("500", "200-499"), ("200-500", "200-499"), ("299-200", "lower"),
    ("200-200", "lower"), ("200,", "not a code"), ("2OO", "not a code"), ("200, 201", "spaces"),
])
def test_a_matcher_outside_200_499_is_refused(matcher, why):
    refused(lambda: from_flags(health_check_matcher=matcher), "health_check_matcher", why)


@pytest.mark.parametrize("matcher", ["200", "200,202", "200-299", "200-299,301,400-499", "499"])
def test_matchers_an_alb_accepts_pass(matcher):
    assert from_flags(health_check_matcher=matcher).health_check_matcher == matcher


# Networks.

def test_an_ipv6_source_on_the_ipv4_only_load_balancer_is_refused():
    refused(lambda: from_flags(allowed_cidrs="0.0.0.0/0,::/0"), "allowed_cidrs", "::/0",
            "IPv4-only", "--allowed-cidrs")


@pytest.mark.parametrize(("key", "text"), [
    ("allowed_cidrs", "10.0.0.0/8,10.0.0.0/8"), ("task_egress", "0.0.0.0/0:443,0.0.0.0/0:443-443"),
    ("public_subnet_cidrs", "10.0.0.0/24,10.0.0.0/24,10.0.4.0/24"),
])
def test_a_rule_listed_twice_is_refused(key, text):
    refused(lambda: from_flags(**{key: text}), key, "listed twice")


@pytest.mark.parametrize(("text", "why"), [
    ("10.0.0.1/8", "host bits set: use 10.0.0.0/8"), ("10.0.0.1", "ADDRESS/PREFIX"),
    ("fe80::%eth0/64", "ADDRESS/PREFIX"),
])
def test_a_cidr_ec2_refuses_is_refused(text, why):
    refused(lambda: from_flags(allowed_cidrs=text), "allowed_cidrs", why)


def test_a_public_subnet_too_small_for_the_load_balancer_is_refused():
    refused(lambda: from_flags(public_subnet_cidrs="10.0.0.0/28,10.0.2.0/24"),
            "public_subnet_cidrs", "/27", "--public-subnet-cidrs")


def test_a_domain_longer_than_a_certificate_takes_is_refused():
    domain = "a" * 55 + ".example.com"
    refused(lambda: from_flags(domain=domain, hosted_zone="example.com"), "domain", "64")


def test_an_idn_top_level_domain_passes():
    settings = from_flags(domain="app.example.xn--p1ai", hosted_zone="example.xn--p1ai")
    assert settings.domain == "app.example.xn--p1ai"


def test_a_certificate_of_another_partition_is_refused():
    arn = CERT.replace("arn:aws:", "arn:aws-cn:")
    refused(lambda: from_flags(https="true", certificate_arn=arn), "partition aws-cn",
            "--certificate-arn")


# The container and the listener.

def test_a_container_environment_over_the_task_definition_limit_is_refused():
    variables = {f"V{i}": "x" * 1000 for i in range(62)}
    refused(lambda: from_flags(container_environment=json.dumps(variables)),
            "container_environment", "64 KiB")


def test_a_container_environment_under_the_limit_passes():
    variables = {f"V{i}": "x" * 1000 for i in range(55)}
    assert len(from_flags(container_environment=json.dumps(variables)).container_environment) == 55


def test_a_tls_policy_name_not_of_aws_form_is_refused():
    refused(lambda: from_flags(tls_policy="TLS13"), "tls_policy", "ELBSecurityPolicy-")


def flag(key: str) -> str:
    return "--" + key.replace("_", "-")


def test_the_longest_valid_settings_keep_every_template_description_under_1024():
    from fargo.template import build_template
    from fargo.template.registry import build_registry_template

    longest_image = "r" * 63 + ".example.com/" + "/".join(["p" * 59] * 3) + "@sha256:" + "a" * 64
    settings = from_flags(name="n" * 24, environment="e" * 16, image=longest_image,
                          domain="d" * 50 + ".example.com", hosted_zone="example.com")
    assert len(longest_image.partition("@")[0]) == 255
    for template in (build_template(settings), build_registry_template(settings)):
        rendered = template.to_dict()
        assert len(rendered["Description"]) <= 1024
        for section in ("Parameters", "Outputs"):
            for entry in rendered.get(section, {}).values():
                assert len(entry.get("Description", "")) <= 1024
