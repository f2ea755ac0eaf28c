"""One service of an environment: its host inside the environment's domain, and a deployment
strategy with the settings it takes (and the 33 hours CloudFormation waits at most)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.app import ServiceSettings

# CloudFormation refuses linear and canary deployments it computes to take longer than this.
MAX_DEPLOYMENT_MINUTES = 33 * 60
STEP_RANGES = {"linear": (3.0, 100.0), "canary": (0.1, 100.0)}


def problems(s: ServiceSettings) -> list[Problem]:
    found = []
    if s.host and s.domain and not (s.host == s.domain or s.host.endswith("." + s.domain)):
        found.append(Problem(
            "host", f"host {s.host} is not inside the domain {s.domain} of the environment",
            f"use a name that ends with {s.domain}: the certificate and hosted zone of the "
            "environment cover only those", ("domain",)))
    if s.deployment == "rolling" and s.bake_minutes is not None:
        found.append(Problem(
            "bake_minutes", "bake_minutes is set but deployment is rolling",
            "remove bake_minutes, or choose deployment = \"blue-green\", \"linear\" or "
            "\"canary\"", ("deployment",)))
    if s.step_percent is not None and s.deployment not in STEP_RANGES:
        found.append(Problem(
            "step_percent", f"step_percent is set but deployment is {s.deployment}",
            "remove step_percent, or choose deployment = \"linear\" or \"canary\"",
            ("deployment",)))
    elif s.step_percent is not None:
        low, high = STEP_RANGES[s.deployment]
        if not low <= s.step_percent <= high:
            found.append(Problem(
                "step_percent", f"step_percent ({s.step_percent:g}) is outside {low:g}..{high:g} "
                f"for a {s.deployment} deployment", f"choose a step between {low:g} and "
                f"{high:g} percent", ("deployment",)))
    minutes = deployment_minutes(s)
    if minutes > MAX_DEPLOYMENT_MINUTES:
        found.append(Problem(
            "bake_minutes", f"a {s.deployment} deployment with bake_minutes {s.bake_time} takes "
            f"{minutes} minutes, over the {MAX_DEPLOYMENT_MINUTES} CloudFormation allows",
            "lower bake_minutes (or raise step_percent: fewer steps)", ("step_percent",)))
    return found


def deployment_minutes(s: ServiceSettings) -> int:
    """CloudFormation's own estimate: the final bake, plus one bake per step before 100%."""
    if s.deployment == "linear":
        step = s.traffic_step
        steps = round(100 / step) - 1 if math.isclose(100 / step, round(100 / step)) else int(
            100 // step)
        return s.bake_time * (1 + steps)
    if s.deployment == "canary":
        return 2 * s.bake_time
    return s.bake_time if s.deployment == "blue-green" else 0
