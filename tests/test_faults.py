"""Faults at every AWS call of `deploy` and `destroy`: a 500, a 500 after the call went
through, throttling, a garbage answer, a hang and Ctrl-C, injected by a loopback proxy in
front of the emulator (tests/fault_proxy.py). After each: the right exit code and one clear
final line, never a traceback; a second run without the fault completes; and after the final
destroy the emulator holds nothing (stacks, change sets, buckets, certificates, log groups,
repositories, VPCs, load balancers, clusters).

CI runs one fault per class per command, at the calls where each class hurt most. The whole
matrix (every call of each command's clean run x every class, about 600 runs, an hour on two
cores) runs by hand: `pytest -m faults_full -p no:randomly tests/test_faults.py`.
"""

from __future__ import annotations

import pytest
from fault_proxy import KINDS
from fault_stage import (
    COMMANDS,
    STACK,
    fault,
    fault_stage,
    reset_emulator,
    run_scenario,
)

# The AWS calls of a clean run of each command, in order (`service:Operation#nth`; a retry
# is the same call). create: a first deploy with a build (registry stack) and a template
# large enough to go through the staging bucket; update: a later deploy that changes the
# scaling; destroy: of what create made. test_the_matrix_covers_every_call_* keep them true.
CALLS = {
    "create": [
        "ec2:DescribeAvailabilityZones#1", "cloudformation:DescribeStacks#1",
        "cloudformation:CreateChangeSet#1", "cloudformation:DescribeChangeSet#1",
        "cloudformation:DescribeStackEvents#1", "cloudformation:ExecuteChangeSet#1",
        "cloudformation:DescribeStacks#2", "cloudformation:DescribeStacks#3",
        "cloudformation:DescribeStackEvents#2", "cloudformation:ListStackResources#1",
        "acm:ListCertificates#1", "acm:ImportCertificate#1", "ec2:DescribeManagedPrefixLists#1",
        "cloudformation:DescribeStacks#4", "sts:GetCallerIdentity#1", "s3:HeadBucket#1",
        "s3:CreateBucket#1", "s3:PutPublicAccessBlock#1", "s3:PutBucketEncryption#1",
        "s3:PutBucketLifecycle#1", "s3:PutBucketPolicy#1", "s3:PutBucketTagging#1",
        "s3:PutObject#1", "cloudformation:CreateChangeSet#2", "cloudformation:DescribeChangeSet#2",
        "ssm:GetParameter#1",  # the settings diff, shown before the service's change set
        "cloudformation:DescribeStackEvents#3", "cloudformation:ExecuteChangeSet#2",
        "cloudformation:DescribeStacks#5", "cloudformation:DescribeStacks#6",
        "cloudformation:DescribeStackEvents#4", "cloudformation:ListStackResources#2",
    ],
    "update": [
        "ec2:DescribeAvailabilityZones#1", "acm:ListCertificates#1",
        "acm:ListTagsForCertificate#1", "acm:DescribeCertificate#1",
        "ec2:DescribeManagedPrefixLists#1", "cloudformation:DescribeStacks#1",
        "cloudformation:CreateChangeSet#1", "cloudformation:DescribeChangeSet#1",
        "cloudformation:DeleteChangeSet#1", "cloudformation:CreateChangeSet#2",
        "cloudformation:DescribeChangeSet#2",
        # shown before the change set: the settings diff, then the cost delta
        "ssm:GetParameter#1", "cloudformation:GetTemplate#1",
        "cloudformation:DescribeStackEvents#1",
        "cloudformation:ListStackResources#1", "cloudformation:ExecuteChangeSet#1",
        "cloudformation:DescribeStacks#2", "cloudformation:DescribeStacks#3",
        "cloudformation:DescribeStackEvents#2", "cloudformation:ListStackResources#2",
    ],
    "destroy": [
        "cloudformation:DescribeStacks#1", "ecr:DescribeImages#1",
        "cloudformation:DescribeStacks#2", "cloudformation:ListStackResources#1",
        "cloudformation:DescribeStacks#3", "cloudformation:ListStackResources#2",
        "cloudformation:DescribeStackEvents#1", "cloudformation:DeleteStack#1",
        "cloudformation:DescribeStacks#4", "cloudformation:DescribeStackEvents#2",
        "tagging:GetResources#1", "tagging:GetResources#2", "s3:ListObjectVersions#1",
        "s3:DeleteBucket#1", "logs:DeleteLogGroup#1", "logs:DeleteLogGroup#2",
        "logs:DeleteLogGroup#3", "sts:GetCallerIdentity#1", "s3:ListObjectsV2#1",
        "s3:DeleteObjects#1", "s3:ListObjectsV2#2", "s3:DeleteBucket#2",
        "cloudformation:DescribeStacks#5", "tagging:GetResources#3", "tagging:GetResources#4",
        "s3:HeadBucket#1", "logs:DescribeLogGroups#1", "logs:DescribeLogGroups#2",
        "logs:DescribeLogGroups#3", "ecs:DescribeClusters#1", "acm:ListCertificates#1",
        "acm:ListTagsForCertificate#1", "acm:DeleteCertificate#1",
        "cloudformation:DescribeStacks#6", "cloudformation:DescribeStacks#7",
        "cloudformation:ListStackResources#3", "cloudformation:DescribeStackEvents#3",
        "cloudformation:DeleteStack#2", "cloudformation:DescribeStacks#8",
        "cloudformation:DescribeStackEvents#4", "tagging:GetResources#5",
        "tagging:GetResources#6", "sts:GetCallerIdentity#2",
        "s3:ListObjectsV2#3", "cloudformation:DescribeStacks#9", "tagging:GetResources#7",
        "tagging:GetResources#8",
    ],
}

# CI's sample: per command and class, the call where that class did harm before it was
# handled (see the comments), so a regression there shows at once. Each runs on the lighter
# deploy (the defaults) unless the call needs the full one.
SAMPLED = {
    # the certificate imported for a first create was left when a later call failed
    ("create", "error500"): ("light", "ec2:DescribeManagedPrefixLists#1"),
    # the execute went through, its retry answered InvalidChangeSetStatus: follow the stack
    ("create", "lost500"): ("light", "cloudformation:ExecuteChangeSet#1"),
    # the staged template's upload, throttled twice: retried, and the deploy goes on
    ("create", "throttle"): ("full", "s3:PutObject#1"),
    # a JSON answer that is not JSON read as an empty success
    ("create", "garbage"): ("light", "acm:ImportCertificate#1"),
    # the change set and the holder stack were left when reading the events failed
    ("create", "hang"): ("light", "cloudformation:DescribeStackEvents#1"),
    # Ctrl-C while the change set is computed
    ("create", "interrupt"): ("full", "cloudformation:DescribeChangeSet#2"),
    # a failed stack deletion: its log groups were deleted behind its back, the next
    # deletion failed on them, and the certificate's in-use retries waited a minute
    ("destroy", "error500"): ("light", "cloudformation:DeleteStack#1"),
    ("destroy", "lost500"): ("light", "s3:DeleteBucket#1"),
    ("destroy", "throttle"): ("light", "tagging:GetResources#1"),
    # a garbage answer ended destroy half-way instead of being one failed step
    ("destroy", "garbage"): ("light", "logs:DeleteLogGroup#1"),
    # any error checking a bucket counted as "gone"; a timeout ended destroy half-way
    ("destroy", "hang"): ("light", "s3:HeadBucket#1"),
    ("destroy", "interrupt"): ("full", "cloudformation:DeleteStack#1"),
}


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    with fault_stage(tmp_path_factory.mktemp("build")) as running:
        yield running


# Where the emulator, not fargo, answers unlike AWS (strict xfail: fixed there, it fails here,
# as a reminder to drop the entry).
EMULATOR_GAPS = {
    ("update", "lost500", "cloudformation:DeleteChangeSet#1"):
        "moto answers DeleteChangeSet of a change set already deleted with an HTML 500 page; "
        "AWS answers ChangeSetNotFound, which fargo takes as done",
}


def matrix() -> list:
    cases = []
    for command in COMMANDS:
        for call in CALLS[command]:
            for kind in KINDS:
                if kind == "garbage" and ":Head" in call:
                    continue  # a HEAD answer has no body to garble
                gap = EMULATOR_GAPS.get((command, kind, call))
                marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
                cases.append(pytest.param(command, kind, call, id=f"{command}-{kind}-{call}",
                                          marks=marks))
    return cases


@pytest.mark.parametrize(("command", "kind"), sorted(SAMPLED))
def test_a_fault_ends_in_one_line_and_the_next_run_leaves_nothing(stage, command, kind):
    profile, call = SAMPLED[(command, kind)]
    run_scenario(stage, command, fault(kind, call), profile)


@pytest.mark.faults_full
@pytest.mark.parametrize(("command", "kind", "call"), matrix())
def test_every_fault_at_every_call(stage, command, kind, call):
    run_scenario(stage, command, fault(kind, call))


def test_the_matrix_covers_every_call_of_a_create_and_a_destroy(stage):
    reset_emulator()
    created = stage.fargo(*stage.deploy_args("full"))
    assert created.exit_code == 0, created
    assert [str(c) for c in stage.proxy.calls] == CALLS["create"]
    destroyed = stage.fargo("destroy", "--yes")
    assert destroyed.exit_code == 0, destroyed
    assert [str(c) for c in stage.proxy.calls] == CALLS["destroy"]
    assert f"nothing of {STACK} is left" in destroyed.stderr
    assert stage.inventory() == {}


@pytest.mark.faults_full
def test_the_matrix_covers_every_call_of_an_update(stage):
    reset_emulator()
    assert stage.fargo(*stage.deploy_args("light")).exit_code == 0
    updated = stage.fargo(*stage.deploy_args("light"), "--max-count", "3")
    assert updated.exit_code == 0, updated
    assert [str(c) for c in stage.proxy.calls] == CALLS["update"]
