"""The service's own domain: the hosted zone it lives in, and its alias record.

The zone is a parameter of type AWS::Route53::HostedZone::Id rather than a name in the
template: fargo deploy looks up the account's public zone of that name, and CloudFormation
checks the ID exists before it changes anything. The record is an alias A record (and with
ipv6 an alias AAAA record for the dual-stack load balancer): free to query, no TTL to wait out,
and it follows the load balancer's addresses as they change. Its name is the domain; changing
the domain replaces the record (the new one is created before the old one is deleted), an
ordinary deploy.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import AWSHelperFn, GetAtt, Parameter, Ref, Template, route53

from fargo.config import Settings
from fargo.contract import DOMAIN_RECORD_RESOURCE, HOSTED_ZONE_PARAMETER
from fargo.template.load_balancer import LoadBalancing


def hosted_zone(template: Template, settings: Settings) -> Parameter | None:
    """The hosted zone parameter, when there is a domain: its certificate and record use it."""
    if not settings.domain:
        return None
    return template.add_parameter(Parameter(
        HOSTED_ZONE_PARAMETER, Type="AWS::Route53::HostedZone::Id",
        Description=f"ID of the public Route53 zone {settings.hosted_zone}; "
        "fargo deploy fills it in",
    ))


def add(
    template: Template, settings: Settings, zone: Parameter | None, load_balancing: LoadBalancing,
) -> route53.RecordSetType | None:
    if zone is None or not settings.domain:
        return None
    target = AliasTarget(GetAtt(load_balancing.load_balancer, "DNSName"),
                         GetAtt(load_balancing.load_balancer, "CanonicalHostedZoneID"))
    return add_records(template, settings, settings.domain, zone, target)


@dataclass(frozen=True)
class AliasTarget:
    """The load balancer a record points at: this stack's, or the environment's."""

    dns_name: AWSHelperFn
    zone_id: AWSHelperFn


def add_records(template: Template, settings: Settings, name: str, zone,
                target: AliasTarget) -> route53.RecordSetType:
    """The alias A record for `name` (and AAAA for a dual-stack load balancer)."""
    record = template.add_resource(_alias(DOMAIN_RECORD_RESOURCE, "A", name, zone, settings,
                                          target))
    if settings.ipv6:
        template.add_resource(_alias("DomainIpv6Record", "AAAA", name, zone, settings, target))
    return record


def _alias(logical_id: str, kind: str, name: str, zone, settings: Settings,
           target: AliasTarget) -> route53.RecordSetType:
    return route53.RecordSetType(
        logical_id, HostedZoneId=Ref(zone), Name=name, Type=kind,
        Comment=f"fargo service {settings.stack_name}",
        AliasTarget=route53.AliasTarget(
            DNSName=target.dns_name, HostedZoneId=target.zone_id,
            # One record, one load balancer: with nothing to fail over to, Route53 would
            # answer anyway; the deploy's own health check reports an unhealthy service.
            EvaluateTargetHealth=False,
        ),
    )
