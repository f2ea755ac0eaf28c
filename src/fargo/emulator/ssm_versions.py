"""An updated AWS::SSM::Parameter gets a new version, as on AWS.

CloudFormation updates a parameter whose Value (or Description, Tier...) changed in place:
SSM keeps the parameter and adds a version, so GetParameterHistory lists every deploy. moto
deletes the parameter and creates it again, so its history holds one version. fargo's
settings record is such a parameter: `fargo history` lists its versions and `fargo rollback`
goes back to an earlier one, which on plain moto never exists. Here an update that keeps the
parameter's Name overwrites it (a new version); a new Name is still a replacement.
"""

from __future__ import annotations


def install() -> None:
    from moto.ssm.models import Parameter, ssm_backends

    original = Parameter.update_from_cloudformation_json.__func__

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id,
               region_name):
        properties = cloudformation_json.get("Properties", {})
        name = properties.get("Name") or new_resource_name
        if not name or name != original_resource.name:
            return original(cls, original_resource, new_resource_name, cloudformation_json,
                            account_id, region_name)
        backend = ssm_backends[account_id][region_name]
        # Tags cannot go with Overwrite in PutParameter; an update keeps the parameter's tags.
        return backend.put_parameter(
            name=name, description=properties.get("Description"),
            value=properties.get("Value"), parameter_type=properties.get("Type"),
            allowed_pattern=properties.get("AllowedPattern"), keyid=properties.get("KeyId"),
            overwrite=True, tags=None, data_type=properties.get("DataType", "text"),
            tier=properties.get("Tier"), policies=properties.get("Policies"),
        )

    Parameter.update_from_cloudformation_json = classmethod(update)
