"""`delta`: the monthly difference a change makes, with the lines that changed, as plan and
deploy will print it ("+US$32.85/month: NAT gateway ...")."""

from __future__ import annotations

import json
from functools import cache

import pytest

from fargo.cost import Usage, delta, delta_of, estimate, with_capacity
from tests.template_assertions import CERT, settings_for

US = CERT.replace("eu-west-1", "us-east-1")


@cache
def _template(items: tuple) -> str:
    from fargo.template import render

    values = {"region": "us-east-1", "certificate_arn": US, **dict(items)}
    return render(settings_for(**values))


def template(**overrides) -> dict:
    return json.loads(_template(tuple(sorted(overrides.items(), key=str))))


USAGE = Usage(region="us-east-1")


def test_a_nat_gateway_per_az_adds_its_hours_and_its_address():
    change = delta(template(), template(nat_per_az=True), USAGE)
    lines = [str(c) for c in change.changes]
    assert lines == [
        "+US$32.85/month: NAT gateway: hours (1 gateway(s), one for all AZs -> "
        "2 gateway(s), one per AZ)",
        "+US$3.65/month: Public IPv4: addresses (3 address(es) -> 4 address(es))",
    ]
    assert change.monthly == pytest.approx((36.50, 36.50))
    assert change.summary.startswith("+US$36.50/month: ")
    assert "prices of 2026-11-27" in change.summary


def test_turning_waf_on_lists_each_new_line():
    change = delta(template(), template(waf=True), USAGE)
    labels = {c.label: c for c in change.changes}
    assert str(labels["WAF: web ACLs"]) == "+US$5.00/month: WAF: web ACLs (new: 1 web ACL(s))"
    assert labels["WAF: rules"].monthly == pytest.approx((4.0, 4.0))
    assert "CloudWatch Logs: WAF logs delivered" in labels
    assert change.monthly[0] == pytest.approx(sum(c.monthly[0] for c in change.changes))


def test_going_public_removes_the_nat_and_the_endpoints():
    change = delta(template(), template(network="public"), USAGE)
    removed = {c.label for c in change.changes if c.after is None}
    assert {"NAT gateway: hours", "NAT gateway: data processed",
            "VPC endpoints: interface endpoints per AZ"} <= removed
    assert change.monthly[0] < 0
    nat = next(c for c in change.changes if c.label == "NAT gateway: hours")
    assert str(nat) == ("-US$32.85/month: NAT gateway: hours "
                        "(removed: 1 gateway(s), one for all AZs)")


def test_a_change_in_the_task_range_shows_at_the_maximum_too():
    change = delta(template(), template(max_count=4), USAGE)
    vcpu = next(c for c in change.changes if c.label == "Fargate: vCPU, x86, on-demand")
    assert vcpu.monthly == pytest.approx((0.0, 2 * 730 * 0.04048))
    assert "at the maximum task count" in str(vcpu)


def test_spot_lowers_the_fargate_lines():
    base = template()
    change = delta(base, with_capacity(base, "spot"), USAGE)
    assert change.monthly[0] < 0
    assert {c.label for c in change.changes} == {
        "Fargate: vCPU, x86, on-demand", "Fargate: memory, x86, on-demand",
        "Fargate: vCPU, x86, Spot", "Fargate: memory, x86, Spot"}


def test_no_change_means_no_lines():
    est = estimate(template(), USAGE)
    same = delta_of(est, est)
    assert same.changes == () and same.monthly == (0.0, 0.0)
