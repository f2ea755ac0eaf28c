"""Security groups: load balancer, tasks and endpoints admit only what the design says."""

from __future__ import annotations

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
VARIANTS = {
    "default": {},
    "http-only": {"https": False, "certificate_arn": None},
    "one-zone": {"az_count": 1},
    "nat-per-az": {"az_count": 3, "nat_per_az": True},
    "isolated": ISOLATED,
    "public": {"network": "public"},
    "exec-off": {"ecs_exec": False},
    "no-endpoints-but-s3": {"vpc_endpoints": [], "ecs_exec": False},
    "access-logs-off": {"access_logs": False},
}
PLACEHOLDER = {"IpProtocol": "icmp", "FromPort": 252, "ToPort": 86, "CidrIp": "255.255.255.255/32"}
ALL_PROTOCOLS = ("-1", -1, "all")


def every_egress_rule(template: Template) -> list[dict]:
    """Inline egress of every group plus every separate egress resource."""
    rules = []
    for group in template.of_type("AWS::EC2::SecurityGroup").values():
        rules += group["Properties"].get("SecurityGroupEgress", [])
    rules += [r["Properties"] for r in template.of_type("AWS::EC2::SecurityGroupEgress").values()]
    return rules


def separate_rules(template: Template, kind: str, group: str) -> list[dict]:
    """SecurityGroupIngress/Egress resources attached to one group, without descriptions."""
    found = []
    for resource in template.of_type(f"AWS::EC2::SecurityGroup{kind}").values():
        properties = dict(resource["Properties"])
        if properties.pop("GroupId") == {"Ref": group}:
            properties.pop("Description", None)
            found.append(properties)
    return found


def without_description(rules: list[dict]) -> list[dict]:
    return [{k: v for k, v in rule.items() if k != "Description"} for rule in rules]


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_security_group_declares_inline_egress(overrides):
    template = Template.of(**overrides)
    groups = template.of_type("AWS::EC2::SecurityGroup")
    assert groups
    for logical_id, group in groups.items():
        assert group["Properties"].get("SecurityGroupEgress"), (
            f"{logical_id} declares no inline egress and so keeps EC2's default allow-all rule"
        )


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_no_egress_rule_allows_all_protocols(overrides):
    template = Template.of(**overrides)
    rules = every_egress_rule(template)
    assert rules
    for rule in rules:
        assert rule["IpProtocol"] not in ALL_PROTOCOLS, rule
        assert rule.get("CidrIp") != "0.0.0.0/0" or rule["IpProtocol"] == "tcp", rule


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_no_rule_opens_every_port(overrides):
    template = Template.of(**overrides)
    rules = every_egress_rule(template)
    for group in template.of_type("AWS::EC2::SecurityGroup").values():
        rules += group["Properties"].get("SecurityGroupIngress", [])
    rules += [r["Properties"] for r in template.of_type("AWS::EC2::SecurityGroupIngress").values()]
    for rule in rules:
        if rule["IpProtocol"] == "tcp":
            assert (rule["FromPort"], rule["ToPort"]) != (0, 65535), rule


def test_default_has_load_balancer_task_and_endpoint_groups():
    template = Template.of()
    template.resource_count_is("AWS::EC2::SecurityGroup", 3)
    assert sorted(template.of_type("AWS::EC2::SecurityGroup")) == [
        "EndpointSecurityGroup", "LoadBalancerSecurityGroup", "TaskSecurityGroup",
    ]


def test_groups_belong_to_the_vpc():
    template = Template.of()
    for group in template.of_type("AWS::EC2::SecurityGroup").values():
        assert group["Properties"]["VpcId"] == {"Ref": "Vpc"}


def test_placeholder_egress_matches_no_traffic():
    template = Template.of()
    egress = template.properties("LoadBalancerSecurityGroup")["SecurityGroupEgress"]
    assert without_description(egress) == [PLACEHOLDER]


def test_load_balancer_admits_https_and_http_from_anywhere_by_default():
    template = Template.of()
    ingress = template.properties("LoadBalancerSecurityGroup")["SecurityGroupIngress"]
    assert without_description(ingress) == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    ]


def test_http_only_load_balancer_admits_port_80_only():
    template = Template.of(https=False, certificate_arn=None)
    ingress = template.properties("LoadBalancerSecurityGroup")["SecurityGroupIngress"]
    assert without_description(ingress) == [
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
    ]


def test_load_balancer_ingress_follows_allowed_cidrs_v4_and_v6():
    template = Template.of(allowed_cidrs=["203.0.113.0/24", "2001:db8::/32"], ipv6=True)
    ingress = template.properties("LoadBalancerSecurityGroup")["SecurityGroupIngress"]
    assert without_description(ingress) == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "203.0.113.0/24"},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "203.0.113.0/24"},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "2001:db8::/32"},
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIpv6": "2001:db8::/32"},
    ]


@pytest.mark.parametrize("port", [80, 8080])
def test_load_balancer_egress_goes_only_to_the_task_group_on_the_container_port(port):
    template = Template.of(port=port)
    assert without_description(
        template.properties("LoadBalancerSecurityGroup")["SecurityGroupEgress"]
    ) == [PLACEHOLDER]
    assert separate_rules(template, "Egress", "LoadBalancerSecurityGroup") == [{
        "DestinationSecurityGroupId": {"Ref": "TaskSecurityGroup"},
        "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
    }]


@pytest.mark.parametrize("network", ["nat", "isolated", "public"])
@pytest.mark.parametrize("port", [80, 8080])
def test_tasks_admit_only_the_load_balancer_group_on_the_container_port(network, port):
    overrides = ISOLATED if network == "isolated" else {"network": network}
    template = Template.of(port=port, **overrides)
    assert "SecurityGroupIngress" not in template.properties("TaskSecurityGroup")
    assert separate_rules(template, "Ingress", "TaskSecurityGroup") == [{
        "SourceSecurityGroupId": {"Ref": "LoadBalancerSecurityGroup"},
        "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
    }]


def test_load_balancer_group_has_no_separate_ingress():
    template = Template.of()
    assert separate_rules(template, "Ingress", "LoadBalancerSecurityGroup") == []


@pytest.mark.parametrize("network", ["nat", "public"])
def test_task_egress_is_https_to_anywhere_by_default(network):
    template = Template.of(network=network)
    egress = template.properties("TaskSecurityGroup")["SecurityGroupEgress"]
    assert without_description(egress) == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
    ]


def test_task_egress_follows_the_allow_list():
    template = Template.of(task_egress=["10.1.0.0/16:5432", "0.0.0.0/0:8000-8100", "::/0:443"])
    egress = template.properties("TaskSecurityGroup")["SecurityGroupEgress"]
    assert without_description(egress) == [
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "CidrIp": "10.1.0.0/16"},
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8100, "CidrIp": "0.0.0.0/0"},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"},
    ]


def test_empty_task_egress_allow_list_leaves_only_the_placeholder():
    template = Template.of(task_egress=[])
    egress = template.properties("TaskSecurityGroup")["SecurityGroupEgress"]
    assert without_description(egress) == [PLACEHOLDER]


def test_nat_tasks_reach_the_endpoints_and_s3_on_443():
    template = Template.of()
    assert separate_rules(template, "Egress", "TaskSecurityGroup") == [
        {"DestinationSecurityGroupId": {"Ref": "EndpointSecurityGroup"},
         "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
        {"DestinationPrefixListId": {"Ref": "S3PrefixListId"},
         "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
    ]


@pytest.mark.parametrize("overrides", [{}, ISOLATED], ids=["nat", "isolated"])
def test_endpoint_group_admits_https_from_the_task_group_only(overrides):
    template = Template.of(**overrides)
    group = template.properties("EndpointSecurityGroup")
    assert "SecurityGroupIngress" not in group
    assert without_description(group["SecurityGroupEgress"]) == [PLACEHOLDER]
    assert separate_rules(template, "Ingress", "EndpointSecurityGroup") == [{
        "SourceSecurityGroupId": {"Ref": "TaskSecurityGroup"},
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
    }]


def test_isolated_tasks_have_no_inline_egress_but_the_placeholder():
    template = Template.of(**ISOLATED)
    egress = template.properties("TaskSecurityGroup")["SecurityGroupEgress"]
    assert without_description(egress) == [PLACEHOLDER]


def test_isolated_task_egress_goes_only_to_endpoints_and_the_s3_prefix_list():
    template = Template.of(**ISOLATED)
    rules = separate_rules(template, "Egress", "TaskSecurityGroup")
    assert sorted(rules, key=str) == sorted([
        {"DestinationSecurityGroupId": {"Ref": "EndpointSecurityGroup"},
         "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
        {"DestinationPrefixListId": {"Ref": "S3PrefixListId"},
         "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443},
    ], key=str)


def test_isolated_ignores_the_task_egress_allow_list():
    template = Template.of(task_egress=["0.0.0.0/0:443", "0.0.0.0/0:80"], **ISOLATED)
    for rule in every_egress_rule(template):
        assert rule.get("CidrIp") != "0.0.0.0/0", rule


def test_isolated_declares_the_s3_prefix_list_parameter():
    template = Template.of(**ISOLATED)
    parameter = template.data["Parameters"]["S3PrefixListId"]
    assert parameter["Type"] == "String"
    assert parameter["AllowedPattern"] == r"^pl-[0-9a-f]{8,17}$"
    assert "Default" not in parameter


def test_public_needs_no_s3_prefix_list_parameter():
    template = Template.of(network="public")
    assert "S3PrefixListId" not in template.data.get("Parameters", {})


def test_nat_keeps_s3_reachable_even_with_a_narrow_egress_allow_list():
    template = Template.of(task_egress=["10.1.0.0/16:5432"])
    rules = separate_rules(template, "Egress", "TaskSecurityGroup")
    assert {"DestinationPrefixListId": {"Ref": "S3PrefixListId"},
            "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443} in rules
    assert {"DestinationSecurityGroupId": {"Ref": "EndpointSecurityGroup"},
            "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443} in rules


def test_public_profile_has_no_endpoint_group():
    template = Template.of(network="public")
    template.resource_count_is("AWS::EC2::SecurityGroup", 2)
    assert separate_rules(template, "Egress", "TaskSecurityGroup") == []


def test_no_interface_endpoints_means_no_endpoint_group_and_only_s3_egress():
    template = Template.of(vpc_endpoints=[], ecs_exec=False)
    template.resource_count_is("AWS::EC2::SecurityGroup", 2)
    assert separate_rules(template, "Egress", "TaskSecurityGroup") == [
        {"DestinationPrefixListId": {"Ref": "S3PrefixListId"},
         "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443}]
