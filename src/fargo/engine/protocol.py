"""What the engine deploys: any object of the `DeployableStack` shape.

The engine owns no stack's names. Each stack kind (`fargo.stacks`) renders its template and
says, through this shape, which parameters to send on create and on update, which parameter
holds the service's task count (so an update keeps the count autoscaling chose), which
resources to watch while the operation runs, and how to check the service afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TaskCount:
    """The parameter that sets the ECS service's task count, and what keeps the current one.

    On a create the stack sends its own value. On an update the engine sends `keep` (for
    CloudFormation: omit the count, so autoscaling's stays) together with another change, and
    the running count when a change replaces the service (a new service would start at ECS's
    default).
    """

    parameter: str
    keep: str
    service_resource: str  # the ECS service's logical ID (its ARN names its cluster)


@dataclass(frozen=True)
class Watched:
    """Resources whose state the engine shows while following and explains after a failure."""

    service_resource: str | None = None
    target_group_resource: str | None = None
    slow_resources: tuple[str, ...] = ()  # e.g. a certificate waiting for DNS validation


@dataclass(frozen=True)
class HealthCheck:
    """After a deploy: are the targets healthy, and does the path answer through the LB?"""

    path: str
    https: bool
    address_output: str  # the output holding the load balancer's DNS name
    target_group_output: str | None = None
    server_name: str | None = None  # SNI and Host; None: the certificate's domain
    certificate_parameter: str | None = None  # where the certificate's ARN is, for its domain
    verify_tls: bool = True  # false only for a self-signed certificate


class DeployableStack(Protocol):
    """One stack fargo deploys: rendered, named, with its parameters filled."""

    @property
    def stack_name(self) -> str: ...

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
    def watched(self) -> Watched: ...

    @property
    def health(self) -> HealthCheck | None: ...
