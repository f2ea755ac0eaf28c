"""`fargo scale`: autoscaling's bounds (and optionally the count now) as a parameter-only
update of the stack, so CloudFormation's scalable target and the service agree with it."""

from __future__ import annotations

from fargo import contract
from fargo.commands.parameter_update import UpdateResult, update_parameters
from fargo.commands.service_target import ServiceTarget
from fargo.engine.aws import AwsContext
from fargo.engine.progress import Timing
from fargo.engine.protocol import Hooks
from fargo.errors import ConfigError

MAX_TASKS = 1000  # the template's bound on MinCount and MaxCount


def check_counts(low: int | None, high: int | None, desired: int | None) -> None:
    """Before any AWS call (exit 2): at least one count, each in range, min <= desired <= max."""
    if low is None and high is None and desired is None:
        raise ConfigError("error: fargo scale needs --min, --max or --desired: e.g. "
                          "`fargo scale --min 2 --max 6`")
    for flag, value in (("--min", low), ("--max", high), ("--desired", desired)):
        if value is not None and not 1 <= value <= MAX_TASKS:
            raise ConfigError(f"error: {flag} {value} is out of range: give 1 to {MAX_TASKS}")
    if low is not None and high is not None and low > high:
        raise ConfigError(f"error: --min {low} is more than --max {high}: swap them")


def scale_service(aws: AwsContext, target: ServiceTarget, low: int | None, high: int | None,
                  desired: int | None, hooks: Hooks, timing: Timing = Timing()) -> UpdateResult:
    """Update MinCount, MaxCount (and DesiredCount) of the deployed stack."""
    from fargo.engine.deployed import read_deployed

    check_counts(low, high, desired)
    now = read_deployed(aws, target.stack_name).parameters
    new_low = low if low is not None else _int(now.get(contract.MIN_COUNT_PARAMETER))
    new_high = high if high is not None else _int(now.get(contract.MAX_COUNT_PARAMETER))
    if new_low is not None and new_high is not None and new_low > new_high:
        raise ConfigError(f"error: min {new_low} would be more than max {new_high}: give both "
                          f"--min and --max")
    if desired is not None and not (new_low or 1) <= desired <= (new_high or MAX_TASKS):
        raise ConfigError(f"error: --desired {desired} is outside min {new_low} .. max "
                          f"{new_high}: autoscaling would move it back; change --min/--max too")
    changes, settings = {}, {}
    for parameter, setting, value in (
            (contract.MIN_COUNT_PARAMETER, "min_count", low),
            (contract.MAX_COUNT_PARAMETER, "max_count", high),
            (contract.DESIRED_COUNT_PARAMETER, None, desired)):
        if value is not None:
            changes[parameter] = str(value)
            if setting:  # the count now is autoscaling's afterwards, not the file's
                settings[parameter] = (setting, value)
    return update_parameters(aws, target, changes, hooks, timing, settings_of=settings)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
