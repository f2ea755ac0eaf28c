"""Security groups: the load balancer, the tasks and the VPC endpoints, and nothing more.

A group declared without inline egress keeps EC2's default allow-all rule, so every group
declares inline egress; where all real egress is a separate rule, that inline rule is a
placeholder that matches no traffic. Rules naming another group are separate resources, so
the groups can refer to each other without a dependency cycle.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from troposphere import Parameter, Ref, Template, ec2

from fargo.config import Settings
from fargo.config.checks.network import parse_egress_rule
from fargo.template.common import S3_PREFIX_LIST_PARAMETER, justify
from fargo.template.network import Network

# ICMP type 252 code 86 to the broadcast address: a rule no real packet ever matches.
NO_TRAFFIC = ec2.SecurityGroupRule(
    IpProtocol="icmp", FromPort=252, ToPort=86, CidrIp="255.255.255.255/32",
    Description="Placeholder that matches no traffic: removes the default allow-all egress",
)


@dataclass(frozen=True)
class SecurityGroups:
    load_balancer: ec2.SecurityGroup
    task: ec2.SecurityGroup
    endpoint: ec2.SecurityGroup | None


def listener_ports(settings: Settings) -> list[int]:
    return [443, 80] if settings.https else [80]


def add(template: Template, settings: Settings, network: Network) -> SecurityGroups:
    vpc = Ref(network.vpc)
    alb = load_balancer_group(template, settings, vpc)
    task = task_group(template, settings, vpc)
    task_rules(template, settings, task, alb)
    endpoint = None
    if settings.interface_endpoints:
        endpoint = endpoint_group(template, settings, vpc)
        task_endpoint_rules(template, task, endpoint)
    if network.private_subnets:
        # Image layers come from S3 through the gateway endpoint: keep that path open even
        # when the task egress allow-list (nat) leaves out 0.0.0.0/0:443.
        s3_prefix_list_egress(template, task, prefix_list_parameter(template))
    return SecurityGroups(alb, task, endpoint)


def load_balancer_group(template: Template, settings: Settings, vpc) -> ec2.SecurityGroup:
    """Web clients in on the listener ports; out only by the rules each task group adds."""
    alb = template.add_resource(ec2.SecurityGroup(
        "LoadBalancerSecurityGroup", VpcId=vpc,
        GroupDescription=f"{settings.stack_name} load balancer: web clients in, tasks out",
        SecurityGroupIngress=_load_balancer_ingress(settings),
        SecurityGroupEgress=[NO_TRAFFIC],
    ))
    if {"0.0.0.0/0", "::/0"} & set(settings.allowed_cidrs) and 80 in listener_ports(settings):
        reason = ("Port 80 is open only to answer with a redirect to HTTPS" if settings.https
                  else "HTTP-only mode was chosen in the settings (https = false)")
        justify(alb, {"CKV_AWS_260": reason})
    return alb


def task_group(template: Template, settings: Settings, vpc) -> ec2.SecurityGroup:
    return template.add_resource(ec2.SecurityGroup(
        "TaskSecurityGroup", VpcId=vpc,
        GroupDescription=f"{settings.stack_name} tasks: load balancer in, allowed egress out",
        SecurityGroupEgress=_task_inline_egress(settings),
    ))


def task_rules(template: Template, settings: Settings, task, alb) -> None:
    """The load balancer may reach the tasks on their port, and nothing else may. `task` and
    `alb` are this template's groups or parameters naming another stack's."""
    port = settings.port
    template.add_resource(ec2.SecurityGroupEgress(
        "LoadBalancerToTaskEgress", GroupId=Ref(alb), DestinationSecurityGroupId=Ref(task),
        IpProtocol="tcp", FromPort=port, ToPort=port, Description="Forward requests to tasks",
    ))
    template.add_resource(ec2.SecurityGroupIngress(
        "TaskFromLoadBalancerIngress", GroupId=Ref(task), SourceSecurityGroupId=Ref(alb),
        IpProtocol="tcp", FromPort=port, ToPort=port, Description="Requests from the load balancer",
    ))


def _load_balancer_ingress(settings: Settings) -> list[ec2.SecurityGroupRule]:
    rules = []
    for cidr in mirrored_for_ipv6(settings.allowed_cidrs, settings.ipv6):
        v6 = ipaddress.ip_network(cidr).version == 6
        for port in listener_ports(settings):
            rule = dict(IpProtocol="tcp", FromPort=port, ToPort=port,
                        Description=f"{'HTTPS' if port == 443 else 'HTTP'} from {cidr}")
            rule["CidrIpv6" if v6 else "CidrIp"] = cidr
            rules.append(ec2.SecurityGroupRule(**rule))
    return rules


def _task_inline_egress(settings: Settings) -> list[ec2.SecurityGroupRule]:
    if settings.network == "isolated":
        return [NO_TRAFFIC]
    rules = []
    # Only tasks in the public subnets have IPv6 to leave by (network = public, ipv6 on).
    mirror = settings.ipv6 and settings.network == "public"
    for text in mirrored_for_ipv6(settings.task_egress, mirror):
        rule = parse_egress_rule(text)
        v6 = ipaddress.ip_network(rule.cidr).version == 6
        ports = str(rule.from_port)
        if rule.to_port != rule.from_port:
            ports += f"-{rule.to_port}"
        spec = dict(IpProtocol="tcp", FromPort=rule.from_port, ToPort=rule.to_port,
                    Description=f"Task egress allow-list: TCP {ports} to {rule.cidr}")
        spec["CidrIpv6" if v6 else "CidrIp"] = rule.cidr
        rules.append(ec2.SecurityGroupRule(**spec))
    return rules or [NO_TRAFFIC]


def mirrored_for_ipv6(entries: list[str], ipv6: bool) -> list[str]:
    """With ipv6, every rule for 0.0.0.0/0 gets its ::/0 twin (allowed_cidrs, task_egress)."""
    if not ipv6:
        return list(entries)
    twins = ["::/0" + e.removeprefix("0.0.0.0/0") for e in entries if e.startswith("0.0.0.0/0")]
    return list(dict.fromkeys(list(entries) + twins))


def endpoint_group(template: Template, settings: Settings, vpc) -> ec2.SecurityGroup:
    """The interface endpoints' group: HTTPS in from the task groups (task_endpoint_rules)."""
    return template.add_resource(ec2.SecurityGroup(
        "EndpointSecurityGroup", VpcId=vpc,
        GroupDescription=f"{settings.stack_name} VPC endpoints: HTTPS from tasks only",
        SecurityGroupEgress=[NO_TRAFFIC],
    ))


def task_endpoint_rules(template: Template, task, endpoint) -> None:
    template.add_resource(ec2.SecurityGroupIngress(
        "EndpointFromTaskIngress", GroupId=Ref(endpoint), SourceSecurityGroupId=Ref(task),
        IpProtocol="tcp", FromPort=443, ToPort=443, Description="HTTPS from tasks",
    ))
    template.add_resource(ec2.SecurityGroupEgress(
        "TaskToEndpointEgress", GroupId=Ref(task), DestinationSecurityGroupId=Ref(endpoint),
        IpProtocol="tcp", FromPort=443, ToPort=443, Description="HTTPS to the VPC endpoints",
    ))


def prefix_list_parameter(template: Template) -> Parameter:
    """The region's S3 prefix list, which only the deploy can look up (an EC2 call)."""
    return template.add_parameter(Parameter(
        S3_PREFIX_LIST_PARAMETER, Type="String", AllowedPattern=r"^pl-[0-9a-f]{8,17}$",
        Description="The region's S3 managed prefix list (com.amazonaws.REGION.s3); "
        "fargo deploy fills it in",
    ))


def s3_prefix_list_egress(template: Template, task, prefix_list) -> None:
    template.add_resource(ec2.SecurityGroupEgress(
        "TaskToS3Egress", GroupId=Ref(task), DestinationPrefixListId=Ref(prefix_list),
        IpProtocol="tcp", FromPort=443, ToPort=443,
        Description="HTTPS to S3 through the gateway endpoint (image layers)",
    ))
