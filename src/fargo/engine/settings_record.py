"""Read the settings record a service stack keeps (SSM `/fargo/STACK/settings`): the value
`fargo.config.settings_record.decode` turns back into settings. The engine only reads it."""

from __future__ import annotations

from fargo import contract
from fargo.engine.aws import AwsContext
from fargo.engine.lookups import ssm_value


def read_settings_record(aws: AwsContext, stack_name: str) -> str | None:
    """The record's current value; None when there is none (not deployed, or by an older
    fargo that kept no record)."""
    name = contract.settings_record_name(stack_name)
    return ssm_value(aws, name, f"the settings record {name}")
