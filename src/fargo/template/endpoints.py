"""VPC endpoints: AWS APIs the platform needs, reached without the internet.

Interface endpoints get one network interface per private subnet and private DNS, so the
standard service names resolve inside the VPC, and a policy that admits only this account's
principals and only what the platform does (endpoint_policies). The S3 gateway endpoint is
free and carries ECR's image layers; for an isolated network its policy admits only the
region's layer bucket.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from awacs.aws import Allow, PolicyDocument, Principal, Statement
from awacs.s3 import GetObject
from troposphere import AWSObject, Ref, Sub, Template, ec2

from fargo.config import Settings
from fargo.template import endpoint_policies
from fargo.template.network import Network


def logical_id(service: str) -> str:
    """`ecr.api` -> `EcrApiEndpoint`: stable names, so the list order never replaces one."""
    return "".join(part.capitalize() for part in service.replace("-", ".").split(".")) + "Endpoint"


def add(
    template: Template, settings: Settings, network: Network, endpoint_group: AWSObject | None,
    policy: Callable[[str, Any], dict] = endpoint_policies.policy,
) -> list[AWSObject]:
    """The S3 gateway and `settings.interface_endpoints`, each with `policy(service,
    settings)`: one service's policies, or an environment's that admit all of its services."""
    if not network.private_subnets:
        return []
    created = [_s3_gateway(template, settings, network)]
    for service in settings.interface_endpoints:
        created.append(template.add_resource(ec2.VPCEndpoint(
            logical_id(service), VpcId=Ref(network.vpc), VpcEndpointType="Interface",
            ServiceName=Sub(f"com.amazonaws.${{AWS::Region}}.{service}"),
            PrivateDnsEnabled=True, SubnetIds=[Ref(s) for s in network.private_subnets],
            SecurityGroupIds=[Ref(endpoint_group)],
            PolicyDocument=policy(service, settings),
        )))
    return created


def _s3_gateway(template: Template, settings: Settings, network: Network) -> ec2.VPCEndpoint:
    properties = dict(
        VpcId=Ref(network.vpc), VpcEndpointType="Gateway",
        ServiceName=Sub("com.amazonaws.${AWS::Region}.s3"),
        RouteTableIds=[Ref(t) for t in network.private_route_tables],
    )
    if settings.network == "isolated":
        properties["PolicyDocument"] = PolicyDocument(
            Version="2012-10-17",
            Statement=[Statement(
                Sid="EcrImageLayersOnly", Effect=Allow, Principal=Principal("*"),
                Action=[GetObject],
                Resource=[Sub("arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*")],
            )],
        )
    return template.add_resource(ec2.VPCEndpoint("S3GatewayEndpoint", **properties))
