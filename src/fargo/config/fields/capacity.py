"""How many tasks and on what: the first count, autoscaling's bounds and targets, schedules,
and Fargate on-demand or Spot capacity.

Target tracking (template/scaling.py) holds CPU, memory and requests per task; Application
Auto Scaling scales out when any policy asks and in only when all agree, so each target is a
ceiling. Memory's default (80 %) sits above CPU's (70 %): memory rarely falls when load does (a
JVM keeps its heap), so a lower target would hold the service at max_count. 1,000 requests a
minute per task (about 17 a second) is a conservative ceiling for a 1 vCPU web task; CPU still
scales a slower app first. "off" (None) turns a policy off.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from pydantic import Field, field_validator

from fargo.config.checks.schedules import MAX_SCHEDULES, schedule_problem
from fargo.config.fields.base import FieldGroup

_SCHEDULE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,200}\Z")


class ScheduledScaling(FieldGroup):
    """A time-based capacity change (the original's autoscale-time.tf)."""

    schedule: str = Field(description="cron(min hour day-of-month month day-of-week year), rate(N unit) or at(...)")
    min_count: int = Field(ge=0, le=1000)
    max_count: int = Field(ge=0, le=1000)
    timezone: str = "UTC"
    name: str | None = None

    @field_validator("schedule")
    @classmethod
    def _schedule_is_valid(cls, value: str) -> str:
        problem = schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("name")
    @classmethod
    def _name_is_an_action_name(cls, value: str | None) -> str | None:
        if value is not None and not _SCHEDULE_NAME.match(value):
            raise ValueError("use 1-200 letters, digits, _ and -")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:
        if value not in _time_zones():
            raise ValueError("unknown time zone: use an IANA name such as Europe/Berlin or UTC")
        return value


@functools.cache
def _time_zones() -> frozenset[str]:
    """The IANA names this machine knows (Application Auto Scaling takes IANA names), less
    the tz database's own entries that are no zone."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones() - {"Factory", "localtime", "posixrules"}) | {"UTC"}


class CapacityFields(FieldGroup):
    desired_count: int = Field(1, ge=0, le=1000, description="Tasks at first deploy; later deploys keep the count autoscaling chose")
    min_count: int = Field(1, ge=1, le=1000, description="Fewest tasks autoscaling keeps")
    max_count: int = Field(2, ge=1, le=1000, description="Most tasks autoscaling starts")
    scaling_cpu_target: float = Field(70.0, gt=0, le=100, description="Average CPU % that target tracking holds")
    scaling_memory_target: float | None = Field(80.0, gt=0, le=100, description="Average memory % that target tracking holds; \"off\" for none")
    scaling_requests_per_target: int | None = Field(1000, ge=1, le=1_000_000, description="Load balancer requests a minute per task that target tracking holds (rolling deployments); \"off\" for none")
    scale_in_cooldown: int = Field(300, ge=0, le=3600, description="Seconds between scale-in steps")
    scale_out_cooldown: int = Field(60, ge=0, le=3600, description="Seconds between scale-out steps")
    capacity: Literal["on-demand", "spot", "mixed"] = Field("on-demand", description="Fargate on-demand, Fargate Spot (up to 70 % cheaper, interrupted at two minutes' notice), or mixed: capacity_base on-demand tasks, the rest Spot")
    capacity_base: int | None = Field(None, ge=1, le=1000, description="With capacity \"mixed\": tasks always on on-demand Fargate; default 1")
    schedules: list[ScheduledScaling] = Field(default_factory=list, description="Time-based scaling: cron schedules with min/max counts")

    @field_validator("scaling_memory_target", "scaling_requests_per_target", mode="before")
    @classmethod
    def _off_is_none(cls, value: object) -> object:
        """TOML has no null: "off" (or "none") turns the policy off."""
        if isinstance(value, str) and value.strip().lower() in ("off", "none"):
            return None
        return value

    @field_validator("schedules")
    @classmethod
    def _schedules_fit_the_target(cls, values: list[ScheduledScaling]) -> list[ScheduledScaling]:
        if len(values) > MAX_SCHEDULES:
            raise ValueError(f"has {len(values)} schedules: Application Auto Scaling takes at "
                             f"most {MAX_SCHEDULES} per service")
        return values

