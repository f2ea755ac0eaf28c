"""The single-service template, byte for byte: a guard for refactoring the template modules.

Logical IDs and properties of a deployed stack are a public contract (a renamed resource is
replaced on AWS), so the template of today's fargo.toml must not change when the modules are
reorganised for environments with many services. Each variant's rendering is compared with a
snapshot in tests/snapshots/legacy/, made from the code before the refactor.

A deliberate change to the single-service template regenerates them:
`SNAPSHOT_UPDATE=1 .venv/bin/python -m pytest -n 0 tests/test_template_legacy_snapshot.py`
(and the diff of tests/snapshots/ is then part of the change, for review).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from template_assertions import ECR_IMAGE, settings_for

from fargo.template import render
from fargo.template.registry import build_registry_template

SNAPSHOTS = Path(__file__).parent / "snapshots" / "legacy"
UPDATE = os.environ.get("SNAPSHOT_UPDATE") == "1"
DOMAIN = {"domain": "app.example.com", "hosted_zone": "example.com", "certificate_arn": None}
ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
SECRETS = {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf",
           "API_KEY": "ssm:/l42/api-key"}
SCHEDULES = [
    {"schedule": "cron(0 8 ? * MON-FRI *)", "min_count": 2, "max_count": 3,
     "timezone": "Europe/Berlin", "name": "office-hours"},
    {"schedule": "cron(0 20 ? * MON-FRI *)", "min_count": 1, "max_count": 2},
]
VARIANTS = {
    "defaults": {},
    "http-only": {"https": False, "certificate_arn": None},
    "isolated-ecr-image": ISOLATED,
    "public": {"network": "public"},
    "domain": DOMAIN,
    "domain-http-only-public-access-logs-off": dict(DOMAIN, https=False, network="public",
                                                    access_logs=False),
    "self-signed": {"certificate_arn": None},
    "az-count-1": {"az_count": 1},
    "az-count-3": {"az_count": 3},
    "nat-per-az-3az": {"az_count": 3, "nat_per_az": True},
    "untrusted-code-every-control": dict(
        ISOLATED, az_count=3, user="1000:1000", port=8080, readonly_root_filesystem=True,
        writable_paths=["/tmp", "/app/work"], ulimits={"nofile": 4096, "nproc": 256},
        stop_timeout=60, secrets=SECRETS, drop_capabilities=["ALL"], dns_firewall=True,
        dns_allowed_domains=["api.example.com"], flow_logs=True, waf=True, waf_rate_limit=200,
        ipv6=True, secrets_kms_key="arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab",
        vpc_endpoints=["ecr.api", "ecr.dkr", "logs", "monitoring", "sts"]),
    "nat-exec-firewall-flow-logs-waf-secrets": {
        "ecs_exec": True, "dns_firewall": True, "flow_logs": True, "waf": True,
        "secrets": SECRETS, "hsts": "off"},
    "schedules": {"max_count": 3, "schedules": SCHEDULES},
    "ipv6": {"ipv6": True, "allowed_cidrs": ["203.0.113.0/24", "2001:db8::/32", "0.0.0.0/0"],
             "task_egress": ["0.0.0.0/0:443", "10.1.0.0/16:5432-5433"]},
    "build-arm64-tags": {"build": "examples/hello", "platform": "linux/arm64", "cpu": 512,
                         "memory": 1024, "tags": {"team": "web", "cost-center": "42"},
                         "container_environment": {"MODE": "prod"}},
    "new-region-me-central-1": {
        "region": "me-central-1",
        "certificate_arn": "arn:aws:acm:me-central-1:123456789012:certificate/abc"},
}


def _compare(name: str, rendered: str) -> None:
    path = SNAPSHOTS / f"{name}.json"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered)
        return
    assert path.exists(), f"no snapshot {path.name}: run with SNAPSHOT_UPDATE=1 to make it"
    expected = path.read_text()
    if rendered != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), rendered.splitlines(True),
                                            f"snapshot/{name}", "rendered", n=2))
        pytest.fail(f"the single-service template {name} changed:\n{diff[:6000]}")


@pytest.mark.parametrize("name", VARIANTS)
def test_single_service_template_is_unchanged(name):
    _compare(name, render(settings_for(**VARIANTS[name])))


def test_registry_template_is_unchanged():
    settings = settings_for(build="examples/hello", keep_images=5)
    _compare("registry", build_registry_template(settings).to_json(indent=2) + "\n")


def test_the_snapshots_cover_every_variant_and_nothing_else():
    if UPDATE:
        return
    stored = {p.stem for p in SNAPSHOTS.glob("*.json")}
    assert stored == set(VARIANTS) | {"registry"}
