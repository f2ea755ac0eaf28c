"""ECS resources as CloudFormation handles them.

- AWS::ECS::Service takes DesiredCount only as a number (CloudFormation passes strings, and
  an omitted count means 1 on create and "keep" on update).
- An updated AWS::ECS::TaskDefinition loses its container definitions (moto camel-cases
  their keys on create but not on update).
- A stack's deletion leaves its ECS cluster behind (moto's Cluster has no delete).
- A service updated to a new task-definition revision keeps reporting the old revision in
  its deployments; ECS starts a new PRIMARY deployment, and as no container runs here, that
  rollout is complete at once.
"""

from __future__ import annotations


def install() -> None:
    _numeric_desired_count()
    _task_definition_updates_keep_their_containers()
    _cluster_deleted_with_stack()
    _new_revision_new_deployment()


def _numeric_desired_count() -> None:
    from moto.ecs.models import Service

    for name in ("create_from_cloudformation_json", "update_from_cloudformation_json"):
        original = getattr(Service, name).__func__

        def with_int_count(cls, *args, _original=original, **kwargs):
            creating = _original.__name__.startswith("create")
            json_index = 1 if creating else 2
            properties = (kwargs.get("cloudformation_json") or args[json_index])["Properties"]
            count = properties.get("DesiredCount")
            if isinstance(count, str):
                properties["DesiredCount"] = int(count) if count else None
            if properties.get("DesiredCount") is None and creating:
                properties["DesiredCount"] = 1  # CloudFormation's default for a new service
            return _original(cls, *args, **kwargs)

        setattr(Service, name, classmethod(with_int_count))


def _task_definition_updates_keep_their_containers() -> None:
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys
    from moto.ecs.models import TaskDefinition

    original = TaskDefinition.update_from_cloudformation_json.__func__

    def update(cls, original_resource, new_resource_name, cloudformation_json, account_id,
               region_name):
        properties = cloudformation_json["Properties"]
        for key in ("ContainerDefinitions", "Volumes"):
            if key in properties:
                properties[key] = remap_nested_keys(properties[key], pascal_to_camelcase)
        return original(cls, original_resource, new_resource_name, cloudformation_json,
                        account_id, region_name)

    TaskDefinition.update_from_cloudformation_json = classmethod(update)


def _cluster_deleted_with_stack() -> None:
    from moto.cloudformation.parsing import ResourceMap

    original_delete = ResourceMap.delete

    def delete_then_remove_clusters(self) -> None:
        from moto.ecs.models import ecs_backends

        resources = list(self._parsed_resources.values())
        original_delete(self)
        ecs = ecs_backends[self._account_id][self._region_name]
        for resource in resources:
            kind = type(resource)
            if kind.__module__ == "moto.ecs.models" and kind.__name__ == "Cluster":
                if resource.arn in {c.arn for c in ecs.clusters.values()}:
                    ecs.delete_cluster(resource.arn)

    ResourceMap.delete = delete_then_remove_clusters


def _new_revision_new_deployment() -> None:
    from moto.core.utils import utcnow
    from moto.ecs.models import EC2ContainerServiceBackend
    from moto.moto_api._internal import mock_random

    original = EC2ContainerServiceBackend.update_service

    def update_service(self, service_properties):
        before = {name: service.task_definition for name, service in self.services.items()}
        service = original(self, service_properties)
        key = next((k for k, v in self.services.items() if v is service), None)
        if key is not None and before.get(key) != service.task_definition and service.deployments:
            now = utcnow()
            deployment = dict(service.deployments[0])
            deployment.update(id=f"ecs-svc/{mock_random.randint(0, 32**12)}", createdAt=now,
                              updatedAt=now, taskDefinition=service.task_definition,
                              status="PRIMARY", rolloutState="COMPLETED")
            service.deployments = [deployment]
        return service

    EC2ContainerServiceBackend.update_service = update_service
