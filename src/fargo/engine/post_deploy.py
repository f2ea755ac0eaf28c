"""After a deploy: buckets an update dropped, and the health check the stack asks for."""

from __future__ import annotations

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.buckets import delete_bucket
from fargo.engine.health import (
    CheckResult,
    certificate_domain,
    request_health,
    wait_for_healthy_targets,
)
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import DeployableStack


def retained_buckets(aws: AwsContext, state: cfn.StackState | None) -> dict[str, str]:
    if state is None or not state.has_resources:
        return {}
    return {k: v["physical_id"] for k, v in cfn.stack_resources(aws, state.stack_id).items()
            if v["type"] == "AWS::S3::Bucket" and v["physical_id"]}


def remove_dropped_buckets(aws: AwsContext, before: dict[str, str], now: dict[str, dict],
                           reporter: Reporter) -> None:
    """A retained bucket the update removed or replaced stays behind in S3: delete it."""
    for logical_id, bucket in sorted(before.items()):
        if now.get(logical_id, {}).get("physical_id") != bucket:
            if delete_bucket(aws, bucket, reporter):
                reporter.note(f"deleted the bucket {bucket} that {logical_id} no longer uses")


def checks(aws: AwsContext, stack: DeployableStack, outputs: dict[str, str],
           reporter: Reporter, timing: Timing) -> list[CheckResult]:
    """Targets healthy, then the health path through the load balancer (as `stack.health`
    says); skipped on an emulator, which runs no containers."""
    health = stack.health
    if health is None:
        return []
    if aws.emulated:
        why = "the local emulator runs no containers"
        return [CheckResult("targets", "skipped", why), CheckResult("health", "skipped", why)]
    target_group = outputs.get(health.target_group_output) if health.target_group_output else None
    address = outputs.get(health.address_output) if health.address_output else None
    results = []
    if target_group:
        reporter.step("waiting for healthy targets")
        results.append(wait_for_healthy_targets(aws, target_group, timing.health_timeout_seconds,
                                                timing.poll_seconds))
    if not address:
        why = (f"the stack has no {health.address_output} output" if health.address_output
               else "the service is routed by path: only its targets are checked")
        results.append(CheckResult("health", "skipped", why))
        return results
    server_name, verify = health.server_name, health.verify_tls
    certificate = (stack.parameters(creates=True).get(health.certificate_parameter)
                   if health.certificate_parameter else None)
    if health.https and server_name is None and certificate and verify:
        server_name = certificate_domain(aws, certificate)
    if health.https and not verify:
        reporter.warn("the certificate is self-signed: the health request does not verify TLS")
    reporter.step(f"requesting {health.path}")
    results.append(request_health(address, health.path, health.https, server_name, verify))
    return results
