"""ipv6: a dual-stack load balancer in public subnets with IPv6 ranges; ::/0 mirrors 0.0.0.0/0."""

from __future__ import annotations

from template_assertions import Template
from test_template_security import without_description


def test_load_balancer_is_ipv4_only_without_ipv6():
    template = Template.of()
    assert template.properties("LoadBalancer")["IpAddressType"] == "ipv4"
    template.resource_count_is("AWS::EC2::VPCCidrBlock", 0)
    template.resource_count_is("AWS::EC2::SubnetCidrBlock", 0)


def test_ipv6_makes_the_load_balancer_dual_stack_once_its_subnets_have_ranges():
    template = Template.of(ipv6=True)
    assert template.properties("LoadBalancer")["IpAddressType"] == "dualstack"
    assert {"PublicSubnet1Ipv6CidrBlock", "PublicSubnet2Ipv6CidrBlock"} <= set(
        template.resources["LoadBalancer"]["DependsOn"])


def test_ipv6_gives_the_vpc_an_amazon_range_and_each_public_subnet_a_64():
    template = Template.of(ipv6=True, az_count=3)
    template.has_resource_properties("AWS::EC2::VPCCidrBlock", {
        "VpcId": {"Ref": "Vpc"}, "AmazonProvidedIpv6CidrBlock": True})
    for index in (1, 2, 3):
        block = template.resources[f"PublicSubnet{index}Ipv6CidrBlock"]
        assert block["DependsOn"] == ["VpcIpv6CidrBlock"]
        assert block["Properties"] == {
            "SubnetId": {"Ref": f"PublicSubnet{index}"},
            "Ipv6CidrBlock": {"Fn::Select": [index - 1, {"Fn::Cidr": [
                {"Fn::Select": [0, {"Fn::GetAtt": ["Vpc", "Ipv6CidrBlocks"]}]}, 8, 64]}]},
        }
    template.resource_count_is("AWS::EC2::SubnetCidrBlock", 3)  # private subnets stay IPv4


def test_ipv6_routes_the_public_subnets_to_the_internet_gateway():
    template = Template.of(ipv6=True)
    template.has_resource_properties("AWS::EC2::Route", {
        "RouteTableId": {"Ref": "PublicRouteTable"}, "DestinationIpv6CidrBlock": "::/0",
        "GatewayId": {"Ref": "InternetGateway"}})


def test_load_balancer_admits_ipv6_clients_wherever_it_admits_every_ipv4_client():
    ingress = Template.of(ipv6=True).properties("LoadBalancerSecurityGroup")[
        "SecurityGroupIngress"]
    assert without_description(ingress) == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIpv6": "::/0"},
    ]


def test_a_narrower_ipv4_allow_list_gets_no_ipv6_twin():
    ingress = Template.of(ipv6=True, allowed_cidrs=["203.0.113.0/24"]).properties(
        "LoadBalancerSecurityGroup")["SecurityGroupIngress"]
    assert [r.get("CidrIpv6") for r in ingress] == [None, None]


def test_public_tasks_egress_mirrors_to_ipv6_and_private_tasks_do_not():
    public = Template.of(ipv6=True, network="public").properties("TaskSecurityGroup")
    assert [r.get("CidrIpv6") for r in public["SecurityGroupEgress"]] == [None, "::/0"]
    nat = Template.of(ipv6=True).properties("TaskSecurityGroup")
    assert [r.get("CidrIpv6") for r in nat["SecurityGroupEgress"]] == [None]


def test_ipv6_with_a_domain_adds_an_alias_aaaa_record_beside_the_a_record():
    template = Template.of(ipv6=True, domain="app.example.com", hosted_zone="example.com",
                           certificate_arn=None)
    records = {r["Properties"]["Type"]: r["Properties"]
               for r in template.of_type("AWS::Route53::RecordSet").values()}
    assert set(records) == {"A", "AAAA"}
    assert records["AAAA"]["AliasTarget"] == records["A"]["AliasTarget"]
    assert records["AAAA"]["Name"] == "app.example.com"


def test_no_aaaa_record_without_ipv6():
    template = Template.of(domain="app.example.com", hosted_zone="example.com",
                           certificate_arn=None)
    assert [r["Properties"]["Type"] for r in template.of_type("AWS::Route53::RecordSet").values()
            ] == ["A"]
