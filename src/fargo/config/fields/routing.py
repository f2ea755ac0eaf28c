"""How the environment's load balancer reaches one service, and how its new versions roll out.

Only in a file with `[services.NAME]` tables: a service there shares the environment's load
balancer with the others, so a listener rule (host and/or path, priority) picks its requests.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from fargo.config.fields.base import FieldGroup
from fargo.config.fields.edge import DNS_NAME

# ALB path patterns: case-sensitive, at most 128 characters, * and ? as wildcards.
PATH_PATTERN = re.compile(r"^/[A-Za-z0-9_\-.$/~\"'@:+&*?]{0,127}\Z")
MAX_HOST = 128
DEPLOYMENTS = ("rolling", "blue-green", "linear", "canary")


class RoutingFields(FieldGroup):
    host: str | None = Field(None, description="Requests for this DNS name reach the service (inside the environment's domain, which gets its alias record), e.g. api.example.com")
    path: str | None = Field(None, description="Requests whose path matches this pattern reach the service, e.g. \"/api/*\" (* and ? are wildcards)")
    priority: int | None = Field(None, ge=1, le=50000, description="Listener rule priority, lowest first; default from the order of the [services] tables (10, 20, ...)")
    deployment: Literal["rolling", "blue-green", "linear", "canary"] = Field("rolling", description="How a new version replaces the running one: rolling (task by task), blue-green, linear or canary (traffic shifted by the load balancer)")
    bake_minutes: int | None = Field(None, ge=0, le=1440, description="blue-green, linear, canary: minutes both versions run after the traffic moved (and between linear/canary steps); default 15")
    step_percent: float | None = Field(None, ge=0.1, le=100, description="linear: % of traffic moved per step (3-100); canary: % moved first (0.1-100); multiples of 0.1")

    @field_validator("host")
    @classmethod
    def _host_is_a_dns_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower().rstrip(".")
        if len(value) > MAX_HOST or not DNS_NAME.match(value):
            raise ValueError("not a DNS name: use letters, digits and hyphens in dot-separated "
                             "labels, e.g. api.example.com (no wildcards)")
        return value

    @field_validator("path")
    @classmethod
    def _path_is_a_pattern(cls, value: str | None) -> str | None:
        if value is not None and not PATH_PATTERN.match(value):
            raise ValueError("not a load balancer path pattern: start with /, at most 128 of "
                             "letters, digits, the marks _-.$/~@:+& and the wildcards * and ?")
        return value

    @field_validator("step_percent")
    @classmethod
    def _step_is_a_tenth(cls, value: float | None) -> float | None:
        if value is not None and abs(value * 10 - round(value * 10)) > 1e-9:
            raise ValueError("use a multiple of 0.1, e.g. 10 or 12.5")
        return value
