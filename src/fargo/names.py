"""Names of an environment with many services, defined once for the template and the engine.

An environment (`APP-ENV-env`) and its services (`APP-ENV-SERVICE`, each with a registry stack
`APP-ENV-SERVICE-registry`) are separate stacks. The environment publishes what the services
need as SSM parameters under `/fargo/APP/ENV/`; a service stack reads them through parameters
whose defaults are those names, so neither the engine nor a stack export ties the two together
(an export would lock the environment while any service imports it).

Plain strings and functions: the engine imports this without troposphere, the template without
boto3. Renaming anything here renames deployed resources or breaks deployed stacks' reads.
"""

from __future__ import annotations

from enum import StrEnum

ENVIRONMENT_STACK_SUFFIX = "env"
REGISTRY_STACK_SUFFIX = "registry"
SSM_ROOT = "/fargo"
# Every log group of an environment's services starts with this (the endpoint policies and the
# roles admit them by it): /fargate/service/APP-ENV-SERVICE, .../APP-ENV-env/exec, ...
LOG_GROUP_ROOT = "/fargate/service"
# Service names a stack name could not tell apart from the environment's or a registry's.
RESERVED_SERVICE_NAMES = (ENVIRONMENT_STACK_SUFFIX,)


class EnvironmentKey(StrEnum):
    """What the environment publishes, as the last part of the SSM parameter name."""

    VPC_ID = "vpc-id"
    PUBLIC_SUBNET_IDS = "public-subnet-ids"  # StringList
    PRIVATE_SUBNET_IDS = "private-subnet-ids"  # StringList; not with network = public
    TASK_SUBNET_IDS = "task-subnet-ids"  # StringList: private, or public for network = public
    LISTENER_ARN = "listener-arn"  # HTTPS listener, or HTTP in HTTP-only mode
    LOAD_BALANCER_SECURITY_GROUP = "load-balancer-security-group-id"
    ENDPOINT_SECURITY_GROUP = "endpoint-security-group-id"  # not with network = public
    CLUSTER_NAME = "cluster-name"
    CLUSTER_ARN = "cluster-arn"
    LOAD_BALANCER_DNS_NAME = "load-balancer-dns-name"
    LOAD_BALANCER_ZONE_ID = "load-balancer-canonical-zone-id"
    HOSTED_ZONE_ID = "hosted-zone-id"  # with a domain only
    S3_PREFIX_LIST_ID = "s3-prefix-list-id"  # not with network = public


LIST_KEYS = frozenset({EnvironmentKey.PUBLIC_SUBNET_IDS, EnvironmentKey.PRIVATE_SUBNET_IDS,
                       EnvironmentKey.TASK_SUBNET_IDS})


def environment_stack_name(app: str, environment: str) -> str:
    return f"{app}-{environment}-{ENVIRONMENT_STACK_SUFFIX}"


def service_stack_name(app: str, environment: str, service: str) -> str:
    return f"{app}-{environment}-{service}"


def registry_stack_name(stack_name: str) -> str:
    return f"{stack_name}-{REGISTRY_STACK_SUFFIX}"


def ssm_prefix(app: str, environment: str) -> str:
    return f"{SSM_ROOT}/{app}/{environment}/"


def ssm_name(app: str, environment: str, key: EnvironmentKey) -> str:
    """e.g. /fargo/shop/prod/vpc-id"""
    return ssm_prefix(app, environment) + key.value


def parameter_name(key: EnvironmentKey) -> str:
    """The service template's parameter that reads a key: vpc-id -> EnvVpcId."""
    return "Env" + "".join(part.capitalize() for part in key.value.split("-"))


def log_group_name(stack_name: str) -> str:
    return f"{LOG_GROUP_ROOT}/{stack_name}"


def services_log_group_pattern(app: str, environment: str) -> str:
    """Every log group of the environment's stacks (IAM wildcards match `/` too)."""
    return f"{LOG_GROUP_ROOT}/{app}-{environment}-*"


def exec_log_group_name(app: str, environment: str) -> str:
    """ECS Exec session logs of every service: the cluster's setting, so one per environment."""
    return f"{log_group_name(environment_stack_name(app, environment))}/exec"
