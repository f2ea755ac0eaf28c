"""What the engine deploys, watches and destroys: any object of the shapes below.

The engine owns no stack's names. Each stack kind (`fargo.stacks`) renders its template and
says, through these shapes, which parameters to send on create and on update, which parameter
holds the service's task count (so an update keeps the count autoscaling chose), which
resources to watch while the operation runs, which outputs hold its URL, what outlives it,
and how to check the service afterwards. `names_read` lists every name the engine reads of a
stack, so a test can hold each rendered template to them.

How the engine asks and tells its caller is one `Hooks` object (reporter + confirmations).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from fargo.engine.change_set_calls import ChangeSet
    from fargo.engine.progress import Reporter
    from fargo.engine.stack import StackState


@dataclass(frozen=True)
class TaskCount:
    """The parameter that sets the ECS service's task count, and what keeps the current one.

    On a create the stack sends its own value. On an update it sends `keep` (for
    CloudFormation's template: an empty count, so autoscaling's stays) together with another
    change, and the engine sends the running count when a change replaces the service (a new
    service would start at ECS's default).
    """

    parameter: str
    keep: str
    service_resource: str  # the ECS service's logical ID (its ARN names its cluster)


@dataclass(frozen=True)
class SlowResource:
    """A resource that may wait long, and what to say when a timeout finds it still waiting."""

    logical_id: str
    hint: str


@dataclass(frozen=True)
class Watched:
    """Resources whose state the engine shows while following, reads for `status` and
    explains after a failure; outputs that hold the stack's URL (the first present wins)."""

    service_resource: str | None = None
    target_group_resource: str | None = None
    cluster_resource: str | None = None  # only when the stack holds its cluster
    task_definition_resource: str | None = None
    slow_resources: tuple[SlowResource, ...] = ()
    url_outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Teardown:
    """What outlives the stack and `destroy` removes after it: log groups by name (beside
    the stack's own log group resources and retained buckets, which it finds itself)."""

    log_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthCheck:
    """After a deploy: are the targets healthy, and does the path answer through the LB?"""

    path: str
    https: bool
    address_output: str | None  # the output holding the LB's DNS name; None: no request
    target_group_output: str | None = None
    server_name: str | None = None  # SNI and Host; None: the certificate's domain
    certificate_parameter: str | None = None  # where the certificate's ARN is, for its domain
    verify_tls: bool = True  # false only for a self-signed certificate


class LocatedStack(Protocol):
    """A stack by its name and what to watch: enough for status and destroy."""

    @property
    def stack_name(self) -> str: ...

    @property
    def watched(self) -> Watched: ...

    @property
    def teardown(self) -> Teardown: ...


class DeployableStack(LocatedStack, Protocol):
    """One stack fargo deploys: rendered, named, with its parameters filled."""

    @property
    def template_body(self) -> str: ...  # compact JSON

    @property
    def tags(self) -> Mapping[str, str]: ...

    def parameters(self, creates: bool) -> dict[str, str]:
        """Exactly the parameters the template declares that need a value."""
        ...

    @property
    def task_count(self) -> TaskCount | None: ...

    @property
    def health(self) -> HealthCheck | None: ...

    @property
    def outputs_read(self) -> tuple[str, ...]: ...  # outputs fargo reads besides the above


@dataclass(frozen=True)
class NamesRead:
    """Every name the engine (and fargo after it) reads of one stack."""

    outputs: frozenset[str] = field(default_factory=frozenset)
    parameters: frozenset[str] = field(default_factory=frozenset)
    resources: frozenset[str] = field(default_factory=frozenset)


def names_read(stack: DeployableStack) -> NamesRead:
    """What a rendered template must declare for the engine to work on it."""
    watched, health, count = stack.watched, stack.health, stack.task_count
    outputs = set(watched.url_outputs) | set(stack.outputs_read)
    parameters: set[str] = set()
    resources = {r for r in (watched.service_resource, watched.target_group_resource,
                             watched.cluster_resource, watched.task_definition_resource) if r}
    resources |= {slow.logical_id for slow in watched.slow_resources}
    if count is not None:
        parameters.add(count.parameter)
        resources.add(count.service_resource)
    if health is not None:
        outputs |= {o for o in (health.address_output, health.target_group_output) if o}
        if health.certificate_parameter:
            parameters.add(health.certificate_parameter)
    return NamesRead(frozenset(outputs), frozenset(parameters), frozenset(resources))


class Hooks(Protocol):
    """How the engine tells its caller what happens and asks before it changes anything."""

    @property
    def reporter(self) -> Reporter: ...

    def confirm(self, change_set: ChangeSet) -> bool:
        """Apply this change set?"""
        ...

    def confirm_recreate(self, state: StackState) -> bool:
        """Delete this ROLLBACK_COMPLETE stack (its first create failed) and create it again?"""
        ...


@dataclass
class CallbackHooks:
    """Hooks from a reporter and two functions (a CLI's prompts, a test's answers)."""

    reporter: Reporter
    confirm: Callable[[ChangeSet], bool]
    confirm_recreate: Callable[[StackState], bool]
