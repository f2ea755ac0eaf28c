"""The network: profile, zones, address ranges, egress, endpoints, DNS firewall, flow logs."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, field_validator

from fargo.config.checks.network import parse_egress_rule, parse_network
from fargo.config.checks.text import cut
from fargo.config.fields.base import FieldGroup
from fargo.config.fields.edge import DNS_NAME
from fargo.config.problems import listed_twice, refuse

PLATFORM_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs")
KNOWN_ENDPOINTS = (
    "ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns", "sqs", "ssm", "ssmmessages",
    "secretsmanager", "kms", "sts", "xray",
)


class NetworkFields(FieldGroup):
    network: Literal["nat", "isolated", "public"] = Field("nat", description="nat (private tasks, NAT egress), isolated (no internet: endpoints only), public (tasks in public subnets)")
    nat_per_az: bool = Field(False, description="One NAT gateway per availability zone instead of one in total (network = nat)")
    az_count: int = Field(2, ge=1, le=3, description="Availability zones (and private subnets) the tasks run in")
    vpc_cidr: str = Field("10.0.0.0/16", description="VPC address range")
    public_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.0.0/24", "10.0.2.0/24", "10.0.4.0/24"], description="Public subnet ranges; the first max(2, az_count) are used")
    private_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.1.0/24", "10.0.3.0/24", "10.0.5.0/24"], description="Private subnet ranges; the first az_count are used")
    task_egress: list[str] = Field(default_factory=lambda: ["0.0.0.0/0:443"], description="Where tasks may connect (nat, public): CIDR:PORT or CIDR:FROM-TO, TCP")
    vpc_endpoints: list[str] = Field(default_factory=lambda: list(PLATFORM_ENDPOINTS), description="Interface endpoints (nat, isolated); S3 gateway is always added")
    dns_firewall: bool = Field(None, description="Route 53 Resolver DNS Firewall: tasks resolve only the AWS names they need and dns_allowed_domains; default on in isolated")  # type: ignore[assignment]
    dns_allowed_domains: list[str] = Field(default_factory=list, description="More names the DNS firewall lets tasks resolve, e.g. [\"api.example.com\", \"*.example.org\"]")
    flow_logs: bool = Field(None, description="VPC flow logs (all traffic) to a CloudWatch log group; default on in isolated")  # type: ignore[assignment]

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc_cidr_is_network(cls, value: str) -> str:
        network = parse_network(value)
        if not 16 <= network.prefixlen <= 28:
            raise ValueError("a VPC range must be between /16 and /28")
        return value

    @field_validator("public_subnet_cidrs", "private_subnet_cidrs")
    @classmethod
    def _subnet_cidrs_are_networks(cls, values: list[str]) -> list[str]:
        keys = [str(parse_network(value, allow_v6=True)) for value in values]
        return refuse(listed_twice(keys, values), values)

    @field_validator("task_egress")
    @classmethod
    def _egress_rules_parse(cls, values: list[str]) -> list[str]:
        rules = [parse_egress_rule(value) for value in values]
        keys = [f"{ipaddress.ip_network(r.cidr)}:{r.from_port}-{r.to_port}" for r in rules]
        return refuse(listed_twice(keys, values), values)

    @field_validator("vpc_endpoints")
    @classmethod
    def _endpoints_are_known(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in KNOWN_ENDPOINTS]
        if unknown:
            raise ValueError(
                f"unknown endpoint {cut(unknown[0])}: choose from {', '.join(KNOWN_ENDPOINTS)}"
            )
        return list(dict.fromkeys(values))

    @field_validator("dns_allowed_domains")
    @classmethod
    def _domains_are_dns_names(cls, values: list[str]) -> list[str]:
        names = [v.lower().rstrip(".") for v in values]
        for name in names:
            if not DNS_NAME.match(name.removeprefix("*.")):
                raise ValueError(f"{name!r} is not a DNS name (a leading *. is allowed), "
                                 "e.g. api.example.com")
        return list(dict.fromkeys(names))
