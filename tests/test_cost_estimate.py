"""Every line of the estimate, for each network profile, against a hand computation from the
shipped price table (read here straight from its JSON, not through the estimator)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from fargo.cost import Stack, Usage, estimate, estimate_stacks, with_capacity
from tests.template_assertions import CERT, ECR_IMAGE, settings_for

PRICES = Path(__file__).parents[1] / "src" / "fargo" / "data" / "prices"
H = 730


def price(region: str, key: str) -> float:
    return json.loads((PRICES / f"{region}.json").read_text())["entries"][key]["price"]


@cache
def _template(items: tuple) -> str:
    from fargo.template import render

    return render(settings_for(**dict(items)))


def template(**overrides) -> dict:
    return json.loads(_template(tuple(sorted(overrides.items(), key=str))))


def amounts(est) -> dict[str, tuple[float, float]]:
    return {line.label: line.monthly for line in est.lines}


def assert_lines(est, expected: dict[str, tuple[float, float]]) -> None:
    got = amounts(est)
    assert sorted(got) == sorted(expected)
    for label, (low, high) in expected.items():
        assert got[label] == pytest.approx((low, high), abs=1e-9), label


def common(region: str, log_days: int = 90) -> dict[str, tuple[float, float]]:
    """Lines every fargo service has: ALB, logs, Container Insights, alarms, access logs."""
    p = lambda key: price(region, key)  # noqa: E731
    return {
        "Load balancer: hours": (H * p("alb.hour"),) * 2,
        "Load balancer: capacity units (LCU)": (1 * H * p("alb.lcu_hour"),) * 2,
        "CloudWatch Logs: container logs ingested": (1 * p("logs.ingest_gb"),) * 2,
        "Container Insights: metrics": (39 * p("cloudwatch.metric_month"),) * 2,
        # five alarms of the service (5xx, unhealthy, p99, CPU, memory); two per
        # target-tracking policy (CPU, memory, requests); one dashboard; the topic's key
        "CloudWatch alarms: alarms": (5 * p("cloudwatch.alarm_month"),) * 2,
        "CloudWatch alarms: target-tracking alarms": (3 * 2 * p("cloudwatch.alarm_month"),) * 2,
        "CloudWatch dashboards: dashboards": (1 * p("cloudwatch.dashboard_month"),) * 2,
        "KMS keys: keys": (1 * p("kms.key_month"),) * 2,
        "S3 access logs: storage": (1 * 30 / (365 / 12) * p("s3.gb_month"),) * 2,
        "S3 access logs: PUT requests": (2 * 12 * H / 1000 * p("s3.put_1000"),) * 2,
    }


def fargate(region: str, vcpu=1.0, gb=2.0, low=1, high=2, arch="x86", market="fargate",
            name="x86, on-demand") -> dict[str, tuple[float, float]]:
    v, m = price(region, f"{market}.{arch}.vcpu_hour"), price(region, f"{market}.{arch}.gb_hour")
    return {f"Fargate: vCPU, {name}": (vcpu * low * H * v, vcpu * high * H * v),
            f"Fargate: memory, {name}": (gb * low * H * m, gb * high * H * m)}


def test_nat_profile_line_by_line_in_eu_west_1():
    r = "eu-west-1"
    p = lambda key: price(r, key)  # noqa: E731
    expected = {
        **fargate(r), **common(r),
        "NAT gateway: hours": (H * p("nat.hour"),) * 2,
        "NAT gateway: data processed": (10 * p("nat.gb"),) * 2,
        # ecr.api, ecr.dkr, logs, ssmmessages (ECS Exec) in 2 AZs
        "VPC endpoints: interface endpoints per AZ": (4 * 2 * H * p("endpoint.hour"),) * 2,
        "VPC endpoints: data processed": (5 * p("endpoint.gb"),) * 2,
        # the NAT gateway's Elastic IP and the load balancer's two addresses
        "Public IPv4: addresses": (3 * H * p("ipv4.hour"),) * 2,
        "CloudWatch Logs: storage": (1 * 90 / (365 / 12) * p("logs.storage_gb_month"),) * 2,
    }
    est = estimate(template(), Usage(region=r))
    assert_lines(est, expected)
    assert est.total == pytest.approx((sum(v[0] for v in expected.values()),
                                       sum(v[1] for v in expected.values())))
    assert est.tasks == (1, 2) and est.complete and est.price_date == "2026-11-27"


def test_isolated_profile_line_by_line():
    r = "eu-west-1"
    p = lambda key: price(r, key)  # noqa: E731
    est = estimate(template(network="isolated", image=ECR_IMAGE), Usage(region=r))
    allowed = sum(len(d["Properties"]["Domains"]) for d in template(
        network="isolated", image=ECR_IMAGE)["Resources"].values()
        if d["Type"] == "AWS::Route53Resolver::FirewallDomainList")
    expected = {
        **fargate(r), **common(r),
        # no ssmmessages: ECS Exec is off in isolated
        "VPC endpoints: interface endpoints per AZ": (3 * 2 * H * p("endpoint.hour"),) * 2,
        "VPC endpoints: data processed": (5 * p("endpoint.gb"),) * 2,
        "Public IPv4: addresses": (2 * H * p("ipv4.hour"),) * 2,
        "CloudWatch Logs: VPC flow logs delivered": (1 * p("logs.vended_gb"),) * 2,
        "CloudWatch Logs: storage": (2 * 90 / (365 / 12) * p("logs.storage_gb_month"),) * 2,
        "DNS Firewall: domains in lists": (allowed * p("dns_firewall.domain_month"),) * 2,
        "DNS Firewall: queries": (1 * p("dns_firewall.million_queries"),) * 2,
    }
    assert_lines(est, expected)
    assert not [line for line in est.lines if line.component == "NAT gateway"]


def test_public_profile_counts_a_public_address_per_task():
    r = "us-east-1"
    p = lambda key: price(r, key)  # noqa: E731
    est = estimate(template(network="public"), Usage(region=r))
    expected = {
        **fargate(r), **common(r),
        "Public IPv4: addresses": (2 * H * p("ipv4.hour"),) * 2,
        "Public IPv4: task addresses": (1 * H * p("ipv4.hour"), 2 * H * p("ipv4.hour")),
        "CloudWatch Logs: storage": (1 * 90 / (365 / 12) * p("logs.storage_gb_month"),) * 2,
    }
    assert_lines(est, expected)


def test_http_only_with_waf_dns_firewall_and_flow_logs_line_by_line():
    r = "us-east-1"
    p = lambda key: price(r, key)  # noqa: E731
    t = template(https=False, certificate_arn=None, waf=True, dns_firewall=True, flow_logs=True,
                 log_retention_days=30)
    allowed = sum(len(d["Properties"]["Domains"]) for d in t["Resources"].values()
                  if d["Type"] == "AWS::Route53Resolver::FirewallDomainList")
    expected = {
        **fargate(r), **common(r),
        "NAT gateway: hours": (H * p("nat.hour"),) * 2,
        "NAT gateway: data processed": (10 * p("nat.gb"),) * 2,
        "VPC endpoints: interface endpoints per AZ": (4 * 2 * H * p("endpoint.hour"),) * 2,
        "VPC endpoints: data processed": (5 * p("endpoint.gb"),) * 2,
        "Public IPv4: addresses": (3 * H * p("ipv4.hour"),) * 2,
        "CloudWatch Logs: VPC flow logs delivered": (1 * p("logs.vended_gb"),) * 2,
        "CloudWatch Logs: WAF logs delivered": (0.5 * p("logs.vended_gb"),) * 2,
        # container 1 GB + flow 1 GB + WAF 0.5 GB, each kept 30 days
        "CloudWatch Logs: storage": (2.5 * 30 / (365 / 12) * p("logs.storage_gb_month"),) * 2,
        "WAF: web ACLs": (p("waf.web_acl_month"),) * 2,
        "WAF: rules": (4 * p("waf.rule_month"),) * 2,  # 3 managed rule groups + rate limit
        "WAF: requests": (1 * p("waf.million_requests"),) * 2,
        "DNS Firewall: domains in lists": (allowed * p("dns_firewall.domain_month"),) * 2,
        "DNS Firewall: queries": (1 * p("dns_firewall.million_queries"),) * 2,
    }
    assert_lines(est := estimate(t, Usage(region=r)), expected)
    assert est.total[0] == pytest.approx(sum(v[0] for v in expected.values()))


def test_nat_per_az_counts_a_gateway_and_an_address_per_az():
    est = estimate(template(nat_per_az=True, az_count=3), Usage(region="us-east-1"))
    lines = {line.label: line for line in est.lines}
    assert lines["NAT gateway: hours"].quantity == (3 * H, 3 * H)
    assert lines["NAT gateway: hours"].detail == "3 gateway(s), one per AZ"
    assert lines["VPC endpoints: interface endpoints per AZ"].quantity == (4 * 3 * H,) * 2
    assert lines["Public IPv4: addresses"].quantity == ((3 + 3) * H,) * 2


def test_arm_tasks_are_priced_at_the_arm_rate():
    est = estimate(template(platform="linux/arm64"), Usage(region="ap-southeast-2"))
    got = amounts(est)
    for label, value in fargate("ap-southeast-2", arch="arm", name="ARM, on-demand").items():
        assert got[label] == pytest.approx(value)
    assert price("ap-southeast-2", "fargate.arm.vcpu_hour") == 0.03885


def test_spot_capacity_prices_every_task_at_the_spot_rate():
    r = "eu-west-1"
    est = estimate(with_capacity(template(), "spot"), Usage(region=r))
    got = amounts(est)
    for label, value in fargate(r, market="fargate_spot", name="x86, Spot").items():
        assert got[label] == pytest.approx(value)
    assert "Fargate: vCPU, x86, on-demand" not in got


def test_mixed_capacity_keeps_the_base_on_demand_and_the_rest_on_spot():
    r = "eu-west-1"
    scaled = template(min_count=2, max_count=6, desired_count=2)
    est = estimate(with_capacity(scaled, "mixed", base=2), Usage(region=r))
    lines = {line.label: line for line in est.lines}
    assert lines["Fargate: vCPU, x86, on-demand"].quantity == (2 * H, 2 * H)
    assert "Fargate: vCPU, x86, Spot" in lines
    assert lines["Fargate: vCPU, x86, Spot"].quantity == (0, 4 * H)


def test_weights_split_the_tasks_above_the_base():
    from fargo.cost.reading import Capacity

    capacity = Capacity(base_on_demand=1, on_demand_weight=1, spot_weight=3)
    assert capacity.split(1) == (1, 0)
    assert capacity.split(5) == (2, 3)


def test_task_counts_come_from_the_autoscaling_range_unless_usage_says():
    t = template(min_count=2, max_count=5, desired_count=2)
    assert estimate(t, Usage(region="us-east-1")).tasks == (2, 5)
    assert estimate(t, Usage(region="us-east-1", min_tasks=3, max_tasks=3)).tasks == (3, 3)


def test_extra_ephemeral_storage_is_priced_above_the_free_20_gb():
    t = template()
    t["Resources"]["TaskDefinition"]["Properties"]["EphemeralStorage"] = {"SizeInGiB": 50}
    est = estimate(t, Usage(region="us-east-1"))
    line = next(line for line in est.lines if line.item == "ephemeral storage")
    rate = price("us-east-1", "fargate.ephemeral_gb_hour")
    assert line.monthly == pytest.approx((30 * 1 * H * rate, 30 * 2 * H * rate))


def test_every_line_names_its_assumption_and_its_price_basis():
    est = estimate(template(), Usage(region="eu-west-1"))
    for line in est.lines:
        assert line.assumption and line.unit and line.basis
    assert any("assumed 1 LCU" in line.assumption for line in est.lines)
    assert any("assumed 10 GB" in line.assumption for line in est.lines)


def test_a_region_without_a_price_keeps_the_line_unpriced_and_says_so():
    certificate = CERT.replace("eu-west-1", "eu-central-1")
    est = estimate(template(region="eu-central-1", certificate_arn=certificate),
                   Usage(region="eu-central-1"))
    unpriced = {line.label for line in est.unpriced}
    assert unpriced == {"NAT gateway: hours", "NAT gateway: data processed",
                        "VPC endpoints: interface endpoints per AZ"}
    assert not est.complete
    assert all(line.monthly == (0.0, 0.0) for line in est.unpriced)


def test_several_stacks_count_the_environment_once_and_share_it():
    service = template()
    shared = ("AWS::EC2::", "AWS::ECS::Cluster")
    environment = {"Resources": {k: v for k, v in service["Resources"].items()
                                 if v["Type"].startswith(shared)}}
    service_only = {"Parameters": service["Parameters"],
                    "Resources": {k: v for k, v in service["Resources"].items()
                                  if not v["Type"].startswith(shared)}}
    usage = Usage(region="eu-west-1")
    est = estimate_stacks([Stack("network", environment), Stack("api", service_only),
                           Stack("web", service_only)], usage)
    roles = {s.name: s.role for s in est.stacks}
    assert roles == {"network": "environment", "api": "service", "web": "service"}
    network = next(s for s in est.stacks if s.name == "network").total
    api = next(s for s in est.stacks if s.name == "api").total
    shares = est.shares()
    assert shares["api"] == pytest.approx((api[0] + network[0] / 2, api[1] + network[1] / 2))
    assert sum(s[0] for s in shares.values()) == pytest.approx(est.total[0])
    assert est.tasks == (2, 4)
    # Container Insights is the environment cluster's setting: each service gets its metrics
    insights = [line for line in est.lines if line.component == "Container Insights"]
    assert [line.stack for line in insights] == ["api", "web"]


def test_stack_names_must_differ():
    with pytest.raises(ValueError, match="differ"):
        estimate_stacks([Stack("a", template()), Stack("a", template())],
                        Usage(region="eu-west-1"))


@pytest.mark.parametrize("bad", [{"lcu": -1}, {"nat_gb": float("nan")}, {"log_gb": True},
                                 {"min_tasks": 3, "max_tasks": 2}, {"region": ""}])
def test_usage_refuses_impossible_assumptions(bad):
    values = {"region": "eu-west-1", **bad}
    with pytest.raises(ValueError):
        Usage(**values)


def test_estimating_reads_the_template_and_never_changes_it():
    t = template()
    before = json.dumps(t, sort_keys=True)
    estimate(t, Usage(region="eu-west-1"))
    with_capacity(t, "spot")
    assert json.dumps(t, sort_keys=True) == before
