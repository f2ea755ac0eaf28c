"""Self-signed certificates, the hosted zone lookup, and HTTPS with a domain against moto."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from engine_support import FAST, REGION, answers, import_self_signed_certificate
from template_assertions import settings_for

from fargo import contract
from fargo.commands.deploy import deploy_request
from fargo.emulator.server import ensure_hosted_zone
from fargo.engine import deploy as engine
from fargo.engine.certificates import (
    delete_self_signed,
    ensure_self_signed,
    find_self_signed,
    generate_self_signed,
    load_balancer_names,
    validation_records,
)
from fargo.engine.destroy import destroy
from fargo.engine.lookups import hosted_zone_id
from fargo.engine.progress import RecordingReporter
from fargo.engine.stack import describe_stack
from fargo.errors import AwsError
from fargo.stacks import LegacyServiceStack

STACK = "l42-dev"
DOMAIN = {"domain": "app.example.com", "hosted_zone": "example.com", "certificate_arn": None}


@pytest.fixture(scope="module")
def generated():
    certificate, key = generate_self_signed("*.eu-west-1.elb.amazonaws.com",
                                            ["*.eu-west-1.elb.amazonaws.com"],
                                            organization="fargo self-signed for l42-dev")
    return (x509.load_pem_x509_certificate(certificate),
            serialization.load_pem_private_key(key, password=None))


def acm_tags(aws, arn: str) -> dict[str, str]:
    tags = aws.client("acm").list_tags_for_certificate(CertificateArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in tags}


def acm_arns(aws) -> list[str]:
    summaries = aws.client("acm").list_certificates()["CertificateSummaryList"]
    return [s["CertificateArn"] for s in summaries]


def public_zone(aws, name: str = "example.com") -> str:
    zone = aws.client("route53").create_hosted_zone(Name=name, CallerReference=f"public-{name}")
    return zone["HostedZone"]["Id"].rsplit("/", 1)[-1]


def private_zone(aws, name: str = "example.com") -> str:
    vpc = aws.client("ec2").create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    zone = aws.client("route53").create_hosted_zone(
        Name=name, CallerReference=f"private-{name}", HostedZoneConfig={"PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": vpc})
    return zone["HostedZone"]["Id"].rsplit("/", 1)[-1]


def records(aws, zone: str) -> dict[tuple[str, str], dict]:
    found = aws.client("route53").list_resource_record_sets(HostedZoneId=zone)
    return {(r["Name"].rstrip("."), r["Type"]): r for r in found["ResourceRecordSets"]}


# generate_self_signed

def test_generated_certificate_names_the_common_name_and_organization(generated):
    certificate, _ = generated
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == \
        "*.eu-west-1.elb.amazonaws.com"
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == \
        "fargo self-signed for l42-dev"


def test_generated_certificate_carries_the_alt_names_in_its_san(generated):
    certificate, _ = generated
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["*.eu-west-1.elb.amazonaws.com"]


def test_generated_certificate_without_alt_names_has_the_common_name_in_its_san():
    pem, _ = generate_self_signed("fargo.localhost", [])
    san = x509.load_pem_x509_certificate(pem).extensions.get_extension_for_class(
        x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["fargo.localhost"]


def test_generated_key_matches_the_certificate(generated):
    certificate, key = generated
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert certificate.public_key().public_bytes(serialization.Encoding.PEM, public) == \
        key.public_key().public_bytes(serialization.Encoding.PEM, public)


def test_generated_key_is_rsa_2048_which_acm_lists_by_default(generated):
    _, key = generated
    assert key.key_size == 2048


def test_generated_certificate_is_self_signed_for_servers_only(generated):
    certificate, _ = generated
    assert certificate.issuer == certificate.subject
    certificate.verify_directly_issued_by(certificate)
    assert certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usages = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usages) == [ExtendedKeyUsageOID.SERVER_AUTH]


def test_generated_certificate_is_valid_now_for_about_a_year(generated):
    certificate, _ = generated
    now = datetime.datetime.now(datetime.UTC)
    assert certificate.not_valid_before_utc <= now
    assert 364 <= (certificate.not_valid_after_utc - now).days <= 365


def test_load_balancer_names_are_a_wildcard_over_the_regions_alb_names():
    common_name, alt_names = load_balancer_names("eu-west-1")
    assert common_name == "*.eu-west-1.elb.amazonaws.com"
    assert alt_names == [common_name]


def test_load_balancer_names_in_china_use_the_cn_suffix():
    assert load_balancer_names("cn-north-1")[0] == "*.cn-north-1.elb.amazonaws.com.cn"


# ensure, find and delete against moto's ACM

def test_ensure_self_signed_imports_a_new_certificate_the_first_time(aws):
    arn, new = ensure_self_signed(aws, STACK, REGION)
    assert new is True
    assert acm_arns(aws) == [arn]


def test_ensure_self_signed_tags_the_certificate_with_the_stack(aws):
    arn, _ = ensure_self_signed(aws, STACK, REGION)
    assert acm_tags(aws, arn)[contract.SELF_SIGNED_TAG] == STACK


def test_ensure_self_signed_imports_a_certificate_for_the_regions_alb_names(aws):
    arn, _ = ensure_self_signed(aws, STACK, REGION)
    described = aws.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    assert described["Type"] == "IMPORTED"
    assert described["SubjectAlternativeNames"] == ["*.eu-west-1.elb.amazonaws.com"]


def test_ensure_self_signed_reuses_the_certificate_on_the_second_call(aws):
    first, _ = ensure_self_signed(aws, STACK, REGION)
    second, new = ensure_self_signed(aws, STACK, REGION)
    assert (second, new) == (first, False)
    assert acm_arns(aws) == [first]


def test_ensure_self_signed_keeps_each_stacks_certificate_apart(aws):
    mine, _ = ensure_self_signed(aws, STACK, REGION)
    theirs, new = ensure_self_signed(aws, "l42-prod", REGION)
    assert new is True and theirs != mine


def test_ensure_self_signed_reimports_a_certificate_near_expiry_under_the_same_arn(aws):
    certificate, key = generate_self_signed("old.example", ["old.example"], valid_days=10)
    arn = aws.client("acm").import_certificate(
        Certificate=certificate, PrivateKey=key,
        Tags=[{"Key": contract.SELF_SIGNED_TAG, "Value": STACK}])["CertificateArn"]
    again, new = ensure_self_signed(aws, STACK, REGION)
    assert (again, new) == (arn, True)
    described = aws.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    assert described["NotAfter"] - datetime.datetime.now(datetime.UTC) > datetime.timedelta(300)


def test_find_self_signed_finds_nothing_for_a_stack_without_one(aws):
    import_self_signed_certificate(aws.client("acm"))  # untagged for a stack
    assert find_self_signed(aws, STACK) is None


def test_find_self_signed_finds_the_stacks_certificate(aws):
    arn, _ = ensure_self_signed(aws, STACK, REGION)
    assert find_self_signed(aws, STACK) == arn


def test_delete_self_signed_deletes_the_certificate_and_names_it(aws):
    arn, _ = ensure_self_signed(aws, STACK, REGION)
    assert delete_self_signed(aws, STACK) == [arn]
    assert acm_arns(aws) == []


def test_delete_self_signed_leaves_other_certificates(aws):
    ensure_self_signed(aws, STACK, REGION)
    other, _ = ensure_self_signed(aws, "l42-prod", REGION)
    delete_self_signed(aws, STACK)
    assert acm_arns(aws) == [other]


def test_delete_self_signed_without_a_certificate_deletes_nothing(aws):
    assert delete_self_signed(aws, STACK) == []


def test_emulator_certificate_import_still_returns_an_acm_arn(aws):
    arn = import_self_signed_certificate(aws.client("acm"))
    described = aws.client("acm").describe_certificate(CertificateArn=arn)["Certificate"]
    assert described["DomainName"] == "fargo.localhost"


# hosted_zone_id against moto's Route53

def test_hosted_zone_id_finds_the_public_zone_by_name(aws):
    zone = public_zone(aws)
    assert hosted_zone_id(aws, "example.com") == zone


def test_hosted_zone_id_accepts_a_trailing_dot(aws):
    zone = public_zone(aws)
    assert hosted_zone_id(aws, "example.com.") == zone


def test_hosted_zone_id_prefers_the_public_zone_over_a_private_one_of_that_name(aws):
    private_zone(aws)
    zone = public_zone(aws)
    assert hosted_zone_id(aws, "example.com") == zone


def test_hosted_zone_id_refuses_a_private_only_zone(aws):
    private_zone(aws)
    with pytest.raises(AwsError, match="private.*fix hosted_zone"):
        hosted_zone_id(aws, "example.com")


def test_hosted_zone_id_refuses_a_missing_zone(aws):
    public_zone(aws, "example.org")
    with pytest.raises(AwsError, match="no Route53 hosted zone example.com.*create it or fix "
                                       "hosted_zone"):
        hosted_zone_id(aws, "example.com")


def test_hosted_zone_id_refuses_two_public_zones_of_one_name(aws):
    aws.client("route53").create_hosted_zone(Name="example.com", CallerReference="one")
    aws.client("route53").create_hosted_zone(Name="example.com", CallerReference="two")
    with pytest.raises(AwsError, match="2 public hosted zones"):
        hosted_zone_id(aws, "example.com")


def test_emulator_hosted_zone_is_created_once_and_then_found(aws):
    route53 = aws.client("route53")
    zone = ensure_hosted_zone(route53, "example.com")
    assert ensure_hosted_zone(route53, "example.com") == zone
    assert hosted_zone_id(aws, "example.com") == zone


# HTTPS with a domain, deployed through moto's CloudFormation

def deploy_with(aws, zone: str, **overrides):
    settings = settings_for(**overrides)
    request = deploy_request(settings, aws)
    request.account = replace(request.account, hosted_zone_id=zone)
    result = engine.deploy(aws, request, answers(), FAST)
    return settings, result


@pytest.fixture
def domain_deploy(aws):
    zone = public_zone(aws)
    settings, result = deploy_with(aws, zone, **DOMAIN)
    return aws, zone, settings, result


def certificate_of_domain(aws, domain: str) -> dict | None:
    for summary in aws.client("acm").list_certificates()["CertificateSummaryList"]:
        if summary["DomainName"] == domain:
            return aws.client("acm").describe_certificate(
                CertificateArn=summary["CertificateArn"])["Certificate"]
    return None


def https_listener(aws) -> dict:
    elbv2 = aws.client("elbv2")
    balancer = elbv2.describe_load_balancers()["LoadBalancers"][0]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])
    return next(x for x in listeners["Listeners"] if x["Port"] == 443)


def test_domain_deploy_creates_an_issued_acm_certificate_for_the_domain(domain_deploy):
    aws, _, _, result = domain_deploy
    assert result.outcome == "deployed"
    certificate = certificate_of_domain(aws, "app.example.com")
    assert certificate is not None
    assert (certificate["Type"], certificate["Status"]) == ("AMAZON_ISSUED", "ISSUED")


def test_domain_deploy_writes_the_certificates_validation_record_into_the_zone(domain_deploy):
    aws, zone, _, _ = domain_deploy
    validation = certificate_of_domain(aws, "app.example.com")["DomainValidationOptions"][0]
    name = validation["ResourceRecord"]["Name"].rstrip(".")
    assert (name, "CNAME") in records(aws, zone)


def test_domain_deploy_points_an_alias_record_at_the_load_balancer(domain_deploy):
    aws, zone, _, result = domain_deploy
    balancer = aws.client("elbv2").describe_load_balancers()["LoadBalancers"][0]
    alias = records(aws, zone)[("app.example.com", "A")]["AliasTarget"]
    assert alias["DNSName"].rstrip(".") == result.outputs[contract.OUTPUT_ALB_DNS]
    assert alias["DNSName"].rstrip(".") == balancer["DNSName"]
    assert alias["HostedZoneId"] == balancer["CanonicalHostedZoneId"]


def test_domain_deploy_https_listener_serves_the_domains_certificate(domain_deploy):
    aws, _, _, _ = domain_deploy
    certificate = certificate_of_domain(aws, "app.example.com")
    assert https_listener(aws)["Certificates"] == [
        {"CertificateArn": certificate["CertificateArn"]}]


def test_domain_deploy_outputs_the_domain_url(domain_deploy):
    _, _, _, result = domain_deploy
    assert result.outputs[contract.OUTPUT_DOMAIN_URL] == "https://app.example.com"


def test_changing_the_domain_replaces_certificate_and_record_in_an_ordinary_deploy(domain_deploy):
    aws, zone, _, _ = domain_deploy
    _, result = deploy_with(aws, zone, **dict(DOMAIN, domain="www.example.com"))
    assert result.outcome == "deployed"
    new = certificate_of_domain(aws, "www.example.com")
    assert certificate_of_domain(aws, "app.example.com") is None
    assert https_listener(aws)["Certificates"] == [{"CertificateArn": new["CertificateArn"]}]
    names = {name for name, kind in records(aws, zone) if kind == "A"}
    assert names == {"www.example.com"}


def test_destroy_after_a_domain_deploy_leaves_no_certificate_and_no_alias_record(domain_deploy):
    aws, zone, settings, _ = domain_deploy
    result = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert result.left == []
    assert aws.client("cloudformation").list_stacks(
        StackStatusFilter=["CREATE_COMPLETE", "UPDATE_COMPLETE"])["StackSummaries"] == []
    assert acm_arns(aws) == []
    assert ("app.example.com", "A") not in records(aws, zone)


def test_destroy_after_a_domain_deploy_leaves_only_the_validation_record_as_aws_does(
        domain_deploy):
    """CloudFormation does not delete the DNS validation CNAME with the certificate."""
    aws, zone, settings, _ = domain_deploy
    certificate = certificate_of_domain(aws, "app.example.com")["CertificateArn"]
    names = [n.rstrip(".") for n in validation_records(aws, certificate)]
    destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    left = [(name, kind) for name, kind in records(aws, zone) if name != "example.com"]
    assert left == [(names[0], "CNAME")] and len(names) == 1


def test_domain_deploy_into_an_unknown_zone_fails_as_on_aws_and_leaves_no_stack(aws):
    public_zone(aws)  # found by the lookup; the stack is then given another ID
    # CloudFormation checks a parameter of type AWS::Route53::HostedZone::Id at once
    with pytest.raises(AwsError, match="HostedZoneId does not exist"):
        deploy_with(aws, "Z0000000000000UNKNOWN", **DOMAIN)
    assert describe_stack(aws, STACK) is None


# HTTPS with a self-signed certificate, deployed through moto's CloudFormation

def test_self_signed_deploy_serves_the_imported_certificate_and_destroy_can_delete_it(aws):
    arn, _ = ensure_self_signed(aws, STACK, REGION)
    settings = settings_for(certificate_arn=None)
    request = deploy_request(settings, aws)
    request.account = replace(request.account, certificate_arn=arn)
    engine.deploy(aws, request, answers(), FAST)
    assert https_listener(aws)["Certificates"] == [{"CertificateArn": arn}]
    destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert delete_self_signed(aws, STACK) == [arn]
    assert acm_arns(aws) == []
