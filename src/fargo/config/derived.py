"""Values derived from the settings, which the template and the engine share.

Two kinds: defaults that depend on other settings (filled before validation, so the field
keeps its plain type and its own checks), and computed values (properties of `Settings`).
"""

from __future__ import annotations

from typing import Any

from fargo.config.checks.container import is_root_user
from fargo.config.checks.images import EcrRepository, ecr_repository, is_sample_image
from fargo.config.checks.secrets import SecretReference, parse_secret_reference


def fill_derived_defaults(data: Any) -> Any:
    """What a profile for untrusted code turns on by itself, where the user said nothing."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    isolated = data.get("network") == "isolated"
    if data.get("ecs_exec") is None:
        # Exec's agent needs a writable root; in isolated its session-log rights would be
        # the only credentials code in the task could find.
        data["ecs_exec"] = not isolated and not _raw_true(data.get("readonly_root_filesystem"))
    for setting in ("dns_firewall", "flow_logs"):
        if data.get(setting) is None:
            data[setting] = isolated
    if data.get("drop_capabilities") is None:
        user, port = data.get("user"), _raw_int(data.get("port", 80))
        unprivileged = isinstance(user, str) and is_root_user(user) is False
        data["drop_capabilities"] = (
            ["ALL"] if isolated and unprivileged and port is not None and port >= 1024 else []
        )
    return data


class NetworkDerived:
    """The subnets the network settings describe; mixed into Settings and an environment's
    settings alike, so `self` has the network fields."""

    @property
    def public_subnet_count(self) -> int:
        return max(2, self.az_count)

    @property
    def used_public_cidrs(self) -> list[str]:
        return self.public_subnet_cidrs[: self.public_subnet_count]

    @property
    def used_private_cidrs(self) -> list[str]:
        return [] if self.network == "public" else self.private_subnet_cidrs[: self.az_count]

    @property
    def uses_self_signed_certificate(self) -> bool:
        """HTTPS with neither a certificate nor a domain: fargo generates and imports one."""
        return self.https and not self.certificate_arn and not self.domain


class DerivedValues(NetworkDerived):
    """Computed values; mixed into Settings, so `self` has every field."""

    @property
    def stack_name(self) -> str:
        return f"{self.name}-{self.environment}"

    @property
    def registry_stack_name(self) -> str:
        return f"{self.stack_name}-registry"

    @property
    def container_name(self) -> str:
        return self.name

    @property
    def runs_sample_image(self) -> bool:
        """The task runs the original's sample image (which answers only `/`)."""
        return not self.build and is_sample_image(self.image)

    @property
    def health_path(self) -> str:
        """The path the load balancer and fargo's own check request: the setting, or `/` for
        the sample image and `/health` for any other."""
        if self.health_check_path is not None:
            return self.health_check_path
        return "/" if self.runs_sample_image else "/health"

    @property
    def interface_endpoints(self) -> list[str]:
        """Interface endpoints the template creates: none without private subnets."""
        if self.network == "public":
            return []
        endpoints = list(self.vpc_endpoints)
        if self.ecs_exec and "ssmmessages" not in endpoints:
            endpoints.append("ssmmessages")
        if self.network == "isolated":  # secrets are read through the task's network
            endpoints += [s for s in self.secret_services if s not in endpoints]
        return endpoints

    @property
    def container_variables(self) -> dict[str, str]:
        """PORT and ENVIRONMENT, overridden and extended by container_environment.

        (The original's L42-specific HEALTHCHECK, ENABLE_LOGGING and PRODUCT live in
        examples/l42/fargo.toml.)"""
        merged = {"PORT": str(self.port), "ENVIRONMENT": self.environment}
        merged.update(self.container_environment)
        return merged

    @property
    def secret_references(self) -> list[SecretReference]:
        return [parse_secret_reference(n, r) for n, r in sorted(self.secrets.items())]

    @property
    def secret_services(self) -> list[str]:
        """The services ECS reads the secrets from: secretsmanager and/or ssm."""
        return sorted({r.service for r in self.secret_references})

    @property
    def image_repository(self) -> EcrRepository | None:
        return ecr_repository(self.image)

    @property
    def log_group_name(self) -> str:
        return f"/fargate/service/{self.stack_name}"

    @property
    def exec_log_group_name(self) -> str:
        return f"{self.log_group_name}/exec"

    @property
    def on_demand_base(self) -> int:
        """capacity = mixed: the tasks kept on on-demand Fargate (capacity_base, default 1)."""
        return 1 if self.capacity_base is None else self.capacity_base

    @property
    def uses_spot(self) -> bool:
        return self.capacity != "on-demand"

    @property
    def cpu_architecture(self) -> str:
        return "ARM64" if self.platform == "linux/arm64" else "X86_64"


def _raw_true(value: Any) -> bool:
    """A raw boolean as the settings layers give it (bool from TOML, flags; text elsewhere)."""
    return value is True or (isinstance(value, str) and value.strip().lower() in
                             ("true", "yes", "1", "on"))


def _raw_int(value: Any) -> int | None:
    """A raw port as given, or None for anything else (the field's own check reports it)."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None
