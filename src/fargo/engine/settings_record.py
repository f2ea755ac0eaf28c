"""Read the settings record a service stack keeps (SSM `/fargo/STACK/settings`): the value
`fargo.config.settings_record.decode` turns back into settings. The engine only reads it."""

from __future__ import annotations

from fargo import contract
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code


def read_settings_record(aws: AwsContext, stack_name: str) -> str | None:
    """The record's current value; None when there is none (not deployed, or by an older
    fargo that kept no record)."""
    from botocore.exceptions import ClientError

    name = contract.settings_record_name(stack_name)
    with aws_call(f"reading the settings record {name}"):
        try:
            return aws.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
        except ClientError as error:
            if error_code(error) == "ParameterNotFound":
                return None
            raise
