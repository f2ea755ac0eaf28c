"""The service's container logs: recent events, a live tail, and a stopped task's last lines.

Where the logs are is read from what runs, not from the file: the task definition's
`awslogs` options give the log group and stream prefix, and ECS names each task's stream
`PREFIX/CONTAINER/TASK-ID`, so every event says which task wrote it. `--follow` uses
CloudWatch Logs StartLiveTail (a stream of events as they are ingested, at most 3 hours
per session) rather than polling FilterLogEvents.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.locate import locate
from fargo.engine.protocol import Watched
from fargo.errors import AwsError, ConfigError

PAGE_LIMIT = 20  # FilterLogEvents pages read at most for one `fargo logs` (10,000 events)


@dataclass(frozen=True)
class LogSource:
    """A deployed service's log group and the stream prefix of its container."""

    cluster: str
    service: str
    group: str
    stream_prefix: str  # PREFIX/CONTAINER; a task's stream is PREFIX/CONTAINER/TASK-ID
    container: str

    def stream_of(self, task_id: str) -> str:
        return f"{self.stream_prefix}/{task_id}"


@dataclass(frozen=True)
class LogEvent:
    timestamp: datetime
    task: str  # the task's ID (the last part of its stream's name)
    message: str

    def line(self) -> str:
        when = self.timestamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.timestamp:%f}"[:3] + "Z"
        return f"{when} {self.task[:12]} {self.message.rstrip()}"

    def as_json(self) -> dict:
        return {"time": self.timestamp.isoformat(), "task": self.task, "message": self.message}


@dataclass(frozen=True)
class TaskInfo:
    task_id: str
    last_status: str  # RUNNING, STOPPED, ...
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    stopped_reason: str = ""  # ECS's: "Essential container in task exited", ...
    container_reason: str = ""  # the container's own: "OutOfMemoryError: ...", ...
    exit_code: int | None = None
    exec_enabled: bool = False
    runtime_id: str = ""  # the container's, which a Session Manager target names

    @property
    def stopped(self) -> bool:
        return self.last_status in ("STOPPED", "DEPROVISIONING", "STOPPING")

    def stop_summary(self) -> str:
        parts = [self.stopped_reason or "no reason given"]
        if self.container_reason:
            parts.append(self.container_reason)
        if self.exit_code is not None:
            parts.append(f"exit code {self.exit_code}")
        return "; ".join(parts)


@dataclass(frozen=True)
class RunningService:
    """A deployed stack's ECS service as it runs: where, its container, whether Exec is on."""

    cluster: str
    service: str
    container: str
    exec_enabled: bool
    definition: dict  # the task definition the service runs (DescribeTaskDefinition)


def running_service(aws: AwsContext, stack_name: str, watched: Watched) -> RunningService:
    state = cfn.describe_stack(aws, stack_name)
    if state is None or not state.has_resources:
        raise ConfigError(f"error: {stack_name} is not deployed in {aws.region}: deploy it "
                          "first with `fargo deploy` (or pass the stack's --region)")
    where = locate(cfn.stack_resources(aws, state.stack_id), watched)
    if not where.found:
        raise AwsError(f"error: {stack_name} has no ECS service (yet): see `fargo status`")
    ecs = aws.client("ecs")
    with aws_call(f"describing service {where.service}"):
        services = ecs.describe_services(cluster=where.cluster,
                                         services=[where.service])["services"]
    if not services:
        raise AwsError(f"error: service {where.service} is not in cluster {where.cluster}: "
                       "see `fargo status`")
    definition = services[0].get("taskDefinition") or where.task_definition
    if not definition:
        raise AwsError(f"error: {where.service} names no task definition: see `fargo status`")
    with aws_call("reading the task definition"):
        described = ecs.describe_task_definition(taskDefinition=definition)["taskDefinition"]
    container = (described.get("containerDefinitions") or [{}])[0]
    return RunningService(where.cluster, where.service, container.get("name", ""),
                          bool(services[0].get("enableExecuteCommand")), described)


def log_source(aws: AwsContext, stack_name: str, watched: Watched) -> LogSource:
    """The service's log group and stream prefix, from its running task definition."""
    running = running_service(aws, stack_name, watched)
    container = (running.definition.get("containerDefinitions") or [{}])[0]
    config = container.get("logConfiguration") or {}
    options = config.get("options") or {}
    if config.get("logDriver") != "awslogs" or "awslogs-group" not in options:
        raise AwsError(f"error: the container of {running.service} does not log to CloudWatch "
                       "Logs (awslogs): fargo logs cannot read it")
    prefix, name = options.get("awslogs-stream-prefix", ""), running.container
    return LogSource(running.cluster, running.service, options["awslogs-group"],
                     f"{prefix}/{name}" if prefix else name, name)


def recent_events(aws: AwsContext, source: LogSource, since: datetime,
                  pattern: str | None = None, task: str | None = None,
                  limit: int | None = None) -> list[LogEvent]:
    """The events since `since`, oldest first (the newest `limit` when given)."""
    arguments = {"logGroupName": source.group, "startTime": _millis(since)}
    if task:
        arguments["logStreamNames"] = [source.stream_of(task)]
    else:
        arguments["logStreamNamePrefix"] = source.stream_prefix + "/"
    if pattern:
        arguments["filterPattern"] = pattern
    logs = aws.client("logs")
    events: list[LogEvent] = []
    with aws_call(f"reading log group {source.group}"):
        for _ in range(PAGE_LIMIT):
            page = logs.filter_log_events(**arguments)
            events += [_event(e) for e in page.get("events") or []]
            token = page.get("nextToken")
            if not token:
                break
            arguments["nextToken"] = token
    events.sort(key=lambda e: e.timestamp)
    return events[-limit:] if limit else events


def last_lines(aws: AwsContext, source: LogSource, task_id: str, count: int = 50,
               ) -> list[LogEvent]:
    """The last `count` events of one task's stream (a stopped task's last words)."""
    from botocore.exceptions import ClientError

    from fargo.engine.aws_errors import error_code

    logs = aws.client("logs")
    with aws_call(f"reading the log stream of task {task_id}"):
        try:
            page = logs.get_log_events(logGroupName=source.group,
                                       logStreamName=source.stream_of(task_id),
                                       limit=count, startFromHead=False)
        except ClientError as error:
            if error_code(error) == "ResourceNotFoundException":
                return []  # the task stopped before its container wrote anything
            raise
    return [LogEvent(_time(e["timestamp"]), task_id, e.get("message", ""))
            for e in page.get("events") or []]


def follow_events(aws: AwsContext, source: LogSource, pattern: str | None = None,
                  task: str | None = None) -> Iterator[LogEvent]:
    """Events as CloudWatch Logs ingests them (StartLiveTail), until the session ends or
    the caller stops iterating; the stream is closed either way."""
    arguments = {"logGroupIdentifiers": [group_arn(aws, source.group)]}
    if task:
        arguments["logStreamNames"] = [source.stream_of(task)]
    else:
        arguments["logStreamNamePrefixes"] = [source.stream_prefix + "/"]
    if pattern:
        arguments["logEventFilterPattern"] = pattern
    with aws_call(f"starting a live tail of {source.group}"):
        stream = aws.client("logs").start_live_tail(**arguments)["responseStream"]
    try:
        for message in stream:
            if "sessionUpdate" in message:
                for result in message["sessionUpdate"].get("sessionResults") or []:
                    yield _event(result)
            elif "SessionTimeoutException" in message:
                return  # CloudWatch Logs ends a live tail after 3 hours
            elif "SessionStreamingException" in message:
                detail = message["SessionStreamingException"].get("message", "")
                raise AwsError(f"error: the live tail of {source.group} failed: {detail}: "
                               "run fargo logs --follow again")
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def group_arn(aws: AwsContext, group: str) -> str:
    """StartLiveTail takes log groups by ARN (without DescribeLogGroups' trailing ':*')."""
    with aws_call(f"finding log group {group}"):
        found = aws.client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    match = next((g for g in found if g.get("logGroupName") == group), None)
    if match is None:
        raise AwsError(f"error: log group {group} does not exist (yet): the service has not "
                       "logged anything; see `fargo status`")
    return match.get("logGroupArn") or match["arn"].removesuffix(":*")


def service_tasks(aws: AwsContext, source: LogSource | RunningService, status: str = "RUNNING",
                  ) -> list[TaskInfo]:
    """The service's tasks in `status` (RUNNING or STOPPED), newest first. ECS keeps
    stopped tasks for about an hour."""
    ecs = aws.client("ecs")
    with aws_call(f"listing the {status.lower()} tasks of {source.service}"):
        arns = ecs.list_tasks(cluster=source.cluster, serviceName=_name(source.service),
                              desiredStatus=status).get("taskArns") or []
    tasks = describe_tasks(aws, source, arns[:100])
    return sorted(tasks, key=lambda t: t.stopped_at or t.started_at or _EPOCH, reverse=True)


def describe_tasks(aws: AwsContext, source: LogSource | RunningService,
                   tasks: list[str]) -> list[TaskInfo]:
    if not tasks:
        return []
    with aws_call("describing tasks"):
        found = aws.client("ecs").describe_tasks(cluster=source.cluster, tasks=tasks)
    return [_task_info(t, source.container) for t in found.get("tasks") or []]


def _task_info(task: dict, container_name: str) -> TaskInfo:
    containers = task.get("containers") or []
    container = next((c for c in containers if c.get("name") == container_name),
                     containers[0] if containers else {})
    return TaskInfo(
        task_id=task.get("taskArn", "").rsplit("/", 1)[-1], last_status=task.get("lastStatus", ""),
        started_at=task.get("startedAt"), stopped_at=task.get("stoppedAt"),
        stopped_reason=task.get("stoppedReason", ""), container_reason=container.get("reason", ""),
        exit_code=container.get("exitCode"), exec_enabled=bool(task.get("enableExecuteCommand")),
        runtime_id=container.get("runtimeId", ""))


def _name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


def _event(raw: dict) -> LogEvent:
    stream = raw.get("logStreamName", "")
    return LogEvent(_time(raw.get("timestamp", 0)), stream.rsplit("/", 1)[-1],
                    raw.get("message", ""))


def _time(millis: int) -> datetime:
    return datetime.fromtimestamp(millis / 1000, tz=UTC)


def _millis(when: datetime) -> int:
    return int(when.timestamp() * 1000)


_EPOCH = datetime.fromtimestamp(0, tz=UTC)
