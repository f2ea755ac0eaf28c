"""CIDR ranges, egress rules and regions, read as EC2 reads them."""

from __future__ import annotations

import ipaddress
import re
from typing import NamedTuple

from fargo.config.checks.text import shown

# Patterns end in \Z, not $: Python's $ also matches before a final newline ("l42\n").
# Every AWS region name is AREA-DIRECTION-N; naming the directions catches typos like eu-wst-1.
REGION = re.compile(
    r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-"
    r"(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}\Z"
)


def region_partition(region: str) -> str:
    """The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class EgressRule(NamedTuple):
    cidr: str
    from_port: int
    to_port: int


def parse_egress_rule(text: str) -> EgressRule:
    """Read `CIDR:PORT` or `CIDR:FROM-TO` (TCP); ValueError says what is wrong."""
    cidr, sep, ports = text.rpartition(":")
    if not sep or not cidr:
        raise ValueError(f"{shown(text)} is not CIDR:PORT, e.g. 0.0.0.0/0:443")
    parse_network(cidr, allow_v6=True)
    low, _, high = ports.partition("-")
    if not (low.isascii() and low.isdigit() and (not high or high.isascii() and high.isdigit())):
        raise ValueError(f"{shown(text)}: port {shown(ports)} is not a number or FROM-TO range")
    from_port, to_port = int(low[:6]), int((high or low)[:6])
    if not (1 <= from_port <= to_port <= 65535):
        raise ValueError(f"{shown(text)}: ports must be 1-65535 with FROM <= TO")
    return EgressRule(cidr, from_port, to_port)


def parse_network(
    value: str, allow_v6: bool = False
) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if not isinstance(value, str) or "/" not in value or "%" in value:
        raise ValueError(f"{shown(value)} is not a CIDR range: write ADDRESS/PREFIX, e.g. "
                         "10.0.0.0/16")
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"{shown(value)} is not a CIDR range: write ADDRESS/PREFIX, e.g. "
                             "10.0.0.0/16") from None
        raise ValueError(f"{shown(value)} has host bits set: use {loose}") from None
    if network.version == 6 and not allow_v6:
        raise ValueError(f"{shown(value)}: an IPv4 range is needed here")
    return network
