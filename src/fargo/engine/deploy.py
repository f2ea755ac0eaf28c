"""Plan and deploy a rendered template through a CloudFormation change set, and follow it.

CloudFormation holds the state, orders the work and rolls back; this module decides what to
ask of it, shows what happens, and checks the service answers afterwards.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from fargo import contract
from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext, aws_call
from fargo.engine.buckets import delete_bucket, remove_stack_buckets
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

    @cached_property
    def declared_parameters(self) -> dict[str, dict]:
        """The template's Parameters section: the only keys CloudFormation accepts."""
        return json.loads(self.template_body).get("Parameters") or {}


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
    warnings: list[str] = field(default_factory=list)  # done, but something needs a look


class FollowInterrupted(FargoError):
    """Ctrl-C while following: the stack operation goes on in AWS."""

    exit_code = 130


def plan(aws: AwsContext, request: DeployRequest, keep: bool = False,
         timing: Timing = Timing()) -> cfn.ChangeSet:
    """The change set a deploy would execute; deleted again unless `keep`."""
    state = cfn.describe_stack(aws, request.stack_name)
    _refuse_busy(state)
    change_set = _abandon_on_failure(aws, request.stack_name, state,
                                     lambda: _compute_change_set(aws, request, state, timing))
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
        state, _ = _follow(aws, state, reporter, timing, None)
    if state is not None and state.status == "ROLLBACK_COMPLETE":
        state = _recreate(aws, state, reporter, confirm_recreate, timing)
    if state is not None and state.status in UNRECOVERABLE:
        raise AwsError(
            f"error: stack {state.name} is {state.status}: fix the cause shown in the "
            "CloudFormation console (or `aws cloudformation continue-update-rollback`), then "
            "deploy again"
        )

    reporter.step("computing the change set")
    change_set = _abandon_on_failure(aws, request.stack_name, state,
                                     lambda: _compute_change_set(aws, request, state, timing))
    if change_set.empty:
        _discard(aws, change_set, state)
        current = cfn.describe_stack(aws, request.stack_name)
        return DeployResult(request.stack_name, "no-changes",
                            outputs=current.outputs if current else {},
                            elapsed_seconds=time.monotonic() - started)
    confirmed = _abandon_on_failure(aws, request.stack_name, state,
                                    lambda: confirm(change_set), change_set)
    if not confirmed:
        _discard(aws, change_set, state)
        return DeployResult(request.stack_name, "cancelled", change_set.changes,
                            elapsed_seconds=time.monotonic() - started)

    marker, retained = _abandon_on_failure(
        aws, request.stack_name, state,
        lambda: (_newest_event_id(aws, request.stack_name), _retained_buckets(aws, state)),
        change_set)
    reporter.step(f"executing {change_set.name}")
    _abandon_on_failure(aws, request.stack_name, state,
                        lambda: cfn.execute_change_set(aws, change_set), change_set,
                        executing=True)
    current = cfn.describe_stack(aws, request.stack_name)
    final, history = _follow(aws, current, reporter, timing, marker)
    result = DeployResult(request.stack_name, "deployed", change_set.changes,
                          outputs=final.outputs if final else {},
                          template_body=request.template_body)
    result.stack_resources = cfn.stack_resources(aws, final.stack_id)
    result.warnings = cleanup_failures(history)
    for warning in result.warnings:
        reporter.warn(warning)
    _remove_dropped_buckets(aws, retained, result.stack_resources, reporter)
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


def parameters_for(request: DeployRequest, creates: bool) -> dict[str, str]:
    """Exactly the parameters the template declares: CloudFormation refuses any other key
    ("do not exist in the template", or for a template without parameters "specified for a
    template which does not require them"). On an update, an empty DesiredCount keeps the
    count autoscaling chose. A declared parameter without default and without a value is a
    fargo bug, said before AWS says it."""
    declared = request.declared_parameters
    values = {k: v for k, v in request.parameters.items() if k in declared}
    if not creates and contract.DESIRED_COUNT_PARAMETER in declared:
        values[contract.DESIRED_COUNT_PARAMETER] = contract.KEEP_RUNNING_COUNT
    missing = sorted(k for k, slot in declared.items() if "Default" not in slot and k not in values)
    if missing:
        raise FargoError(f"error: fargo prepared no value for parameter(s) {', '.join(missing)} "
                         f"of {request.stack_name}: this is a bug in fargo, please report it")
    return values


def _compute_change_set(aws, request, state, timing) -> cfn.ChangeSet:
    """The change set of this request, with the service's task count handled right.

    After the first deploy the stack still holds the DesiredCount it was created with. The
    update hands the count to autoscaling (an empty DesiredCount), but only together with
    another change: alone, that hand-over would make every unchanged deploy show a change.
    A change set that replaces the service would start the new one at ECS's default count:
    it is made again with the count running now.
    """
    creates = state is None or not state.has_resources
    values = parameters_for(request, creates)
    desired = contract.DESIRED_COUNT_PARAMETER
    if not creates and desired in values:
        current = state.parameters.get(desired, "")
        if current != contract.KEEP_RUNNING_COUNT:
            unchanged = _change_set(aws, request, {**values, desired: current}, creates, timing)
            if unchanged.empty:
                return unchanged
            _discard(aws, unchanged, state)
    change_set = _change_set(aws, request, values, creates, timing)
    service = next((c for c in change_set.changes
                    if c.logical_id == contract.SERVICE_RESOURCE and c.action == "replace"), None)
    if service is None or creates or desired not in values:
        return change_set
    count = running_count(aws, state)
    if count is None:
        return change_set
    _discard(aws, change_set, state)
    change_set = _change_set(aws, request, {**values, desired: str(count)}, creates, timing)
    note = (f"the new service starts with the {count} task(s) running now, not ECS's default")
    change_set.changes = [
        cfn.PlannedChange(c.logical_id, c.resource_type, c.action,
                          f"{c.reason}; {note}" if c.reason else note)
        if c.logical_id == contract.SERVICE_RESOURCE else c
        for c in change_set.changes
    ]
    return change_set


def _change_set(aws, request, values, creates, timing) -> cfn.ChangeSet:
    return cfn.create_change_set(
        aws, request.stack_name, request.template_body, values,
        creates_stack=creates, tags=request.tags, poll_seconds=min(timing.poll_seconds, 2.0),
        timeout_seconds=timing.change_set_timeout_seconds,
    )


def running_count(aws: AwsContext, state: cfn.StackState) -> int | None:
    """The service's desired count now (what autoscaling chose), or None without a service."""
    resources = cfn.stack_resources(aws, state.stack_id)
    cluster = resources.get(contract.CLUSTER_RESOURCE, {}).get("physical_id")
    service = resources.get(contract.SERVICE_RESOURCE, {}).get("physical_id")
    if not cluster or not service:
        return None
    with aws_call(f"reading the task count of {service}"):
        found = aws.client("ecs").describe_services(cluster=cluster, services=[service])
    services = found.get("services") or []
    return services[0].get("desiredCount") if services else None


def _discard(aws: AwsContext, change_set: cfn.ChangeSet, state: cfn.StackState | None) -> None:
    """Delete the change set, and the empty stack CloudFormation made to hold it."""
    cfn.delete_change_set(aws, change_set)
    if change_set.creates_stack and (state is None or not state.has_resources):
        holder = cfn.describe_stack(aws, change_set.stack_name)
        if holder is not None and holder.status == "REVIEW_IN_PROGRESS":
            cfn.delete_stack(aws, holder)


def _discard_quietly(aws, change_set, state) -> None:
    """Best effort on a path that is already failing: the first error is the one to show."""
    try:
        _discard(aws, change_set, state)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        pass


def _abandon_on_failure(aws, stack_name, state, step, change_set=None, executing=False):
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
        return cfn.execution_status(aws, change_set).startswith("EXECUTE_")
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        return False


def _describe_quietly(aws, stack_name) -> cfn.StackState | None:
    try:
        return cfn.describe_stack(aws, stack_name)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        return None


def _retained_buckets(aws, state) -> dict[str, str]:
    if state is None or not state.has_resources:
        return {}
    return {k: v["physical_id"] for k, v in cfn.stack_resources(aws, state.stack_id).items()
            if v["type"] == "AWS::S3::Bucket" and v["physical_id"]}


def _remove_dropped_buckets(aws, before: dict[str, str], now: dict[str, dict], reporter) -> None:
    """A retained bucket the update removed or replaced stays behind in S3: delete it."""
    for logical_id, bucket in sorted(before.items()):
        if now.get(logical_id, {}).get("physical_id") != bucket:
            if delete_bucket(aws, bucket, reporter):
                reporter.note(f"deleted the bucket {bucket} that {logical_id} no longer uses")


def cleanup_failures(history: list[cfn.StackEvent]) -> list[str]:
    """Resources an update's clean-up phase could not delete. CloudFormation reports the
    update complete anyway, and the orphans (a subnet still holding old tasks' network
    interfaces, say) block the VPC's deletion later: name each, with what to do."""
    warnings = []
    for event in history:
        if event.status == "DELETE_FAILED" and event.logical_id:
            warnings.append(
                f"{event.logical_id} ({event.resource_type}) was left in the account by the "
                f"update's clean-up: {event.reason or 'no reason given'}: delete it by hand once "
                "nothing uses it, or it will block `fargo destroy` later")
    return warnings


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
    for bucket in remove_stack_buckets(aws, state.name, reporter):
        reporter.note(f"deleted the bucket {bucket} that the failed create retained")
    return None


def _newest_event_id(aws: AwsContext, stack: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        events = aws.client("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    except ClientError:
        return None
    return events[0]["EventId"] if events else None


def _follow(aws, state, reporter, timing, marker
            ) -> tuple[cfn.StackState | None, list[cfn.StackEvent]]:
    """Follow the stack operation to its end (its final state and events); raise with the
    root cause if it failed."""
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
        return final, history
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

