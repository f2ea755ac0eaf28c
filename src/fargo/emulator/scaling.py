"""Application Auto Scaling resources, which moto's CloudFormation skips.

Modelled on moto's own Application Auto Scaling backend, so `fargo status` reads the scaling
a deploy set up. The scalable target's Ref is 'resource|dimension|namespace', as
CloudFormation's own is.
"""

from __future__ import annotations

from fargo.emulator.models import model_base, numbers, register


def _backend(account_id: str, region_name: str):
    from moto.applicationautoscaling.models import applicationautoscaling_backends

    return applicationautoscaling_backends[account_id][region_name]


def install() -> None:
    register(_scalable_target(), _scaling_policy())


def _scalable_target() -> type:
    class LocalScalableTarget(model_base()):
        def __init__(self, resource_id: str, dimension: str, namespace: str) -> None:
            self.resource_id, self.dimension, self.namespace = resource_id, dimension, namespace

        @property
        def physical_resource_id(self) -> str:
            return f"{self.resource_id}|{self.dimension}|{self.namespace}"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::ApplicationAutoScaling::ScalableTarget"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            target = cls(props["ResourceId"], props["ScalableDimension"], props["ServiceNamespace"])
            scaling = _backend(account_id, region_name)
            scaling.register_scalable_target(
                target.namespace, target.resource_id, target.dimension,
                int(props["MinCapacity"]), int(props["MaxCapacity"]), props.get("RoleARN", ""),
                {},
            )
            for action in props.get("ScheduledActions") or []:
                limits = action.get("ScalableTargetAction", {})
                scaling.put_scheduled_action(
                    service_namespace=target.namespace, schedule=action["Schedule"],
                    timezone=action.get("Timezone"),
                    scheduled_action_name=action["ScheduledActionName"],
                    resource_id=target.resource_id, scalable_dimension=target.dimension,
                    start_time=None, end_time=None,
                    scalable_target_action={k: int(v) for k, v in limits.items()},
                )
            return target

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            resource_id, dimension, namespace = resource_name.split("|")
            scaling = _backend(account_id, region_name)
            for action in list(scaling.scheduled_actions):
                if action.resource_id == resource_id:
                    scaling.scheduled_actions.remove(action)
            if resource_id in scaling.targets.get(dimension, {}):
                scaling.deregister_scalable_target(namespace, resource_id, dimension)

    return LocalScalableTarget


def _scaling_policy() -> type:
    class LocalScalingPolicy(model_base()):
        def __init__(self, name: str, target_id: str) -> None:
            self.name, self.target_id = name, target_id

        @property
        def physical_resource_id(self) -> str:
            return f"{self.target_id}|{self.name}"

        @staticmethod
        def cloudformation_name_type() -> str:
            return "PolicyName"

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::ApplicationAutoScaling::ScalingPolicy"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            target_id = props["ScalingTargetId"]
            resource_id, dimension, namespace = target_id.split("|")
            body = {"TargetTrackingScalingPolicyConfiguration":
                    numbers(props.get("TargetTrackingScalingPolicyConfiguration", {}))}
            _backend(account_id, region_name).put_scaling_policy(
                props["PolicyName"], namespace, resource_id, dimension, body, props["PolicyType"],
            )
            return cls(props["PolicyName"], target_id)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            resource_id, dimension, namespace, name = resource_name.split("|")
            scaling = _backend(account_id, region_name)
            key_matches = [k for k, p in scaling.policies.items()
                           if p.policy_name == name and p.resource_id == resource_id]
            for key in key_matches:
                del scaling.policies[key]

    return LocalScalingPolicy
