"""A stack created or updated by executing a change set gets outputs.

moto builds a stack's outputs when the stack object is made, which for a change set is before
its template exists: without this, `describe_stacks` shows no Outputs after a change-set
deploy, and fargo (which reads AlbDns, ServiceUrl, ... from them) could not follow.
"""

from __future__ import annotations


def install() -> None:
    from moto.cloudformation.models import ChangeSet

    original_apply = ChangeSet.apply

    def apply_and_refresh_outputs(self) -> None:
        original_apply(self)
        self.stack.template = self.template
        self.stack._parse_template()
        self.stack.output_map = self.stack._create_output_map()

    ChangeSet.apply = apply_and_refresh_outputs
