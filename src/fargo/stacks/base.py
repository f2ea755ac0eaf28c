"""What every stack kind shares: the compact body, the declared parameters, and filling them.

CloudFormation refuses any parameter the template does not declare ("do not exist in the
template", or for a template without parameters "specified for a template which does not
require them"), so `parameters` sends exactly the declared ones; on an update the task count
takes its `keep` value (autoscaling's count stays). A declared parameter without default and
without a value is a fargo bug, said before AWS says it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from fargo.engine.protocol import HealthCheck, TaskCount, Teardown, Watched
from fargo.errors import FargoError


@dataclass(frozen=True)
class AccountValues:
    """What only the account knows, looked up before a stack is filled (None: not needed)."""

    s3_prefix_list_id: str | None = None
    hosted_zone_id: str | None = None
    certificate_arn: str | None = None


def compact(template_json: str) -> str:
    """The body sent to CloudFormation: the same JSON without indentation (size limits)."""
    return json.dumps(json.loads(template_json), separators=(",", ":"))


@dataclass(frozen=True)
class NamedStack:
    """A stack by its name only, with nothing to watch and nothing outliving it (a
    registry found by name, say): enough for destroy and status."""

    stack_name: str
    watched: Watched = field(default_factory=Watched)
    teardown: Teardown = field(default_factory=Teardown)


class StackBase:
    """Defaults for a stack kind: no count, nothing watched, nothing outlives it, no check."""

    stack_name: str
    task_count: TaskCount | None = None
    health: HealthCheck | None = None
    outputs_read: tuple[str, ...] = ()

    @property
    def watched(self) -> Watched:
        return Watched()

    @property
    def teardown(self) -> Teardown:
        return Teardown()

    @property
    def tags(self) -> dict[str, str]:
        return {}

    def render(self) -> str:
        """The template as JSON text (any indentation)."""
        raise NotImplementedError

    def values(self) -> dict[str, str]:
        """Every parameter value this stack fills (filtered to the declared ones on send)."""
        return {}

    @cached_property
    def template_body(self) -> str:
        return compact(self.render())

    @cached_property
    def declared_parameters(self) -> dict[str, dict]:
        """The template's Parameters section: the only keys CloudFormation accepts."""
        return json.loads(self.template_body).get("Parameters") or {}

    def parameters(self, creates: bool) -> dict[str, str]:
        declared = self.declared_parameters
        values = {k: v for k, v in self.values().items() if k in declared}
        count = self.task_count
        if not creates and count is not None and count.parameter in declared:
            values[count.parameter] = count.keep
        missing = sorted(k for k, slot in declared.items()
                         if "Default" not in slot and k not in values)
        if missing:
            raise FargoError(f"error: fargo prepared no value for parameter(s) "
                             f"{', '.join(missing)} of {self.stack_name}: this is a bug in "
                             "fargo, please report it")
        return values


@dataclass
class TextStack(StackBase):
    """A stack of a template given as text, with its values: for tests and tools."""

    stack_name: str
    body: str
    given: dict[str, str] = field(default_factory=dict)
    stack_tags: dict[str, str] = field(default_factory=dict)
    task_count: TaskCount | None = None
    health: HealthCheck | None = None
    watching: Watched = field(default_factory=Watched)

    def render(self) -> str:
        return self.body

    def values(self) -> dict[str, str]:
        return self.given

    @property
    def tags(self) -> dict[str, str]:
        return self.stack_tags

    @property
    def watched(self) -> Watched:
        return self.watching
