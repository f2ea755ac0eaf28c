"""Follow a stack operation to its end: its events, the service's tasks while it runs, and
the root cause (with what the service said) when it fails."""

from __future__ import annotations

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.locate import ServiceLocation, locate
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import SlowResource, Watched
from fargo.engine.service_watch import TaskTracker, failure_diagnostics, task_updates
from fargo.errors import AwsError, FargoError


class FollowInterrupted(FargoError):
    """Ctrl-C while following: the stack operation goes on in AWS."""

    exit_code = 130


def follow(aws: AwsContext, state: cfn.StackState, reporter: Reporter, timing: Timing,
           marker: str | None, watched: Watched = Watched(),
           ) -> tuple[cfn.StackState | None, list[cfn.StackEvent]]:
    """Follow the stack operation to its end (its final state and events); raise with the
    root cause if it failed."""
    watcher = ServiceWatcher(aws, state.stack_id, reporter, watched)

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
        raise AwsError(*timeout.problems,
                       *waiting_hints(timeout.history, watched.slow_resources),
                       *watcher.diagnostics()) from None
    if final is None or final.status in cfn.SUCCESS:
        return final, history
    root = cfn.first_failure(history)
    cause = (f"{root.logical_id} ({root.resource_type}) {root.status}: {root.reason}"
             if root else final.reason or "no reason given")
    raise AwsError(f"error: stack {final.name} ended {final.status}: {cause}",
                   *watcher.diagnostics())


def newest_event_id(aws: AwsContext, stack: str) -> str | None:
    from botocore.exceptions import ClientError

    try:
        events = aws.client("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    except ClientError:
        return None
    return events[0]["EventId"] if events else None


def waiting_hints(history: list[cfn.StackEvent],
                  slow_resources: tuple[SlowResource, ...]) -> list[str]:
    """What a slow stack is waiting for, when the events tell (a certificate, above all)."""
    latest: dict[str, cfn.StackEvent] = {}
    for event in history:
        latest[event.logical_id] = event
    return [slow.hint for slow in slow_resources
            if (event := latest.get(slow.logical_id)) is not None
            and event.status.endswith("_IN_PROGRESS")]


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


class ServiceWatcher:
    """Reports the service's tasks while the stack operation runs; explains failures after."""

    def __init__(self, aws: AwsContext, stack_id: str, reporter: Reporter,
                 watched: Watched) -> None:
        self.aws, self.stack_id, self.reporter, self.watched = aws, stack_id, reporter, watched
        self.tracker = TaskTracker()
        self.location = ServiceLocation()

    def _locate(self) -> bool:
        if self.watched.service_resource is None:
            return False
        if not self.location.found:
            self.location = locate(cfn.stack_resources(self.aws, self.stack_id), self.watched)
        return self.location.found

    def poll(self) -> None:
        try:
            if self._locate():
                current = task_updates(self.aws, self.location.cluster, self.location.service)
                for update in self.tracker.changes(current):
                    self.reporter.task_update(update)
        except AwsError as error:  # watching is a courtesy; never fail the deploy for it
            self.reporter.warn(f"could not read the service's tasks: {error}")

    def diagnostics(self) -> list[str]:
        try:
            self._locate()
            where = self.location
            return failure_diagnostics(self.aws, where.cluster, where.service, where.target_group)
        except AwsError:
            return []
