"""`fargo rollback`: redeploy an earlier image through the stack (a parameter-only update).

The image to go back to comes from the service's revisions (fargo.engine.revisions): by
default the newest one whose image differs from the current one; `--to N` names one.
"""

from __future__ import annotations

from fargo import contract
from fargo.commands.parameter_update import UpdateResult, update_parameters
from fargo.commands.service_target import ServiceTarget
from fargo.engine.aws import AwsContext
from fargo.engine.deployed import require_deployed
from fargo.engine.progress import Timing
from fargo.engine.protocol import Hooks
from fargo.engine.revisions import Revision, read_revisions
from fargo.errors import ConfigError


def rollback_revision(aws: AwsContext, target: ServiceTarget,
                      to: int | None = None) -> tuple[Revision, Revision]:
    """(the current revision, the one to go back to); ConfigError when there is none."""
    require_deployed(aws, target.stack_name)
    revisions = read_revisions(aws, target.stack_name, digests=False)
    if not revisions:
        raise ConfigError(f"error: {target.stack_name} has no revision history (it was "
                          "deployed by an older fargo): deploy once with `fargo deploy`, then "
                          "roll back with --to after the next deploy")
    current = revisions[0]
    if to is not None:
        chosen = next((r for r in revisions if r.number == to), None)
        if chosen is None:
            numbers = ", ".join(str(r.number) for r in revisions[:10])
            raise ConfigError(f"error: --to {to} is not a revision of {target.service} (recent "
                              f"ones: {numbers}): see `fargo history`")
    else:
        chosen = next((r for r in revisions[1:] if r.image and r.image != current.image), None)
        if chosen is None:
            raise ConfigError(f"error: {target.service} has run only {current.image}: there "
                              "is no earlier image to roll back to (see `fargo history`)")
    if not chosen.image:
        raise ConfigError(f"error: revision {chosen.number} records no image: choose another "
                          "with --to (see `fargo history`)")
    if chosen.image == current.image:
        raise ConfigError(f"error: revision {chosen.number} runs {chosen.image}, as the "
                          "service does now: nothing to roll back")
    return current, chosen


def rollback_service(aws: AwsContext, target: ServiceTarget, chosen: Revision, hooks: Hooks,
                     timing: Timing = Timing()) -> UpdateResult:
    """Deploy `chosen`'s image through the stack, the rest as deployed."""
    return update_parameters(
        aws, target, {contract.IMAGE_PARAMETER: chosen.image}, hooks, timing,
        settings_of={contract.IMAGE_PARAMETER: ("image", chosen.image)})
