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
SECRETS = {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
                          ":password::", "API_KEY": "ssm:/l42/api-key"}
HARDENED = dict(ISOLATED, user="1000:1000", port=8080, readonly_root_filesystem=True,
                writable_paths=["/tmp", "/app/work"], ulimits={"nofile": 4096, "nproc": 256},
                stop_timeout=60, secrets=SECRETS,
                secrets_kms_key="arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd")
EVERY_ENDPOINT = ["ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns", "sqs", "ssm",
                  "secretsmanager", "kms", "sts", "xray"]
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
    "arm64-custom-size-and-cidrs-ipv6": {"platform": "linux/arm64", "cpu": 512, "memory": 1024,
                                         "allowed_cidrs": ["203.0.113.0/24", "2001:db8::/32"],
                                         "task_egress": ["10.1.0.0/16:5432", "::/0:443"],
                                         "ipv6": True},
    "domain-https": DOMAIN,
    "domain-http-only": dict(DOMAIN, https=False),
    "domain-apex-with-certificate-arn-public": {"domain": "example.com",
                                                "hosted_zone": "example.com",
                                                "network": "public"},
    "self-signed": {"certificate_arn": None},
    # Untrusted code and edge protection (issue 10)
    "isolated-hardened-secrets-waf-ipv6-3az": dict(HARDENED, waf=True, ipv6=True, az_count=3),
    "isolated-exec-on-secrets": dict(ISOLATED, ecs_exec=True, secrets=SECRETS),
    "nat-firewall-flow-logs-waf-every-endpoint-no-hsts": {
        "dns_firewall": True, "dns_allowed_domains": ["api.example.com", "*.example.org"],
        "flow_logs": True, "waf": True, "waf_rate_limit": 100, "hsts": "",
        "vpc_endpoints": EVERY_ENDPOINT, "drop_capabilities": ["NET_RAW"],
        "secrets": {"X": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x"}},
    "public-ipv6-waf-firewall-http-only": dict(HTTP_ONLY, network="public", ipv6=True, waf=True,
                                               dns_firewall=True, image="nginx:1.27"),
    "new-region-me-central-1": {
        "region": "me-central-1",
        "certificate_arn": "arn:aws:acm:me-central-1:123456789012:certificate/abc",
    },
    # Day two (issues 12, 13): Spot on ARM, mixed capacity, alarms by e-mail, policies off
    "spot-arm64-alarm-email": {"capacity": "spot", "platform": "linux/arm64", "cpu": 512,
                               "memory": 1024, "alarm_email": "ops@example.com"},
    "mixed-isolated-scaling-off": dict(ISOLATED, capacity="mixed", capacity_base=2,
                                       max_count=4, scaling_memory_target="off",
                                       scaling_requests_per_target="off"),
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


# Environments with many services (issue 11): each environment profile, each strategy.
def _app_variants() -> dict:
    from template_assertions import CERT, app_for

    ecr = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
    no_domain = {"domain": None, "hosted_zone": None}
    return {
        "env-nat-domain-rolling-and-blue-green": app_for(services={
            "web": {"host": "app.example.com", "capacity": "mixed", "max_count": 3,
                    "alarm_email": "web@example.com"},
            "api": {"path": "/api/*", "deployment": "blue-green", "bake_minutes": 10,
                    "capacity": "spot"}}),
        "env-isolated-every-control-linear": app_for(
            {"network": "isolated", "waf": True, "ipv6": True, "dns_firewall": True,
             "flow_logs": True, "az_count": 3, **no_domain, "certificate_arn": CERT},
            services={"web": {"image": f"{ecr}/web:1", "path": "/*", "ecs_exec": True,
                              "user": "1000:1000", "port": 8080, "secrets": SECRETS,
                              "deployment": "linear", "step_percent": 25}}),
        "env-public-http-only-canary": app_for({"network": "public", "https": False}, services={
            "web": {"host": "app.example.com", "path": "/shop/*", "deployment": "canary",
                    "step_percent": 10, "image": "nginx:1.27"}}),
        "env-nat-per-az-self-signed-two-paths": app_for(
            {"nat_per_az": True, "az_count": 3, "access_logs": False, **no_domain},
            services={"web": {"path": "/*", "priority": 100}, "api": {"path": "/api/*",
                                                                     "build": "examples/hello"}}),
    }


APP_VARIANTS = _app_variants()


@pytest.mark.parametrize("name", APP_VARIANTS)
def test_cfn_lint_finds_nothing_in_environment_and_service_stacks(name):
    from template_assertions import rendered_stacks

    app = APP_VARIANTS[name]
    for stack, text in rendered_stacks(app).items():
        findings = lint_template(text, app.environment.region)
        assert findings == [], f"{stack}:\n" + "\n".join(str(f) for f in findings)
