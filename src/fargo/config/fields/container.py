"""The container and its task: port, size, environment, logs, ECS Exec."""

from __future__ import annotations

from pydantic import Field, field_validator

from fargo.config.checks.container import environment_problem
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import refuse

LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
)


class ContainerFields(FieldGroup):
    port: int = Field(80, ge=1, le=65535, description="Port the container listens on")
    cpu: int = Field(1024, description="Task CPU units (256, 512, 1024, 2048, 4096, 8192, 16384)")
    memory: int = Field(2048, description="Task memory in MiB; must fit the CPU size on Fargate")
    container_environment: dict[str, str] = Field(default_factory=dict, description="Container environment variables, merged over PORT and ENVIRONMENT (credentials belong in secrets)")
    readonly_root_filesystem: bool = Field(False, description="Mount the container's root file system read-only (see writable_paths); turns ecs_exec off by default")
    ecs_exec: bool = Field(None, description="Allow `aws ecs execute-command` into tasks (adds an ssmmessages endpoint); default on, off in isolated or with a read-only root")  # type: ignore[assignment]
    log_retention_days: int = Field(90, description="Days CloudWatch keeps the container logs")

    @field_validator("log_retention_days")
    @classmethod
    def _retention_is_allowed(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(
                "CloudWatch accepts only " + ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            )
        return value

    @field_validator("container_environment")
    @classmethod
    def _environment_fits_a_task(cls, values: dict[str, str]) -> dict[str, str]:
        return refuse(environment_problem(values), values)
