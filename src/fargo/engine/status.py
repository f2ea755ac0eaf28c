"""What is deployed and how it is doing: stack, service, rollouts, targets, scaling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.locate import locate
from fargo.engine.protocol import LocatedStack
from fargo.engine.service_watch import TargetHealth, target_health


@dataclass(frozen=True)
class Rollout:
    deployment_id: str
    status: str
    rollout_state: str
    reason: str
    task_definition: str
    desired: int
    running: int
    pending: int
    failed: int


@dataclass
class ServiceStatus:
    stack_name: str
    region: str
    stack: cfn.StackState | None = None
    desired: int | None = None
    running: int | None = None
    pending: int | None = None
    rollouts: list[Rollout] = field(default_factory=list)
    events: list[tuple[datetime, str]] = field(default_factory=list)
    targets: list[TargetHealth] = field(default_factory=list)
    scaling: dict | None = None
    notes: list[str] = field(default_factory=list)
    url_outputs: tuple[str, ...] = ()  # where the stack says its URL is, first present wins

    @property
    def url(self) -> str | None:
        if not self.stack:
            return None
        outputs = self.stack.outputs
        return next((outputs[name] for name in self.url_outputs if outputs.get(name)), None)


def gather_status(aws: AwsContext, stack: LocatedStack, event_count: int = 5) -> ServiceStatus:
    watched = stack.watched
    status = ServiceStatus(stack.stack_name, aws.region, cfn.describe_stack(aws, stack.stack_name),
                           url_outputs=watched.url_outputs)
    if status.stack is None or not status.stack.has_resources:
        return status
    where = locate(cfn.stack_resources(aws, status.stack.stack_id), watched)
    if where.found:
        _read_service(aws, status, where.cluster, where.service, event_count)
        _read_scaling(aws, status, where.cluster, where.service)
    if watched.target_group_resource is None:
        return status
    if aws.emulated:
        status.notes.append("target health skipped: the local emulator runs no containers")
    elif where.target_group:
        status.targets = target_health(aws, where.target_group)
    return status


def _read_service(aws, status: ServiceStatus, cluster: str, service: str, event_count: int):
    with aws_call(f"describing service {service}"):
        found = aws.client("ecs").describe_services(cluster=cluster, services=[service])["services"]
    if not found:
        status.notes.append(f"service {service} not found in cluster {cluster}")
        return
    svc = found[0]
    status.desired, status.running = svc.get("desiredCount"), svc.get("runningCount")
    status.pending = svc.get("pendingCount")
    status.rollouts = [
        Rollout(
            deployment_id=d.get("id", ""), status=d.get("status", ""),
            rollout_state=d.get("rolloutState", ""), reason=d.get("rolloutStateReason", ""),
            task_definition=d.get("taskDefinition", "").rsplit("/", 1)[-1],
            desired=d.get("desiredCount", 0), running=d.get("runningCount", 0),
            pending=d.get("pendingCount", 0), failed=d.get("failedTasks", 0),
        )
        for d in svc.get("deployments", [])
    ]
    status.events = [(e["createdAt"], e["message"]) for e in svc.get("events", [])[:event_count]]


def _read_scaling(aws, status: ServiceStatus, cluster: str, service: str) -> None:
    resource_id = f"service/{cluster.rsplit('/', 1)[-1]}/{service.rsplit('/', 1)[-1]}"
    scaling = aws.client("application-autoscaling")
    with aws_call("reading autoscaling"):
        targets = scaling.describe_scalable_targets(
            ServiceNamespace="ecs", ResourceIds=[resource_id])["ScalableTargets"]
        if not targets:
            return
        policies = scaling.describe_scaling_policies(
            ServiceNamespace="ecs", ResourceId=resource_id)["ScalingPolicies"]
        actions = scaling.describe_scheduled_actions(
            ServiceNamespace="ecs", ResourceId=resource_id)["ScheduledActions"]
    status.scaling = {
        "min": targets[0]["MinCapacity"], "max": targets[0]["MaxCapacity"],
        "policies": [p["PolicyName"] for p in policies],
        "schedules": [a["Schedule"] for a in actions],
    }


def deployed_image(aws: AwsContext, stack: LocatedStack) -> str | None:
    """The image the service's task definition runs now, or None when nothing is deployed."""
    state = cfn.describe_stack(aws, stack.stack_name)
    if state is None or not state.has_resources:
        return None
    definition = locate(cfn.stack_resources(aws, state.stack_id), stack.watched).task_definition
    if not definition:
        return None
    with aws_call("reading the task definition"):
        described = aws.client("ecs").describe_task_definition(taskDefinition=definition)
    containers = described["taskDefinition"].get("containerDefinitions", [])
    return containers[0].get("image") if containers else None
