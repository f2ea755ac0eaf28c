"""Identity and placement: a region, a domain inside its zone, a certificate of the region,
image or build (not both), a health check timeout below its interval."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fargo.config.checks.images import SAMPLE_IMAGE
from fargo.config.checks.network import region_partition
from fargo.config.checks.text import cut
from fargo.config.fields.edge import CERTIFICATE_ARN
from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.settings import Settings


def problems(s: Settings) -> list[Problem]:
    found = []
    if s.region is None:
        found.append(Problem("region", "region is not set",
                             "set region in fargo.toml, FARGO_REGION or --region"))
    found += _dns_problems(s)
    if s.build and s.image != SAMPLE_IMAGE:
        found.append(Problem(
            "build", f"build and image ({cut(s.image)}) are both set",
            "remove image (build pushes its own image) or remove build", ("image",),
        ))
    if s.certificate_arn and s.region:
        certificate = CERTIFICATE_ARN.match(s.certificate_arn)
        cert_region, partition = certificate["region"], certificate["partition"]
        if partition != region_partition(s.region):
            found.append(Problem(
                "certificate_arn", f"certificate_arn is in partition {partition} but region "
                f"{s.region} is in {region_partition(s.region)}",
                f"use a certificate issued in {s.region}", ("region",),
            ))
        elif cert_region != s.region:
            found.append(Problem(
                "certificate_arn",
                f"certificate_arn is in {cert_region} but region is {s.region}",
                f"use a certificate issued in {s.region} (ALB certificates are regional)",
                ("region",),
            ))
    if s.health_check_timeout >= s.health_check_interval:
        found.append(Problem(
            "health_check_timeout",
            f"health_check_timeout ({s.health_check_timeout}) is not below "
            f"health_check_interval ({s.health_check_interval})",
            "lower the timeout or raise the interval", ("health_check_interval",),
        ))
    return found


def _dns_problems(s: Settings) -> list[Problem]:
    if s.domain and not s.hosted_zone:
        return [Problem("domain", "domain is set but hosted_zone is not",
                        "set hosted_zone to the Route53 public zone that holds the domain")]
    if s.hosted_zone and not s.domain:
        return [Problem("hosted_zone", "hosted_zone is set but domain is not",
                        "set domain to the name to serve, inside that zone")]
    if s.domain and s.hosted_zone and not (
        s.domain == s.hosted_zone or s.domain.endswith("." + s.hosted_zone)
    ):
        return [Problem("domain", f"domain {s.domain} is not inside hosted_zone "
                        f"{s.hosted_zone}", "use a domain that ends with the zone's name",
                        ("hosted_zone",))]
    return []
