"""Day-two signals of a running service for `fargo status`: what image its tasks run, its
CPU and memory use, its recently stopped tasks with their reasons, and its alarm states.

Each reader is separate and small, so `status` can show what it could read and say "no
data" for the rest (moto answers GetMetricData with no values, and runs no tasks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.status import Rollout

METRIC_WINDOW = timedelta(minutes=10)
METRIC_PERIOD_SECONDS = 60
STOPPED_TASKS_SHOWN = 5


@dataclass(frozen=True)
class Usage:
    """Average CPU and memory utilization (percent of the task's reservation), or None."""

    cpu_percent: float | None = None
    memory_percent: float | None = None
    window_minutes: int = int(METRIC_WINDOW.total_seconds() // 60)


@dataclass(frozen=True)
class StoppedTask:
    task_id: str
    stopped_at: datetime | None
    reason: str  # ECS's stoppedReason, e.g. "Task failed ELB health checks in (target-group ...)"
    container_reason: str = ""  # the essential container's reason (OutOfMemoryError, ...)
    exit_code: int | None = None


@dataclass(frozen=True)
class AlarmState:
    name: str
    state: str  # OK, ALARM, INSUFFICIENT_DATA
    reason: str = ""


@dataclass(frozen=True)
class RunningImage:
    """The image a running task's (first) container runs, with the digest ECS resolved."""

    image: str
    digest: str | None


def service_usage(aws: AwsContext, cluster: str, service: str,
                  now: datetime | None = None) -> Usage:
    """ECS's CPUUtilization and MemoryUtilization, averaged over the last minutes."""
    end = now or datetime.now(UTC)
    dimensions = [{"Name": "ClusterName", "Value": _last(cluster)},
                  {"Name": "ServiceName", "Value": _last(service)}]
    queries = [
        {"Id": key, "ReturnData": True, "MetricStat": {
            "Metric": {"Namespace": "AWS/ECS", "MetricName": metric, "Dimensions": dimensions},
            "Period": METRIC_PERIOD_SECONDS, "Stat": "Average"}}
        for key, metric in (("cpu", "CPUUtilization"), ("memory", "MemoryUtilization"))
    ]
    with aws_call("reading CPU and memory use"):
        answer = aws.client("cloudwatch").get_metric_data(
            MetricDataQueries=queries, StartTime=end - METRIC_WINDOW, EndTime=end)
    values = {r["Id"]: r.get("Values") or [] for r in answer.get("MetricDataResults", [])}
    return Usage(_mean(values.get("cpu")), _mean(values.get("memory")))


def stopped_tasks(aws: AwsContext, cluster: str, service: str,
                  limit: int = STOPPED_TASKS_SHOWN) -> list[StoppedTask]:
    """The service's recently stopped tasks (ECS keeps them about an hour), newest first."""
    ecs = aws.client("ecs")
    with aws_call(f"listing stopped tasks of {_last(service)}"):
        arns = ecs.list_tasks(cluster=cluster, serviceName=_last(service),
                              desiredStatus="STOPPED").get("taskArns", [])
        if not arns:
            return []
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:100]).get("tasks", [])
    tasks.sort(key=lambda t: t.get("stoppedAt") or datetime.min.replace(tzinfo=UTC),
               reverse=True)
    return [_stopped(task) for task in tasks[:limit]]


def running_image(aws: AwsContext, cluster: str, service: str) -> RunningImage | None:
    """What a running task runs, with its resolved digest; None when no task runs."""
    ecs = aws.client("ecs")
    with aws_call(f"listing running tasks of {_last(service)}"):
        arns = ecs.list_tasks(cluster=cluster, serviceName=_last(service),
                              desiredStatus="RUNNING").get("taskArns", [])
        if not arns:
            return None
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:1]).get("tasks", [])
    containers = tasks[0].get("containers", []) if tasks else []
    if not containers:
        return None
    return RunningImage(containers[0].get("image", ""), containers[0].get("imageDigest"))


def alarm_states(aws: AwsContext, stack_name: str) -> list[AlarmState]:
    """The stack's alarms (named `STACK-...`, contract.alarm_name), by name."""
    alarms = []
    with aws_call("reading alarm states"):
        paginator = aws.client("cloudwatch").get_paginator("describe_alarms")
        for page in paginator.paginate(AlarmNamePrefix=f"{stack_name}-",
                                       AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
            for alarm in page.get("MetricAlarms", []) + page.get("CompositeAlarms", []):
                alarms.append(AlarmState(alarm["AlarmName"], alarm.get("StateValue", ""),
                                         alarm.get("StateReason", "")))
    return sorted(alarms, key=lambda a: a.name)


def rollouts(aws: AwsContext, cluster: str, service: str) -> list[Rollout]:
    """The service's deployments now (PRIMARY: the new one; ACTIVE: old ones draining)."""
    with aws_call(f"describing service {_last(service)}"):
        found = aws.client("ecs").describe_services(cluster=cluster,
                                                    services=[service]).get("services", [])
    return [Rollout(deployment_id=d.get("id", ""), status=d.get("status", ""),
                    rollout_state=d.get("rolloutState", ""),
                    reason=d.get("rolloutStateReason", ""),
                    task_definition=d.get("taskDefinition", "").rsplit("/", 1)[-1],
                    desired=d.get("desiredCount", 0), running=d.get("runningCount", 0),
                    pending=d.get("pendingCount", 0), failed=d.get("failedTasks", 0))
            for d in (found[0].get("deployments", []) if found else [])]


def _stopped(task: dict) -> StoppedTask:
    containers = task.get("containers", [])
    essential = next((c for c in containers if c.get("reason") or c.get("exitCode")),
                     containers[0] if containers else {})
    return StoppedTask(
        task_id=task.get("taskArn", "").rsplit("/", 1)[-1], stopped_at=task.get("stoppedAt"),
        reason=task.get("stoppedReason", ""), container_reason=essential.get("reason", ""),
        exit_code=essential.get("exitCode"))


def _mean(values: list[float] | None) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _last(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]
