"""Application Load Balancer resources as CloudFormation handles them.

- The load balancer's CanonicalHostedZoneID attribute is not implemented (a Route53 alias
  would hold the unresolved Fn::GetAtt): return the zone ID moto's ELBv2 itself reports.
- AWS::ElasticLoadBalancingV2::TargetGroup has no update: moto drops the resource, so its Ref
  (and every output naming it) vanishes after an update. Health-check and attribute changes
  apply in place, as on AWS; a change of Port, Protocol, VpcId or TargetType replaces it
  (the old group goes once the listeners and service moved, as in CloudFormation's clean-up).
"""

from __future__ import annotations

from typing import Any

REPLACING = ("Port", "Protocol", "VpcId", "TargetType", "Name", "ProtocolVersion")


def install() -> None:
    _load_balancer_zone_attribute()
    _target_group_updates()


def _load_balancer_zone_attribute() -> None:
    from moto.elbv2.models import FakeLoadBalancer

    original = FakeLoadBalancer.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "CanonicalHostedZoneID":
            return self.canonical_hosted_zone_id
        return original(self, attribute_name)

    FakeLoadBalancer.get_cfn_attribute = get_cfn_attribute


def _target_group_updates() -> None:
    from moto.elbv2.models import FakeTargetGroup, elbv2_backends

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id,
               region_name):
        properties = cloudformation_json["Properties"]
        backend = elbv2_backends[account_id][region_name]
        before = getattr(original_resource, "fargo_properties", None)
        if before is not None and any(before.get(k) != properties.get(k) for k in REPLACING):
            replacement = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name)
            replacement.fargo_properties = properties
            replacement.replaced = original_resource
            return replacement
        matcher = properties.get("Matcher") or {}
        backend.modify_target_group(
            original_resource.arn,
            health_check_proto=properties.get("HealthCheckProtocol"),
            health_check_port=properties.get("HealthCheckPort"),
            health_check_path=properties.get("HealthCheckPath"),
            health_check_interval=properties.get("HealthCheckIntervalSeconds"),
            health_check_timeout=properties.get("HealthCheckTimeoutSeconds"),
            healthy_threshold_count=properties.get("HealthyThresholdCount"),
            unhealthy_threshold_count=properties.get("UnhealthyThresholdCount"),
            http_codes=matcher.get("HttpCode"),
        )
        attributes = {a["Key"]: a["Value"] for a in properties.get("TargetGroupAttributes") or []}
        if attributes:
            backend.modify_target_group_attributes(original_resource.arn, attributes)
        original_resource.fargo_properties = properties
        return original_resource

    def after_dependents_updated(self, account_id: str, region_name: str) -> None:
        old = getattr(self, "replaced", None)
        if old is not None:
            self.replaced = None
            elbv2_backends[account_id][region_name].delete_target_group(old.arn)

    original_create = FakeTargetGroup.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        group = original_create(cls, resource_name, cloudformation_json, account_id,
                                region_name, **kwargs)
        group.fargo_properties = cloudformation_json["Properties"]
        return group

    FakeTargetGroup.create_from_cloudformation_json = classmethod(create)
    FakeTargetGroup.update_from_cloudformation_json = classmethod(update)
    FakeTargetGroup.after_dependents_updated = after_dependents_updated
