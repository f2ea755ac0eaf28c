"""The network a template builds, as the diagram needs it: each subnet's zone, CIDR and default
route (internet gateway or NAT gateway), and every security group rule with its ports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fargo.cost import cfn
from fargo.cost.cfn import Template

PLACEHOLDER_CIDR = "255.255.255.255/32"  # fargo's "matches no traffic" egress rule
ANYWHERE = ("0.0.0.0/0", "::/0")


@dataclass(frozen=True)
class Rule:
    group: str
    outbound: bool
    peer: str  # a security group id, "cidr:...", or "prefix:..."
    ports: str


def subnets(template: Template) -> dict[str, dict[str, Any]]:
    """Subnet id -> {zone, cidr, public, nat} from subnets, route tables and routes."""
    tables: dict[str, dict[str, str | None]] = defaultdict(lambda: {"igw": None, "nat": None})
    for route in cfn.resources(template, "AWS::EC2::Route").values():
        props = cfn.properties(route)
        table = cfn.target(props.get("RouteTableId"))
        if table and props.get("DestinationCidrBlock") == "0.0.0.0/0":
            if props.get("GatewayId"):
                tables[table]["igw"] = cfn.target(props["GatewayId"])
            if props.get("NatGatewayId"):
                tables[table]["nat"] = cfn.target(props["NatGatewayId"])
    routes = {}
    for assoc in cfn.resources(template, "AWS::EC2::SubnetRouteTableAssociation").values():
        props = cfn.properties(assoc)
        routes[cfn.target(props.get("SubnetId"))] = tables.get(
            cfn.target(props.get("RouteTableId")), {"igw": None, "nat": None})
    subnets = {}
    for index, (logical_id, resource) in enumerate(
            cfn.resources(template, "AWS::EC2::Subnet").items()):
        props = cfn.properties(resource)
        route = routes.get(logical_id, {"igw": None, "nat": None})
        subnets[logical_id] = {
            "zone": zone(props.get("AvailabilityZone"), index), "cidr": props.get("CidrBlock"),
            "public": bool(route["igw"]), "nat": route["nat"],
        }
    return subnets


def rules(template: Template) -> list[Rule]:
    """Every security group rule, inline or separate, less fargo's placeholder."""
    found = []
    for group_id, resource in cfn.resources(template, "AWS::EC2::SecurityGroup").items():
        props = cfn.properties(resource)
        for rule in props.get("SecurityGroupIngress", []) or []:
            found.append(read_rule(group_id, False, rule))
        for rule in props.get("SecurityGroupEgress", []) or []:
            found.append(read_rule(group_id, True, rule))
    for kind, outbound in (("AWS::EC2::SecurityGroupIngress", False),
                           ("AWS::EC2::SecurityGroupEgress", True)):
        for resource in cfn.resources(template, kind).values():
            props = cfn.properties(resource)
            group = cfn.target(props.get("GroupId"))
            if group:
                found.append(read_rule(group, outbound, props))
    return [r for r in found if r is not None and r.peer != f"cidr:{PLACEHOLDER_CIDR}"]


def read_rule(group: str, outbound: bool, rule: Mapping[str, Any]) -> Rule | None:
    protocol = str(rule.get("IpProtocol", "-1"))
    low, high = rule.get("FromPort"), rule.get("ToPort")
    if protocol in ("-1", "all"):
        ports = "all traffic"
    elif low == high:
        ports = f"{protocol.upper()} {low}"
    else:
        ports = f"{protocol.upper()} {low}-{high}"
    for field in ("CidrIp", "CidrIpv6"):
        if rule.get(field):
            return Rule(group, outbound, f"cidr:{rule[field]}", ports)
    for field in ("SourceSecurityGroupId", "DestinationSecurityGroupId"):
        if rule.get(field):
            return Rule(group, outbound, cfn.target(rule[field]) or "", ports)
    for field in ("SourcePrefixListId", "DestinationPrefixListId"):
        if rule.get(field):
            return Rule(group, outbound, "prefix:s3", ports)
    return None


def zone(value: Any, fallback: int) -> int:
    """1-based AZ number from `Fn::Select [i, Fn::GetAZs]`, else the subnet's position."""
    if isinstance(value, Mapping) and "Fn::Select" in value:
        index = value["Fn::Select"][0]
        if isinstance(index, int | str) and str(index).isdigit():
            return int(index) + 1
    return fallback + 1
