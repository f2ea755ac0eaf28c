"""`fargo history`: the service's revisions (image, digest, counts, when, who), newest first."""

from __future__ import annotations

from dataclasses import dataclass

from fargo.commands.service_target import ServiceTarget
from fargo.engine.aws import AwsContext
from fargo.engine.deployed import require_deployed
from fargo.engine.revisions import Revision, read_revisions


@dataclass(frozen=True)
class History:
    service: str
    stack_name: str
    region: str
    revisions: list[Revision]

    def as_json(self) -> dict:
        """The documented `fargo history --json` object."""
        return {"service": self.service, "stack": self.stack_name, "region": self.region,
                "revisions": [r.as_json() for r in self.revisions]}


def service_history(aws: AwsContext, target: ServiceTarget) -> History:
    require_deployed(aws, target.stack_name)
    return History(target.service, target.stack_name, aws.region,
                   read_revisions(aws, target.stack_name))
