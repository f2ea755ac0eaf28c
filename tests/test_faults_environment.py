"""Faults at every AWS call of an environment file's commands: `fargo deploy web` (a service
of a deployed environment, with the host checked against the environment's certificate) and
`fargo env destroy --all`, through the same loopback fault proxy as tests/test_faults.py.
After each: the right exit code and one clear final line, never a traceback; the command run
again without the fault completes; and after `fargo env destroy --all` the emulator holds
nothing.

CI runs the sample below; the whole matrix (every call x every class, about 350 runs) runs by
hand: `pytest -m faults_full -p no:randomly tests/test_faults_environment.py`.
"""

from __future__ import annotations

import pytest
from fault_proxy import KINDS
from fault_stage import REGION, Report, check_end, fault, fault_stage, reset_emulator
from template_assertions import TWO_SERVICES_FILE

APP_FILE = TWO_SERVICES_FILE
ENVIRONMENT = "shop-dev-env"

# The AWS calls of a clean run of each command, in order (test_the_calls_are_these keeps
# them true). service: `fargo deploy web` once the environment is deployed; destroy:
# `fargo env destroy --all` of the environment and web.
CALLS = {
    "service": [
        "ec2:DescribeAvailabilityZones#1", "cloudformation:DescribeStacks#1",
        # the host against the environment's certificate
        "ssm:GetParameter#1", "elasticloadbalancing:DescribeListenerCertificates#1",
        "acm:DescribeCertificate#1",
        "cloudformation:DescribeStacks#2", "cloudformation:CreateChangeSet#1",
        "cloudformation:DescribeChangeSet#1",
        "ssm:GetParameter#2",  # the settings diff, shown before the change set
        "cloudformation:DescribeStackEvents#1",
        "cloudformation:ExecuteChangeSet#1", "cloudformation:DescribeStacks#3",
        "cloudformation:DescribeStacks#4", "cloudformation:DescribeStackEvents#2",
        "cloudformation:ListStackResources#1",
    ],
    "destroy": [
        "cloudformation:DescribeStacks#1", "cloudformation:DescribeStacks#2",
        "cloudformation:ListStackResources#1", "cloudformation:DescribeStackEvents#1",
        "cloudformation:DeleteStack#1", "cloudformation:DescribeStacks#3",
        "cloudformation:DescribeStackEvents#2", "tagging:GetResources#1",
        "tagging:GetResources#2", "logs:DeleteLogGroup#1", "sts:GetCallerIdentity#1",
        "s3:ListObjectsV2#1", "cloudformation:DescribeStacks#4", "tagging:GetResources#3",
        "tagging:GetResources#4", "logs:DescribeLogGroups#1", "cloudformation:DescribeStacks#5",
        "cloudformation:DescribeStacks#6", "cloudformation:ListStackResources#2",
        "acm:DescribeCertificate#1", "cloudformation:DescribeStacks#7",
        "cloudformation:ListStackResources#3", "cloudformation:DescribeStackEvents#3",
        "cloudformation:DeleteStack#2", "cloudformation:DescribeStacks#8",
        "cloudformation:DescribeStackEvents#4", "tagging:GetResources#5",
        "tagging:GetResources#6", "s3:ListObjectVersions#1", "s3:DeleteBucket#1",
        "logs:DeleteLogGroup#2", "logs:DeleteLogGroup#3", "sts:GetCallerIdentity#2",
        "s3:ListObjectsV2#2", "cloudformation:DescribeStacks#9", "tagging:GetResources#7",
        "tagging:GetResources#8", "s3:HeadBucket#1", "logs:DescribeLogGroups#2",
        "logs:DescribeLogGroups#3", "ecs:DescribeClusters#1", "acm:ListCertificates#1",
    ],
}

# CI's sample: the calls the environment's commands make that a single service's do not
# (the host check), and the two stack deletions of `env destroy --all`.
SAMPLED = [
    ("service", "error500", "ssm:GetParameter#1"),
    ("service", "garbage", "elasticloadbalancing:DescribeListenerCertificates#1"),
    ("service", "throttle", "acm:DescribeCertificate#1"),
    ("service", "hang", "acm:DescribeCertificate#1"),
    ("service", "garbage", "ssm:GetParameter#2"),  # the settings diff's read
    ("service", "interrupt", "cloudformation:DescribeChangeSet#1"),
    ("service", "lost500", "cloudformation:ExecuteChangeSet#1"),
    ("destroy", "error500", "cloudformation:DeleteStack#2"),
    ("destroy", "interrupt", "cloudformation:DeleteStack#1"),
]


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    with fault_stage(tmp_path_factory.mktemp("build")) as running:
        yield running


@pytest.fixture
def app_file(tmp_path) -> str:
    path = tmp_path / "fargo.toml"
    path.write_text(APP_FILE)
    return str(path)


def fresh_emulator(stage) -> None:
    """Nothing deployed, and the hosted zone the file names (read straight, not proxied)."""
    import boto3

    from fargo.emulator.server import ensure_hosted_zone

    reset_emulator()
    ensure_hosted_zone(boto3.client("route53", endpoint_url=stage.emulator_url,
                                    region_name=REGION, aws_access_key_id="x",
                                    aws_secret_access_key="x"), "example.com")


def run_environment_scenario(stage, app_file: str, command: str, injected) -> Report:
    """Deploy the environment (and, for destroy, web), run `command` with the fault, check
    its end, run it again without, destroy everything, and check nothing is left."""
    fresh_emulator(stage)
    report = Report()
    setup = report.add(stage.fargo("env", "deploy", "-c", app_file, "--yes"))
    assert setup.exit_code == 0, report
    service = ["deploy", "web", "-c", app_file, "--yes"]
    destroy = ["env", "destroy", "--all", "-c", app_file, "--yes"]
    if command == "destroy":
        assert report.add(stage.fargo(*service)).exit_code == 0, report
    args = service if command == "service" else destroy

    faulted = report.add(stage.fargo(*args, fault=injected))
    assert injected.hits, f"the fault never fired: {injected}\n{report}"
    check_end(faulted, injected.kind, report)
    again = report.add(stage.fargo(*args))
    assert again.exit_code == 0, f"the run after {injected} did not complete\n{report}"
    if command == "service":
        final = report.add(stage.fargo(*destroy))
        assert final.exit_code == 0, report
    assert f"nothing of {ENVIRONMENT} is left" in report.steps[-1].stderr, report
    left = stage.inventory()
    assert left == {}, f"left after the final destroy: {left}\n{report}"
    return report


def test_the_calls_are_these(stage, app_file):
    fresh_emulator(stage)
    assert stage.fargo("env", "deploy", "-c", app_file, "--yes").exit_code == 0
    deployed = stage.fargo("deploy", "web", "-c", app_file, "--yes")
    assert deployed.exit_code == 0, deployed
    assert [str(c) for c in stage.proxy.calls] == CALLS["service"]
    destroyed = stage.fargo("env", "destroy", "--all", "-c", app_file, "--yes")
    assert destroyed.exit_code == 0, destroyed
    assert [str(c) for c in stage.proxy.calls] == CALLS["destroy"]
    assert stage.inventory() == {}


@pytest.mark.parametrize(("command", "kind", "call"), SAMPLED,
                         ids=[f"{c}-{k}-{call}" for c, k, call in SAMPLED])
def test_a_fault_ends_in_one_line_and_the_next_run_leaves_nothing(stage, app_file, command,
                                                                  kind, call):
    run_environment_scenario(stage, app_file, command, fault(kind, call))


def matrix() -> list:
    return [pytest.param(command, kind, call, id=f"{command}-{kind}-{call}")
            for command, calls in CALLS.items() for call in calls for kind in KINDS
            if not (kind == "garbage" and ":Head" in call)]


@pytest.mark.faults_full
@pytest.mark.parametrize(("command", "kind", "call"), matrix())
def test_every_fault_at_every_call(stage, app_file, command, kind, call):
    run_environment_scenario(stage, app_file, command, fault(kind, call))
