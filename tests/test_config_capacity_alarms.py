"""Day-two settings (issues 12 and 13): Fargate Spot capacity, memory and request scaling,
alarm thresholds and e-mail; their checks, the advisories for Spot's two-minute warning, and
"off" for a scaling policy from every layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from fargo.config import load_settings
from fargo.config.sources import advisories, load_values, validate
from fargo.errors import ConfigError

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
BASE = {"region": "eu-west-1", "certificate_arn": CERT}


def settings(**flags):
    return load_settings(None, {**BASE, **flags}, {})


def errors(**flags) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings(**flags)
    return caught.value.problems


def warnings(**flags) -> list[str]:
    values, origin = load_values(None, {**BASE, **flags}, {})
    return advisories(validate(values, origin), origin, {})


@pytest.mark.parametrize("capacity", ["on-demand", "spot", "mixed"])
def test_capacity_takes_on_demand_spot_and_mixed(capacity):
    assert settings(capacity=capacity).capacity == capacity


def test_an_unknown_capacity_names_the_choices():
    (line,) = errors(capacity="cheap")
    assert line.startswith("error: capacity = 'cheap' in --capacity:")
    assert "'on-demand', 'spot' or 'mixed'" in line


def test_mixed_keeps_one_on_demand_task_unless_capacity_base_says_otherwise():
    assert settings(capacity="mixed", max_count=3).on_demand_base == 1
    assert settings(capacity="mixed", capacity_base=2, max_count=3).on_demand_base == 2


@pytest.mark.parametrize("capacity", ["on-demand", "spot"])
def test_capacity_base_without_mixed_is_an_error_naming_both(capacity):
    (line,) = errors(capacity=capacity, capacity_base=2)
    assert f"capacity_base is set but capacity is {capacity}" in line
    assert "in --capacity-base" in line


def test_arm_on_spot_is_allowed():
    chosen = settings(capacity="spot", platform="linux/arm64")
    assert (chosen.capacity, chosen.cpu_architecture) == ("spot", "ARM64")


def test_the_defaults_on_spot_get_no_warning():
    assert warnings(capacity="spot") == []
    assert warnings(capacity="mixed", max_count=3) == []


def test_a_drain_and_stop_longer_than_spots_warning_get_a_warning():
    (line,) = warnings(capacity="spot", deregistration_delay=100, stop_timeout=100)
    assert line.startswith("warning: deregistration_delay + stop_timeout (200 s) exceed the "
                           "120 s a Spot task gets after its interruption warning")
    assert "in --deregistration-delay" in line


def test_a_stop_shorter_than_the_drain_on_spot_gets_a_warning():
    (line,) = warnings(capacity="mixed", max_count=3, deregistration_delay=30, stop_timeout=10)
    assert "stop_timeout (10 s) is shorter than deregistration_delay (30 s)" in line
    assert "in --stop-timeout" in line


def test_on_demand_tasks_need_not_fit_spots_warning():
    assert warnings(deregistration_delay=300, stop_timeout=10) == []


def test_a_base_that_leaves_no_task_for_spot_gets_a_warning():
    (line,) = warnings(capacity="mixed", capacity_base=2, max_count=2)
    assert "capacity_base (2) is not below max_count (2): no task ever runs on Spot" in line


@pytest.mark.parametrize("off", ["off", "none", "OFF"])
def test_off_turns_memory_and_request_scaling_off_from_flags(off):
    chosen = settings(scaling_memory_target=off, scaling_requests_per_target=off)
    assert (chosen.scaling_memory_target, chosen.scaling_requests_per_target) == (None, None)


def test_off_turns_scaling_policies_off_from_the_file_and_the_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("fargo.toml").write_text('scaling_memory_target = "off"\n')
    chosen = load_settings(None, BASE, {"FARGO_SCALING_REQUESTS_PER_TARGET": "off"})
    assert (chosen.scaling_memory_target, chosen.scaling_requests_per_target) == (None, None)


def test_scaling_targets_are_checked_as_numbers_in_range():
    (line,) = errors(scaling_memory_target="120")
    assert line.startswith("error: scaling_memory_target = '120' in --scaling-memory-target")
    (line,) = errors(scaling_requests_per_target="0")
    assert "scaling_requests_per_target" in line and "greater than or equal to 1" in line


def test_alarm_email_takes_an_address():
    assert settings(alarm_email="ops@example.com").alarm_email == "ops@example.com"


@pytest.mark.parametrize("bad", ["ops", "ops@", "@example.com", "ops@example", "a b@example.com"])
def test_alarm_email_refuses_what_is_not_an_address(bad):
    (line,) = errors(alarm_email=bad)
    assert "not an email address: use e.g. ops@example.com" in line


@pytest.mark.parametrize(("setting", "value"), [
    ("alarm_5xx_percent", "0"), ("alarm_5xx_percent", "101"), ("alarm_p99_seconds", "0"),
    ("alarm_cpu_percent", "150"), ("alarm_memory_percent", "-1")])
def test_alarm_thresholds_are_checked(setting, value):
    (line,) = errors(**{setting: value})
    assert line.startswith(f"error: {setting} = '{value}'")


def test_a_service_table_takes_the_day_two_settings():
    from template_assertions import app_for

    app = app_for(services={"web": {"host": "app.example.com", "capacity": "mixed",
                                    "capacity_base": 2, "max_count": 4,
                                    "alarm_email": "web@example.com",
                                    "scaling_requests_per_target": "off"}})
    web = app.service("web")
    assert (web.capacity, web.on_demand_base, web.alarm_email,
            web.scaling_requests_per_target) == ("mixed", 2, "web@example.com", None)
