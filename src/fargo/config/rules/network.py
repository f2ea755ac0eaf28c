"""The network: subnets inside the VPC and apart, enough of them, what isolated needs."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

from fargo.config.checks import quotas
from fargo.config.checks.network import parse_network
from fargo.config.checks.text import cut
from fargo.config.fields.network import PLATFORM_ENDPOINTS
from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.settings import Settings

_PRIVATE_ECR = re.compile(
    r"^\d{12}\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/[a-z0-9._/-]+([:@].+)?\Z"
)


def problems(s: Settings) -> list[Problem]:
    found = _subnet_problems(s)
    if s.nat_per_az and s.network != "nat":
        found.append(Problem("nat_per_az", f"nat_per_az is set but network is {s.network}",
                             "remove nat_per_az or set network = \"nat\""))
    if s.network == "isolated":
        found += _isolated_problems(s)
    return found


def _subnet_problems(s: Settings) -> list[Problem]:
    found = []
    vpc = parse_network(s.vpc_cidr)
    if len(s.public_subnet_cidrs) < s.public_subnet_count:
        found.append(Problem(
            "public_subnet_cidrs",
            f"public_subnet_cidrs has {len(s.public_subnet_cidrs)} ranges but "
            f"{s.public_subnet_count} are needed",
            "add ranges or lower az_count",
        ))
    if s.network != "public" and len(s.private_subnet_cidrs) < s.az_count:
        found.append(Problem(
            "private_subnet_cidrs",
            f"private_subnet_cidrs has {len(s.private_subnet_cidrs)} ranges but "
            f"az_count is {s.az_count}",
            "add ranges or lower az_count",
        ))
    subnets = [("public_subnet_cidrs", c) for c in s.used_public_cidrs]
    subnets += [("private_subnet_cidrs", c) for c in s.used_private_cidrs]
    outside: dict[str, list[str]] = {}
    for setting, cidr in subnets:
        net = parse_network(cidr, allow_v6=True)
        if net.version != 4 or not net.subnet_of(vpc):
            outside.setdefault(setting, []).append(cidr)
        elif not 16 <= net.prefixlen <= 28:
            found.append(Problem(setting, f"{setting}: {cidr} is not between /16 and /28",
                                 "use a subnet size AWS accepts"))
        elif setting == "public_subnet_cidrs" and net.prefixlen > quotas.ALB_SUBNET_PREFIX:
            smallest = quotas.ALB_SUBNET_PREFIX
            found.append(Problem(
                setting, f"{setting}: {cidr} is smaller than /{smallest}",
                f"the load balancer needs public subnets of /{smallest} or larger",
            ))
    for setting, cidrs in outside.items():
        # Often the subnets are defaults and vpc_cidr is what changed: name both.
        found.append(Problem(
            setting, f"{setting}: {', '.join(cidrs)} "
            f"{'is' if len(cidrs) == 1 else 'are'} outside vpc_cidr {vpc}",
            f"use {setting} inside {vpc}, or a vpc_cidr that holds them", ("vpc_cidr",)))
    for i, (setting_a, a) in enumerate(subnets):
        for setting_b, b in subnets[i + 1:]:
            if parse_network(a, allow_v6=True).overlaps(parse_network(b, allow_v6=True)):
                found.append(Problem(setting_b, f"{setting_b}: {b} overlaps {a} ({setting_a})",
                                     "give every subnet its own range", (setting_a,)))
    return found


def _isolated_problems(s: Settings) -> list[Problem]:
    found = []
    missing = [e for e in PLATFORM_ENDPOINTS if e not in s.vpc_endpoints]
    if missing:
        found.append(Problem(
            "vpc_endpoints", f"network isolated needs endpoints {', '.join(missing)}",
            "add them to vpc_endpoints: without them no image is pulled and no log written",
            ("network",),
        ))
    if s.build:
        return found  # built images go to this account's ECR in this region
    ecr = _PRIVATE_ECR.match(s.image)
    if not ecr:
        found.append(Problem(
            "image", f"network isolated cannot pull {cut(s.image)} (no internet access)",
            "push the image to this account's private ECR, or use network = \"nat\"",
            ("network",),
        ))
    elif s.region and ecr["region"] != s.region:
        found.append(Problem(
            "image", f"image is in ECR of {ecr['region']} but region is {s.region}",
            "isolated tasks reach only their own region's ECR: copy the image there",
        ))
    return found


def ipv6_problems(s: Settings) -> list[Problem]:
    """IPv6 sources need a dual-stack load balancer: fargo's is IPv4-only unless ipv6 is on."""
    v6 = [c for c in s.allowed_cidrs if ipaddress.ip_network(c).version == 6]
    if not v6 or s.ipv6:
        return []
    return [Problem(
        "allowed_cidrs", f"allowed_cidrs has the IPv6 range {v6[0]} but the load balancer "
        "is IPv4-only", "set ipv6 = true for a dual-stack load balancer, or remove the IPv6 "
        "ranges (clients reach it over IPv4)", ("ipv6",),
    )]
