"""cfn-lint, with AWS's own resource schemas, finds nothing in any variant of the template.

Each variant is linted once (about a second each); orthogonal settings share a variant.
"""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, settings_for

from fargo.template import render
from fargo.validation import lint_template

HTTP_ONLY = {"https": False, "certificate_arn": None}
DOMAIN = {"domain": "app.example.com", "hosted_zone": "example.com", "certificate_arn": None}
ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
SCHEDULES = [
    {"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 3,
     "timezone": "Europe/Berlin", "name": "office-hours"},
    {"schedule": "cron(0 20 ? * MON-FRI *)", "min_count": 1, "max_count": 2},
]
VARIANTS = {
    "https-nat-2az": {},
    "http-only": HTTP_ONLY,
    "nat-1az-access-logs-off": {"az_count": 1, "access_logs": False},
    "nat-3az-nat-per-az-schedules": {"az_count": 3, "nat_per_az": True, "max_count": 3,
                                     "schedules": SCHEDULES},
    "isolated-2az": ISOLATED,
    "isolated-1az-exec-off": dict(ISOLATED, az_count=1, ecs_exec=False),
    "public": {"network": "public"},
    "public-http-only-access-logs-off": dict(HTTP_ONLY, network="public", access_logs=False),
    "exec-off-extra-endpoints": {"ecs_exec": False, "vpc_endpoints": [
        "ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns"]},
    "arm64-custom-size-and-cidrs": {"platform": "linux/arm64", "cpu": 512, "memory": 1024,
                                    "allowed_cidrs": ["203.0.113.0/24", "2001:db8::/32"],
                                    "task_egress": ["10.1.0.0/16:5432", "::/0:443"]},
    "domain-https": DOMAIN,
    "domain-http-only": dict(DOMAIN, https=False),
    "domain-apex-with-certificate-arn-public": {"domain": "example.com",
                                                "hosted_zone": "example.com",
                                                "network": "public"},
    "self-signed": {"certificate_arn": None},
    "new-region-me-central-1": {
        "region": "me-central-1",
        "certificate_arn": "arn:aws:acm:me-central-1:123456789012:certificate/abc",
    },
}


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_cfn_lint_finds_nothing(overrides):
    settings = settings_for(**overrides)
    findings = lint_template(render(settings), settings.region)
    assert findings == [], "\n".join(str(f) for f in findings)


def test_lint_template_reports_warnings():
    """Guards the tests above: a template with a known warning must not lint clean."""
    template = {
        "Parameters": {"Unused": {"Type": "String"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
    }
    findings = lint_template(json.dumps(template), "eu-west-1")
    assert [(f.rule, f.severity) for f in findings] == [("W2001", "warning")]


def test_lint_template_reports_informational_findings():
    """A stateful resource without DeletionPolicy is cfn-lint's informational I3011."""
    template = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup"}}}
    findings = lint_template(json.dumps(template), "eu-west-1")
    assert "I3011" in [f.rule for f in findings]
