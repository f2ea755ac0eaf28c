"""The shape of every settings message: one line, the setting the user actually set and its
source, echoed values cut at 80 characters, control characters escaped."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import load_settings
from fargo.config.checks.fargate import SizeProblem, size_problem
from fargo.config.checks.text import ECHO_LIMIT, cut, shown
from fargo.errors import ConfigError

BASE = {"region": "eu-west-1", "https": False}
runner = CliRunner()


def lines_of(flags=None, environ=None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(None, {**BASE, **(flags or {})}, environ or {})
    return caught.value.problems


def test_a_vpc_cidr_that_no_longer_holds_the_default_subnets_names_the_vpc_cidr_flag():
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https",
                                 "--vpc-cidr", "10.1.0.0/16"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2, lines  # one per subnet setting, each listing its ranges
    assert all("in --vpc-cidr" in line and "outside vpc_cidr 10.1.0.0/16" in line
               for line in lines)
    assert "10.0.0.0/24, 10.0.2.0/24 are outside" in lines[0]


def test_an_overlap_with_a_default_subnet_names_the_flag_that_caused_it():
    (line,) = lines_of({"public_subnet_cidrs": "10.0.1.0/24,10.0.2.0/24"})
    assert "private_subnet_cidrs: 10.0.1.0/24 overlaps 10.0.1.0/24" in line
    assert "in --public-subnet-cidrs" in line


def test_a_timeout_not_below_the_default_interval_names_the_timeout_flag():
    (line,) = lines_of({"health_check_timeout": "5"})
    assert "health_check_timeout (5) is not below health_check_interval (5)" in line
    assert "in --health-check-timeout" in line


def test_a_long_value_is_echoed_cut_at_80_characters():
    (line,) = lines_of({"image": "x" * 10_000})
    assert f"'{'x' * ECHO_LIMIT}'... (10000 characters)" in line
    assert len(line) < 300


def test_a_long_unknown_key_is_echoed_cut():
    Path("fargo.toml").write_text(f'"{"k" * 5000}" = 1\n')
    (line,) = lines_of()
    assert "unknown setting 'kkkk" in line and "(5000 characters)" in line and len(line) < 300


def test_a_newline_in_a_variable_stays_on_one_line_escaped():
    (line,) = lines_of(environ={"FARGO_NAME": "shop\nrm -rf /"})
    assert "\n" not in line
    assert "name = 'shop\\nrm -rf /' in FARGO_NAME" in line


def test_a_terminal_escape_in_a_value_is_escaped():
    (line,) = lines_of({"health_check_path": "/\x1b[31mred"})
    assert "\x1b" not in line and "\\x1b[31mred" in line


def test_control_characters_in_an_unknown_key_are_escaped():
    Path("fargo.toml").write_text('"bad\\u001b[2Jkey" = 1\n')
    (line,) = lines_of()
    assert "\x1b" not in line and "unknown setting 'bad\\x1b[2Jkey'" in line


def test_a_repeated_key_in_json_text_names_the_key():
    text = '[{"schedule": "rate(1 day)", "min_count": 1, "min_count": 2, "max_count": 3}]'
    (line,) = lines_of(environ={"FARGO_SCHEDULES": text})
    assert "schedules in FARGO_SCHEDULES" in line and "'min_count' is given twice" in line


def test_a_line_problem_from_each_source_names_that_source():
    Path("fargo.toml").write_text("keep_images = 0\n")
    lines = lines_of({"port": "0"}, {"FARGO_DEREGISTRATION_DELAY": "-1"})
    assert len(lines) == 3
    assert any(line.startswith("error: keep_images = 0 in fargo.toml") for line in lines)
    assert any(line.startswith("error: port = '0' in --port") for line in lines)
    assert any(line.startswith("error: deregistration_delay = '-1' in FARGO_DEREGISTRATION_DELAY")
               for line in lines)


# The helpers every message uses.

@pytest.mark.parametrize(("value", "expected"), [
    ("abc", "'abc'"), ("a\nb", "'a\\nb'"), ("\u2028", "'\\u2028'"), (True, "True"),
    ([["x"] * 50], "[['x', 'x', 'x', 'x', 'x', 'x', ...]]"),
])
def test_shown_quotes_escapes_and_cuts(value, expected):
    assert shown(value) == expected


def test_shown_survives_a_number_python_will_not_print():
    assert shown(10**5000) == "a number too long to show"


def test_cut_leaves_short_text_unquoted():
    assert cut("nginx:1") == "nginx:1"
    assert cut("y" * 100).endswith("... (100 characters)")


def test_a_fargate_size_problem_is_a_value_naming_its_setting():
    assert size_problem(256, 4096) == SizeProblem(
        "memory", "memory (4096) does not fit cpu 256 on Fargate", "use 512, 1024, 2048 MiB")
    assert size_problem(300, 1024).setting == "cpu"
    assert size_problem(1024, 2048) is None
