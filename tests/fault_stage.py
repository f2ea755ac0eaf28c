"""The stage for fault injection: the emulator (moto's server, as `--local` runs it) behind the
fault proxy, fargo's CLI pointed at the proxy, and an inventory of what the emulator holds.

Retries wait nothing here (botocore's backoff is set to zero) and a call's read timeout is three
seconds (the emulator's slow calls, which create or delete whole stacks, get fifteen), so a
hang costs seconds, not minutes.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fault_proxy import Fault, FaultProxy
from typer.testing import CliRunner

REGION = "eu-west-1"
STACK = "l42-dev"
ACCOUNT = "123456789012"
# Twelve long tags push the service template past CloudFormation's 51,200-byte inline limit,
# so a deploy goes through fargo's template staging bucket (STS, S3) as well.
BIG_TAGS = ",".join(f"team{i}={'x' * 100}" for i in range(12))
# The emulator creates and deletes whole stacks inside these calls.
EMULATOR_SLOW_CALLS = {("cloudformation", "ExecuteChangeSet"), ("cloudformation", "DeleteStack"),
                       ("cloudformation", "CreateChangeSet")}


@dataclass
class Outcome:
    args: list[str]
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    exception: BaseException | None = None

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    @property
    def last_line(self) -> str:
        return self.lines[-1] if self.lines else ""

    def __str__(self) -> str:
        return (f"fargo {' '.join(self.args[:2])} -> exit {self.exit_code} in "
                f"{self.seconds:.1f} s\n--- stderr ---\n{self.stderr}\n--- stdout ---\n"
                f"{self.stdout[-2000:]}")


@dataclass
class Stage:
    emulator_url: str
    proxy: FaultProxy
    build_dir: Path
    runner: CliRunner = field(default_factory=CliRunner)

    def fargo(self, *args: str, fault: Fault | None = None) -> Outcome:
        """Run a fargo command against the proxy (with `fault` armed, or none)."""
        self.proxy.reset(*([fault] if fault else []))
        full = [*args, "--endpoint-url", self.proxy.url, "--region", REGION]
        from fargo.cli.app import app

        started = time.monotonic()
        result = self.runner.invoke(app, full)
        return Outcome(full, result.exit_code, result.stdout, result.stderr,
                       time.monotonic() - started, result.exception)

    def deploy_args(self, profile: str = "full") -> list[str]:
        if profile == "light":
            return ["deploy", "--yes"]
        return ["deploy", "--yes", "--build", str(self.build_dir), "--port", "8080",
                "--tags", BIG_TAGS]

    def inventory(self) -> dict[str, list[str]]:
        return inventory(self.emulator_url)


def reset_emulator() -> None:
    """Forget everything, and build EC2's region again now (its default VPC and catalogues
    take the better part of a second, which the first call must not spend on its timeout)."""
    from moto.core.base_backend import BackendDict
    from moto.ec2.models import ec2_backends

    BackendDict.reset()
    ec2_backends[ACCOUNT][REGION].describe_availability_zones()


@contextmanager
def fault_stage(build_dir: Path) -> Iterator[Stage]:
    """The emulator and the proxy, with instant retries and short timeouts."""
    import botocore.session
    from botocore.loaders import create_loader
    from botocore.retries.standard import ExponentialBackoff

    from fargo.emulator.server import LocalEmulator
    from fargo.engine import aws as aws_module

    (build_dir / "Dockerfile").write_text("FROM scratch\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
        # Each command builds new boto3 sessions; one loader for all of them reads botocore's
        # service models once per test module instead of once per command.
        patch.setattr(botocore.session, "create_loader", functools.cache(create_loader))
        if hasattr(aws_module, "CallLimits"):
            patch.setattr(aws_module, "DEFAULT_LIMITS", aws_module.CallLimits(
                connect_seconds=2.0, read_seconds=3.0, slow_read_seconds=15.0,
                slow_calls=frozenset(EMULATOR_SLOW_CALLS | aws_module.SLOW_CALLS)))
        with LocalEmulator() as emulator, FaultProxy(emulator.url) as proxy:
            yield Stage(emulator.url, proxy, build_dir)


# -- inventory ----------------------------------------------------------------------------


def inventory(url: str) -> dict[str, list[str]]:
    """What the emulator holds that a deploy could have made, by kind (empty lists: nothing).

    Read straight from the emulator, not through the proxy. CloudFormation is read from the
    backend itself, so a REVIEW_IN_PROGRESS holder and a change set nobody can list are seen.
    """
    import boto3
    from moto.cloudformation.models import cloudformation_backends

    session = boto3.Session(aws_access_key_id="inventory", aws_secret_access_key="inventory",
                            region_name=REGION)

    def client(service: str):
        return session.client(service, endpoint_url=url)

    backend = cloudformation_backends[ACCOUNT][REGION]
    found: dict[str, list[str]] = {
        "stacks": sorted(f"{s.name} ({s.status})" for s in backend.stacks.values()
                         if s.status != "DELETE_COMPLETE"),
        "change sets": sorted(f"{c.stack_name}/{c.change_set_name} ({c.execution_status})"
                              for c in backend.change_sets.values()
                              if c.execution_status != "EXECUTE_COMPLETE"),
        "S3 buckets": sorted(b["Name"] for b in client("s3").list_buckets()["Buckets"]),
        "ACM certificates": sorted(
            c["CertificateArn"] for c in client("acm").list_certificates(Includes={
                "keyTypes": ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1",
                             "EC_secp384r1", "EC_secp521r1"]})["CertificateSummaryList"]),
        "log groups": sorted(g["logGroupName"]
                             for g in client("logs").describe_log_groups()["logGroups"]),
        "ECR repositories": sorted(r["repositoryName"] for r in
                                   client("ecr").describe_repositories()["repositories"]),
        "VPCs": sorted(v["VpcId"] for v in client("ec2").describe_vpcs(Filters=[
            {"Name": "is-default", "Values": ["false"]}])["Vpcs"]),
        "load balancers": sorted(lb["LoadBalancerName"] for lb in
                                 client("elbv2").describe_load_balancers()["LoadBalancers"]),
        "ECS clusters": active_clusters(client("ecs")),
    }
    return {kind: items for kind, items in found.items() if items}


def active_clusters(ecs) -> list[str]:
    """Clusters not yet deleted (ECS lists a deleted cluster as INACTIVE for a while)."""
    arns = ecs.list_clusters()["clusterArns"]
    clusters = ecs.describe_clusters(clusters=arns)["clusters"] if arns else []
    return sorted(c["clusterName"] for c in clusters if c.get("status") == "ACTIVE")


def without_registry(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """The inventory without a complete registry stack and its repository: a deploy made
    them before its service stack failed, and they belong to the service's life."""
    rest = {kind: list(items) for kind, items in found.items()}
    registry = [s for s in rest.get("stacks", [])
                if s.startswith(f"{STACK}-registry (") and s.endswith("_COMPLETE)")]
    if registry:
        rest["stacks"] = [s for s in rest["stacks"] if s not in registry]
        rest.pop("ECR repositories", None)
    return {kind: items for kind, items in rest.items() if items}


# -- scenarios ----------------------------------------------------------------------------

# What each fault class must end with. error500, garbage and hang break the call on every
# attempt: the command fails with one line (exit 1), unless fargo can do without that call.
# lost500 (the call went through, its answer was lost) and throttle (twice, then answered)
# are transient: botocore retries them and the command must succeed. interrupt is Ctrl-C.
EXIT_CODES = {"error500": {0, 1}, "garbage": {0, 1}, "hang": {0, 1}, "lost500": {0},
              "throttle": {0}, "interrupt": {130}}
ATTEMPTS = {"error500": None, "garbage": None, "hang": None, "lost500": 1, "throttle": 2,
            "interrupt": 1}
COMMANDS = ("create", "update", "destroy")


def fault(kind: str, call: str) -> Fault:
    """`call` as 'service:Operation#occurrence'."""
    where, _, occurrence = call.partition("#")
    service, _, operation = where.partition(":")
    return Fault(kind, service, operation, int(occurrence or 1), ATTEMPTS[kind])


@dataclass
class Report:
    """What one scenario saw, for the assertion message."""

    steps: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> Outcome:
        self.steps.append(outcome)
        return outcome

    def __str__(self) -> str:
        return "\n\n".join(str(step) for step in self.steps)


def run_scenario(stage: Stage, command: str, injected: Fault, profile: str = "full") -> Report:
    """Set up, run `command` with the fault, check its end, run it again without, destroy,
    and check that the emulator holds nothing. `profile` is what create deploys (and
    destroy takes down): "full" (a build, a template through S3) or "light" (the defaults);
    an update always changes a light deploy."""
    reset_emulator()
    report = Report()
    if command == "update":
        setup = report.add(stage.fargo(*stage.deploy_args("light")))
        assert setup.exit_code == 0, report
        args = [*stage.deploy_args("light"), "--max-count", "3"]
    elif command == "destroy":
        setup = report.add(stage.fargo(*stage.deploy_args(profile)))
        assert setup.exit_code == 0, report
        args = ["destroy", "--yes"]
    else:
        args = stage.deploy_args(profile)

    faulted = report.add(stage.fargo(*args, fault=injected))
    assert injected.hits, f"the fault never fired: {injected}\n{report}"
    check_end(faulted, injected.kind, report)
    if command == "create" and faulted.exit_code != 0:
        check_abandoned_create(stage, report)

    again = report.add(stage.fargo(*args))
    assert again.exit_code == 0, f"the run after {injected} did not complete\n{report}"
    if command != "destroy":
        final = report.add(stage.fargo("destroy", "--yes"))
        assert final.exit_code == 0, report
    assert f"nothing of {STACK} is left" in report.steps[-1].stderr, report
    left = stage.inventory()
    assert left == {}, f"left after the final destroy: {left}\n{report}"
    return report


def check_end(outcome: Outcome, kind: str, report: Report) -> None:
    """The right exit code and one clear final line; never a traceback."""
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), (
        f"{outcome.exception!r} escaped\n{report}")
    assert "Traceback" not in outcome.stderr + outcome.stdout, report
    assert "error: unexpected" not in outcome.stderr, report
    assert outcome.exit_code in EXIT_CODES[kind], f"{kind}: exit {outcome.exit_code}\n{report}"
    if outcome.exit_code == 1:  # an error, or a destroy that names what is still there
        assert outcome.last_line.startswith(("error:", "destroy did not finish")), report
    if outcome.exit_code == 130:
        assert outcome.last_line.startswith("interrupted"), report


def check_abandoned_create(stage: Stage, report: Report) -> None:
    """A first create that failed or was interrupted before the stack got resources leaves
    nothing of it: no holder stack, no change set, no certificate, no staged template."""
    found = stage.inventory()
    stacks = found.get("stacks", [])
    if any(s.startswith(f"{STACK} (") and "REVIEW_IN_PROGRESS" not in s for s in stacks):
        return  # the stack got resources: what is left is the stack's, for destroy
    left = without_registry(found)
    assert left == {}, f"an abandoned first create left {left}\n{report}"
