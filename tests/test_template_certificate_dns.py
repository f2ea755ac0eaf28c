"""HTTPS certificate source (given, domain, self-signed) and the domain's alias record."""

from __future__ import annotations

import re

import pytest
from template_assertions import CERT, Template

from fargo import contract

DOMAIN = {"domain": "app.example.com", "hosted_zone": "example.com", "certificate_arn": None}
DOMAIN_HTTP_ONLY = dict(DOMAIN, https=False)
DOMAIN_WITH_CERTIFICATE = {"domain": "app.example.com", "hosted_zone": "example.com"}
SELF_SIGNED = {"certificate_arn": None}
HTTP_ONLY = {"https": False, "certificate_arn": None}
ACM_CERTIFICATE = "AWS::CertificateManager::Certificate"
RECORD = "AWS::Route53::RecordSet"
PLANNED_ARN = "arn:aws:acm:eu-west-1:000000000000:certificate/to-be-generated-by-fargo"


def parameters(template: Template) -> dict:
    return template.data.get("Parameters", {})


def listener_certificate(template: Template) -> dict:
    return template.properties("HttpsListener")["Certificates"][0]["CertificateArn"]


# certificate_arn given

def test_given_certificate_is_the_parameter_defaulting_to_certificate_arn():
    parameter = parameters(Template.of())[contract.CERTIFICATE_PARAMETER]
    assert parameter["Default"] == CERT


def test_given_certificate_mode_creates_no_acm_certificate_and_no_zone_parameter():
    template = Template.of()
    template.resource_count_is(ACM_CERTIFICATE, 0)
    assert contract.HOSTED_ZONE_PARAMETER not in parameters(template)


def test_certificate_arn_wins_over_a_certificate_for_the_domain():
    template = Template.of(**DOMAIN_WITH_CERTIFICATE)
    template.resource_count_is(ACM_CERTIFICATE, 0)
    assert listener_certificate(template) == {"Ref": contract.CERTIFICATE_PARAMETER}


def test_certificate_arn_with_a_domain_still_gets_the_alias_record():
    Template.of(**DOMAIN_WITH_CERTIFICATE).resource_count_is(RECORD, 1)


# domain and hosted_zone

def test_domain_mode_requests_one_acm_certificate_for_the_domain():
    template = Template.of(**DOMAIN)
    template.resource_count_is(ACM_CERTIFICATE, 1)
    assert template.properties(contract.CERTIFICATE_RESOURCE)["DomainName"] == "app.example.com"


def test_domain_certificate_is_validated_by_dns_in_the_hosted_zone_parameter():
    template = Template.of(**DOMAIN)
    template.has_resource_properties(ACM_CERTIFICATE, {
        "ValidationMethod": "DNS",
        "DomainValidationOptions": [{
            "DomainName": "app.example.com",
            "HostedZoneId": {"Ref": contract.HOSTED_ZONE_PARAMETER},
        }],
    })


def test_domain_mode_https_listener_uses_the_domain_certificate():
    template = Template.of(**DOMAIN)
    assert listener_certificate(template) == {"Ref": contract.CERTIFICATE_RESOURCE}


def test_domain_mode_has_no_certificate_parameter():
    assert contract.CERTIFICATE_PARAMETER not in parameters(Template.of(**DOMAIN))


def test_hosted_zone_parameter_is_a_route53_zone_id_the_deploy_fills_in():
    parameter = parameters(Template.of(**DOMAIN))[contract.HOSTED_ZONE_PARAMETER]
    assert parameter["Type"] == "AWS::Route53::HostedZone::Id"
    assert "Default" not in parameter


def test_domain_record_is_an_alias_a_record_for_the_domain():
    template = Template.of(**DOMAIN)
    template.resource_count_is(RECORD, 1)
    properties = template.properties(contract.DOMAIN_RECORD_RESOURCE)
    assert (properties["Name"], properties["Type"]) == ("app.example.com", "A")
    assert "TTL" not in properties and "ResourceRecords" not in properties


def test_domain_record_aliases_the_load_balancer():
    alias = Template.of(**DOMAIN).properties(contract.DOMAIN_RECORD_RESOURCE)["AliasTarget"]
    assert alias == {
        "DNSName": {"Fn::GetAtt": ["LoadBalancer", "DNSName"]},
        "HostedZoneId": {"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]},
        "EvaluateTargetHealth": False,
    }


def test_domain_record_lives_in_the_hosted_zone_parameter():
    properties = Template.of(**DOMAIN).properties(contract.DOMAIN_RECORD_RESOURCE)
    assert properties["HostedZoneId"] == {"Ref": contract.HOSTED_ZONE_PARAMETER}
    assert "HostedZoneName" not in properties


def test_domain_url_output_is_https_at_the_domain():
    outputs = Template.of(**DOMAIN).data["Outputs"]
    assert outputs[contract.OUTPUT_DOMAIN_URL]["Value"] == "https://app.example.com"


def test_changing_the_domain_keeps_every_logical_id_and_changes_only_names():
    before = Template.of(**DOMAIN)
    after = Template.of(**dict(DOMAIN, domain="www.example.com"))
    assert sorted(before.resources) == sorted(after.resources)
    changed = {k for k in before.resources if before.resources[k] != after.resources[k]}
    # the settings record changes with every setting, by design
    assert changed == {contract.CERTIFICATE_RESOURCE, contract.DOMAIN_RECORD_RESOURCE,
                       contract.SETTINGS_RECORD_RESOURCE}


@pytest.mark.parametrize("logical_id", [contract.CERTIFICATE_RESOURCE,
                                        contract.DOMAIN_RECORD_RESOURCE])
def test_certificate_and_record_carry_no_retain_policy_that_would_block_replacement(logical_id):
    resource = Template.of(**DOMAIN).resources[logical_id]
    assert resource.get("DeletionPolicy", "Delete") == "Delete"
    assert resource.get("UpdateReplacePolicy", "Delete") == "Delete"


# domain in HTTP-only mode

def test_http_only_domain_gets_its_alias_record():
    template = Template.of(**DOMAIN_HTTP_ONLY)
    template.resource_count_is(RECORD, 1)
    assert contract.HOSTED_ZONE_PARAMETER in parameters(template)


def test_http_only_domain_has_no_certificate_of_any_kind():
    template = Template.of(**DOMAIN_HTTP_ONLY)
    template.resource_count_is(ACM_CERTIFICATE, 0)
    assert contract.CERTIFICATE_PARAMETER not in parameters(template)


def test_http_only_domain_url_output_is_http():
    outputs = Template.of(**DOMAIN_HTTP_ONLY).data["Outputs"]
    assert outputs[contract.OUTPUT_DOMAIN_URL]["Value"] == "http://app.example.com"


# self-signed

def test_self_signed_mode_certificate_parameter_has_no_default():
    parameter = parameters(Template.of(**SELF_SIGNED))[contract.CERTIFICATE_PARAMETER]
    assert "Default" not in parameter


def test_self_signed_mode_certificate_parameter_accepts_the_planned_placeholder_arn():
    parameter = parameters(Template.of(**SELF_SIGNED))[contract.CERTIFICATE_PARAMETER]
    assert re.match(parameter["AllowedPattern"], PLANNED_ARN)


def test_self_signed_mode_https_listener_uses_the_certificate_parameter():
    template = Template.of(**SELF_SIGNED)
    assert listener_certificate(template) == {"Ref": contract.CERTIFICATE_PARAMETER}


def test_self_signed_mode_creates_no_acm_certificate_zone_or_record():
    template = Template.of(**SELF_SIGNED)
    template.resource_count_is(ACM_CERTIFICATE, 0)
    template.resource_count_is(RECORD, 0)
    assert contract.HOSTED_ZONE_PARAMETER not in parameters(template)


# HTTP-only, no domain

def test_http_only_has_no_certificate_zone_record_or_domain_output():
    template = Template.of(**HTTP_ONLY)
    template.resource_count_is(ACM_CERTIFICATE, 0)
    template.resource_count_is(RECORD, 0)
    assert not {contract.CERTIFICATE_PARAMETER, contract.HOSTED_ZONE_PARAMETER} & set(
        parameters(template))
    assert contract.OUTPUT_DOMAIN_URL not in template.data["Outputs"]


@pytest.mark.parametrize("overrides", [{}, SELF_SIGNED], ids=["given", "self-signed"])
def test_no_domain_url_output_without_a_domain(overrides):
    assert contract.OUTPUT_DOMAIN_URL not in Template.of(**overrides).data["Outputs"]
