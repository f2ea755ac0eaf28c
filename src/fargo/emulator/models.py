"""What fargo's own CloudFormation models for moto share, and how moto is made to see them."""

from __future__ import annotations

import functools
from typing import Any


@functools.cache
def model_base() -> type:
    """A base with no attributes, replacement on update, and deletion by physical ID (moto
    calls `delete` when it deletes a stack)."""
    from moto.core.common_models import CloudFormationModel

    class LocalModel(CloudFormationModel):
        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                            cloudformation_json, account_id, region_name):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json,
                                                       account_id, region_name)

        def delete(self, account_id: str, region_name: str) -> None:
            self.delete_from_cloudformation_json(self.physical_resource_id, {}, account_id,
                                                 region_name)

    return LocalModel


_registered: list[type] = []  # fargo's models, in the order they were installed


def register(*models: type) -> None:
    """moto's CloudFormation looks models up among the direct subclasses of
    CloudFormationModel; fargo's derive from a shared base, so they are added to its list."""
    from moto.cloudformation import parsing

    if not _registered:
        moto_models = parsing.get_model_list

        def with_fargo_models() -> list[type]:
            return [*moto_models(), *_registered]

        parsing.get_model_list = with_fargo_models
    _registered.extend(models)
    parsing.get_model_map.cache_clear()
    parsing.get_name_type_map.cache_clear()


def numbers(value: Any) -> Any:
    """CloudFormation passes every scalar as a string; moto's backends want numbers."""
    if isinstance(value, dict):
        return {k: numbers(v) for k, v in value.items()}
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value
