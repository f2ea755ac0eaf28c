"""The ECS cluster, task definition and service.

The container (container module) runs untrusted code (L42 compiles and runs what users send);
its roles (roles module) hold only what Fargate and ECS Exec need, and its logs go to the log
groups module's groups: Exec session logs apart from the application's. The image is a stack
parameter (parameters module), so a new image is a new task definition revision without a new
template; the capacity (on-demand or Spot) is the capacity module's.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import (
    AWSHelperFn,
    AWSObject,
    Equals,
    If,
    NoValue,
    Parameter,
    Ref,
    Template,
    ecs,
)

from fargo.config import Settings
from fargo.template import capacity, container, parameters, roles
from fargo.template.common import DESIRED_COUNT_PARAMETER, justify
from fargo.template.deployment import rolling, with_alarms
from fargo.template.load_balancer import LoadBalancing
from fargo.template.log_groups import LogGroups
from fargo.template.network import Network
from fargo.template.security import SecurityGroups

KEEP_RUNNING_COUNT = "KeepRunningCount"


@dataclass(frozen=True)
class Service:
    cluster: AWSHelperFn  # the cluster's name: a Ref to this stack's cluster or a parameter
    service: ecs.Service
    task_definition: ecs.TaskDefinition
    log_group: AWSHelperFn | str


@dataclass(frozen=True)
class Wiring:
    """Where the service's tasks run, how the load balancer reaches them, how they roll out:
    this stack's own resources (one service) or the environment's (read from parameters)."""

    cluster: AWSHelperFn
    subnets: list | AWSHelperFn
    security_group: AWSHelperFn
    load_balancers: list[ecs.LoadBalancer]
    depends_on: list[str]
    deployment: ecs.DeploymentConfiguration
    controller: ecs.DeploymentController | None = None


def add(
    template: Template, settings: Settings, network: Network, groups: SecurityGroups,
    load_balancing: LoadBalancing, log_groups: LogGroups, network_ready: list[AWSObject],
    deployment_alarms: ecs.DeploymentAlarms | None = None,
) -> Service:
    cluster = template.add_resource(cluster_resource(log_groups.exec_sessions))
    return add_service(template, settings, log_groups, Wiring(
        cluster=Ref(cluster), subnets=[Ref(s) for s in network.task_subnets],
        security_group=Ref(groups.task),
        load_balancers=[ecs.LoadBalancer(
            ContainerName=settings.container_name, ContainerPort=settings.port,
            TargetGroupArn=Ref(load_balancing.target_group),
        )],
        # Targets register only once a listener uses the group; tasks need their routes,
        # endpoints and DNS firewall before they pull the image.
        depends_on=[listener.title for listener in load_balancing.listeners]
        + [resource.title for resource in network_ready],
        deployment=with_alarms(rolling(), deployment_alarms),
    ))


def add_service(
    template: Template, settings: Settings, log_groups: LogGroups, wiring: Wiring,
) -> Service:
    """The task definition, the image and first-count parameters and the ECS service."""
    image = parameters.image(template, settings)
    task_definition = template.add_resource(
        _task_definition(template, settings, log_groups, Ref(image)))
    desired = template.add_parameter(Parameter(
        DESIRED_COUNT_PARAMETER, Type="String", Default=str(settings.desired_count),
        AllowedPattern=r"^(\d{1,4})?$",
        Description="Tasks at creation; fargo deploy passes an empty value on updates "
        "so the count autoscaling chose is kept",
    ))
    template.add_condition(KEEP_RUNNING_COUNT, Equals(Ref(desired), ""))
    public = settings.network == "public"
    service = template.add_resource(ecs.Service(
        "Service", Cluster=wiring.cluster, TaskDefinition=Ref(task_definition),
        # LaunchType for on-demand, a capacity provider strategy for Spot: changing between
        # them replaces the service (capacity module)
        **capacity.service_properties(settings), PlatformVersion="LATEST",
        DesiredCount=If(KEEP_RUNNING_COUNT, NoValue, Ref(desired)),
        DeploymentConfiguration=wiring.deployment,
        NetworkConfiguration=ecs.NetworkConfiguration(AwsvpcConfiguration=ecs.AwsvpcConfiguration(
            AssignPublicIp="ENABLED" if public else "DISABLED",
            Subnets=wiring.subnets, SecurityGroups=[wiring.security_group],
        )),
        LoadBalancers=wiring.load_balancers,
        HealthCheckGracePeriodSeconds=settings.health_check_grace_period,
        EnableECSManagedTags=True, PropagateTags="SERVICE",
        EnableExecuteCommand=settings.ecs_exec,
        **({"DependsOn": wiring.depends_on} if wiring.depends_on else {}),
    ))
    if wiring.controller is not None:
        service.DeploymentController = wiring.controller
    if public:
        justify(service, {"CKV_AWS_333": "network = public was chosen: tasks need a public IP to "
                          "reach the internet without NAT; their security group admits only the "
                          "load balancer"})
    return Service(wiring.cluster, service, task_definition, log_groups.app)


def cluster_resource(exec_log_group: AWSHelperFn | str | None) -> ecs.Cluster:
    """The cluster, with Container Insights and both Fargate capacity providers (so a service
    can use Spot without changing the cluster); with Exec, its sessions logged to their group."""
    properties = dict(
        ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")],
        CapacityProviders=list(capacity.CLUSTER_PROVIDERS))
    if exec_log_group is not None:
        properties["Configuration"] = ecs.ClusterConfiguration(
            ExecuteCommandConfiguration=ecs.ExecuteCommandConfiguration(
                Logging="OVERRIDE",
                LogConfiguration=ecs.ExecuteCommandLogConfiguration(
                    CloudWatchLogGroupName=exec_log_group,
                ),
            ),
        )
    return ecs.Cluster("Cluster", **properties)


def _task_definition(
    template: Template, settings: Settings, log_groups: LogGroups, image: AWSHelperFn,
) -> ecs.TaskDefinition:
    execution_role = roles.execution_role(template, settings, log_groups)
    task_role = roles.task_role(template, settings, log_groups)
    task_definition = ecs.TaskDefinition(
        "TaskDefinition", Family=settings.stack_name, RequiresCompatibilities=["FARGATE"],
        NetworkMode="awsvpc", Cpu=str(settings.cpu), Memory=str(settings.memory),
        RuntimePlatform=ecs.RuntimePlatform(
            OperatingSystemFamily="LINUX", CpuArchitecture=settings.cpu_architecture,
        ),
        ExecutionRoleArn=execution_role.get_att("Arn"),
        ContainerDefinitions=[container.definition(settings, log_groups, image)],
    )
    if settings.writable_paths:
        task_definition.Volumes = container.volumes(settings)
    if task_role is not None:
        task_definition.TaskRoleArn = task_role.get_att("Arn")
    if not settings.readonly_root_filesystem:
        justify(task_definition, {"CKV_AWS_336": "Most images (the L42 compiler included) write "
                                  "to their file system; set readonly_root_filesystem = true "
                                  "(with writable_paths) for an image that can run without"})
    return task_definition
