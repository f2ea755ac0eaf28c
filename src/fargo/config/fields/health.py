"""How the load balancer decides a task is healthy, and how long it drains a stopping one."""

from __future__ import annotations

from pydantic import Field, field_validator

from fargo.config.checks import health
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import refuse


class HealthFields(FieldGroup):
    health_check_path: str | None = Field(None, description="Health check path; default / for the sample image, else /health")
    health_check_interval: int = Field(60, ge=5, le=300, description="Seconds between health checks")
    health_check_timeout: int = Field(10, ge=2, le=120, description="Seconds before a health check fails")
    health_check_matcher: str = Field("200", description="HTTP codes that count as healthy: 200-499, e.g. 200, 200,202 or 200-299")
    healthy_threshold: int = Field(2, ge=2, le=10, description="Passed checks before a task is healthy")
    unhealthy_threshold: int = Field(2, ge=2, le=10, description="Failed checks before a task is unhealthy")
    health_check_grace_period: int = Field(10, ge=0, le=2147483647, description="Seconds ECS ignores failing health checks after a task starts")
    deregistration_delay: int = Field(30, ge=0, le=3600, description="Seconds the load balancer drains a stopping task")

    @field_validator("health_check_path")
    @classmethod
    def _path_is_a_url_path(cls, value: str | None) -> str | None:
        return value if value is None else refuse(health.path_problem(value), value)

    @field_validator("health_check_matcher")
    @classmethod
    def _matcher_is_alb_codes(cls, value: str) -> str:
        return refuse(health.matcher_problem(value), value)
