"""Plan and deploy a stack through a CloudFormation change set, and follow it.

CloudFormation holds the state, orders the work and rolls back; this module decides what to
ask of it, shows what happens, and checks the service answers afterwards. The stack is any
`DeployableStack` (fargo.stacks): it names everything; the engine names nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from fargo.engine import change_set_calls, post_deploy
from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.buckets import remove_stack_buckets
from fargo.engine.change_sets import (
    abandon_on_failure,
    compute_change_set,
    discard,
    running_count,
)
from fargo.engine.follow import (
    FollowInterrupted,
    cleanup_failures,
    follow,
    newest_event_id,
    waiting_hints,
)
from fargo.engine.health import CheckResult
from fargo.engine.progress import Timing
from fargo.engine.protocol import DeployableStack, Hooks
from fargo.errors import AwsError
from fargo.results import DeployOutcome

__all__ = ["DeployResult", "FollowInterrupted", "cleanup_failures", "deploy", "plan",
           "running_count", "waiting_hints"]

UNRECOVERABLE = {"UPDATE_ROLLBACK_FAILED", "ROLLBACK_FAILED", "DELETE_FAILED",
                 "IMPORT_ROLLBACK_FAILED"}


@dataclass
class DeployResult:
    stack_name: str
    outcome: DeployOutcome
    changes: list[change_set_calls.PlannedChange] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    stack_resources: dict[str, dict] = field(default_factory=dict)
    template_body: str = ""
    warnings: list[str] = field(default_factory=list)  # done, but something needs a look


def plan(aws: AwsContext, stack: DeployableStack, keep: bool = False,
         timing: Timing = Timing()) -> change_set_calls.ChangeSet:
    """The change set a deploy would execute; deleted again unless `keep`."""
    state = cfn.describe_stack(aws, stack.stack_name)
    _refuse_busy(state)
    change_set = abandon_on_failure(aws, stack.stack_name, state,
                                    lambda: compute_change_set(aws, stack, state, timing))
    if not keep:
        discard(aws, change_set, state)
    return change_set


def deploy(aws: AwsContext, stack: DeployableStack, hooks: Hooks, timing: Timing = Timing(),
           wait_for_running: bool = False) -> DeployResult:
    started = time.monotonic()
    name, reporter = stack.stack_name, hooks.reporter
    state = _ready_state(aws, stack, hooks, timing, wait_for_running)

    reporter.step("computing the change set")
    change_set = abandon_on_failure(aws, name, state,
                                    lambda: compute_change_set(aws, stack, state, timing))
    if change_set.empty:
        discard(aws, change_set, state)
        current = cfn.describe_stack(aws, name)
        return DeployResult(name, DeployOutcome.NO_CHANGES,
                            outputs=current.outputs if current else {},
                            elapsed_seconds=time.monotonic() - started)
    confirmed = abandon_on_failure(aws, name, state, lambda: hooks.confirm(change_set),
                                   change_set)
    if not confirmed:
        discard(aws, change_set, state)
        return DeployResult(name, DeployOutcome.CANCELLED, change_set.changes,
                            elapsed_seconds=time.monotonic() - started)

    marker, retained = abandon_on_failure(
        aws, name, state,
        lambda: (newest_event_id(aws, name), post_deploy.retained_buckets(aws, state)),
        change_set)
    reporter.step(f"executing {change_set.name}")
    abandon_on_failure(aws, name, state,
                       lambda: change_set_calls.execute_change_set(aws, change_set),
                       change_set, executing=True)
    current = cfn.describe_stack(aws, name)
    final, history = follow(aws, current, reporter, timing, marker, stack.watched)
    result = DeployResult(name, DeployOutcome.DEPLOYED, change_set.changes,
                          outputs=final.outputs if final else {},
                          template_body=stack.template_body)
    result.stack_resources = cfn.stack_resources(aws, final.stack_id)
    result.warnings = cleanup_failures(history)
    for warning in result.warnings:
        reporter.warn(warning)
    post_deploy.remove_dropped_buckets(aws, retained, result.stack_resources, reporter)
    result.checks = post_deploy.checks(aws, stack, result.outputs, reporter, timing)
    result.elapsed_seconds = time.monotonic() - started
    failed = [c for c in result.checks if c.outcome == "failed"]
    if failed:
        raise AwsError(*[f"error: {c.name} check failed: {c.detail}" for c in failed],
                       "the stack is deployed; see `fargo status` for the service's events")
    return result


def _ready_state(aws, stack, hooks: Hooks, timing, wait_for_running) -> cfn.StackState | None:
    """The stack's state once it can take a change set: a running operation waited for (if
    asked), a failed first create deleted (if confirmed); refused when it cannot."""
    state = cfn.describe_stack(aws, stack.stack_name)
    if state is not None and state.in_progress:
        if not wait_for_running:
            _refuse_busy(state)
        hooks.reporter.step(f"waiting for the running {state.status} of {state.name} to finish")
        state, _ = follow(aws, state, hooks.reporter, timing, None, stack.watched)
    if state is not None and state.status == "ROLLBACK_COMPLETE":
        state = _recreate(aws, state, hooks, timing)
    if state is not None and state.status in UNRECOVERABLE:
        raise AwsError(
            f"error: stack {state.name} is {state.status}: fix the cause shown in the "
            "CloudFormation console (or `aws cloudformation continue-update-rollback`), then "
            "deploy again"
        )
    return state


def _refuse_busy(state: cfn.StackState | None) -> None:
    if state is not None and state.in_progress:
        raise AwsError(
            f"error: stack {state.name} is {state.status}: another operation is running and "
            "nothing was changed; follow it with `fargo status`, or run `fargo deploy --wait` "
            "to deploy after it ends"
        )


def _recreate(aws, state, hooks: Hooks, timing) -> None:
    if not hooks.confirm_recreate(state):
        raise AwsError(
            f"error: stack {state.name} is ROLLBACK_COMPLETE (its first create failed) and can "
            "only be deleted: run `fargo destroy`, or deploy again and accept the recreate"
        )
    hooks.reporter.step(f"deleting the failed stack {state.name} before creating it again")
    marker = newest_event_id(aws, state.stack_id)
    cfn.delete_stack(aws, state)
    follow(aws, state, hooks.reporter, timing, marker)
    for bucket in remove_stack_buckets(aws, state.name, hooks.reporter):
        hooks.reporter.note(f"deleted the bucket {bucket} that the failed create retained")
    return None
