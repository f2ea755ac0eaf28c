"""Route 53 Resolver DNS Firewall: allow the names tasks need, block every other name."""

from __future__ import annotations

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
FIREWALL_TYPES = ("AWS::Route53Resolver::FirewallDomainList",
                  "AWS::Route53Resolver::FirewallRuleGroup",
                  "AWS::Route53Resolver::FirewallRuleGroupAssociation")
PLATFORM = [
    "api.ecr.eu-west-1.amazonaws.com",
    "*.dkr.ecr.eu-west-1.amazonaws.com",
    "prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com",
    "prod-eu-west-1-starport-layer-bucket.s3.amazonaws.com",
    "s3.eu-west-1.amazonaws.com",
    "logs.eu-west-1.amazonaws.com",
]


def allowed(template: Template) -> list[str]:
    return template.properties("DnsAllowedDomains")["Domains"]


def test_isolated_has_a_dns_firewall_by_default():
    template = Template.of(**ISOLATED)
    for resource_type, count in zip(FIREWALL_TYPES, (2, 1, 1), strict=True):
        template.resource_count_is(resource_type, count)


@pytest.mark.parametrize("network", ["nat", "public"])
def test_other_profiles_have_none_by_default(network):
    template = Template.of(network=network)
    for resource_type in FIREWALL_TYPES:
        template.resource_count_is(resource_type, 0)


def test_isolated_can_turn_it_off():
    template = Template.of(**ISOLATED, dns_firewall=False)
    template.resource_count_is("AWS::Route53Resolver::FirewallRuleGroup", 0)


def test_rule_group_allows_the_list_trusting_cname_chains_then_blocks_everything():
    rules = Template.of(**ISOLATED).properties("DnsFirewallRuleGroup")["FirewallRules"]
    assert rules == [
        {"Action": "ALLOW", "Priority": 100,
         "FirewallDomainListId": {"Fn::GetAtt": ["DnsAllowedDomains", "Id"]},
         "FirewallDomainRedirectionAction": "TRUST_REDIRECTION_DOMAIN"},
        {"Action": "BLOCK", "BlockResponse": "NODATA", "Priority": 200,
         "FirewallDomainListId": {"Fn::GetAtt": ["DnsAllDomains", "Id"]}},
    ]
    assert Template.of(**ISOLATED).properties("DnsAllDomains")["Domains"] == ["*"]


def test_rule_group_is_associated_with_the_vpc():
    template = Template.of(**ISOLATED)
    template.has_resource_properties("AWS::Route53Resolver::FirewallRuleGroupAssociation", {
        "FirewallRuleGroupId": {"Fn::GetAtt": ["DnsFirewallRuleGroup", "Id"]},
        "VpcId": {"Ref": "Vpc"}, "Priority": 101, "MutationProtection": "DISABLED",
    })


def test_tasks_start_only_once_the_firewall_is_in_place():
    assert "DnsFirewallAssociation" in Template.of(**ISOLATED).resources["Service"]["DependsOn"]


def test_isolated_allows_exactly_ecr_its_layer_bucket_logs_and_vpc_host_names():
    assert allowed(Template.of(**ISOLATED)) == PLATFORM + [
        "*.compute.internal", "*.ec2.internal"]


def test_exec_adds_ssmmessages():
    assert "ssmmessages.eu-west-1.amazonaws.com" in allowed(
        Template.of(**ISOLATED, ecs_exec=True))


def test_secrets_add_their_services_in_their_regions():
    names = allowed(Template.of(
        dns_firewall=True, dns_allowed_domains=["example.org"],
        secrets={"A": "ssm:/x", "B": "arn:aws:secretsmanager:us-east-1:123456789012:secret:b"}))
    assert "ssm.eu-west-1.amazonaws.com" in names
    assert "secretsmanager.us-east-1.amazonaws.com" in names


def test_every_listed_endpoint_is_resolvable():
    names = allowed(Template.of(**ISOLATED, vpc_endpoints=["ecr.api", "ecr.dkr", "logs", "sqs"]))
    assert "sqs.eu-west-1.amazonaws.com" in names


def test_a_public_image_adds_its_registrys_names():
    names = allowed(Template.of(dns_firewall=True, image="nginx:1.27",
                                dns_allowed_domains=["example.org"]))
    assert {"registry-1.docker.io", "auth.docker.io", "production.cloudflare.docker.com"} <= set(
        names)
    names = allowed(Template.of(dns_firewall=True, image="ghcr.io/acme/app:1"))
    assert "ghcr.io" in names and "registry-1.docker.io" not in names


def test_extra_allowed_domains_are_added_last():
    names = allowed(Template.of(dns_firewall=True, dns_allowed_domains=["api.example.com",
                                                                        "*.example.org"]))
    assert names[-2:] == ["api.example.com", "*.example.org"]


def test_an_ecr_image_in_another_region_adds_that_regions_ecr_names():
    names = allowed(Template.of(dns_firewall=True, dns_allowed_domains=["example.org"],
                                image="123456789012.dkr.ecr.us-east-2.amazonaws.com/l42:1"))
    assert {"api.ecr.us-east-2.amazonaws.com", "*.dkr.ecr.us-east-2.amazonaws.com",
            "prod-us-east-2-starport-layer-bucket.s3.us-east-2.amazonaws.com"} <= set(names)


def test_china_regions_use_their_url_suffix():
    names = allowed(Template.of(
        region="cn-north-1", dns_firewall=True, dns_allowed_domains=["example.org"],
        certificate_arn="arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc"))
    assert "api.ecr.cn-north-1.amazonaws.com.cn" in names
