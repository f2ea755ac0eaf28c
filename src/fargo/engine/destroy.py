"""Take a service down: the stack, then what the stack keeps on purpose or AWS made outside it.

The access-log bucket is retained by the stack (the load balancer writes into it until it is
gone), and Container Insights creates its log group outside CloudFormation. Both are removed
after the stack; whatever still exists afterwards is reported by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo import contract
from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext, aws_call, error_code
from fargo.engine.progress import Reporter, Timing
from fargo.errors import AwsError


@dataclass
class DestroyResult:
    stack_name: str
    stack_existed: bool
    removed: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # left on purpose, with the reason


@dataclass
class Leftovers:
    """Things that outlive the stack, by name."""

    buckets: set[str] = field(default_factory=set)
    log_groups: set[str] = field(default_factory=set)
    clusters: set[str] = field(default_factory=set)


def destroy(aws: AwsContext, stack_name: str, reporter: Reporter,
            timing: Timing = Timing()) -> DestroyResult:
    state = cfn.describe_stack(aws, stack_name)
    result = DestroyResult(stack_name, stack_existed=state is not None)
    leftovers = Leftovers(log_groups={f"/fargate/service/{stack_name}"})
    if state is not None:
        if state.in_progress and state.status != "DELETE_IN_PROGRESS":
            raise AwsError(
                f"error: stack {stack_name} is {state.status}: another operation is running; "
                "nothing was deleted: wait for it (`fargo status`) and run destroy again"
            )
        _remember_leftovers(aws, state, leftovers)
        reporter.step(f"deleting stack {stack_name}")
        marker = _newest_event(aws, state.stack_id)
        if state.status != "DELETE_IN_PROGRESS":
            cfn.delete_stack(aws, state)
        final, history = cfn.wait_for_stack(aws, state.stack_id, marker, reporter.stack_progress,
                                            timing.poll_seconds, timing.stack_timeout_seconds)
        if final is not None:
            root = cfn.first_failure(history)
            cause = f"{root.logical_id}: {root.reason}" if root else final.reason
            raise AwsError(f"error: deleting stack {stack_name} ended {final.status}: {cause}: "
                           "remove the blocking resource and run destroy again")
        result.removed.append(f"stack {stack_name}")
    else:
        reporter.note(f"stack {stack_name} does not exist in {aws.region}: looking for leftovers")
        _find_orphans(aws, stack_name, leftovers)
    for bucket in sorted(leftovers.buckets):
        if _delete_bucket(aws, bucket, reporter):
            result.removed.append(f"S3 bucket {bucket}")
    for group in sorted(leftovers.log_groups):
        if _delete_log_group(aws, group):
            result.removed.append(f"log group {group}")
    result.left = _still_there(aws, leftovers)
    return result


def _newest_event(aws: AwsContext, stack_id: str) -> str | None:
    with aws_call("reading stack events"):
        cloudformation = aws.client("cloudformation")
        events = cloudformation.describe_stack_events(StackName=stack_id)["StackEvents"]
    return events[0]["EventId"] if events else None


def _remember_leftovers(aws: AwsContext, state: cfn.StackState, leftovers: Leftovers) -> None:
    resources = cfn.stack_resources(aws, state.stack_id) if state.has_resources else {}
    for logical_id, resource in resources.items():
        if resource["type"] == "AWS::S3::Bucket" and resource["physical_id"]:
            leftovers.buckets.add(resource["physical_id"])
        if logical_id == contract.CLUSTER_RESOURCE and resource["physical_id"]:
            cluster = resource["physical_id"].rsplit("/", 1)[-1]
            leftovers.clusters.add(cluster)
            leftovers.log_groups.add(f"/aws/ecs/containerinsights/{cluster}/performance")
        if resource["type"] == "AWS::Logs::LogGroup" and resource["physical_id"]:
            leftovers.log_groups.add(resource["physical_id"])


def _find_orphans(aws: AwsContext, stack_name: str, leftovers: Leftovers) -> None:
    """After the stack is gone, find what it retained by the names fargo gives them."""
    s3 = aws.client("s3")
    with aws_call("listing S3 buckets"):
        buckets = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    for bucket in buckets:
        if bucket.startswith(stack_name.lower() + "-accesslogbucket"):
            leftovers.buckets.add(bucket)
    logs = aws.client("logs")
    with aws_call("listing log groups"):
        pages = logs.get_paginator("describe_log_groups").paginate(
            logGroupNamePrefix=f"/aws/ecs/containerinsights/{stack_name}-Cluster-")
        for page in pages:
            leftovers.log_groups.update(g["logGroupName"] for g in page["logGroups"])


def _delete_bucket(aws: AwsContext, bucket: str, reporter: Reporter) -> bool:
    s3 = aws.client("s3")
    from botocore.exceptions import ClientError

    try:
        paginator = s3.get_paginator("list_object_versions")
        count = 0
        for page in paginator.paginate(Bucket=bucket):
            objects = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                       for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
                count += len(objects)
        s3.delete_bucket(Bucket=bucket)
    except ClientError as error:
        if error_code(error) == "NoSuchBucket":
            return False
        reporter.warn(f"could not delete bucket {bucket}: {error}")
        return False
    if count:
        reporter.note(f"emptied {bucket} ({count} object(s))")
    return True


def _delete_log_group(aws: AwsContext, name: str) -> bool:
    from botocore.exceptions import ClientError

    try:
        aws.client("logs").delete_log_group(logGroupName=name)
        return True
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return False
        raise AwsError(f"error: deleting log group {name} failed: {error}") from None


def _still_there(aws: AwsContext, leftovers: Leftovers) -> list[str]:
    """Everything fargo knows of that still exists, by name."""
    from botocore.exceptions import ClientError

    left = []
    s3 = aws.client("s3")
    for bucket in sorted(leftovers.buckets):
        try:
            s3.head_bucket(Bucket=bucket)
            left.append(f"S3 bucket {bucket}")
        except ClientError:
            pass
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
