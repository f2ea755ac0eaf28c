"""VPC endpoints: interface endpoints per the list, S3 gateway always, none in public."""

from __future__ import annotations

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
ENDPOINT = "AWS::EC2::VPCEndpoint"


def interface_services(template: Template) -> list[str]:
    """Service suffixes (after com.amazonaws.${AWS::Region}.) of the interface endpoints."""
    prefix = "com.amazonaws.${AWS::Region}."
    return sorted(
        resource["Properties"]["ServiceName"]["Fn::Sub"].removeprefix(prefix)
        for resource in template.of_type(ENDPOINT).values()
        if resource["Properties"]["VpcEndpointType"] == "Interface"
    )


def interface_endpoints(template: Template) -> dict[str, dict]:
    return {k: v["Properties"] for k, v in template.of_type(ENDPOINT).items()
            if v["Properties"]["VpcEndpointType"] == "Interface"}


def test_default_interface_endpoints_are_ecr_logs_and_ssmmessages_for_exec():
    template = Template.of()
    assert interface_services(template) == ["ecr.api", "ecr.dkr", "logs", "ssmmessages"]
    template.resource_count_is(ENDPOINT, 5)


def test_exec_off_drops_the_ssmmessages_endpoint():
    template = Template.of(ecs_exec=False)
    assert interface_services(template) == ["ecr.api", "ecr.dkr", "logs"]
    template.resource_count_is(ENDPOINT, 4)


def test_custom_endpoint_list_is_used_as_given():
    template = Template.of(ecs_exec=False, vpc_endpoints=[
        "ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns",
    ])
    assert interface_services(template) == sorted(
        ["ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns"]
    )


def test_ssmmessages_listed_and_exec_on_gives_one_ssmmessages_endpoint():
    template = Template.of(vpc_endpoints=["ecr.api", "ecr.dkr", "logs", "ssmmessages"])
    assert interface_services(template) == ["ecr.api", "ecr.dkr", "logs", "ssmmessages"]


def test_empty_endpoint_list_leaves_only_the_s3_gateway():
    template = Template.of(vpc_endpoints=[], ecs_exec=False)
    template.resource_count_is(ENDPOINT, 1)
    assert "S3GatewayEndpoint" in template.resources


def test_endpoint_logical_ids_are_stable_names_of_the_services():
    template = Template.of()
    assert sorted(interface_endpoints(template)) == [
        "EcrApiEndpoint", "EcrDkrEndpoint", "LogsEndpoint", "SsmmessagesEndpoint",
    ]


def test_endpoint_logical_ids_do_not_depend_on_list_order():
    forward = Template.of(vpc_endpoints=["ecr.api", "ecr.dkr", "logs"])
    backward = Template.of(vpc_endpoints=["logs", "ecr.dkr", "ecr.api"])
    assert forward.of_type(ENDPOINT) == backward.of_type(ENDPOINT)


@pytest.mark.parametrize("overrides", [{}, ISOLATED], ids=["nat", "isolated"])
@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_interface_endpoints_have_private_dns_and_an_interface_in_every_private_subnet(
    overrides, az_count
):
    template = Template.of(az_count=az_count, **overrides)
    endpoints = interface_endpoints(template)
    assert endpoints
    for properties in endpoints.values():
        assert properties["PrivateDnsEnabled"] is True
        assert properties["VpcId"] == {"Ref": "Vpc"}
        assert properties["SubnetIds"] == [
            {"Ref": f"PrivateSubnet{i}"} for i in range(1, az_count + 1)
        ]


def test_interface_endpoints_use_the_endpoint_security_group():
    for properties in interface_endpoints(Template.of()).values():
        assert properties["SecurityGroupIds"] == [{"Ref": "EndpointSecurityGroup"}]


@pytest.mark.parametrize("overrides", [{}, ISOLATED], ids=["nat", "isolated"])
@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_s3_gateway_endpoint_serves_every_private_route_table(overrides, az_count):
    template = Template.of(az_count=az_count, **overrides)
    template.has_resource_properties(ENDPOINT, {
        "VpcEndpointType": "Gateway", "VpcId": {"Ref": "Vpc"},
        "ServiceName": {"Fn::Sub": "com.amazonaws.${AWS::Region}.s3"},
        "RouteTableIds": [{"Ref": f"PrivateRouteTable{i}"} for i in range(1, az_count + 1)],
    })


def test_nat_s3_gateway_endpoint_has_no_restricting_policy():
    assert "PolicyDocument" not in Template.of().properties("S3GatewayEndpoint")


def test_isolated_s3_gateway_endpoint_allows_only_the_regions_ecr_layer_bucket():
    policy = Template.of(**ISOLATED).properties("S3GatewayEndpoint")["PolicyDocument"]
    assert policy["Statement"] == [{
        "Sid": "EcrImageLayersOnly", "Effect": "Allow", "Principal": "*",
        "Action": ["s3:GetObject"],
        "Resource": [{"Fn::Sub": (
            "arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*"
        )}],
    }]


def test_isolated_keeps_the_platform_endpoints_without_exec_by_default():
    template = Template.of(**ISOLATED)
    assert interface_services(template) == ["ecr.api", "ecr.dkr", "logs"]


def test_isolated_with_exec_turned_on_gets_the_ssmmessages_endpoint():
    template = Template.of(**ISOLATED, ecs_exec=True)
    assert interface_services(template) == ["ecr.api", "ecr.dkr", "logs", "ssmmessages"]


def test_public_profile_has_no_vpc_endpoints():
    template = Template.of(network="public")
    template.resource_count_is(ENDPOINT, 0)


def test_public_profile_ignores_the_endpoint_list():
    template = Template.of(network="public", vpc_endpoints=["ecr.api", "monitoring"])
    template.resource_count_is(ENDPOINT, 0)
