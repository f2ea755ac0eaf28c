"""Find a stack's service, cluster and target group by the logical IDs the stack names."""

from __future__ import annotations

from dataclasses import dataclass

from fargo.engine.protocol import Watched


@dataclass(frozen=True)
class ServiceLocation:
    cluster: str | None = None
    service: str | None = None
    target_group: str | None = None
    task_definition: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.cluster and self.service)


def cluster_of_service(service_arn: str) -> str | None:
    """ECS's long ARN names the cluster: arn:...:service/CLUSTER/NAME."""
    parts = service_arn.split(":", 5)[-1].split("/") if service_arn.startswith("arn:") else []
    return parts[1] if len(parts) == 3 else None


def locate(resources: dict[str, dict], watched: Watched) -> ServiceLocation:
    """From `stack_resources`: the physical IDs of what `watched` names. The cluster is the
    stack's own resource, or (a service on a shared cluster) the one its ARN names."""
    ids = {k: v["physical_id"] for k, v in resources.items() if v.get("physical_id")}

    def physical(logical_id: str | None) -> str | None:
        return ids.get(logical_id) if logical_id else None

    service = physical(watched.service_resource)
    cluster = physical(watched.cluster_resource)
    if cluster is None and service is not None:
        cluster = cluster_of_service(service)
    return ServiceLocation(cluster, service, physical(watched.target_group_resource),
                           physical(watched.task_definition_resource))
