"""Take a stack down: the stack, then what the stack keeps on purpose or AWS made outside it.

The access-log bucket is retained by the stack (the load balancer writes into it until it is
gone), and Container Insights creates its log group outside CloudFormation. Both are removed
after the stack. Every step runs even when an earlier one failed; whatever still exists
afterwards is reported by name, and a failure makes the result incomplete (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, aws_failures, error_code, failed_call, translate
from fargo.engine.buckets import delete_bucket, stack_buckets
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import LocatedStack
from fargo.engine.template_store import remove_stack_templates
from fargo.errors import AwsError, FargoError


@dataclass
class DestroyResult:
    stack_name: str
    stack_existed: bool
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # left on purpose, with the reason
    failed: list[str] = field(default_factory=list)  # steps that failed: one line each
    stack_gone: bool = False  # the stack no longer exists (its deletion succeeded, or none)

    @property
    def complete(self) -> bool:
        """Nothing failed and nothing that should be gone is left."""
        return not self.left and not self.failed

    def merge(self, other: DestroyResult) -> None:
        self.removed += other.removed
        self.left += other.left
        self.kept += other.kept
        self.failed += other.failed

    def attempt(self, step, *args, **kwargs):
        """Run one step; a failure is recorded (its lines) and the next step still runs."""
        try:
            return step(*args, **kwargs)
        except FargoError as error:
            self.failed += error.problems or [str(error)]
        except Exception as error:
            if not isinstance(error, aws_failures()):
                raise
            self.failed += translate(error, failed_call(error)).problems
        return None


@dataclass
class Leftovers:
    """Things that outlive the stack, by name."""

    buckets: set[str] = field(default_factory=set)
    log_groups: set[str] = field(default_factory=set)
    clusters: set[str] = field(default_factory=set)


def destroy(aws: AwsContext, stack: LocatedStack, reporter: Reporter,
            timing: Timing = Timing()) -> DestroyResult:
    """Delete the stack, then what its `teardown` names and what it retained or AWS made
    for it (buckets by tag, its log groups, its cluster's Container Insights logs)."""
    stack_name, cluster_resource = stack.stack_name, stack.watched.cluster_resource
    state = cfn.describe_stack(aws, stack_name)
    result = DestroyResult(stack_name, stack_existed=state is not None)
    leftovers = Leftovers(log_groups=set(stack.teardown.log_groups))
    if state is not None:
        if state.in_progress and state.status != "DELETE_IN_PROGRESS":
            raise AwsError(
                f"error: stack {stack_name} is {state.status}: another operation is running; "
                "nothing was deleted: wait for it (`fargo status`) and run destroy again"
            )
        result.attempt(_remember_leftovers, aws, state, cluster_resource, leftovers)
        result.stack_gone = bool(result.attempt(_delete_stack, aws, state, reporter, timing,
                                                result))
    else:
        result.stack_gone = True
        reporter.note(f"stack {stack_name} does not exist in {aws.region}: looking for leftovers")
        if cluster_resource:
            result.attempt(_find_orphans, aws, f"{stack_name}-{cluster_resource}-", leftovers)
    if result.stack_gone:
        # Only once the stack is gone: its load balancer writes into the bucket, its cluster
        # into the Insights log group, and its own log groups are its to delete (removed
        # behind its back, a retried deletion would fail on them).
        found = result.attempt(stack_buckets, aws, stack_name)
        leftovers.buckets |= found or set()
        for bucket in sorted(leftovers.buckets):
            if result.attempt(delete_bucket, aws, bucket, reporter):
                result.removed.append(f"S3 bucket {bucket}")
        for group in sorted(leftovers.log_groups):
            if result.attempt(_delete_log_group, aws, group):
                result.removed.append(f"log group {group}")
    result.removed += result.attempt(remove_stack_templates, aws, stack_name) or []
    result.left = result.attempt(_still_there, aws, stack_name, leftovers) or []
    return result


def _delete_stack(aws: AwsContext, state: cfn.StackState, reporter: Reporter, timing: Timing,
                  result: DestroyResult) -> bool:
    """Delete the stack and follow it to its end: True once it is gone."""
    reporter.step(f"deleting stack {state.name}")
    marker = _newest_event(aws, state.stack_id)
    if state.status != "DELETE_IN_PROGRESS":
        cfn.delete_stack(aws, state)
    final, history = cfn.wait_for_stack(aws, state.stack_id, marker, reporter.stack_progress,
                                        timing.poll_seconds, timing.stack_timeout_seconds)
    if final is not None:
        root = cfn.first_failure(history)
        cause = f"{root.logical_id}: {root.reason}" if root else final.reason
        raise AwsError(f"error: deleting stack {state.name} ended {final.status}: {cause}: "
                       "remove the blocking resource and run destroy again")
    result.removed.append(f"stack {state.name}")
    return True


def _newest_event(aws: AwsContext, stack_id: str) -> str | None:
    """The newest event's ID, so only the deletion's events are shown; None (all shown) if
    the events cannot be read: that is no reason not to delete."""
    try:
        cloudformation = aws.client("cloudformation")
        events = cloudformation.describe_stack_events(StackName=stack_id)["StackEvents"]
    except aws_failures():
        return None
    return events[0]["EventId"] if events else None


def _remember_leftovers(aws: AwsContext, state: cfn.StackState, cluster_resource: str | None,
                        leftovers: Leftovers) -> None:
    resources = cfn.stack_resources(aws, state.stack_id) if state.has_resources else {}
    for logical_id, resource in resources.items():
        if resource["type"] == "AWS::S3::Bucket" and resource["physical_id"]:
            leftovers.buckets.add(resource["physical_id"])
        if logical_id == cluster_resource and resource["physical_id"]:
            cluster = resource["physical_id"].rsplit("/", 1)[-1]
            leftovers.clusters.add(cluster)
            leftovers.log_groups.add(f"/aws/ecs/containerinsights/{cluster}/performance")
        if resource["type"] == "AWS::Logs::LogGroup" and resource["physical_id"]:
            leftovers.log_groups.add(resource["physical_id"])


def _find_orphans(aws: AwsContext, cluster_prefix: str, leftovers: Leftovers) -> None:
    """After the stack is gone, find its cluster's Insights logs: CloudFormation named the
    cluster STACK-LOGICALID-random, and Container Insights names its group after it."""
    logs = aws.client("logs")
    with aws_call("listing log groups"):
        pages = logs.get_paginator("describe_log_groups").paginate(
            logGroupNamePrefix=f"/aws/ecs/containerinsights/{cluster_prefix}")
        for page in pages:
            leftovers.log_groups.update(g["logGroupName"] for g in page["logGroups"])


def _delete_log_group(aws: AwsContext, name: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        aws.client("logs").delete_log_group(logGroupName=name)
        return True
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return False
        raise AwsError(f"error: deleting log group {name} failed: {error}") from None


def _still_there(aws: AwsContext, stack_name: str, leftovers: Leftovers) -> list[str]:
    """Everything of the stack fargo can find that still exists, by name."""
    from botocore.exceptions import ClientError

    left = []
    state = cfn.describe_stack(aws, stack_name)
    if state is not None:
        left.append(f"stack {stack_name} ({state.status})")
    s3 = aws.client("s3")
    for bucket in sorted(leftovers.buckets | stack_buckets(aws, stack_name)):
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError as error:
            if error_code(error) in ("404", "NoSuchBucket", "NotFound"):
                continue  # gone; any other answer is no proof of that
            if error_code(error) not in ("403", "AccessDenied"):
                raise translate(error, f"checking that S3 bucket {bucket} is gone") from None
        left.append(f"S3 bucket {bucket}")
    logs = aws.client("logs")
    for group in sorted(leftovers.log_groups):
        with aws_call("listing log groups"):
            found = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
        if any(g["logGroupName"] == group for g in found):
            left.append(f"log group {group}")
    if leftovers.clusters:
        with aws_call("describing ECS clusters"):
            clusters = aws.client("ecs").describe_clusters(
                clusters=sorted(leftovers.clusters))["clusters"]
        left += [f"ECS cluster {c['clusterName']}" for c in clusters if c.get("status") == "ACTIVE"]
    return left
