"""What an environment publishes for its services: SSM parameters under /fargo/APP/ENV/.

Not stack exports: CloudFormation refuses to change or delete an export while another stack
imports it, so one service would lock the environment. A service stack reads these through
parameters of type `AWS::SSM::Parameter::Value<...>` (env_inputs), resolved at each of its
deploys. Lists (subnet IDs) are StringList parameters, read as `...Value<List<String>>`.
"""

from __future__ import annotations

from troposphere import AWSHelperFn, Join, Template, ssm

from fargo import names
from fargo.names import EnvironmentKey


def logical_id(key: EnvironmentKey) -> str:
    """vpc-id -> PublishedVpcId: stable, whatever else the environment holds."""
    return "Published" + names.parameter_name(key).removeprefix("Env")


def add(template: Template, app: str, environment: str,
        values: dict[EnvironmentKey, AWSHelperFn | list]) -> list[ssm.Parameter]:
    """One parameter per key; a list value becomes a comma-separated StringList."""
    created = []
    for key, value in values.items():
        listed = key in names.LIST_KEYS
        if listed != isinstance(value, list):
            raise ValueError(f"{key.value}: a list key needs a list value and no other does")
        created.append(template.add_resource(ssm.Parameter(
            logical_id(key), Name=names.ssm_name(app, environment, key),
            Type="StringList" if listed else "String", Tier="Standard",
            Value=Join(",", value) if listed else value,
            Description=f"fargo environment {names.environment_stack_name(app, environment)}: "
            f"{key.value} for its services' stacks",
        )))
    return created
