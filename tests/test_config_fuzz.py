"""Generated configurations, across fargo.toml, FARGO_* variables and flags (issue 9).

- Known-bad values, one to four at a time, each in its own source: exactly one `error:` line
  per bad setting, naming the setting and that source, no traceback, exit 2 (also through
  `fargo synth` with typer's CliRunner).
- Arbitrary values (any TOML type, control characters, huge, nested) for any setting: either
  settings that render, or `error:` lines only, each naming a source that was used.
- Valid configurations built from AWS's rules: they load and render.

CI runs a derandomised sample of a few hundred examples in seconds. By hand, thousands:
`pytest -m fuzz_full -p no:randomly -n 0 tests/test_config_fuzz.py` (FUZZ_EXAMPLES=N sets how
many per property, default 3000).
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import Settings, load_settings
from fargo.config.checks.fargate import FARGATE_SIZES
from fargo.config.checks.tls_policies import KNOWN_POLICIES
from fargo.config.fields.container import LOG_RETENTION_DAYS
from fargo.config.fields.network import KNOWN_ENDPOINTS, PLATFORM_ENDPOINTS
from fargo.config.sources import env_var, flag_name
from fargo.errors import ConfigError
from fargo.template import render

FILE, ENV, FLAG = "file", "env", "flag"
ALL = (FILE, ENV, FLAG)
TEXT = (ENV, FLAG)
TYPED = (FILE,)
REGIONS = ("eu-west-1", "us-east-1", "ap-southeast-2", "sa-east-1", "eu-central-2")

_common = dict(deadline=None, database=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
ci = settings(max_examples=250, derandomize=True, **_common)  # the fast properties
ci_small = settings(max_examples=70, derandomize=True, **_common)  # CLI runs and renders
full = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "3000")), **_common)
runner = CliRunner()


# Writing a value in each source's syntax.

def toml(value: Any) -> str:
    """A TOML literal (TOML's own escapes: JSON's would write astral characters as
    surrogate pairs, which TOML refuses)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(
            value) else repr(value)
    if isinstance(value, str):
        return '"' + "".join(_toml_char(c) for c in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml(str(k))} = {toml(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def _toml_char(char: str) -> str:
    if char in '"\\':
        return "\\" + char
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04x}"
    return char


def text(value: Any) -> str:
    """The value as a flag or FARGO_* variable spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class Placed:
    """A value for one setting, and the source it is given in."""

    setting: str
    value: Any
    source: str

    @property
    def source_name(self) -> str:
        return {FILE: "fargo.toml", ENV: env_var(self.setting),
                FLAG: flag_name(self.setting)}[self.source]


def layers(placed: list[Placed], base: dict[str, Any]) -> tuple[str, dict, dict]:
    """(fargo.toml text, flags, environment) for the placed values and a text base of flags."""
    file_lines, flags, environ = [], dict(base), {}
    for item in placed:
        flags.pop(item.setting, None)
        if item.source == FILE:
            file_lines.append(f"{toml(item.setting)} = {toml(item.value)}")
        elif item.source == ENV:
            environ[env_var(item.setting)] = text(item.value)
        else:
            flags[item.setting] = text(item.value)
    return "\n".join(file_lines) + "\n", flags, environ


def write_file(content: str) -> None:
    path = Path("fargo.toml")
    if content.strip():
        path.write_text(content, encoding="utf-8")
    elif path.exists():
        path.unlink()


BASE = {"region": "eu-west-1", "https": "false"}


# Known-bad values: each gives exactly one problem of its own setting.

def _schedule(**fields: Any) -> list[dict[str, Any]]:
    return [{"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 1, "max_count": 2, **fields}]


BAD: list[tuple[str, Any, tuple[str, ...]]] = [
    ("name", "Shop", ALL), ("name", "shop-", ALL), ("name", "a" * 25, ALL),
    ("name", "sh\nop", ALL), ("name", "l42\n", TYPED), ("name", 42, TYPED),
    ("environment", "Prod", ALL), ("environment", "p" * 17, ALL),
    ("region", "eu-wst-1", ALL), ("region", "mars-north-1", ALL), ("region", "eu-west-1\n", TYPED),
    ("tags", {"aws:team": "x"}, ALL), ("tags", {"t": "v" * 257}, ALL),
    ("tags", {"t#": "v"}, ALL), ("tags", {f"k{i}": "v" for i in range(51)}, ALL),
    ("tags", {"Environment": "a", "environment": "b"}, ALL), ("tags", "team", TEXT),
    ("image", "image with spaces", ALL), ("image", "Owner/App", ALL), ("image", "::::", ALL),
    ("image", "repo:tag:extra", ALL), ("image", "a" * 256, ALL), ("image", "", TYPED),
    ("build", "ab\x01c", ALL),
    ("keep_images", 0, ALL), ("keep_images", 1001, ALL), ("keep_images", True, TYPED),
    ("keep_images", 1.5, ALL),
    ("port", 0, ALL), ("port", 65536, ALL), ("port", "http", TEXT), ("port", 80.5, ALL),
    ("port", True, TYPED), ("port", float("nan"), TYPED),
    ("cpu", "abc", TEXT), ("cpu", True, TYPED), ("memory", "2GB", TEXT),
    ("platform", "linux/386", ALL),
    ("container_environment", {"1X": "v"}, ALL),
    ("container_environment", {"BIG": "x" * 70_000}, ALL),
    ("readonly_root_filesystem", "maybe", TEXT), ("readonly_root_filesystem", 1, TYPED),
    ("ecs_exec", "maybe", TEXT), ("access_logs", "sometimes", TEXT), ("access_logs", 0, TYPED),
    ("nat_per_az", "2", TEXT), ("https", "maybe", TEXT), ("https", 1, TYPED),
    ("log_retention_days", 2, ALL), ("log_retention_days", 0, ALL),
    ("desired_count", -1, ALL), ("desired_count", 1001, ALL),
    ("min_count", 0, ALL), ("max_count", 0, ALL), ("max_count", 2.5, ALL),
    ("scaling_cpu_target", 0, ALL), ("scaling_cpu_target", 101, ALL),
    ("scaling_cpu_target", "nan", TEXT), ("scaling_cpu_target", float("inf"), TYPED),
    ("scaling_cpu_target", True, TYPED),
    ("scale_in_cooldown", -1, ALL), ("scale_in_cooldown", 3601, ALL),
    ("scale_out_cooldown", 3601, ALL),
    ("schedules", _schedule(schedule="cron(60 8 ? * MON-FRI *)"), ALL),
    ("schedules", _schedule(schedule="rate(5 minute)"), ALL),
    ("schedules", _schedule(schedule="at(2025-02-30T10:00:00)"), ALL),
    ("schedules", _schedule(schedule="cron(0 8 * * MON *)"), ALL),
    ("schedules", _schedule(timezone="Mars/Olympus"), ALL),
    ("schedules", _schedule(minimum=1), ALL), ("schedules", _schedule(min_count=-1), ALL),
    ("schedules", _schedule(min_count=True), ALL), ("schedules", _schedule(name="a b"), ALL),
    ("schedules", _schedule() * 201, ALL), ("schedules", {"schedule": "x"}, TEXT),
    ("certificate_arn", "my-cert", ALL), ("domain", "app_example", ALL),
    ("domain", "d" * 61 + ".com", ALL), ("hosted_zone", "-x-.com", ALL),
    ("tls_policy", "TLS13", ALL), ("http_redirect_code", 303, ALL),
    ("http_redirect_code", True, TYPED),
    ("allowed_cidrs", ["10.0.0.300/8"], ALL), ("allowed_cidrs", ["10.0.0.1/8"], ALL),
    ("allowed_cidrs", ["10.0.0.0/8", "10.0.0.0/8"], ALL), ("allowed_cidrs", "10.0.0.0/8", TYPED),
    ("health_check_path", "health", ALL), ("health_check_path", "/a b", ALL),
    ("health_check_path", "/" + "a" * 1100, ALL),
    ("health_check_interval", 4, ALL), ("health_check_interval", 301, ALL),
    ("health_check_timeout", 1, ALL), ("health_check_timeout", 121, ALL),
    ("healthy_threshold", 1, ALL), ("unhealthy_threshold", 11, ALL),
    ("health_check_matcher", "100", ALL), ("health_check_matcher", "500", ALL),
    ("health_check_matcher", "abc", ALL), ("health_check_matcher", "299-200", ALL),
    ("health_check_grace_period", -1, ALL), ("health_check_grace_period", 2**31, ALL),
    ("deregistration_delay", -1, ALL), ("deregistration_delay", 3601, ALL),
    ("access_log_expiry_days", 0, ALL), ("access_log_expiry_days", 3651, ALL),
    ("network", "private", ALL), ("az_count", 0, ALL), ("az_count", 4, ALL),
    ("vpc_cidr", "10.0.0.0/8", ALL), ("vpc_cidr", "x", ALL),
    ("public_subnet_cidrs", ["x", "10.0.2.0/24"], ALL),
    ("private_subnet_cidrs", ["10.0.1.0/24", "10.0.1.0/24", "10.0.5.0/24"], ALL),
    ("task_egress", ["0.0.0.0/0"], ALL), ("task_egress", ["0.0.0.0/0:99999"], ALL),
    ("task_egress", ["0.0.0.0/0:443", "0.0.0.0/0:443"], ALL),
    ("vpc_endpoints", ["s3x"], ALL),
]


@st.composite
def bad_configs(draw, sources_for=lambda setting, sources: sources) -> list[Placed]:
    """One to four known-bad values for different settings, each in one of its sources."""
    cases = draw(st.lists(st.sampled_from(BAD), min_size=1, max_size=4,
                          unique_by=lambda case: case[0]))
    placed = []
    for setting, value, sources in cases:
        allowed = sources_for(setting, sources)
        if allowed:
            placed.append(Placed(setting, value, draw(st.sampled_from(allowed))))
    return placed or [Placed("port", 0, FILE)]


def line_for(item: Placed, lines: list[str]) -> list[str]:
    pattern = re.compile(rf"error: {re.escape(item.setting)}(?![a-z_])")
    return [line for line in lines if pattern.match(line)]


def check_bad(placed: list[Placed], lines: list[str]) -> None:
    assert len(lines) == len(placed), (placed, lines)
    for line in lines:
        assert line.startswith("error: ") and "\n" not in line and len(line) < 700, line
    for item in placed:
        matching = line_for(item, lines)
        assert len(matching) == 1, (item, lines)
        assert f" in {item.source_name}" in matching[0], (item, matching)


def run_library(placed: list[Placed]) -> list[str]:
    content, flags, environ = layers(placed, BASE)
    write_file(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(None, flags, environ)
    return caught.value.problems


@given(bad_configs())
@ci
def test_bad_values_give_one_line_each_naming_setting_and_source(placed):
    check_bad(placed, run_library(placed))


@pytest.mark.fuzz_full
@given(bad_configs())
@full
def test_bad_values_give_one_line_each_naming_setting_and_source_thoroughly(placed):
    check_bad(placed, run_library(placed))


# The same through the command line: `fargo synth`, flags as argv, variables in os.environ.

BOOL_SETTINGS = {name for name, f in Settings.model_fields.items() if f.annotation is bool}


def _cli_sources(setting: str, sources: tuple[str, ...]) -> tuple[str, ...]:
    # A switch has no value on the command line (--https/--no-https).
    return tuple(s for s in sources if not (s == FLAG and setting in BOOL_SETTINGS))


def run_cli(placed: list[Placed]) -> Any:
    content, flags, environ = layers(placed, {"region": "eu-west-1"})
    if not any(item.setting == "https" for item in placed):
        flags["https"] = False
    write_file(content)
    args = ["synth"]
    for setting, value in flags.items():
        if setting in BOOL_SETTINGS and isinstance(value, bool):
            args.append(flag_name(setting) if value else "--no-" + flag_name(setting)[2:])
        else:
            args.append(f"{flag_name(setting)}={value}")
    return runner.invoke(app, args, env=environ)


def check_cli(placed: list[Placed]) -> None:
    result = run_cli(placed)
    assert result.exit_code == 2, (placed, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and result.stdout == ""
    check_bad(placed, [line for line in result.stderr.splitlines() if line.strip()])


@given(bad_configs(sources_for=_cli_sources))
@ci_small
def test_bad_values_through_fargo_synth_exit_2_with_one_line_each(placed):
    check_cli(placed)


@pytest.mark.fuzz_full
@given(bad_configs(sources_for=_cli_sources))
@full
def test_bad_values_through_fargo_synth_exit_2_with_one_line_each_thoroughly(placed):
    check_cli(placed)


# Valid configurations, built from AWS's rules: tightening a rule must not refuse them.

_label = st.from_regex(r"[a-z][a-z0-9]{0,9}", fullmatch=True)
_tag_text = st.text(st.sampled_from("abcXYZ019 _.:/=+-@é名"), min_size=1, max_size=20)


def _cron_part(low: int, high: int, names: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    value = st.integers(low, high).map(str)
    if names:
        value = value | st.sampled_from(names)
    pair = st.tuples(st.integers(low, high), st.integers(low, high)).map(sorted)
    return st.one_of(
        value, st.just("*"),
        pair.map(lambda p: f"{p[0]}-{p[1]}"),
        st.tuples(value, st.integers(1, 10)).map(lambda p: f"{p[0]}/{p[1]}"),
        st.lists(st.integers(low, high).map(str), min_size=2, max_size=3, unique=True)
        .map(",".join),
    )


@st.composite
def _cron(draw) -> str:
    days = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    minutes, hours = draw(_cron_part(0, 59)), draw(_cron_part(0, 23))
    month, year = draw(_cron_part(1, 12, months)), draw(_cron_part(1970, 2199))
    if draw(st.booleans()):
        dom = draw(_cron_part(1, 31) | st.sampled_from(["L", "LW", "15W"]))
        dow = "?"
    else:
        dom = "?"
        dow = draw(st.integers(1, 7).map(str) | st.sampled_from(days) | st.sampled_from(
            ["MON-FRI", "L", "6L", "MON#2", "2,4,6", "*"]))
    return f"cron({minutes} {hours} {dom} {month} {dow} {year})"


_schedule_expression = st.one_of(
    _cron(),
    st.integers(1, 500).flatmap(lambda n: st.sampled_from(
        ["minute", "hour", "day"] if n == 1 else ["minutes", "hours", "days"]).map(
        lambda unit: f"rate({n} {unit})")),
    st.datetimes(datetime(2000, 1, 1), datetime(2199, 12, 31)).map(
        lambda moment: f"at({moment:%Y-%m-%dT%H:%M:%S})"),
)


@st.composite
def valid_configs(draw) -> list[Placed]:
    region = draw(st.sampled_from(REGIONS))
    values: dict[str, Any] = {"region": region}
    if draw(st.booleans()):
        values["name"], values["environment"] = draw(_label), draw(_label)
    if draw(st.booleans()):
        keys = draw(st.lists(_tag_text.filter(lambda k: not k.lower().startswith(
            ("aws:", "fargo:")) and k.lower() not in ("name", "environment")),
            max_size=5, unique_by=str.lower))
        values["tags"] = {k: draw(_tag_text) for k in keys}
    network = draw(st.sampled_from(["nat", "public", "isolated"]))
    values["network"] = network
    if network == "isolated":
        values["image"] = f"123456789012.dkr.ecr.{region}.amazonaws.com/app:1"
    elif draw(st.booleans()):
        values["image"] = draw(st.sampled_from(
            ["nginx", "nginx:1.27", "ghcr.io/acme/web:2", "localhost:5000/a/b_c:v1.0",
             "public.ecr.aws/nginx/nginx@sha256:" + "b" * 64]))
    if network == "nat" and draw(st.booleans()):
        values["nat_per_az"] = True
    cpu = draw(st.sampled_from(sorted(FARGATE_SIZES)))
    values["cpu"], values["memory"] = cpu, draw(st.sampled_from(FARGATE_SIZES[cpu]))
    values["port"] = draw(st.integers(1, 65535))
    low = draw(st.integers(1, 10))
    high = draw(st.integers(low, 20))
    values.update(min_count=low, max_count=high, desired_count=draw(st.integers(low, high)))
    values["scaling_cpu_target"] = draw(st.floats(1, 100))
    values["scale_in_cooldown"] = draw(st.integers(0, 3600))
    values["log_retention_days"] = draw(st.sampled_from(LOG_RETENTION_DAYS))
    names = iter(f"s{i}" for i in range(10))
    values["schedules"] = [
        {"schedule": draw(_schedule_expression), "min_count": 1, "max_count": 2,
         **({"name": next(names)} if draw(st.booleans()) else {}),
         **({"timezone": draw(st.sampled_from(["Europe/Berlin", "UTC", "Asia/Tokyo"]))}
            if draw(st.booleans()) else {})}
        for _ in range(draw(st.integers(0, 3)))
    ]
    values["https"] = draw(st.booleans())
    if values["https"]:
        values["tls_policy"] = draw(st.sampled_from(sorted(KNOWN_POLICIES)))
        values["http_redirect_code"] = draw(st.sampled_from([301, 302]))
        if draw(st.booleans()):
            values["domain"], values["hosted_zone"] = "app.example.com", "example.com"
    values["allowed_cidrs"] = [str(n) for n in draw(st.lists(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(8, 32)).map(
            lambda p: ipaddress.ip_network((p[0], p[1]), strict=False)),
        min_size=1, max_size=5, unique=True))]
    values["health_check_path"] = "/" + draw(st.text(st.sampled_from(
        "abz09-._~!$&'()*+,;=:@/?"), max_size=30))
    interval = draw(st.integers(5, 300))
    values["health_check_interval"] = interval
    values["health_check_timeout"] = draw(st.integers(2, min(120, interval - 1)))
    values["health_check_matcher"] = draw(st.sampled_from(
        ["200", "200,202", "200-299", "200-399,401", "499"]))
    values["deregistration_delay"] = draw(st.integers(0, 3600))
    values["az_count"] = draw(st.integers(1, 3))
    values["task_egress"] = draw(st.lists(st.sampled_from(
        ["0.0.0.0/0:443", "10.0.0.0/8:5432", "0.0.0.0/0:8000-8100", "::/0:443"]),
        min_size=1, max_size=3, unique=True))
    values["vpc_endpoints"] = list(PLATFORM_ENDPOINTS) + draw(st.lists(
        st.sampled_from([e for e in KNOWN_ENDPOINTS if e not in PLATFORM_ENDPOINTS]),
        max_size=3, unique=True))
    if draw(st.booleans()):
        values["container_environment"] = {"GREETING": "hi, there", "PEM": "a\nb",
                                           "EMPTY": ""}
    return [Placed(k, v, draw(st.sampled_from(ALL))) for k, v in values.items()]


def check_valid(placed: list[Placed]) -> None:
    content, flags, environ = layers(placed, {})
    write_file(content)
    try:
        accepted = load_settings(None, flags, environ)
    except ConfigError as error:
        pytest.fail(f"valid configuration refused: {error.problems} for {placed}")
    assert json.loads(render(accepted))["Resources"]


@given(valid_configs())
@ci_small
def test_valid_configurations_load_and_render(placed):
    check_valid(placed)


@pytest.mark.fuzz_full
@given(valid_configs())
@full
def test_valid_configurations_load_and_render_thoroughly(placed):
    check_valid(placed)


# Arbitrary values for any setting: settings that render, or error lines only.

_characters = st.characters(blacklist_categories=("Cs",))
_scalars = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.text(_characters, max_size=40),
    st.sampled_from(["", " ", "\n", "x" * 3000, "eu-west-1", "10.0.0.0/8", "0.0.0.0/0:443",
                     "cron(0 8 ? * MON *)", "ELBSecurityPolicy-X", "/health", "200-299",
                     float("inf"), float("-inf"), float("nan"), 0, -1, 2**31]),
)
ANY_VALUE = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(_characters, max_size=12), inner, max_size=4)),
    max_leaves=12,
)


@st.composite
def arbitrary_configs(draw) -> list[Placed]:
    """Arbitrary values for one to three settings, on their own or over a valid
    configuration (so that more of them get through to the cross-setting rules and render)."""
    names = list(Settings.model_fields) + ["regoin", "colour"]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    placed = draw(valid_configs()) if draw(st.booleans()) else []
    placed = [item for item in placed if item.setting not in chosen]
    for setting in chosen:
        source = FILE if setting not in Settings.model_fields else draw(st.sampled_from(ALL))
        placed.append(Placed(setting, draw(ANY_VALUE), source))
    return placed


def check_arbitrary(placed: list[Placed]) -> None:
    content, flags, environ = layers(placed, BASE)
    write_file(content)
    try:
        accepted = load_settings(None, flags, environ)
    except ConfigError as error:
        used = {item.source_name for item in placed} | {"fargo.toml"}
        assert error.problems
        for line in error.problems:
            assert line.startswith("error: ") and "\n" not in line and len(line) < 700, line
            assert line.isprintable(), line
            assert any(name in line for name in used), (placed, line)
        return
    render(accepted)  # whatever validation lets through must render


@given(arbitrary_configs())
@ci
def test_arbitrary_values_are_settings_that_render_or_error_lines(placed):
    check_arbitrary(placed)


@pytest.mark.fuzz_full
@given(arbitrary_configs())
@full
def test_arbitrary_values_are_settings_that_render_or_error_lines_thoroughly(placed):
    check_arbitrary(placed)
