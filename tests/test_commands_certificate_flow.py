"""HTTPS certificates and DNS through `deploy_service` / `destroy_service`, against moto."""

from __future__ import annotations

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for

from fargo.commands.deploy import deploy_service
from fargo.commands.destroy import destroy_service
from fargo.engine.progress import RecordingReporter


def https_listener_certificate(aws) -> str:
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    (https,) = [x for x in listeners if x["Port"] == 443]
    return https["Certificates"][0]["CertificateArn"]


def deploy(aws, settings, reporter=None):
    result, _ = deploy_service(aws, settings, answers(reporter=reporter), FAST)
    return result


def test_https_without_certificate_or_domain_serves_an_imported_self_signed_one(aws):
    settings = settings_for(certificate_arn=None)
    reporter = RecordingReporter()
    deploy(aws, settings, reporter)
    (summary,) = aws.client("acm").list_certificates()["CertificateSummaryList"]
    assert https_listener_certificate(aws) == summary["CertificateArn"]
    tags = aws.client("acm").list_tags_for_certificate(CertificateArn=summary["CertificateArn"])
    assert {"Key": "fargo:self-signed-for", "Value": "l42-dev"} in tags["Tags"]
    warnings = [line for line in reporter.lines if line.startswith("warn:")]
    assert any("browsers will show a warning" in line for line in warnings)


def test_a_second_deploy_reuses_the_self_signed_certificate_and_warns_no_more(aws):
    settings = settings_for(certificate_arn=None)
    deploy(aws, settings)
    reporter = RecordingReporter()
    again = deploy(aws, settings, reporter)
    assert again.outcome == "no-changes"
    assert len(aws.client("acm").list_certificates()["CertificateSummaryList"]) == 1
    assert not any("browsers will show a warning" in line for line in reporter.lines)


def test_destroy_deletes_the_self_signed_certificate_and_leaves_nothing(aws):
    settings = settings_for(certificate_arn=None)
    deploy(aws, settings)
    result = destroy_service(aws, settings, RecordingReporter(), timing=FAST)
    assert result.left == []
    assert any(item.startswith("self-signed certificate arn:aws:acm:") for item in result.removed)
    assert aws.client("acm").list_certificates()["CertificateSummaryList"] == []


def test_domain_gets_its_certificate_alias_record_and_listener(aws):
    zone = aws.client("route53").create_hosted_zone(Name="example.com",
                                                    CallerReference="t")["HostedZone"]
    settings = settings_for(certificate_arn=None, domain="app.example.com",
                            hosted_zone="example.com")
    result = deploy(aws, settings)
    certificates = aws.client("acm").list_certificates()["CertificateSummaryList"]
    assert [c["DomainName"] for c in certificates] == ["app.example.com"]
    assert https_listener_certificate(aws) == certificates[0]["CertificateArn"]
    records = aws.client("route53").list_resource_record_sets(
        HostedZoneId=zone["Id"])["ResourceRecordSets"]
    (alias,) = [r for r in records if r["Type"] == "A"]
    assert alias["Name"].rstrip(".") == "app.example.com"
    assert alias["AliasTarget"]["DNSName"].rstrip(".") == result.outputs["AlbDns"]
    assert result.outputs["DomainUrl"] == "https://app.example.com"


def test_destroy_of_a_domain_deploy_keeps_only_the_validation_record_and_says_so(aws):
    aws.client("route53").create_hosted_zone(Name="example.com", CallerReference="t")
    settings = settings_for(certificate_arn=None, domain="app.example.com",
                            hosted_zone="example.com")
    deploy(aws, settings)
    result = destroy_service(aws, settings, RecordingReporter(), timing=FAST)
    assert result.left == []
    assert len(result.kept) == 1 and "DNS validation record" in result.kept[0]
    assert aws.client("acm").list_certificates()["CertificateSummaryList"] == []


def test_domain_without_its_zone_in_the_account_fails_before_the_stack(aws):
    from fargo.engine.stack import describe_stack
    from fargo.errors import AwsError

    settings = settings_for(certificate_arn=None, domain="app.example.com",
                            hosted_zone="example.com")
    with pytest.raises(AwsError) as failure:
        deploy(aws, settings)
    assert "example.com" in str(failure.value)
    assert describe_stack(aws, settings.stack_name) is None


def test_http_only_domain_gets_the_record_and_no_certificate(aws):
    aws.client("route53").create_hosted_zone(Name="example.com", CallerReference="t")
    settings = settings_for(https=False, certificate_arn=None, domain="app.example.com",
                            hosted_zone="example.com")
    result = deploy(aws, settings)
    assert aws.client("acm").list_certificates()["CertificateSummaryList"] == []
    assert result.outputs["DomainUrl"] == "http://app.example.com"


def test_changing_the_domain_later_is_an_ordinary_deploy(aws):
    aws.client("route53").create_hosted_zone(Name="example.com", CallerReference="t")
    first = settings_for(certificate_arn=None, domain="app.example.com", hosted_zone="example.com")
    deploy(aws, first)
    second = settings_for(certificate_arn=None, domain="www.example.com",
                          hosted_zone="example.com")
    result = deploy(aws, second)
    assert result.outcome == "deployed"
    assert result.outputs["DomainUrl"] == "https://www.example.com"
    served = aws.client("acm").describe_certificate(
        CertificateArn=https_listener_certificate(aws))["Certificate"]
    assert served["DomainName"] == "www.example.com"
