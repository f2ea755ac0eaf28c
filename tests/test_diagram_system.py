"""The diagram's nodes and edges against the template they are drawn from, for each network
profile, with HTTPS and HTTP-only."""

from __future__ import annotations

import json
from functools import cache

import pytest

from fargo.diagram import draw
from tests.template_assertions import ECR_IMAGE, settings_for


@cache
def _template(items: tuple) -> str:
    from fargo.template import render

    return render(settings_for(**dict(items)))


def template(**overrides) -> dict:
    return json.loads(_template(tuple(sorted(overrides.items(), key=str))))


def of_type(t: dict, kind: str) -> dict:
    return {k: v for k, v in t["Resources"].items() if v["Type"] == kind}


def edge(system, source: str, target: str):
    found = [e for e in system.edges if e.source == source and e.target == target]
    assert found, f"no edge {source} -> {target}: {[(e.source, e.target) for e in system.edges]}"
    return found[0]


PROFILES = {
    "nat": {},
    "nat-per-az-3": {"nat_per_az": True, "az_count": 3},
    "isolated": {"network": "isolated", "image": ECR_IMAGE},
    "public": {"network": "public"},
    "nat-http": {"https": False, "certificate_arn": None},
    "public-http": {"network": "public", "https": False, "certificate_arn": None},
}


@pytest.mark.parametrize("profile", PROFILES)
def test_tasks_are_drawn_per_az_in_the_services_subnets(profile):
    t = template(**PROFILES[profile])
    system = draw(t)
    service = of_type(t, "AWS::ECS::Service")["Service"]["Properties"]
    subnets = service["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"]
    tasks = system.of_kind("tasks")
    assert len(tasks) == len(subnets)
    assert sorted(n.zone for n in tasks) == list(range(1, len(subnets) + 1))
    group = system.of_kind("target_group")[0]
    for node in tasks:
        # the task security group admits the load balancer's group on the container port
        assert edge(system, group.id, node.id).label == "TCP 80"


@pytest.mark.parametrize("profile", PROFILES)
def test_the_internet_reaches_the_load_balancer_on_its_security_group_ports(profile):
    t = template(**PROFILES[profile])
    system = draw(t)
    group = of_type(t, "AWS::EC2::SecurityGroup")["LoadBalancerSecurityGroup"]["Properties"]
    ports = sorted({f"TCP {r['FromPort']}" for r in group["SecurityGroupIngress"]})
    assert sorted(edge(system, "internet", "LoadBalancer").label.split(", ")) == ports


@pytest.mark.parametrize("profile", PROFILES)
def test_listeners_and_tls_policy_are_on_the_load_balancer(profile):
    t = template(**PROFILES[profile])
    system = draw(t)
    balancer = system.node("LoadBalancer")
    listeners = of_type(t, "AWS::ElasticLoadBalancingV2::Listener")
    for listener in listeners.values():
        props = listener["Properties"]
        assert any(d.startswith(f"{props['Protocol']} :{props['Port']}") for d in balancer.details)
        if "SslPolicy" in props:
            assert any(props["SslPolicy"] in d for d in balancer.details)
    forward = [p["Properties"] for p in listeners.values()
               if p["Properties"]["DefaultActions"][0]["Type"] == "forward"]
    assert edge(system, "LoadBalancer", "TargetGroup").label == (
        f"{forward[0]['Protocol']} :{forward[0]['Port']}")
    https = "HttpsListener" in listeners
    assert bool(system.of_kind("certificate")) is https
    if https:
        assert edge(system, "Certificate", "LoadBalancer").label == "TLS"
    else:
        assert any(d == "HTTP :80, forward" for d in balancer.details)


@pytest.mark.parametrize("profile", PROFILES)
def test_nat_gateways_carry_each_azs_task_egress(profile):
    t = template(**PROFILES[profile])
    system = draw(t)
    nats = of_type(t, "AWS::EC2::NatGateway")
    assert {n.id for n in system.of_kind("nat")} == set(nats)
    tasks = system.of_kind("tasks")
    if nats:
        for node in tasks:
            expected = f"NatGateway{node.zone}" if len(nats) > 1 else "NatGateway1"
            assert edge(system, node.id, expected).label == "TCP 443"
        for nat in nats:
            assert edge(system, nat, "internet").kind == "route"
    elif PROFILES[profile].get("network") == "public":
        for node in tasks:
            assert edge(system, node.id, "internet").label == "TCP 443"
            assert "public IP" in node.details
    else:  # isolated: no way out but the endpoints
        assert not [e for e in system.edges if e.target == "internet"
                    and system.node(e.source).kind == "tasks"]


@pytest.mark.parametrize("profile", PROFILES)
def test_endpoints_and_the_s3_gateway_as_the_template_has_them(profile):
    t = template(**PROFILES[profile])
    system = draw(t)
    endpoints = of_type(t, "AWS::EC2::VPCEndpoint")
    interface = [e["Properties"]["ServiceName"]["Fn::Sub"].split("}.")[1]
                 for e in endpoints.values() if e["Properties"]["VpcEndpointType"] == "Interface"]
    if interface:
        node = system.node("InterfaceEndpoints")
        assert node.details[0] == ", ".join(interface)
        for task in system.of_kind("tasks"):
            assert edge(system, task.id, node.id).label == "TCP 443"
            assert edge(system, task.id, "S3GatewayEndpoint").label == "TCP 443"
    else:
        assert not system.of_kind("endpoints") and not system.of_kind("s3_gateway")


def test_isolated_draws_the_dns_firewall_and_the_layer_only_s3_gateway():
    t = template(**PROFILES["isolated"])
    system = draw(t)
    firewall = system.node("DnsFirewall")
    allowed = of_type(t, "AWS::Route53Resolver::FirewallDomainList")["DnsAllowedDomains"]
    assert firewall.details == (
        f"{len(allowed['Properties']['Domains'])} allowed names, every other name blocked",)
    for task in system.of_kind("tasks"):
        assert edge(system, task.id, "DnsFirewall").label == "DNS"
    assert system.node("S3GatewayEndpoint").details == ("ECR image layers only",)
    assert system.node("Registry").label == "ECR repository"


def test_waf_is_drawn_in_front_of_the_load_balancer_with_its_rules():
    t = template(waf=True)
    system = draw(t)
    acl = system.of_kind("waf")[0]
    rules = of_type(t, "AWS::WAFv2::WebACL")["WebAcl"]["Properties"]["Rules"]
    assert acl.details[0] == f"{len(rules)} rules"
    assert edge(system, acl.id, "LoadBalancer").label == "inspects requests"
    assert not draw(template()).of_kind("waf")


def test_groups_place_the_load_balancer_public_and_tasks_private_per_az():
    system = draw(template())
    vpc = system.groups[0]
    public, private = vpc.groups
    assert "LoadBalancer" in public.members and "10.0.0.0/24" in public.label
    assert [g.label for g in private.groups] == ["AZ 1", "AZ 2"]
    assert private.groups[0].members == ("ServiceTasks1",)
    assert "InterfaceEndpoints" in private.members


def test_a_service_whose_network_lives_in_another_stack_is_still_drawn():
    t = template()
    resources = {k: v for k, v in t["Resources"].items()
                 if not v["Type"].startswith("AWS::EC2::")}
    network = resources["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
    network["Subnets"] = {"Fn::Split": [",", {"Fn::ImportValue": "env-PrivateSubnets"}]}
    system = draw({"Resources": resources})
    tasks = system.of_kind("tasks")
    assert [n.label for n in tasks] == ["Fargate tasks (subnets of another stack)"]
    assert edge(system, "TargetGroup", tasks[0].id)
