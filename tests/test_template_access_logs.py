"""ALB access logs: an encrypted, private, TLS-only, expiring, retained bucket."""

from __future__ import annotations

import pytest
from template_assertions import Template

BUCKET_ARN = {"Fn::GetAtt": ["AccessLogBucket", "Arn"]}
PRINCIPAL = {"Fn::FindInMap": ["ElbLogDelivery", {"Ref": "AWS::Region"}, "Principal"]}
ME_CENTRAL = {
    "region": "me-central-1",
    "certificate_arn": "arn:aws:acm:me-central-1:123456789012:certificate/abc",
}


def statements(template: Template) -> dict[str, dict]:
    policy = template.properties("AccessLogBucketPolicy")["PolicyDocument"]
    return {s["Sid"]: s for s in policy["Statement"]}


def lb_attributes(template: Template) -> dict:
    return {a["Key"]: a["Value"]
            for a in template.properties("LoadBalancer")["LoadBalancerAttributes"]}


def test_access_logs_add_one_bucket_and_its_policy():
    template = Template.of()
    template.resource_count_is("AWS::S3::Bucket", 1)
    template.resource_count_is("AWS::S3::BucketPolicy", 1)
    assert template.properties("AccessLogBucketPolicy")["Bucket"] == {"Ref": "AccessLogBucket"}


def test_bucket_is_encrypted_with_sse_s3():
    template = Template.of()
    template.has_resource_properties("AWS::S3::Bucket", {
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}},
        ]},
    })


def test_bucket_blocks_all_public_access():
    assert Template.of().properties("AccessLogBucket")["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True,
        "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }


def test_bucket_objects_expire_after_30_days():
    rules = Template.of().properties("AccessLogBucket")["LifecycleConfiguration"]["Rules"]
    assert len(rules) == 1
    assert rules[0]["Status"] == "Enabled"
    assert rules[0]["ExpirationInDays"] == 30


def test_bucket_expiry_follows_setting():
    rules = Template.of(access_log_expiry_days=7).properties("AccessLogBucket")[
        "LifecycleConfiguration"]["Rules"]
    assert rules[0]["ExpirationInDays"] == 7


def test_bucket_is_retained_on_delete_and_replace():
    bucket = Template.of().resources["AccessLogBucket"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"


def test_bucket_policy_denies_every_request_without_tls():
    assert statements(Template.of())["DenyInsecureTransport"] == {
        "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [BUCKET_ARN, {"Fn::Sub": "${AccessLogBucket.Arn}/*"}],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_bucket_policy_lets_the_regions_log_delivery_principal_put_objects_under_the_prefix():
    assert statements(Template.of())["LoadBalancerLogDelivery"] == {
        "Sid": "LoadBalancerLogDelivery", "Effect": "Allow", "Action": "s3:PutObject",
        "Principal": {"Fn::If": ["ElbLogDeliveryByAccount", {"AWS": PRINCIPAL},
                                 {"Service": PRINCIPAL}]},
        "Resource": {"Fn::Sub": "${AccessLogBucket.Arn}/alb/AWSLogs/${AWS::AccountId}/*"},
    }


def test_bucket_policy_has_only_the_two_statements():
    assert sorted(statements(Template.of())) == ["DenyInsecureTransport", "LoadBalancerLogDelivery"]


def test_older_region_maps_to_its_elb_account():
    mapping = Template.of().data["Mappings"]["ElbLogDelivery"]
    assert mapping["eu-west-1"] == {
        "PrincipalType": "AWS", "Principal": "arn:aws:iam::156460612806:root",
    }


def test_newer_region_maps_to_the_log_delivery_service_principal():
    mapping = Template.of(**ME_CENTRAL).data["Mappings"]["ElbLogDelivery"]
    assert mapping["me-central-1"] == {
        "PrincipalType": "Service", "Principal": "logdelivery.elasticloadbalancing.amazonaws.com",
    }


def test_delivery_condition_reads_the_principal_type_from_the_mapping():
    assert Template.of().data["Conditions"]["ElbLogDeliveryByAccount"] == {"Fn::Equals": [
        {"Fn::FindInMap": ["ElbLogDelivery", {"Ref": "AWS::Region"}, "PrincipalType"]}, "AWS",
    ]}


def test_load_balancer_writes_to_the_bucket_under_the_alb_prefix():
    attributes = lb_attributes(Template.of())
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == {"Ref": "AccessLogBucket"}
    assert attributes["access_logs.s3.prefix"] == "alb"


def test_load_balancer_depends_on_the_bucket_policy():
    assert "AccessLogBucketPolicy" in Template.of().resources["LoadBalancer"]["DependsOn"]


def test_bucket_name_is_an_output():
    assert Template.of().data["Outputs"]["AccessLogBucket"]["Value"] == {"Ref": "AccessLogBucket"}


@pytest.mark.parametrize("mode", [{}, {"https": False, "certificate_arn": None}],
                         ids=["https", "http-only"])
def test_access_logs_off_removes_bucket_policy_mapping_and_condition(mode):
    template = Template.of(access_logs=False, **mode)
    template.resource_count_is("AWS::S3::Bucket", 0)
    template.resource_count_is("AWS::S3::BucketPolicy", 0)
    assert "ElbLogDelivery" not in template.data.get("Mappings", {})
    assert "ElbLogDeliveryByAccount" not in template.data.get("Conditions", {})
    assert "AccessLogBucket" not in template.data["Outputs"]


def test_access_logs_off_leaves_no_log_attributes_or_dependency_on_the_load_balancer():
    template = Template.of(access_logs=False)
    # Said explicitly: dropping the attribute would leave a deployed load balancer logging.
    assert {k: v for k, v in lb_attributes(template).items() if k.startswith("access_logs.")} == {
        "access_logs.s3.enabled": "false"}
    assert template.resources["LoadBalancer"]["DependsOn"] == ["InternetGatewayAttachment"]
