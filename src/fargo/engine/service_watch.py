"""What the ECS service's tasks and the load balancer's targets are doing right now.

Used while following a deploy (tasks starting and stopping, with stop reasons) and after a
failure (why tasks stopped, why targets are unhealthy), so a bad image or health check shows
up before the circuit breaker has finished rolling back.
"""

from __future__ import annotations

from dataclasses import dataclass

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.progress import TaskUpdate


@dataclass(frozen=True)
class TargetHealth:
    target_id: str
    port: int
    state: str
    reason: str = ""
    description: str = ""


def task_updates(aws: AwsContext, cluster: str, service: str) -> list[TaskUpdate]:
    """Every task of the service, running or recently stopped."""
    ecs = aws.client("ecs")
    arns: list[str] = []
    with aws_call(f"listing tasks of {service}"):
        for status in ("RUNNING", "STOPPED"):
            arns += ecs.list_tasks(cluster=cluster, serviceName=service,
                                   desiredStatus=status)["taskArns"]
        if not arns:
            return []
        tasks = ecs.describe_tasks(cluster=cluster, tasks=arns[:100])["tasks"]
    return [_task_update(task) for task in tasks]


def _task_update(task: dict) -> TaskUpdate:
    containers = task.get("containers") or [{}]
    container = containers[0]
    return TaskUpdate(
        task_id=task["taskArn"].rsplit("/", 1)[-1],
        last_status=task.get("lastStatus", ""),
        desired_status=task.get("desiredStatus", ""),
        health=task.get("healthStatus", ""),
        stopped_reason=task.get("stoppedReason", ""),
        container_reason=container.get("reason", ""),
        exit_code=container.get("exitCode"),
    )


class TaskTracker:
    """Remembers what was reported, so only changes are reported again."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple] = {}

    def changes(self, updates: list[TaskUpdate]) -> list[TaskUpdate]:
        changed = []
        for update in updates:
            key = (update.last_status, update.health, update.stopped_reason)
            if self._seen.get(update.task_id) != key:
                self._seen[update.task_id] = key
                changed.append(update)
        return changed


def target_health(aws: AwsContext, target_group_arn: str) -> list[TargetHealth]:
    with aws_call("reading target health"):
        descriptions = aws.client("elbv2").describe_target_health(
            TargetGroupArn=target_group_arn)["TargetHealthDescriptions"]
    return [
        TargetHealth(
            target_id=d["Target"]["Id"], port=d["Target"].get("Port", 0),
            state=d["TargetHealth"]["State"], reason=d["TargetHealth"].get("Reason", ""),
            description=d["TargetHealth"].get("Description", ""),
        )
        for d in descriptions
    ]


def failure_diagnostics(
    aws: AwsContext, cluster: str | None, service: str | None, target_group_arn: str | None,
) -> list[str]:
    """Why tasks stopped and why targets are unhealthy, one line each, for a failed deploy."""
    lines: list[str] = []
    if cluster and service:
        for task in task_updates(aws, cluster, service):
            if task.last_status == "STOPPED" or task.stopped_reason:
                detail = task.stopped_reason or "stopped"
                if task.container_reason:
                    detail += f" ({task.container_reason})"
                if task.exit_code is not None:
                    detail += f", exit code {task.exit_code}"
                lines.append(f"  task {task.task_id} stopped: {detail}")
    if target_group_arn:
        for target in target_health(aws, target_group_arn):
            if target.state != "healthy":
                why = target.description or target.reason or target.state
                lines.append(f"  target {target.target_id}:{target.port} {target.state}: {why}")
    return lines
