"""Running untrusted code: the container's user, file system, capabilities, limits, secrets."""

from __future__ import annotations

from pydantic import Field, field_validator

from fargo.config.checks.container import (
    CONTAINER_PATH,
    ENV_NAME,
    LINUX_CAPABILITIES,
    ULIMIT_NAMES,
    USER,
)
from fargo.config.checks.secrets import KMS_KEY_ARN, parse_secret_reference
from fargo.config.fields.base import FieldGroup


class HardeningFields(FieldGroup):
    user: str | None = Field(None, description="Run the container as this user: NAME, UID or UID:GID (default: the image's own user)")
    writable_paths: list[str] = Field(default_factory=list, description="Writable directories under a read-only root file system, each an empty task volume, e.g. [\"/tmp\"]")
    drop_capabilities: list[str] = Field(None, description="Linux capabilities to drop; default [\"ALL\"] in isolated for a non-root user on a port >= 1024, else none (Docker's default set)")  # type: ignore[assignment]
    # 10 s, matched to deregistration_delay (see fields/health.py): a drained task has no
    # request left, so the stop covers only the app's own shutdown, and on Spot (SIGTERM while
    # the drain runs) it covers the drain; ECS's own default of 30 s made every rollout wait.
    stop_timeout: int = Field(10, ge=2, le=120, description="Seconds a stopping container gets between SIGTERM and SIGKILL (Fargate: at most 120)")
    ulimits: dict[str, int] = Field(default_factory=dict, description="Resource limits, soft = hard, e.g. { nofile = 4096, nproc = 512 }")
    secrets: dict[str, str] = Field(default_factory=dict, description="Environment variables read at task start from Secrets Manager or SSM: NAME = \"arn:aws:secretsmanager:...\" or \"ssm:/path\"")
    secrets_kms_key: str | None = Field(None, description="Customer managed KMS key (ARN) that encrypts the secrets; the execution role may decrypt with it")

    @field_validator("user")
    @classmethod
    def _user_is_name_or_ids(cls, value: str | None) -> str | None:
        if value is not None and not USER.match(value):
            raise ValueError("use a user name, a UID, or UID:GID (e.g. 1000:1000)")
        return value

    @field_validator("writable_paths")
    @classmethod
    def _paths_are_absolute(cls, values: list[str]) -> list[str]:
        for value in values:
            if not CONTAINER_PATH.match(value) or value == "/" or "//" in value or "/../" in (
                value + "/"
            ):
                raise ValueError(f"{value!r} is not an absolute directory path such as /tmp")
        if len(set(values)) != len(values):
            raise ValueError("a path is listed twice")
        return values

    @field_validator("drop_capabilities")
    @classmethod
    def _capabilities_are_known(cls, values: list[str]) -> list[str]:
        values = [v.upper().removeprefix("CAP_") for v in values]
        unknown = [v for v in values if v not in LINUX_CAPABILITIES]
        if unknown:
            raise ValueError(f"unknown capability {', '.join(unknown)}: use ALL or names such "
                             "as NET_RAW (see capabilities(7))")
        return list(dict.fromkeys(values))

    @field_validator("ulimits")
    @classmethod
    def _ulimits_are_known(cls, values: dict[str, int]) -> dict[str, int]:
        for name, limit in values.items():
            if name not in ULIMIT_NAMES:
                raise ValueError(f"unknown ulimit {name!r}: use {', '.join(ULIMIT_NAMES)}")
            if not 0 <= limit <= 2**31 - 1:
                raise ValueError(f"ulimit {name} = {limit} is outside 0..2147483647")
        return values

    @field_validator("secrets")
    @classmethod
    def _secrets_are_references(cls, values: dict[str, str]) -> dict[str, str]:
        for name, reference in values.items():
            if not ENV_NAME.match(name):
                raise ValueError(f"{name!r} is not a valid environment variable name")
            parse_secret_reference(name, reference)
        return values

    @field_validator("secrets_kms_key")
    @classmethod
    def _kms_key_is_key_arn(cls, value: str | None) -> str | None:
        if value is not None and not KMS_KEY_ARN.match(value):
            raise ValueError("not a KMS key ARN: expected arn:aws:kms:REGION:ACCOUNT:key/ID "
                             "(IAM grants on key ARNs, not aliases)")
        return value
