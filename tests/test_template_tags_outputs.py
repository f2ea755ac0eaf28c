"""Tags on every taggable resource, and the stack outputs the user and the engine read."""

from __future__ import annotations

import re
from functools import cache

import pytest
from template_assertions import ECR_IMAGE, Template

from fargo.template.common import UNTAGGED

VARIANTS = {
    "default": {},
    "http-only": {"https": False, "certificate_arn": None},
    "nat-per-az": {"az_count": 3, "nat_per_az": True},
    "isolated": {"network": "isolated", "image": ECR_IMAGE},
    "public": {"network": "public"},
    "schedules": {"schedules": [{"schedule": "cron(0 8 ? * MON-FRI *)",
                                 "min_count": 1, "max_count": 2}]},
    "domain": {"domain": "app.example.com", "hosted_zone": "example.com",
               "certificate_arn": None},
    "self-signed": {"certificate_arn": None},
}
USER_TAGS = {"team": "research", "cost-center": "42"}


@cache
def schema_has_tags(resource_type: str) -> bool:
    """Whether CloudFormation's own resource schema (as cfn-lint ships it) takes Tags."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("eu-west-1", resource_type).schema
    return "Tags" in schema.get("properties", {})


def tags_of(resource: dict) -> dict[str, str]:
    tags = resource["Properties"]["Tags"]
    if isinstance(tags, dict):  # AWS::SSM::Parameter takes a map
        return dict(tags)
    return {t["Key"]: t["Value"] for t in tags}


def taggable(template: Template) -> dict[str, dict]:
    """Resources that take tags and that fargo tags (not alarms, the dashboard or the alarm
    topic's key: template/common.py says why)."""
    return {k: v for k, v in template.resources.items()
            if schema_has_tags(v["Type"]) and v["Type"] not in UNTAGGED}


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_taggable_resource_has_name_and_environment_tags(overrides):
    template = Template.of(**overrides)
    resources = taggable(template)
    assert len(resources) > 10
    for logical_id, resource in resources.items():
        assert "Tags" in resource["Properties"], f"{logical_id} ({resource['Type']}) is untagged"
        tags = tags_of(resource)
        assert tags["Environment"] == "dev", logical_id
        assert tags["Name"].startswith("l42-dev-"), logical_id


def test_untaggable_resources_carry_no_tags():
    template = Template.of()
    for logical_id, resource in template.resources.items():
        if not schema_has_tags(resource["Type"]) or resource["Type"] in UNTAGGED:
            assert "Tags" not in resource.get("Properties", {}), logical_id


def test_name_tag_combines_stack_name_and_resource():
    template = Template.of(name="web", environment="prod")
    assert tags_of(template.resources["Vpc"])["Name"] == "web-prod-vpc"
    assert tags_of(template.resources["PrivateSubnet1"])["Name"] == "web-prod-private-subnet1"
    assert tags_of(template.resources["Vpc"])["Environment"] == "prod"


def test_name_tags_are_unique():
    names = [tags_of(r)["Name"] for r in taggable(Template.of(az_count=3)).values()]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_user_tags_are_on_every_taggable_resource(overrides):
    template = Template.of(tags=USER_TAGS, **overrides)
    for logical_id, resource in taggable(template).items():
        tags = tags_of(resource)
        assert {k: tags.get(k) for k in USER_TAGS} == USER_TAGS, logical_id
        assert {"Name", "Environment"} <= set(tags), logical_id


def test_outputs_name_the_load_balancer_url_cluster_and_service():
    outputs = Template.of().data["Outputs"]
    assert {"AlbDns", "ServiceUrl", "ClusterName", "ServiceName"} <= set(outputs)


def test_output_names_are_alphanumeric():
    for name in Template.of().data["Outputs"]:
        assert re.fullmatch(r"[A-Za-z0-9]+", name), name


def test_alb_dns_output_is_the_load_balancers_dns_name():
    outputs = Template.of().data["Outputs"]
    assert outputs["AlbDns"]["Value"] == {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}


def test_service_url_is_https_in_https_mode():
    outputs = Template.of().data["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == {"Fn::Sub": "https://${LoadBalancer.DNSName}"}


def test_service_url_is_http_in_http_only_mode():
    outputs = Template.of(https=False, certificate_arn=None).data["Outputs"]
    assert outputs["ServiceUrl"]["Value"] == {"Fn::Sub": "http://${LoadBalancer.DNSName}"}


def test_cluster_and_service_name_outputs_refer_to_the_resources():
    outputs = Template.of().data["Outputs"]
    assert outputs["ClusterName"]["Value"] == {"Ref": "Cluster"}
    assert outputs["ServiceName"]["Value"] == {"Fn::GetAtt": ["Service", "Name"]}
