"""How a service stack reads its environment: parameters whose defaults name SSM parameters.

A parameter of type `AWS::SSM::Parameter::Value<String>` (or `...<List<String>>` for the subnet
lists) with the SSM name as its default makes CloudFormation read the environment's current
value at every create and update of the service stack. The deploy sends none of them: the
defaults are the contract (fargo.names), so the environment can change (a new listener, more
subnets) without a stack export locking it, and a service is deployed on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Parameter, Template

from fargo import names
from fargo.config.app import AppConfig, ServiceSettings
from fargo.names import EnvironmentKey

STRING = "AWS::SSM::Parameter::Value<String>"
STRING_LIST = "AWS::SSM::Parameter::Value<List<String>>"


@dataclass(frozen=True)
class EnvironmentInputs:
    """The service template's parameters for what the environment published."""

    vpc: Parameter
    task_subnets: Parameter
    listener: Parameter
    load_balancer_group: Parameter
    cluster: Parameter
    load_balancer_dns: Parameter
    endpoint_group: Parameter | None = None  # with private subnets
    s3_prefix_list: Parameter | None = None  # with private subnets
    load_balancer_zone: Parameter | None = None  # with a host in the environment's zone
    hosted_zone: Parameter | None = None


def needed_keys(app: AppConfig, service: ServiceSettings) -> list[EnvironmentKey]:
    """What this service reads; always a subset of `app.published_keys()`."""
    keys = [EnvironmentKey.VPC_ID, EnvironmentKey.TASK_SUBNET_IDS, EnvironmentKey.LISTENER_ARN,
            EnvironmentKey.LOAD_BALANCER_SECURITY_GROUP, EnvironmentKey.CLUSTER_NAME,
            EnvironmentKey.LOAD_BALANCER_DNS_NAME]
    if service.network != "public":
        keys += [EnvironmentKey.ENDPOINT_SECURITY_GROUP, EnvironmentKey.S3_PREFIX_LIST_ID]
    if has_record(service):
        keys += [EnvironmentKey.LOAD_BALANCER_ZONE_ID, EnvironmentKey.HOSTED_ZONE_ID]
    return keys


def has_record(service: ServiceSettings) -> bool:
    """A host in the environment's hosted zone gets an alias record."""
    return bool(service.host and service.domain)


def declare(template: Template, app: AppConfig, service: ServiceSettings) -> EnvironmentInputs:
    declared = {key: template.add_parameter(Parameter(
        names.parameter_name(key),
        Type=STRING_LIST if key in names.LIST_KEYS else STRING,
        Default=app.ssm_name(key),
        Description=f"Published by {app.environment_stack_name}: {key.value} (an SSM "
        "parameter name; CloudFormation reads its value)",
    )) for key in needed_keys(app, service)}
    key = EnvironmentKey
    return EnvironmentInputs(
        vpc=declared[key.VPC_ID], task_subnets=declared[key.TASK_SUBNET_IDS],
        listener=declared[key.LISTENER_ARN],
        load_balancer_group=declared[key.LOAD_BALANCER_SECURITY_GROUP],
        cluster=declared[key.CLUSTER_NAME], load_balancer_dns=declared[key.LOAD_BALANCER_DNS_NAME],
        endpoint_group=declared.get(key.ENDPOINT_SECURITY_GROUP),
        s3_prefix_list=declared.get(key.S3_PREFIX_LIST_ID),
        load_balancer_zone=declared.get(key.LOAD_BALANCER_ZONE_ID),
        hosted_zone=declared.get(key.HOSTED_ZONE_ID),
    )
