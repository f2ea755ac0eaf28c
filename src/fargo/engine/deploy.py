"""Plan and deploy a rendered template through a CloudFormation change set, and follow it.

CloudFormation holds the state, orders the work and rolls back; this module decides what to
ask of it, shows what happens, and checks the service answers afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from fargo import contract
from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.health import (
    CheckResult,
    certificate_domain,
    request_health,
    wait_for_healthy_targets,
)
from fargo.engine.progress import Reporter, Timing
from fargo.engine.service_watch import TaskTracker, failure_diagnostics, task_updates
from fargo.errors import AwsError, FargoError

UNRECOVERABLE = {"UPDATE_ROLLBACK_FAILED", "ROLLBACK_FAILED", "DELETE_FAILED",
                 "IMPORT_ROLLBACK_FAILED"}


@dataclass
class DeployRequest:
    """Everything the engine needs, already rendered: no settings, no troposphere."""

    stack_name: str
    template_body: str
    parameters: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)
    health_path: str = "/health"
    https: bool = True
    check_health: bool = True  # false for stacks without a service (the registry)
    server_name: str | None = None  # name for SNI/Host; None: the certificate's domain
    verify_tls: bool = True  # false only for a self-signed certificate


@dataclass
class DeployResult:
    stack_name: str
    outcome: str  # deployed, no-changes, cancelled
    changes: list[cfn.PlannedChange] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    checks: list[CheckResult] = field(default_factory=list)
    elapsed_seconds: float = 0.0
    stack_resources: dict[str, dict] = field(default_factory=dict)
    template_body: str = ""


class FollowInterrupted(FargoError):
    """Ctrl-C while following: the stack operation goes on in AWS."""

    exit_code = 130


def plan(aws: AwsContext, request: DeployRequest, keep: bool = False,
         timing: Timing = Timing()) -> cfn.ChangeSet:
    """The change set a deploy would execute; deleted again unless `keep`."""
    state = cfn.describe_stack(aws, request.stack_name)
    _refuse_busy(state)
    change_set = _create_change_set(aws, request, state, timing)
    if not keep:
        _discard(aws, change_set, state)
    return change_set


def deploy(
    aws: AwsContext, request: DeployRequest, reporter: Reporter,
    confirm: Callable[[cfn.ChangeSet], bool],
    confirm_recreate: Callable[[cfn.StackState], bool],
    timing: Timing = Timing(), wait_for_running: bool = False,
) -> DeployResult:
    started = time.monotonic()
    state = cfn.describe_stack(aws, request.stack_name)
    if state is not None and state.in_progress:
        if not wait_for_running:
            _refuse_busy(state)
        reporter.step(f"waiting for the running {state.status} of {state.name} to finish")
        state = _follow(aws, state, reporter, timing, None)
    if state is not None and state.status == "ROLLBACK_COMPLETE":
        state = _recreate(aws, state, reporter, confirm_recreate, timing)
    if state is not None and state.status in UNRECOVERABLE:
        raise AwsError(
            f"error: stack {state.name} is {state.status}: fix the cause shown in the "
            "CloudFormation console (or `aws cloudformation continue-update-rollback`), then "
            "deploy again"
        )

    reporter.step("computing the change set")
    change_set = _create_change_set(aws, request, state, timing)
    if change_set.empty:
        _discard(aws, change_set, state)
        current = cfn.describe_stack(aws, request.stack_name)
        return DeployResult(request.stack_name, "no-changes",
                            outputs=current.outputs if current else {},
                            elapsed_seconds=time.monotonic() - started)
    if not confirm(change_set):
        _discard(aws, change_set, state)
        return DeployResult(request.stack_name, "cancelled", change_set.changes,
                            elapsed_seconds=time.monotonic() - started)

    marker = _newest_event_id(aws, request.stack_name)
    reporter.step(f"executing {change_set.name}")
    cfn.execute_change_set(aws, change_set)
    current = cfn.describe_stack(aws, request.stack_name)
    final = _follow(aws, current, reporter, timing, marker)
    result = DeployResult(request.stack_name, "deployed", change_set.changes,
                          outputs=final.outputs if final else {},
                          template_body=request.template_body)
    result.stack_resources = cfn.stack_resources(aws, final.stack_id)
    result.checks = _post_deploy_checks(aws, request, result, reporter, timing)
    result.elapsed_seconds = time.monotonic() - started
    failed = [c for c in result.checks if c.outcome == "failed"]
    if failed:
        raise AwsError(*[f"error: {c.name} check failed: {c.detail}" for c in failed],
                       "the stack is deployed; see `fargo status` for the service's events")
    return result


def _refuse_busy(state: cfn.StackState | None) -> None:
    if state is not None and state.in_progress:
        raise AwsError(
            f"error: stack {state.name} is {state.status}: another operation is running and "
            "nothing was changed; follow it with `fargo status`, or run `fargo deploy --wait` "
            "to deploy after it ends"
        )


def _parameters(request: DeployRequest, creates: bool) -> dict[str, str]:
    parameters = dict(request.parameters)
    if not creates:  # keep the running count that autoscaling chose
        parameters[contract.DESIRED_COUNT_PARAMETER] = contract.KEEP_RUNNING_COUNT
    return parameters


def _create_change_set(aws, request, state, timing) -> cfn.ChangeSet:
    creates = state is None or not state.has_resources
    return cfn.create_change_set(
        aws, request.stack_name, request.template_body, _parameters(request, creates),
        creates_stack=creates, tags=request.tags, poll_seconds=min(timing.poll_seconds, 2.0),
        timeout_seconds=timing.change_set_timeout_seconds,
    )


def _discard(aws: AwsContext, change_set: cfn.ChangeSet, state: cfn.StackState | None) -> None:
    """Delete the change set, and the empty stack CloudFormation made to hold it."""
    cfn.delete_change_set(aws, change_set)
    if change_set.creates_stack and (state is None or not state.has_resources):
        holder = cfn.describe_stack(aws, change_set.stack_name)
        if holder is not None and holder.status == "REVIEW_IN_PROGRESS":
            cfn.delete_stack(aws, holder)


def _recreate(aws, state, reporter, confirm_recreate, timing) -> None:
    if not confirm_recreate(state):
        raise AwsError(
            f"error: stack {state.name} is ROLLBACK_COMPLETE (its first create failed) and can "
            "only be deleted: run `fargo destroy`, or deploy again and accept the recreate"
        )
    reporter.step(f"deleting the failed stack {state.name} before creating it again")
    marker = _newest_event_id(aws, state.stack_id)
    cfn.delete_stack(aws, state)
    _follow(aws, state, reporter, timing, marker)
    return None


def _newest_event_id(aws: AwsContext, stack: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        events = aws.client("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    except ClientError:
        return None
    return events[0]["EventId"] if events else None


def _follow(aws, state, reporter, timing, marker) -> cfn.StackState | None:
    """Follow the stack operation to its end; raise with the root cause if it failed."""
    watcher = _ServiceWatcher(aws, state.stack_id, reporter)

    def on_progress(current, events):
        reporter.stack_progress(current, events)
        if current.in_progress:
            watcher.poll()

    try:
        final, history = cfn.wait_for_stack(
            aws, state.stack_id, marker, on_progress, timing.poll_seconds,
            timing.stack_timeout_seconds,
        )
    except KeyboardInterrupt:
        raise FollowInterrupted(
            f"interrupted: the stack operation on {state.name} goes on in AWS; follow it with "
            "`fargo status`, or `fargo deploy --wait` to wait for it and deploy again"
        ) from None
    except cfn.StackTimeout as timeout:
        raise AwsError(*timeout.problems, *waiting_hints(timeout.history),
                       *watcher.diagnostics()) from None
    if final is None or final.status in cfn.SUCCESS:
        return final
    root = cfn.first_failure(history)
    cause = (f"{root.logical_id} ({root.resource_type}) {root.status}: {root.reason}"
             if root else final.reason or "no reason given")
    raise AwsError(f"error: stack {final.name} ended {final.status}: {cause}",
                   *watcher.diagnostics())


def waiting_hints(history: list[cfn.StackEvent]) -> list[str]:
    """What a slow stack is waiting for, when the events tell (a certificate, above all)."""
    latest: dict[str, cfn.StackEvent] = {}
    for event in history:
        latest[event.logical_id] = event
    hints = []
    certificate = latest.get(contract.CERTIFICATE_RESOURCE)
    if certificate is not None and certificate.status.endswith("_IN_PROGRESS"):
        hints.append(
            "  the certificate is still waiting for DNS validation: check that hosted_zone is "
            "the public zone the domain is delegated to (validation can take up to 72 hours)"
        )
    return hints


class _ServiceWatcher:
    """Reports the service's tasks while the stack operation runs; explains failures after."""

    def __init__(self, aws: AwsContext, stack_id: str, reporter: Reporter) -> None:
        self.aws, self.stack_id, self.reporter = aws, stack_id, reporter
        self.tracker = TaskTracker()
        self.cluster = self.service = self.target_group = None

    def _locate(self) -> bool:
        if self.service is None:
            resources = cfn.stack_resources(self.aws, self.stack_id)
            ids = {k: v["physical_id"] for k, v in resources.items() if v["physical_id"]}
            self.cluster = ids.get(contract.CLUSTER_RESOURCE)
            self.target_group = ids.get(contract.TARGET_GROUP_RESOURCE)
            if self.cluster and contract.SERVICE_RESOURCE in ids:
                self.service = ids[contract.SERVICE_RESOURCE]
        return self.service is not None

    def poll(self) -> None:
        try:
            if self._locate():
                current = task_updates(self.aws, self.cluster, self.service)
                for update in self.tracker.changes(current):
                    self.reporter.task_update(update)
        except AwsError as error:  # watching is a courtesy; never fail the deploy for it
            self.reporter.warn(f"could not read the service's tasks: {error}")

    def diagnostics(self) -> list[str]:
        try:
            self._locate()
            return failure_diagnostics(self.aws, self.cluster, self.service, self.target_group)
        except AwsError:
            return []


def _post_deploy_checks(aws, request, result, reporter, timing) -> list[CheckResult]:
    if not request.check_health:
        return []
    if aws.emulated:
        why = "the local emulator runs no containers"
        return [CheckResult("targets", "skipped", why), CheckResult("health", "skipped", why)]
    target_group = result.outputs.get(contract.OUTPUT_TARGET_GROUP)
    address = result.outputs.get(contract.OUTPUT_ALB_DNS)
    checks = []
    if target_group:
        reporter.step("waiting for healthy targets")
        checks.append(wait_for_healthy_targets(aws, target_group, timing.health_timeout_seconds,
                                               timing.poll_seconds))
    if not address:
        checks.append(CheckResult("health", "skipped", "the stack has no AlbDns output"))
        return checks
    server_name, verify = request.server_name, request.verify_tls
    certificate = request.parameters.get(contract.CERTIFICATE_PARAMETER)
    if request.https and server_name is None and certificate and verify:
        server_name = certificate_domain(aws, certificate)
    if request.https and not verify:
        reporter.warn("the certificate is self-signed: the health request does not verify TLS")
    reporter.step(f"requesting {request.health_path}")
    checks.append(request_health(address, request.health_path, request.https, server_name, verify))
    return checks

