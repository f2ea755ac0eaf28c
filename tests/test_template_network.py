"""Network: VPC, subnets per availability zone, internet gateway, NAT and route tables."""

from __future__ import annotations

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}


def zone(index: int) -> dict:
    return {"Fn::Select": [index, {"Fn::GetAZs": ""}]}


def default_routes(template: Template) -> dict[str, dict]:
    """Routes to 0.0.0.0/0, by logical ID."""
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template.of_type("AWS::EC2::Route").items()
        if resource["Properties"].get("DestinationCidrBlock") == "0.0.0.0/0"
    }


def private_subnet_ids(template: Template) -> list[str]:
    return sorted(k for k in template.of_type("AWS::EC2::Subnet") if k.startswith("Private"))


def test_vpc_has_dns_support_and_hostnames():
    template = Template.of()
    template.resource_count_is("AWS::EC2::VPC", 1)
    template.has_resource_properties("AWS::EC2::VPC", {
        "CidrBlock": "10.0.0.0/16", "EnableDnsSupport": True, "EnableDnsHostnames": True,
    })


def test_vpc_cidr_follows_setting():
    template = Template.of(
        vpc_cidr="10.8.0.0/16",
        public_subnet_cidrs=["10.8.0.0/24", "10.8.2.0/24"],
        private_subnet_cidrs=["10.8.1.0/24", "10.8.3.0/24"],
    )
    template.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "10.8.0.0/16"})


def test_default_has_two_public_and_two_private_subnets():
    template = Template.of()
    template.resource_count_is("AWS::EC2::Subnet", 4)
    assert private_subnet_ids(template) == ["PrivateSubnet1", "PrivateSubnet2"]


def test_public_subnets_use_the_original_cidrs():
    template = Template.of()
    assert template.properties("PublicSubnet1")["CidrBlock"] == "10.0.0.0/24"
    assert template.properties("PublicSubnet2")["CidrBlock"] == "10.0.2.0/24"


def test_private_subnets_use_the_original_cidrs():
    template = Template.of()
    assert template.properties("PrivateSubnet1")["CidrBlock"] == "10.0.1.0/24"
    assert template.properties("PrivateSubnet2")["CidrBlock"] == "10.0.3.0/24"


@pytest.mark.parametrize(("az_count", "public", "private"), [(1, 2, 1), (2, 2, 2), (3, 3, 3)])
def test_subnet_count_follows_az_count_with_two_public_subnets_at_least(az_count, public, private):
    template = Template.of(az_count=az_count)
    template.resource_count_is("AWS::EC2::Subnet", public + private)
    assert len(private_subnet_ids(template)) == private


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_each_private_subnet_sits_in_its_own_availability_zone(az_count):
    template = Template.of(az_count=az_count)
    zones = [template.properties(f"PrivateSubnet{i}")["AvailabilityZone"]
             for i in range(1, az_count + 1)]
    assert zones == [zone(i) for i in range(az_count)]


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_public_subnets_span_at_least_two_availability_zones(az_count):
    template = Template.of(az_count=az_count)
    count = max(2, az_count)
    zones = [template.properties(f"PublicSubnet{i}")["AvailabilityZone"]
             for i in range(1, count + 1)]
    assert zones == [zone(i) for i in range(count)]


def test_third_zone_uses_the_third_default_cidrs():
    template = Template.of(az_count=3)
    assert template.properties("PublicSubnet3")["CidrBlock"] == "10.0.4.0/24"
    assert template.properties("PrivateSubnet3")["CidrBlock"] == "10.0.5.0/24"


def test_custom_subnet_cidrs_are_used_in_order():
    template = Template.of(
        az_count=1,
        public_subnet_cidrs=["10.0.10.0/24", "10.0.11.0/24"],
        private_subnet_cidrs=["10.0.20.0/23"],
    )
    assert template.properties("PublicSubnet1")["CidrBlock"] == "10.0.10.0/24"
    assert template.properties("PublicSubnet2")["CidrBlock"] == "10.0.11.0/24"
    assert template.properties("PrivateSubnet1")["CidrBlock"] == "10.0.20.0/23"


@pytest.mark.parametrize("overrides", [
    {"az_count": 1}, {"az_count": 2}, {"az_count": 3, "nat_per_az": True},
    dict(ISOLATED), dict(ISOLATED, az_count=3),
], ids=["nat-1az", "nat-2az", "nat-3az", "isolated-2az", "isolated-3az"])
def test_private_subnets_never_map_public_ips(overrides):
    template = Template.of(**overrides)
    subnets = private_subnet_ids(template)
    assert subnets
    for logical_id in subnets:
        assert template.properties(logical_id)["MapPublicIpOnLaunch"] is False, logical_id


def test_internet_gateway_is_attached_to_the_vpc():
    template = Template.of()
    template.resource_count_is("AWS::EC2::InternetGateway", 1)
    template.resource_count_is("AWS::EC2::VPCGatewayAttachment", 1)
    template.has_resource_properties("AWS::EC2::VPCGatewayAttachment", {
        "VpcId": {"Ref": "Vpc"}, "InternetGatewayId": {"Ref": "InternetGateway"},
    })


def test_public_route_table_routes_to_the_internet_gateway_after_attachment():
    template = Template.of()
    assert template.properties("PublicDefaultRoute") == {
        "RouteTableId": {"Ref": "PublicRouteTable"}, "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": {"Ref": "InternetGateway"},
    }
    assert template.resources["PublicDefaultRoute"]["DependsOn"] == "InternetGatewayAttachment"


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_public_subnets_share_the_public_route_table(az_count):
    template = Template.of(az_count=az_count)
    for index in range(1, max(2, az_count) + 1):
        template.has_resource_properties("AWS::EC2::SubnetRouteTableAssociation", {
            "SubnetId": {"Ref": f"PublicSubnet{index}"},
            "RouteTableId": {"Ref": "PublicRouteTable"},
        })


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_each_private_subnet_has_its_own_route_table(az_count):
    template = Template.of(az_count=az_count)
    template.resource_count_is("AWS::EC2::RouteTable", 1 + az_count)
    for index in range(1, az_count + 1):
        template.has_resource_properties("AWS::EC2::SubnetRouteTableAssociation", {
            "SubnetId": {"Ref": f"PrivateSubnet{index}"},
            "RouteTableId": {"Ref": f"PrivateRouteTable{index}"},
        })


def test_every_subnet_is_associated_with_exactly_one_route_table():
    template = Template.of(az_count=3)
    associated = [
        resource["Properties"]["SubnetId"]["Ref"]
        for resource in template.of_type("AWS::EC2::SubnetRouteTableAssociation").values()
    ]
    assert sorted(associated) == sorted(template.of_type("AWS::EC2::Subnet"))


def test_nat_profile_has_one_nat_gateway_with_an_elastic_ip_by_default():
    template = Template.of()
    template.resource_count_is("AWS::EC2::EIP", 1)
    template.resource_count_is("AWS::EC2::NatGateway", 1)
    assert template.properties("NatElasticIp1")["Domain"] == "vpc"
    template.has_resource_properties("AWS::EC2::NatGateway", {
        "AllocationId": {"Fn::GetAtt": ["NatElasticIp1", "AllocationId"]},
        "SubnetId": {"Ref": "PublicSubnet1"},
    })


def test_elastic_ip_waits_for_the_internet_gateway_attachment():
    template = Template.of()
    assert template.resources["NatElasticIp1"]["DependsOn"] == "InternetGatewayAttachment"


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_single_nat_carries_every_private_default_route(az_count):
    template = Template.of(az_count=az_count)
    routes = default_routes(template)
    private = {k: v for k, v in routes.items() if k != "PublicDefaultRoute"}
    assert sorted(private) == [f"PrivateDefaultRoute{i}" for i in range(1, az_count + 1)]
    for index in range(1, az_count + 1):
        assert private[f"PrivateDefaultRoute{index}"] == {
            "RouteTableId": {"Ref": f"PrivateRouteTable{index}"},
            "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": {"Ref": "NatGateway1"},
        }


@pytest.mark.parametrize("az_count", [2, 3])
def test_nat_per_az_creates_one_nat_gateway_and_elastic_ip_per_zone(az_count):
    template = Template.of(az_count=az_count, nat_per_az=True)
    template.resource_count_is("AWS::EC2::EIP", az_count)
    template.resource_count_is("AWS::EC2::NatGateway", az_count)
    for index in range(1, az_count + 1):
        assert template.properties(f"NatGateway{index}")["SubnetId"] == {
            "Ref": f"PublicSubnet{index}"
        }
        assert template.properties(f"NatGateway{index}")["AllocationId"] == {
            "Fn::GetAtt": [f"NatElasticIp{index}", "AllocationId"]
        }


@pytest.mark.parametrize("az_count", [2, 3])
def test_nat_per_az_routes_each_private_subnet_through_its_own_zone(az_count):
    template = Template.of(az_count=az_count, nat_per_az=True)
    for index in range(1, az_count + 1):
        route = template.properties(f"PrivateDefaultRoute{index}")
        assert route["RouteTableId"] == {"Ref": f"PrivateRouteTable{index}"}
        assert route["NatGatewayId"] == {"Ref": f"NatGateway{index}"}


def test_nat_per_az_with_one_zone_has_one_nat_gateway():
    template = Template.of(az_count=1, nat_per_az=True)
    template.resource_count_is("AWS::EC2::NatGateway", 1)
    template.resource_count_is("AWS::EC2::EIP", 1)


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_isolated_has_no_nat_gateway_elastic_ip_or_private_default_route(az_count):
    template = Template.of(az_count=az_count, **ISOLATED)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::EIP", 0)
    assert list(default_routes(template)) == ["PublicDefaultRoute"]


def test_isolated_keeps_private_subnets_and_their_route_tables():
    template = Template.of(**ISOLATED)
    assert private_subnet_ids(template) == ["PrivateSubnet1", "PrivateSubnet2"]
    template.resource_count_is("AWS::EC2::RouteTable", 3)


def test_public_profile_has_no_private_subnets_nat_or_private_route_tables():
    template = Template.of(network="public")
    assert private_subnet_ids(template) == []
    template.resource_count_is("AWS::EC2::Subnet", 2)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::EIP", 0)
    template.resource_count_is("AWS::EC2::RouteTable", 1)
    assert list(default_routes(template)) == ["PublicDefaultRoute"]


def test_public_profile_with_three_zones_has_three_public_subnets():
    template = Template.of(network="public", az_count=3)
    template.resource_count_is("AWS::EC2::Subnet", 3)
    assert private_subnet_ids(template) == []
