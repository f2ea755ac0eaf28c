"""The registry stack (NAME-ENV-registry, APP-ENV-SERVICE-registry): the ECR repository a
`build` pushes to, deployed before its service. Nothing to watch or check after it."""

from __future__ import annotations

from fargo import contract
from fargo.config import Settings
from fargo.stacks.base import StackBase


class RegistryStack(StackBase):
    outputs_read = (contract.OUTPUT_REPOSITORY_URI, contract.OUTPUT_REPOSITORY_NAME)

    def __init__(self, settings: Settings, tags: dict[str, str] | None = None) -> None:
        from fargo.stacks.service import stack_tags

        self.settings = settings
        self.stack_name = settings.registry_stack_name
        self._tags = stack_tags(settings) if tags is None else tags

    def render(self) -> str:
        from fargo.template.registry import build_registry_template

        return build_registry_template(self.settings).to_json()

    @property
    def tags(self) -> dict[str, str]:
        return self._tags
