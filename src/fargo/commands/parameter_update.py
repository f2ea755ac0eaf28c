"""A parameter-only update of a deployed service stack: `rollback` and `scale`.

The stack gets its own deployed template back with every parameter as it is, except the
ones changed; CloudFormation then changes only what those parameters feed (a new task
definition revision and the service for the image; the scalable target and service for the
counts), and the stack never drifts from what runs. The settings record (an SSM parameter
substituted from the same parameters) is rewritten with them, so `fargo history` and the
next plan see the change.

Such a change lasts until the next deploy from the file, which sends the file's values:
each result carries the line of the file to change to keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo.commands.service_target import ServiceTarget
from fargo.engine import deploy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.deployed import read_deployed
from fargo.engine.progress import Timing
from fargo.engine.protocol import Hooks
from fargo.errors import AwsError


@dataclass
class UpdateResult:
    deploy: engine.DeployResult
    before: dict[str, str]  # the changed parameters' values before
    after: dict[str, str]
    lasting: list[str] = field(default_factory=list)  # which line of the file keeps each


def update_parameters(aws: AwsContext, target: ServiceTarget, changes: dict[str, str],
                      hooks: Hooks, timing: Timing = Timing(),
                      settings_of: dict[str, tuple[str, object]] | None = None) -> UpdateResult:
    """Send the deployed template back with `changes` to its parameters.

    `settings_of` maps a parameter to the setting (and value) the file must hold for the
    change to last, e.g. {"ImageUri": ("image", "repo:7")}.
    """
    from fargo.stacks.base import TextStack

    aws.limit_calls_to(timing.stack_timeout_seconds)
    deployed = read_deployed(aws, target.stack_name)
    declared = deployed.declared
    unknown = sorted(k for k in changes if k not in declared)
    if unknown:
        raise AwsError(f"error: the deployed stack {target.stack_name} has no parameter "
                       f"{', '.join(unknown)} (deployed by an older fargo): run `fargo deploy` "
                       "once with this version, then try again")
    values = {k: v for k, v in deployed.parameters.items() if k in declared}
    before = {k: values.get(k, str(declared[k].get("Default", ""))) for k in changes}
    values.update(changes)
    stack = TextStack(target.stack_name, deployed.template_body, values, deployed.tags,
                      watching=target.watched)
    result = engine.deploy(aws, stack, hooks, timing)
    lasting = [target.file_line(setting, value)
               for parameter, (setting, value) in (settings_of or {}).items()
               if before.get(parameter) != changes.get(parameter)]
    return UpdateResult(result, before, dict(changes), lasting)
