"""VPC, subnets across availability zones, internet gateway, NAT and route tables.

With ipv6, the VPC gets an Amazon-provided /56 and each public subnet a /64 of it, with a
::/0 route to the internet gateway, so the load balancer can be dual-stack. Private subnets
stay IPv4-only: tasks there reach nothing on the internet over IPv6.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Cidr, GetAtt, GetAZs, Ref, Select, Template, ec2

from fargo.config import Settings


@dataclass(frozen=True)
class Network:
    vpc: ec2.VPC
    gateway_attachment: ec2.VPCGatewayAttachment
    public_subnets: list[ec2.Subnet]
    private_subnets: list[ec2.Subnet]
    private_route_tables: list[ec2.RouteTable]
    private_default_routes: list[ec2.Route]
    # With ipv6: the public subnets' IPv6 ranges, which a dual-stack load balancer waits for.
    public_ipv6_ranges: tuple[ec2.SubnetCidrBlock, ...] = ()

    @property
    def task_subnets(self) -> list[ec2.Subnet]:
        """Tasks run in the private subnets, or in the public ones for network = public."""
        return self.private_subnets or self.public_subnets


def add(template: Template, settings: Settings) -> Network:
    vpc = template.add_resource(ec2.VPC(
        "Vpc", CidrBlock=settings.vpc_cidr, EnableDnsSupport=True, EnableDnsHostnames=True,
    ))
    gateway = template.add_resource(ec2.InternetGateway("InternetGateway"))
    attachment = template.add_resource(ec2.VPCGatewayAttachment(
        "InternetGatewayAttachment", VpcId=Ref(vpc), InternetGatewayId=Ref(gateway),
    ))
    ipv6_block = None
    if settings.ipv6:
        ipv6_block = template.add_resource(ec2.VPCCidrBlock(
            "VpcIpv6CidrBlock", VpcId=Ref(vpc), AmazonProvidedIpv6CidrBlock=True,
        ))
    public_subnets, ipv6_ranges = _public_subnets(template, settings, vpc, gateway, attachment,
                                                  ipv6_block)
    private_subnets, route_tables = _private_subnets(template, settings, vpc)
    routes = []
    if settings.network == "nat":
        routes = _nat_routes(template, settings, public_subnets, route_tables, attachment)
    return Network(vpc, attachment, public_subnets, private_subnets, route_tables, routes,
                   tuple(ipv6_ranges))


IPV6_SUBNETS = 8


def _zone(index: int) -> Select:
    return Select(index, GetAZs(""))


def _public_subnets(template, settings, vpc, gateway, attachment, ipv6_block):
    """The public subnets, and their IPv6 ranges (with ipv6)."""
    table = template.add_resource(ec2.RouteTable("PublicRouteTable", VpcId=Ref(vpc)))
    template.add_resource(ec2.Route(
        "PublicDefaultRoute", RouteTableId=Ref(table), DestinationCidrBlock="0.0.0.0/0",
        GatewayId=Ref(gateway), DependsOn=attachment.title,
    ))
    if ipv6_block is not None:
        template.add_resource(ec2.Route(
            "PublicDefaultIpv6Route", RouteTableId=Ref(table), DestinationIpv6CidrBlock="::/0",
            GatewayId=Ref(gateway), DependsOn=attachment.title,
        ))
    subnets, ipv6_ranges = [], []
    for index, cidr in enumerate(settings.used_public_cidrs, start=1):
        subnet = template.add_resource(ec2.Subnet(
            f"PublicSubnet{index}", VpcId=Ref(vpc), CidrBlock=cidr,
            AvailabilityZone=_zone(index - 1), MapPublicIpOnLaunch=False,
        ))
        if ipv6_block is not None:
            # The /64s of the VPC's /56, in subnet order; a fixed count keeps each stable.
            # A resource of its own (not the subnet's Ipv6CidrBlock): subnets stay as they are.
            ipv6_ranges.append(template.add_resource(ec2.SubnetCidrBlock(
                f"PublicSubnet{index}Ipv6CidrBlock", SubnetId=Ref(subnet),
                Ipv6CidrBlock=Select(index - 1, Cidr(
                    Select(0, GetAtt(vpc, "Ipv6CidrBlocks")), IPV6_SUBNETS, 64)),
                DependsOn=[ipv6_block.title],
            )))
        template.add_resource(ec2.SubnetRouteTableAssociation(
            f"PublicSubnet{index}RouteTableAssociation", SubnetId=Ref(subnet),
            RouteTableId=Ref(table),
        ))
        subnets.append(subnet)
    return subnets, ipv6_ranges


def _private_subnets(template, settings, vpc) -> tuple[list[ec2.Subnet], list[ec2.RouteTable]]:
    subnets, tables = [], []
    for index, cidr in enumerate(settings.used_private_cidrs, start=1):
        subnet = template.add_resource(ec2.Subnet(
            f"PrivateSubnet{index}", VpcId=Ref(vpc), CidrBlock=cidr,
            AvailabilityZone=_zone(index - 1), MapPublicIpOnLaunch=False,
        ))
        table = template.add_resource(ec2.RouteTable(f"PrivateRouteTable{index}", VpcId=Ref(vpc)))
        template.add_resource(ec2.SubnetRouteTableAssociation(
            f"PrivateSubnet{index}RouteTableAssociation", SubnetId=Ref(subnet),
            RouteTableId=Ref(table),
        ))
        subnets.append(subnet)
        tables.append(table)
    return subnets, tables


def _nat_routes(template, settings, public_subnets, route_tables, attachment) -> list[ec2.Route]:
    """One NAT gateway in total (the original), or one per zone so a zone outage spares egress."""
    gateway_count = len(route_tables) if settings.nat_per_az else 1
    gateways = []
    for index in range(1, gateway_count + 1):
        address = template.add_resource(ec2.EIP(
            f"NatElasticIp{index}", Domain="vpc", DependsOn=attachment.title,
        ))
        gateways.append(template.add_resource(ec2.NatGateway(
            f"NatGateway{index}", AllocationId=address.get_att("AllocationId"),
            SubnetId=Ref(public_subnets[index - 1]),
        )))
    routes = []
    for index, table in enumerate(route_tables, start=1):
        gateway = gateways[index - 1] if settings.nat_per_az else gateways[0]
        routes.append(template.add_resource(ec2.Route(
            f"PrivateDefaultRoute{index}", RouteTableId=Ref(table),
            DestinationCidrBlock="0.0.0.0/0", NatGatewayId=Ref(gateway),
        )))
    return routes
