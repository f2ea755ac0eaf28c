"""Deleting a stack empties its VPCs first, as CloudFormation's ordered deletion does.

moto deletes a stack's VPC without deleting its endpoints, NAT gateways, gateway
attachments, route tables or addresses first, so the VPC's own deletion fails.
"""

from __future__ import annotations

from typing import Any


def install() -> None:
    from moto.cloudformation.parsing import ResourceMap
    from moto.ec2.models import ec2_backends

    original_delete = ResourceMap.delete

    def delete_after_emptying_vpcs(self) -> None:
        ec2 = ec2_backends[self._account_id][self._region_name]
        for resource in list(self._parsed_resources.values()):
            if type(resource).__name__ == "VPC":
                empty_vpc(ec2, resource.id)
        original_delete(self)

    ResourceMap.delete = delete_after_emptying_vpcs


def empty_vpc(ec2: Any, vpc_id: str) -> None:
    """Delete what moto's CloudFormation leaves in a VPC, in the order AWS requires."""
    endpoints = [e.id for e in ec2.vpc_end_points.values() if e.vpc_id == vpc_id]
    ec2.delete_vpc_endpoints(endpoints)
    for endpoint_id in endpoints:
        ec2.vpc_end_points.pop(endpoint_id, None)
    subnets = {s.id for s in ec2.describe_subnets(filters={"vpc-id": [vpc_id]})}
    for gateway in ec2.describe_nat_gateways(filters=None, nat_gateway_ids=None):
        if gateway.subnet_id in subnets:
            ec2.nat_gateways.pop(gateway.id, None)
    for address in list(ec2.addresses):
        interface = getattr(address, "eni", None)
        if interface is not None and interface.subnet.id in subnets:
            ec2.addresses.remove(address)
    for gateway in ec2.describe_internet_gateways(filters={"attachment.vpc-id": [vpc_id]}):
        ec2.detach_internet_gateway(gateway.id, vpc_id)
        ec2.delete_internet_gateway(gateway.id)
    for table in ec2.describe_route_tables(filters={"vpc-id": [vpc_id]}):
        if table.main_association_id:
            continue
        for association_id in list(table._associations):
            ec2.disassociate_route_table(association_id)
        ec2.delete_route_table(table.id)
    for interface in list(ec2.enis.values()):
        if interface.subnet.id in subnets:
            ec2.enis.pop(interface.id, None)
