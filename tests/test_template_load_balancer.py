"""Load balancer: the ALB, its target group and its listeners in HTTPS and HTTP-only modes."""

from __future__ import annotations

import re

import pytest
from template_assertions import CERT, ECR_IMAGE, Template

HTTP_ONLY = {"https": False, "certificate_arn": None}
LISTENER = "AWS::ElasticLoadBalancingV2::Listener"
FORWARD = [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}]


def attributes(template: Template) -> dict:
    return {a["Key"]: a["Value"]
            for a in template.properties("LoadBalancer")["LoadBalancerAttributes"]}


def test_load_balancer_is_an_internet_facing_application_load_balancer():
    template = Template.of()
    template.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 1)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::LoadBalancer", {
        "Type": "application", "Scheme": "internet-facing", "IpAddressType": "ipv4",
        "SecurityGroups": [{"Ref": "LoadBalancerSecurityGroup"}],
    })


@pytest.mark.parametrize(("az_count", "subnets"), [(1, 2), (2, 2), (3, 3)])
def test_load_balancer_sits_in_every_public_subnet(az_count, subnets):
    template = Template.of(az_count=az_count)
    assert template.properties("LoadBalancer")["Subnets"] == [
        {"Ref": f"PublicSubnet{i}"} for i in range(1, subnets + 1)
    ]


def test_load_balancer_drops_invalid_header_fields():
    assert attributes(Template.of())["routing.http.drop_invalid_header_fields.enabled"] == "true"


def test_load_balancer_waits_for_the_internet_gateway_attachment():
    template = Template.of()
    assert "InternetGatewayAttachment" in template.resources["LoadBalancer"]["DependsOn"]


@pytest.mark.parametrize("resource_type", [
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::TargetGroup",
])
def test_load_balancer_and_target_group_have_no_physical_name(resource_type):
    template = Template.of()
    for properties in (r["Properties"] for r in template.of_type(resource_type).values()):
        assert "Name" not in properties


def test_https_mode_has_an_https_and_an_http_listener():
    template = Template.of()
    template.resource_count_is(LISTENER, 2)
    assert sorted(template.of_type(LISTENER)) == ["HttpListener", "HttpsListener"]


def test_http_listener_redirects_to_https_with_302():
    template = Template.of()
    assert template.properties("HttpListener")["DefaultActions"] == [{
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_302"},
    }]


def test_http_listener_redirects_with_301_when_configured():
    template = Template.of(http_redirect_code=301)
    template.has_resource_properties(LISTENER, {
        "Port": 80, "Protocol": "HTTP",
        "DefaultActions": [{"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301",
        }}],
    })


def test_http_listener_listens_on_port_80_of_the_load_balancer():
    template = Template.of()
    properties = template.properties("HttpListener")
    assert (properties["Port"], properties["Protocol"]) == (80, "HTTP")
    assert properties["LoadBalancerArn"] == {"Ref": "LoadBalancer"}


def test_https_listener_uses_the_tls13_policy():
    template = Template.of()
    template.has_resource_properties(LISTENER, {
        "Port": 443, "Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    })


def test_https_listener_policy_follows_setting():
    policy = "ELBSecurityPolicy-TLS13-1-3-2021-06"
    assert Template.of(tls_policy=policy).properties("HttpsListener")["SslPolicy"] == policy


def test_https_listener_uses_the_certificate_parameter():
    template = Template.of()
    assert template.properties("HttpsListener")["Certificates"] == [
        {"CertificateArn": {"Ref": "CertificateArn"}}
    ]


def test_certificate_parameter_defaults_to_the_configured_certificate():
    parameter = Template.of().data["Parameters"]["CertificateArn"]
    assert parameter["Type"] == "String"
    assert parameter["Default"] == CERT
    assert re.match(parameter["AllowedPattern"], CERT)


def test_https_listener_forwards_to_the_target_group():
    template = Template.of()
    assert template.properties("HttpsListener")["DefaultActions"] == FORWARD


def test_http_only_mode_has_one_listener_on_80_forwarding_to_the_target_group():
    template = Template.of(**HTTP_ONLY)
    template.resource_count_is(LISTENER, 1)
    properties = template.properties("HttpListener")
    assert (properties["Port"], properties["Protocol"]) == (80, "HTTP")
    assert properties["DefaultActions"] == FORWARD


def test_http_only_mode_has_no_certificate_parameter():
    template = Template.of(**HTTP_ONLY)
    assert "CertificateArn" not in template.data.get("Parameters", {})
    assert "HttpsListener" not in template.resources


@pytest.mark.parametrize("port", [80, 8080])
def test_target_group_sends_http_to_task_ips_on_the_container_port(port):
    template = Template.of(port=port)
    template.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 1)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::TargetGroup", {
        "TargetType": "ip", "Protocol": "HTTP", "Port": port, "VpcId": {"Ref": "Vpc"},
    })


def test_health_check_is_every_5_s_with_a_4_s_timeout_and_3_failures_to_unhealthy():
    """Fast rollouts (config/fields/health.py): a new target needs one passing check."""
    template = Template.of()
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::TargetGroup", {
        "HealthCheckEnabled": True, "HealthCheckProtocol": "HTTP",
        "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 4,
        "Matcher": {"HttpCode": "200"},
        "HealthyThresholdCount": 2, "UnhealthyThresholdCount": 3,
    })


def test_health_check_path_is_root_for_the_sample_image():
    assert Template.of().properties("TargetGroup")["HealthCheckPath"] == "/"


@pytest.mark.parametrize("image", [ECR_IMAGE, "ghcr.io/example/l42:latest"])
def test_health_check_path_is_health_for_any_other_image(image):
    assert Template.of(image=image).properties("TargetGroup")["HealthCheckPath"] == "/health"


def test_health_check_path_follows_setting():
    template = Template.of(health_check_path="/ready")
    assert template.properties("TargetGroup")["HealthCheckPath"] == "/ready"


def test_health_check_settings_are_passed_through():
    template = Template.of(
        health_check_interval=30, health_check_timeout=5, health_check_matcher="200-299",
        healthy_threshold=3, unhealthy_threshold=4,
    )
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::TargetGroup", {
        "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5,
        "Matcher": {"HttpCode": "200-299"},
        "HealthyThresholdCount": 3, "UnhealthyThresholdCount": 4,
    })


def test_deregistration_delay_is_10_seconds_like_the_stop_timeout():
    template = Template.of()
    assert template.properties("TargetGroup")["TargetGroupAttributes"] == [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "10"},
    ]
    assert template.properties("TaskDefinition")["ContainerDefinitions"][0]["StopTimeout"] == 10


def test_deregistration_delay_follows_setting():
    template = Template.of(deregistration_delay=5)
    assert template.properties("TargetGroup")["TargetGroupAttributes"] == [
        {"Key": "deregistration_delay.timeout_seconds", "Value": "5"},
    ]


HSTS_KEY = "routing.http.response.strict_transport_security.header_value"


def test_https_listener_sends_hsts_for_a_year_by_default():
    assert Template.of().properties("HttpsListener")["ListenerAttributes"] == [
        {"Key": HSTS_KEY, "Value": "max-age=31536000"}]


def test_hsts_value_follows_the_setting():
    listener = Template.of(hsts="max-age=63072000; includeSubDomains; preload").properties(
        "HttpsListener")
    assert listener["ListenerAttributes"] == [
        {"Key": HSTS_KEY, "Value": "max-age=63072000; includeSubDomains; preload"}]


def test_empty_hsts_sends_no_header():
    assert "ListenerAttributes" not in Template.of(hsts="").properties("HttpsListener")


def test_http_listeners_never_carry_hsts():
    for overrides in ({}, {"https": False, "certificate_arn": None}):
        assert "ListenerAttributes" not in Template.of(**overrides).properties("HttpListener")
