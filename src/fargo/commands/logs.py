"""`fargo logs`: the service's container logs, one line per event with its time and task.

Recent events (FilterLogEvents since `--since`), a live tail (`--follow`: StartLiveTail), or
a stopped task's last lines with why it stopped (`--previous`, or `--task` naming a stopped
task): what to read when a deploy's tasks keep failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fargo.commands.service_target import ServiceTarget
from fargo.engine.aws import AwsContext
from fargo.engine.logs import (
    LogEvent,
    LogSource,
    TaskInfo,
    describe_tasks,
    follow_events,
    last_lines,
    log_source,
    recent_events,
    service_tasks,
)
from fargo.errors import ConfigError

DEFAULT_SINCE = "10m"
STOPPED_LINES = 50  # a stopped task's last lines shown
_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass
class LogsResult:
    service: str
    source: LogSource
    events: list[LogEvent] = field(default_factory=list)
    stopped: TaskInfo | None = None  # the stopped task whose last lines these are
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The documented `fargo logs --json` object."""
        stopped = self.stopped
        return {
            "service": self.service, "log_group": self.source.group,
            "events": [e.as_json() for e in self.events],
            "stopped_task": None if stopped is None else {
                "task": stopped.task_id, "stopped_reason": stopped.stopped_reason,
                "container_reason": stopped.container_reason, "exit_code": stopped.exit_code,
                "stopped_at": stopped.stopped_at.isoformat() if stopped.stopped_at else None},
        }


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`--since`: a duration back from now (30s, 10m, 2h, 1d) or an ISO 8601 time."""
    now = now or datetime.now(UTC)
    match = _DURATION.match(text.strip())
    if match:
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(f"error: --since {text!r} is neither a duration nor a time: give e.g. "
                          "--since 10m, --since 2h or --since 2026-11-28T09:00") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def task_id_of(text: str) -> str:
    """A task's ID from its ID or ARN."""
    task = text.strip().rsplit("/", 1)[-1]
    if not re.fullmatch(r"[0-9a-f]{32}|[0-9a-f-]{8,64}", task):
        raise ConfigError(f"error: --task {text!r} is not an ECS task ID: give the ID (32 hex "
                          "digits) or ARN that `fargo status` or the ECS console shows")
    return task


def service_logs(aws: AwsContext, target: ServiceTarget, since: datetime,
                 pattern: str | None = None, task: str | None = None,
                 previous: bool = False) -> LogsResult:
    source = log_source(aws, target.stack_name, target.watched)
    result = LogsResult(target.service, source)
    stopped = None
    if previous:
        stopped_tasks = service_tasks(aws, source, "STOPPED")
        if not stopped_tasks:
            result.notes.append(f"{target.service} has no stopped task (ECS keeps them for "
                                "about an hour)")
            return result
        stopped = stopped_tasks[0]
    elif task:
        found = describe_tasks(aws, source, [task])
        if found and found[0].stopped:
            stopped = found[0]
        elif not found:
            result.notes.append(f"ECS no longer knows task {task} (stopped tasks are kept for "
                                "about an hour): showing its log stream")
    if stopped is not None:
        result.stopped = stopped
        result.events = last_lines(aws, source, stopped.task_id, STOPPED_LINES)
        if pattern:
            result.notes.append("--filter is not applied to a stopped task's last lines")
        return result
    result.events = recent_events(aws, source, since, pattern, task)
    return result


def follow_logs(aws: AwsContext, target: ServiceTarget, pattern: str | None = None,
                task: str | None = None) -> tuple[LogSource, Iterator[LogEvent]]:
    source = log_source(aws, target.stack_name, target.watched)
    return source, follow_events(aws, source, pattern, task)
