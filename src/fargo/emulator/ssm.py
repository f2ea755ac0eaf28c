"""AWS::SSM::Parameter as CloudFormation takes it: Tags is a map of key to value.

moto passes that map on to its own put_parameter, which wants the API's list of Key/Value
pairs, and the resource fails ("string indices must be integers"). fargo's environment stack
publishes what its services read as SSM parameters, so this blocks every environment deploy.
"""

from __future__ import annotations


def install() -> None:
    from moto.ssm.models import Parameter

    original = Parameter.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties", {})
        tags = properties.get("Tags")
        if isinstance(tags, dict):
            properties["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        return original(cls, resource_name, cloudformation_json, account_id, region_name,
                        **kwargs)

    Parameter.create_from_cloudformation_json = classmethod(create)
