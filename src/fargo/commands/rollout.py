"""Show an ECS rollout as it happens during `fargo deploy`: new tasks started, old drained.

A reporter that passes everything on to the caller's and, while the service stack's
operation runs, reads the service's deployments (DescribeServices: the PRIMARY deployment's
running/desired/pending counts and rolloutState, the ACTIVE ones' running counts) and tells
a line whenever that picture changes. Reading is a courtesy: a failure to read says so once
and never fails the deploy.
"""

from __future__ import annotations

import time

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.locate import ServiceLocation, locate
from fargo.engine.progress import Reporter, TaskUpdate
from fargo.engine.protocol import Watched
from fargo.engine.service_signals import rollouts
from fargo.engine.status import Rollout
from fargo.errors import AwsError

MIN_SECONDS_BETWEEN_READS = 2.0


def rollout_line(deployments: list[Rollout]) -> str | None:
    """One line for the rollout now; None when the service has no deployment yet."""
    new = next((d for d in deployments if d.status == "PRIMARY"), None)
    if new is None:
        return None
    old_running = sum(d.running for d in deployments if d.status == "ACTIVE")
    line = f"rollout {new.rollout_state or 'IN_PROGRESS'}: new tasks {new.running} of " \
           f"{new.desired} running"
    if new.pending:
        line += f", {new.pending} pending"
    if new.failed:
        line += f", {new.failed} failed"
    if any(d.status == "ACTIVE" for d in deployments):
        line += f"; old tasks: {old_running} still running" if old_running else \
            "; old tasks drained"
    return line


class RolloutReporter:
    """Wraps `inner`; adds the rollout's line while `stack_name`'s operation runs."""

    def __init__(self, inner: Reporter, aws: AwsContext, stack_name: str,
                 watched: Watched) -> None:
        self.inner, self.aws, self.stack_name, self.watched = inner, aws, stack_name, watched
        self.location = ServiceLocation()
        self.last_line: str | None = None
        self.last_read = 0.0
        self.failed = False

    def step(self, message: str) -> None:
        self.inner.step(message)

    def note(self, message: str) -> None:
        self.inner.note(message)

    def warn(self, message: str) -> None:
        self.inner.warn(message)

    def task_update(self, update: TaskUpdate) -> None:
        self.inner.task_update(update)

    def stack_progress(self, state: cfn.StackState, events: list[cfn.StackEvent]) -> None:
        self.inner.stack_progress(state, events)
        if state.name == self.stack_name and state.in_progress:
            self.poll(state)

    def poll(self, state: cfn.StackState) -> None:
        now = time.monotonic()
        if self.failed or self.watched.service_resource is None or \
                now - self.last_read < MIN_SECONDS_BETWEEN_READS:
            return
        self.last_read = now
        try:
            if not self.location.found:
                self.location = locate(cfn.stack_resources(self.aws, state.stack_id),
                                       self.watched)
            if not self.location.found:
                return
            line = rollout_line(rollouts(self.aws, self.location.cluster,
                                         self.location.service))
        except AwsError as error:
            self.failed = True
            self.inner.warn(f"could not read the rollout: {error}")
            return
        if line and line != self.last_line:
            self.last_line = line
            self.inner.note(line)


def with_rollout(reporter: Reporter, aws: AwsContext, settings) -> RolloutReporter:
    """`reporter`, plus the rollout of the settings' service stack."""
    from fargo.stacks import LegacyServiceStack

    return RolloutReporter(reporter, aws, settings.stack_name, LegacyServiceStack(settings).watched)
