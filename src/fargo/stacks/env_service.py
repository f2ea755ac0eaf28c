"""A service of an environment (APP-ENV-SERVICE) on the environment's cluster.

The engine fills its task count and the day-two parameters (image, counts) only: the `Env*`
parameters default to the SSM names the environment publishes, and CloudFormation reads
their values at each create and update. After a deploy the targets are checked; the health
path is requested through the load balancer only for a service routed by host (a path rule
would not send `/health` to it).
"""

from __future__ import annotations

from dataclasses import dataclass

from fargo import contract, names
from fargo.config.app import AppConfig
from fargo.engine.protocol import HealthCheck, Teardown, Watched
from fargo.stacks.base import StackBase
from fargo.stacks.environment import SERVICE_TAG, environment_tags
from fargo.stacks.service import SERVICE_COUNT

URL_OUTPUTS = (contract.OUTPUT_DOMAIN_URL, contract.OUTPUT_URL)


def service_tags(app: AppConfig, name: str) -> dict[str, str]:
    return {**app.service(name).tags, **environment_tags(app), SERVICE_TAG: name}


def service_watched(url_outputs: tuple[str, ...] = URL_OUTPUTS) -> Watched:
    return Watched(service_resource=contract.SERVICE_RESOURCE,
                   target_group_resource=contract.TARGET_GROUP_RESOURCE,
                   task_definition_resource=contract.TASK_DEFINITION_RESOURCE,
                   url_outputs=url_outputs)


@dataclass(frozen=True)
class LocatedService:
    """A service stack of an environment by its name alone: for status and destroy, also of
    a service the file no longer has."""

    stack_name: str

    @property
    def watched(self) -> Watched:
        return service_watched()

    @property
    def teardown(self) -> Teardown:
        return Teardown(log_groups=(names.log_group_name(self.stack_name),))


class EnvServiceStack(StackBase):
    task_count = SERVICE_COUNT

    def __init__(self, app: AppConfig, name: str, self_signed: bool = False) -> None:
        self.app, self.name, self.self_signed = app, name, self_signed
        self.service = app.service(name)
        self.stack_name = self.service.stack_name

    def render(self) -> str:
        from fargo.template.env_service import build_service_template

        return build_service_template(self.app, self.name).to_json()

    @property
    def tags(self) -> dict[str, str]:
        return service_tags(self.app, self.name)

    def values(self) -> dict[str, str]:
        from fargo.template.parameters import values as day_two_values

        return {contract.DESIRED_COUNT_PARAMETER: str(self.service.desired_count),
                **day_two_values(self.service)}

    @property
    def watched(self) -> Watched:
        from fargo.template.env_inputs import has_record

        urls = URL_OUTPUTS if has_record(self.service) else (contract.OUTPUT_URL,)
        return service_watched(urls)

    @property
    def teardown(self) -> Teardown:
        return LocatedService(self.stack_name).teardown

    @property
    def health(self) -> HealthCheck:
        service = self.service
        return HealthCheck(
            path=service.health_path, https=service.https,
            address_output=contract.OUTPUT_ALB_DNS if service.host else None,
            target_group_output=contract.OUTPUT_TARGET_GROUP, server_name=service.host,
            verify_tls=not self.self_signed)
