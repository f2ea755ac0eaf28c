"""The change set of a stack, with the service's task count handled right, and the clean-up
of what fargo made for it when a step before the operation fails."""

from __future__ import annotations

from fargo.engine import change_set_calls
from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.follow import FollowInterrupted
from fargo.engine.locate import locate
from fargo.engine.progress import Timing
from fargo.engine.protocol import DeployableStack


def compute_change_set(aws: AwsContext, stack: DeployableStack, state: cfn.StackState | None,
                       timing: Timing) -> change_set_calls.ChangeSet:
    """The change set of this stack.

    After the first deploy the stack still holds the task count it was created with. The
    update hands the count to autoscaling (the count's `keep` value), but only together with
    another change: alone, that hand-over would make every unchanged deploy show a change.
    A change set that replaces the service would start the new one at ECS's default count:
    it is made again with the count running now.
    """
    creates = state is None or not state.has_resources
    values = stack.parameters(creates)
    count = stack.task_count
    if creates or count is None or count.parameter not in values:
        return _change_set(aws, stack, values, creates, timing)
    desired = count.parameter
    current = state.parameters.get(desired, "")
    if current != count.keep:
        unchanged = _change_set(aws, stack, {**values, desired: current}, creates, timing)
        if unchanged.empty:
            return unchanged
        discard(aws, unchanged, state)
    change_set = _change_set(aws, stack, values, creates, timing)
    replaced = next((c for c in change_set.changes
                     if c.logical_id == count.service_resource and c.action == "replace"), None)
    if replaced is None:
        return change_set
    running = running_count(aws, state, stack)
    if running is None:
        return change_set
    discard(aws, change_set, state)
    change_set = _change_set(aws, stack, {**values, desired: str(running)}, creates, timing)
    note = f"the new service starts with the {running} task(s) running now, not ECS's default"
    change_set.changes = [
        change_set_calls.PlannedChange(c.logical_id, c.resource_type, c.action,
                          f"{c.reason}; {note}" if c.reason else note)
        if c.logical_id == count.service_resource else c
        for c in change_set.changes
    ]
    return change_set


def _change_set(aws, stack: DeployableStack, values, creates, timing) -> change_set_calls.ChangeSet:
    return change_set_calls.create_change_set(
        aws, stack.stack_name, stack.template_body, values,
        creates_stack=creates, tags=dict(stack.tags),
        poll_seconds=min(timing.poll_seconds, 2.0),
        timeout_seconds=timing.change_set_timeout_seconds,
    )


def running_count(aws: AwsContext, state: cfn.StackState,
                  stack: DeployableStack) -> int | None:
    """The service's desired count now (what autoscaling chose), or None without a service."""
    where = locate(cfn.stack_resources(aws, state.stack_id), stack.watched)
    if not where.found:
        return None
    with aws_call(f"reading the task count of {where.service}"):
        found = aws.client("ecs").describe_services(cluster=where.cluster,
                                                    services=[where.service])
    services = found.get("services") or []
    return services[0].get("desiredCount") if services else None


def discard(aws: AwsContext, change_set: change_set_calls.ChangeSet,
            state: cfn.StackState | None) -> None:
    """Delete the change set, and the empty stack CloudFormation made to hold it."""
    change_set_calls.delete_change_set(aws, change_set)
    if change_set.creates_stack and (state is None or not state.has_resources):
        holder = cfn.describe_stack(aws, change_set.stack_name)
        if holder is not None and holder.status == "REVIEW_IN_PROGRESS":
            cfn.delete_stack(aws, holder)


def _discard_quietly(aws, change_set, state) -> None:
    """Best effort on a path that is already failing: the first error is the one to show."""
    try:
        discard(aws, change_set, state)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        pass


def abandon_on_failure(aws, stack_name, state, step, change_set=None, executing=False):
    """Run a step before the stack operation starts; if it fails or is interrupted, remove
    what fargo made for it (its change set, and a first create's holder stack) and raise.

    For the execute step itself, an error does not prove that nothing started (the call may
    have gone through and its answer been lost): if the change set runs after all, an error
    is followed like a success, and Ctrl-C says that the operation goes on in AWS.
    """
    try:
        return step()
    except BaseException as failure:
        if executing and _started(aws, stack_name, change_set):
            if isinstance(failure, KeyboardInterrupt):
                raise FollowInterrupted(
                    f"interrupted: {change_set.name} was executed and the stack operation "
                    f"on {stack_name} goes on in AWS; follow it with `fargo status`") from None
            if isinstance(failure, Exception):
                return None  # it runs: follow it
            raise
        if change_set is not None:
            _discard_quietly(aws, change_set, state)
        else:
            current = _describe_quietly(aws, stack_name)
            if current is not None and current.status == "REVIEW_IN_PROGRESS" and (
                    state is None or not state.has_resources):
                try:
                    cfn.delete_stack(aws, current)
                except (Exception, KeyboardInterrupt):  # noqa: BLE001
                    pass
        raise


def _started(aws, stack_name, change_set) -> bool:
    """Whether the change set was executed after all (its stack busy, or its status says)."""
    try:
        current = cfn.describe_stack(aws, stack_name)
        if current is not None and current.in_progress:
            return True
        return change_set_calls.execution_status(aws, change_set).startswith("EXECUTE_")
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        return False


def _describe_quietly(aws, stack_name) -> cfn.StackState | None:
    try:
        return cfn.describe_stack(aws, stack_name)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        return None
