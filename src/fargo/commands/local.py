"""What `deploy --local` does after the deploy: say what the emulator did not create, then
either tear the deploy down or keep the emulator serving until Ctrl-C."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from fargo.commands.destroy import destroy_service
from fargo.commands.session import Session
from fargo.engine.destroy import DestroyResult
from fargo.engine.progress import Reporter, Timing

TEARDOWN_TIMING = Timing(stack_timeout_seconds=3600.0)


@dataclass(frozen=True, order=True)
class UnmodelledResource:
    """A resource the template declares and the emulator's CloudFormation did not create."""

    logical_id: str
    resource_type: str


def unmodelled_resources(template_body: str, created: dict) -> list[UnmodelledResource]:
    """What moto's CloudFormation skipped (real AWS creates it): declared, not created."""
    declared = json.loads(template_body)["Resources"] if template_body else {}
    return sorted(UnmodelledResource(logical_id, resource["Type"])
                  for logical_id, resource in declared.items() if logical_id not in created)


def tear_down(session: Session, reporter: Reporter,
              timing: Timing = TEARDOWN_TIMING) -> DestroyResult:
    """Destroy what the local deploy created, as `fargo destroy` would."""
    return destroy_service(session.aws, session.settings, reporter, timing=timing)


def serve_until_interrupted() -> None:
    """Keep the process (and so the emulator) alive until Ctrl-C."""
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return
