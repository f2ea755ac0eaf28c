"""AWS quotas and capacities fargo's settings run into: security-group rules per group, and
addresses in subnets. Breaking one is not refused (a quota can be raised; a subnet may suffice
at the usual task count) but warned about."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import NamedTuple

# "Inbound or outbound rules per security group": 60 by default, per direction and per IP
# version; AWS raises it on request (Service Quotas, Amazon VPC).
SECURITY_GROUP_RULE_QUOTA = 60
# An ALB needs public subnets of at least /27, with 8 free addresses, in each zone.
ALB_SUBNET_PREFIX = 27
ALB_SUBNET_ADDRESSES = 8
# AWS keeps the first four addresses and the last of every subnet.
RESERVED_SUBNET_ADDRESSES = 5


class RuleSet(NamedTuple):
    """Rules one security group gets in one direction for one IP version, and from what."""

    group: str
    direction: str
    version: int
    count: int
    why: str
    settings: tuple[str, ...]


def security_group_rule_sets(
    allowed_cidrs: Sequence[str], listener_ports: int, egress_cidrs: Sequence[str],
    private_subnets: bool,
) -> list[RuleSet]:
    """The rule counts the settings drive: the load balancer's inbound rules (one per allowed
    range and listener port) and the tasks' outbound rules (one per egress rule, plus one each
    for the VPC endpoints and S3 where tasks run in private subnets)."""
    sets = []
    for version in (4, 6):
        sources = [c for c in allowed_cidrs if ipaddress.ip_network(c).version == version]
        sets.append(RuleSet("load balancer", "inbound", version, len(sources) * listener_ports,
                            f"{len(sources)} allowed_cidrs x {listener_ports} listener ports",
                            ("allowed_cidrs", "https")))
        egress = [c for c in egress_cidrs if ipaddress.ip_network(c).version == version]
        extra = 2 if version == 4 and private_subnets else 0
        sets.append(RuleSet("task", "outbound", version, len(egress) + extra,
                            f"{len(egress)} task_egress rules"
                            + (" + VPC endpoints and S3" if extra else ""), ("task_egress",)))
    return sets


def free_addresses(cidrs: Sequence[str], taken_per_subnet: int) -> int:
    """Addresses left for tasks in these subnets, after AWS's and `taken_per_subnet` others."""
    return sum(max(0, ipaddress.ip_network(c).num_addresses - RESERVED_SUBNET_ADDRESSES
                   - taken_per_subnet) for c in cidrs)
