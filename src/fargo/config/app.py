"""An environment with many services: one fargo.toml with `[environment]` and `[services.NAME]`.

The same field groups as a single service, divided: the environment holds identity, edge and
network (one VPC, one load balancer, one cluster); each service holds image, container,
hardening, capacity, health and alarms, plus routing (host, path, priority, deployment). A
service's settings are the environment's and its own together, validated by the single
service's model and rules (`ServiceSettings` is a `Settings`), so every check of today holds
per service.

A file without `services` is not this: it stays today's `Settings`, stack and all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import PrivateAttr

from fargo import names
from fargo.config.derived import NetworkDerived
from fargo.config.fields.alarms import AlarmFields
from fargo.config.fields.capacity import CapacityFields
from fargo.config.fields.container import ContainerFields
from fargo.config.fields.edge import EdgeFields
from fargo.config.fields.hardening import HardeningFields
from fargo.config.fields.health import HealthFields
from fargo.config.fields.identity import IdentityFields
from fargo.config.fields.image import ImageFields
from fargo.config.fields.network import NetworkFields
from fargo.config.fields.routing import RoutingFields
from fargo.config.problems import Problem
from fargo.config.rules import routing
from fargo.config.settings import Settings

ENVIRONMENT_GROUPS = (IdentityFields, EdgeFields, NetworkFields)
SERVICE_GROUPS = (ImageFields, ContainerFields, HardeningFields, CapacityFields, HealthFields,
                  AlarmFields, RoutingFields)
ENVIRONMENT_SETTINGS = tuple(name for group in ENVIRONMENT_GROUPS for name in group.model_fields)
SERVICE_SETTINGS = tuple(name for group in SERVICE_GROUPS for name in group.model_fields)
DEFAULT_BAKE_MINUTES = 15  # ECS's own default for blue/green, linear and canary
DEFAULT_STEP_PERCENT = {"linear": 10.0, "canary": 5.0}  # ECS's defaults
PRIORITY_STEP = 10  # derived priorities: 10, 20, ... leave room to put a rule between two


class ServiceSettings(RoutingFields, Settings):
    """One service of an environment: the environment's settings and the service's own."""

    service_name: str

    def problems(self) -> list[Problem]:
        return super().problems() + routing.problems(self)

    @property
    def app_name(self) -> str:
        return self.name

    @property
    def stack_name(self) -> str:
        return names.service_stack_name(self.name, self.environment, self.service_name)

    @property
    def environment_stack_name(self) -> str:
        return names.environment_stack_name(self.name, self.environment)

    @property
    def container_name(self) -> str:
        return self.service_name

    @property
    def exec_log_group_name(self) -> str:
        """The environment's: ECS Exec logging is a setting of the cluster, which is shared."""
        return names.exec_log_group_name(self.name, self.environment)

    @property
    def bake_time(self) -> int:
        return DEFAULT_BAKE_MINUTES if self.bake_minutes is None else self.bake_minutes

    @property
    def traffic_step(self) -> float:
        if self.step_percent is not None:
            return self.step_percent
        return DEFAULT_STEP_PERCENT.get(self.deployment, 100.0)

    @property
    def shifts_traffic(self) -> bool:
        """blue-green, linear, canary: ECS moves traffic between two target groups."""
        return self.deployment != "rolling"


class EnvironmentSettings(NetworkDerived, NetworkFields, EdgeFields, IdentityFields):
    """The `[environment]` table; what it needs of its services (endpoints, Exec, log
    retention) is taken from the services of the file it was loaded with."""

    _services: tuple[ServiceSettings, ...] = PrivateAttr(default=())

    @property
    def stack_name(self) -> str:
        return names.environment_stack_name(self.name, self.environment)

    @property
    def services(self) -> tuple[ServiceSettings, ...]:
        return self._services

    @property
    def log_retention_days(self) -> int:
        """The environment's own logs (flow logs, WAF) are kept as long as any service's."""
        return max((s.log_retention_days for s in self._services), default=90)

    @property
    def ecs_exec(self) -> bool:
        return any(s.ecs_exec for s in self._services)

    @property
    def interface_endpoints(self) -> list[str]:
        """Every endpoint some service needs, in the order they are first named."""
        return list(dict.fromkeys(e for s in self._services for e in s.interface_endpoints))

    @property
    def secret_services(self) -> list[str]:
        return sorted({name for s in self._services for name in s.secret_services})

    @property
    def exec_log_group_name(self) -> str:
        return names.exec_log_group_name(self.name, self.environment)

    @property
    def log_group_name(self) -> str:
        return names.log_group_name(self.stack_name)

    @property
    def services_log_group_pattern(self) -> str:
        return names.services_log_group_pattern(self.name, self.environment)


@dataclass(frozen=True)
class AppConfig:
    """An environment and its services, as selected by `--env` (overrides applied)."""

    environment: EnvironmentSettings
    services: dict[str, ServiceSettings]  # in the order of the file's tables
    # per service, where each of its settings came from (for problems found later)
    origins: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def app(self) -> str:
        return self.environment.name

    @property
    def env_name(self) -> str:
        return self.environment.environment

    @property
    def environment_stack_name(self) -> str:
        return self.environment.stack_name

    def service(self, name: str) -> ServiceSettings:
        if name not in self.services:
            raise KeyError(f"no service {name!r}: the file has {', '.join(self.services)}")
        return self.services[name]

    def priority(self, name: str) -> int:
        """The service's listener rule priority: its own, or from its place in the file."""
        service = self.service(name)
        if service.priority is not None:
            return service.priority
        return PRIORITY_STEP * (list(self.services).index(name) + 1)

    def ssm_name(self, key: names.EnvironmentKey) -> str:
        return names.ssm_name(self.app, self.env_name, key)

    def published_keys(self) -> list[names.EnvironmentKey]:
        """What the environment stack publishes, with these settings."""
        env, key = self.environment, names.EnvironmentKey
        keys = [key.VPC_ID, key.PUBLIC_SUBNET_IDS, key.TASK_SUBNET_IDS, key.LISTENER_ARN,
                key.LOAD_BALANCER_SECURITY_GROUP, key.CLUSTER_NAME, key.CLUSTER_ARN,
                key.LOAD_BALANCER_DNS_NAME, key.LOAD_BALANCER_ZONE_ID]
        if env.network != "public":
            keys += [key.PRIVATE_SUBNET_IDS, key.ENDPOINT_SECURITY_GROUP, key.S3_PREFIX_LIST_ID]
        if env.domain:
            keys.append(key.HOSTED_ZONE_ID)
        return keys


def environment_of(services: list[ServiceSettings]) -> EnvironmentSettings:
    """The environment's settings, as every (validated) service carries them."""
    first = services[0]
    environment = EnvironmentSettings.model_validate(
        {name: getattr(first, name) for name in ENVIRONMENT_SETTINGS})
    environment._services = tuple(services)
    return environment
