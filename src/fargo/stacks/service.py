"""Today's single service (NAME-ENV): its own VPC, load balancer, cluster and service.

Template and logical IDs are unchanged (deployed stacks update in place); every day-two
parameter is sent explicitly, since on an update CloudFormation takes an unsent parameter's
template default, and the file is the source of truth.
"""

from __future__ import annotations

from fargo import contract
from fargo.config import Settings
from fargo.engine.protocol import HealthCheck, SlowResource, TaskCount, Teardown, Watched
from fargo.stacks.base import AccountValues, StackBase

CERTIFICATE_WAIT = (
    "  the certificate is still waiting for DNS validation: check that hosted_zone is "
    "the public zone the domain is delegated to (validation can take up to 72 hours)")
SERVICE_COUNT = TaskCount(contract.DESIRED_COUNT_PARAMETER, contract.KEEP_RUNNING_COUNT,
                          contract.SERVICE_RESOURCE)


def stack_tags(settings: Settings) -> dict[str, str]:
    return {"Environment": settings.environment, "fargo:service": settings.name,
            **settings.tags}


def creates_certificate(settings: Settings) -> bool:
    """A domain certificate the stack requests itself (DNS validation: may take long)."""
    return bool(settings.https and not settings.certificate_arn and settings.domain)


def slow_resources(settings: Settings) -> tuple[SlowResource, ...]:
    if not creates_certificate(settings):
        return ()
    return (SlowResource(contract.CERTIFICATE_RESOURCE, CERTIFICATE_WAIT),)


def account_values(settings: Settings, account: AccountValues) -> dict[str, str]:
    """The parameters only the account can fill: certificate, S3 prefix list, hosted zone."""
    values = {}
    certificate = account.certificate_arn or settings.certificate_arn
    if settings.https and certificate and not creates_certificate(settings):
        values[contract.CERTIFICATE_PARAMETER] = certificate
    if settings.network != "public" and account.s3_prefix_list_id:
        values[contract.S3_PREFIX_LIST_PARAMETER] = account.s3_prefix_list_id
    if settings.domain and account.hosted_zone_id:
        values[contract.HOSTED_ZONE_PARAMETER] = account.hosted_zone_id
    return values


class LegacyServiceStack(StackBase):
    """NAME-ENV. Made from identity-only settings it still names and locates the stack
    (status, destroy); rendering waits until the template is asked for."""

    task_count = SERVICE_COUNT

    def __init__(self, settings: Settings, account: AccountValues = AccountValues(),
                 self_signed: bool = False) -> None:
        self.settings, self.account, self.self_signed = settings, account, self_signed
        self.stack_name = settings.stack_name

    def render(self) -> str:
        from fargo.template import render

        return render(self.settings)

    @property
    def tags(self) -> dict[str, str]:
        return stack_tags(self.settings)

    def values(self) -> dict[str, str]:
        from fargo.template.parameters import values as day_two_values

        settings = self.settings
        return {contract.DESIRED_COUNT_PARAMETER: str(settings.desired_count),
                **day_two_values(settings), **account_values(settings, self.account)}

    @property
    def watched(self) -> Watched:
        settings = self.settings
        urls = ((contract.OUTPUT_DOMAIN_URL,) if settings.domain else ()) + (contract.OUTPUT_URL,)
        return Watched(
            service_resource=contract.SERVICE_RESOURCE,
            target_group_resource=contract.TARGET_GROUP_RESOURCE,
            cluster_resource=contract.CLUSTER_RESOURCE,
            task_definition_resource=contract.TASK_DEFINITION_RESOURCE,
            slow_resources=slow_resources(settings), url_outputs=urls)

    @property
    def teardown(self) -> Teardown:
        return Teardown(log_groups=(self.settings.log_group_name,))

    @property
    def health(self) -> HealthCheck:
        settings = self.settings
        given = contract.CERTIFICATE_PARAMETER in account_values(settings, self.account)
        return HealthCheck(
            path=settings.health_path, https=settings.https,
            address_output=contract.OUTPUT_ALB_DNS,
            target_group_output=contract.OUTPUT_TARGET_GROUP, server_name=settings.domain,
            certificate_parameter=contract.CERTIFICATE_PARAMETER if given else None,
            verify_tls=not self.self_signed)
