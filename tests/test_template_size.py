"""Template size: usual templates go inline; larger ones through S3, never refused.

CloudFormation takes 51,200 bytes inline and 1 MB from S3. The usual variants stay under
~45 KB (a guard: growth is noticed while there is room), and a template past the inline
limit deploys through fargo's staging bucket on the emulator, as it would on AWS."""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, settings_for

from fargo.config import Settings
from fargo.stacks import LegacyServiceStack
from fargo.template import render
from fargo.template.registry import build_registry_template

WARN_AT = 45_000
HEAVY = {
    "az_count": 3, "nat_per_az": True, "domain": "app.example.com",
    "hosted_zone": "example.com", "certificate_arn": None,
    "vpc_endpoints": ["ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns"],
    "allowed_cidrs": [f"10.{i}.0.0/16" for i in range(20)],
    "task_egress": [f"10.{i}.0.0/16:443" for i in range(20)],
    "schedules": [{"schedule": f"cron(0 {h} ? * MON-FRI *)", "min_count": 1, "max_count": 2}
                  for h in range(10)],
    "tags": {f"team{i}": "x" * 40 for i in range(10)},
}
# Settings of the untrusted-code controls, where this version has them: all on.
SECURITY_ON = {"waf": True, "flow_logs": True, "dns_firewall": True, "ipv6": True}


def compact(settings) -> int:
    return len(json.dumps(json.loads(render(settings)), separators=(",", ":")).encode())


def variants() -> dict[str, dict]:
    security = {k: v for k, v in SECURITY_ON.items() if k in Settings.model_fields}
    return {
        "default": {},
        "heavy nat": HEAVY,
        "heavy isolated": {**HEAVY, "network": "isolated", "image": ECR_IMAGE,
                           "nat_per_az": False, **security},
        "heavy nat, every control": {**HEAVY, **security},
    }


@pytest.mark.parametrize("name", ["default", "heavy isolated"])
def test_usual_templates_stay_well_under_the_inline_limit(name):
    overrides = variants()[name]
    if name != "default":  # the usual isolated service: a couple of CIDRs, no long lists
        overrides = {**overrides, "allowed_cidrs": ["0.0.0.0/0"], "task_egress": [],
                     "schedules": [], "tags": {}}
    size = compact(settings_for(**overrides))
    assert size < WARN_AT, f"{name}: {size} bytes"


def test_a_template_past_the_inline_limit_deploys_through_s3_and_destroy_cleans_up(aws):
    from engine_support import FAST, answers

    from fargo.commands.deploy import deploy_service
    from fargo.emulator.server import ensure_hosted_zone
    from fargo.engine.destroy import destroy
    from fargo.engine.progress import RecordingReporter

    ensure_hosted_zone(aws.client("route53"), "example.com")
    settings = settings_for(**HEAVY)
    assert compact(settings) > 51_200
    sent = []
    aws.client("cloudformation").meta.events.register(
        "provide-client-params.cloudformation.CreateChangeSet",
        lambda params, **_: sent.append(params))
    result, _ = deploy_service(aws, settings, answers(), FAST)
    assert result.outcome == "deployed"
    assert "TemplateURL" in sent[0] and "TemplateBody" not in sent[0]
    assert sent[0]["TemplateURL"].startswith("https://fargo-templates-123456789012-eu-west-1.s3.")
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert "S3 bucket fargo-templates-123456789012-eu-west-1" in removed.removed
    assert aws.client("s3").list_buckets()["Buckets"] == []


def test_the_registry_template_is_small():
    body = build_registry_template(settings_for(build="."))
    assert len(body.to_json().encode()) < 10_000
