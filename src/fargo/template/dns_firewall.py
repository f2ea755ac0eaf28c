"""Route 53 Resolver DNS Firewall: tasks resolve the names they need, and nothing else.

Security groups do not filter DNS to the VPC's resolver, so without this, code in a task can
tunnel data out in DNS queries even in an isolated network. The rule group allows the names of
the AWS services the platform reaches (ECR, its S3 layer bucket, CloudWatch Logs, Exec, the
secrets services, every listed endpoint), the image's registry, the VPC's own host names and
`dns_allowed_domains`, and blocks every other name (NODATA). Allowed names are trusted through
their CNAME chains (TRUST_REDIRECTION_DOMAIN): S3 answers with CNAMEs of its own.

Fargate pulls images and writes logs through the task's network interface, so a missing name
stops tasks from starting: the README carries a checklist for the first real deploy.
"""

from __future__ import annotations

from troposphere import GetAtt, Ref, Template, route53resolver

from fargo.config import Settings
from fargo.config.checks.images import ecr_repository
from fargo.template.network import Network

DOCKER_HUB = ("registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com")
# Host names inside the VPC (ip-10-0-1-5.eu-west-1.compute.internal): answered by the resolver
# itself, never forwarded, so they carry nothing out.
VPC_HOST_NAMES = ("*.compute.internal", "*.ec2.internal")
ALLOW_PRIORITY, BLOCK_PRIORITY, ASSOCIATION_PRIORITY = 100, 200, 101


def add(template: Template, settings: Settings, network: Network,
        domains: list[str] | None = None):
    """The firewall, or None when dns_firewall is off; returns the VPC association. It allows
    `domains` (an environment's: every service's), by default this service's."""
    if not settings.dns_firewall:
        return None
    allowed = template.add_resource(route53resolver.FirewallDomainList(
        "DnsAllowedDomains", Name=f"{settings.stack_name}-allowed",
        Domains=allowed_domains(settings) if domains is None else domains,
    ))
    everything = template.add_resource(route53resolver.FirewallDomainList(
        "DnsAllDomains", Name=f"{settings.stack_name}-all", Domains=["*"],
    ))
    rules = template.add_resource(route53resolver.FirewallRuleGroup(
        "DnsFirewallRuleGroup", Name=f"{settings.stack_name}-dns",
        FirewallRules=[
            route53resolver.FirewallRule(
                Action="ALLOW", Priority=ALLOW_PRIORITY,
                FirewallDomainListId=GetAtt(allowed, "Id"),
                FirewallDomainRedirectionAction="TRUST_REDIRECTION_DOMAIN",
            ),
            route53resolver.FirewallRule(
                Action="BLOCK", BlockResponse="NODATA", Priority=BLOCK_PRIORITY,
                FirewallDomainListId=GetAtt(everything, "Id"),
            ),
        ],
    ))
    return template.add_resource(route53resolver.FirewallRuleGroupAssociation(
        "DnsFirewallAssociation", Name=f"{settings.stack_name}-dns",
        FirewallRuleGroupId=GetAtt(rules, "Id"), VpcId=Ref(network.vpc),
        Priority=ASSOCIATION_PRIORITY, MutationProtection="DISABLED",
    ))


def allowed_domains(settings: Settings) -> list[str]:
    """Every name the tasks may resolve, written out for the deployment region."""
    here = settings.region or ""
    suffix = url_suffix(here)
    names: list[str] = []
    regions = [here]
    repository = ecr_repository(settings.image)
    if repository and repository.region != here:
        regions.append(repository.region)
    for region in regions:
        names += [
            f"api.ecr.{region}.{suffix}",
            f"*.dkr.ecr.{region}.{suffix}",
            # ECR's image layers: the layer bucket in its virtual-hosted and path forms
            f"prod-{region}-starport-layer-bucket.s3.{region}.{suffix}",
            f"prod-{region}-starport-layer-bucket.s3.{suffix}",
            f"s3.{region}.{suffix}",
        ]
    services = ["logs"] + (["ssmmessages"] if settings.ecs_exec else [])
    services += [s for s in settings.interface_endpoints if not s.startswith("ecr.")]
    names += [f"{s}.{here}.{suffix}" for s in dict.fromkeys(services)]
    for reference in settings.secret_references:  # secrets may live in another region
        names.append(f"{reference.service}.{reference.region or here}.{suffix}")
    names += registry_names(settings)
    names += VPC_HOST_NAMES
    names += settings.dns_allowed_domains
    return list(dict.fromkeys(names))


def url_suffix(region: str) -> str:
    return "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"


def registry_names(settings: Settings) -> list[str]:
    """Where Fargate pulls an image that is not in ECR from (Docker Hub, or its registry)."""
    if settings.build or ecr_repository(settings.image):
        return []
    first, slash, _ = settings.image.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        host = first.split(":")[0]
        return list(DOCKER_HUB) if host in ("docker.io", "index.docker.io") else [host]
    return list(DOCKER_HUB)
