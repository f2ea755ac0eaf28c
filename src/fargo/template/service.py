"""The ECS cluster, task definition and service.

The container (container module) runs untrusted code (L42 compiles and runs what users send);
its roles (roles module) hold only what Fargate and ECS Exec need, and its logs go to the log
groups module's groups: Exec session logs apart from the application's.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import (
    AWSObject,
    Equals,
    If,
    NoValue,
    Parameter,
    Ref,
    Template,
    ecs,
    logs,
)

from fargo.config import Settings
from fargo.template import container, roles
from fargo.template.common import DESIRED_COUNT_PARAMETER, justify
from fargo.template.load_balancer import LoadBalancing
from fargo.template.log_groups import LogGroups
from fargo.template.network import Network
from fargo.template.security import SecurityGroups

KEEP_RUNNING_COUNT = "KeepRunningCount"


@dataclass(frozen=True)
class Service:
    cluster: ecs.Cluster
    service: ecs.Service
    task_definition: ecs.TaskDefinition
    log_group: logs.LogGroup


def add(
    template: Template, settings: Settings, network: Network, groups: SecurityGroups,
    load_balancing: LoadBalancing, log_groups: LogGroups, network_ready: list[AWSObject],
) -> Service:
    cluster = template.add_resource(_cluster(settings, log_groups))
    task_definition = template.add_resource(_task_definition(template, settings, log_groups))
    desired = template.add_parameter(Parameter(
        DESIRED_COUNT_PARAMETER, Type="String", Default=str(settings.desired_count),
        AllowedPattern=r"^(\d{1,4})?$",
        Description="Tasks at creation; fargo deploy passes an empty value on updates "
        "so the count autoscaling chose is kept",
    ))
    template.add_condition(KEEP_RUNNING_COUNT, Equals(Ref(desired), ""))
    public = settings.network == "public"
    service = template.add_resource(ecs.Service(
        "Service", Cluster=Ref(cluster), TaskDefinition=Ref(task_definition),
        LaunchType="FARGATE", PlatformVersion="LATEST",
        DesiredCount=If(KEEP_RUNNING_COUNT, NoValue, Ref(desired)),
        DeploymentConfiguration=ecs.DeploymentConfiguration(
            DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
            MaximumPercent=200, MinimumHealthyPercent=100,
        ),
        NetworkConfiguration=ecs.NetworkConfiguration(AwsvpcConfiguration=ecs.AwsvpcConfiguration(
            AssignPublicIp="ENABLED" if public else "DISABLED",
            Subnets=[Ref(s) for s in network.task_subnets],
            SecurityGroups=[Ref(groups.task)],
        )),
        LoadBalancers=[ecs.LoadBalancer(
            ContainerName=settings.container_name, ContainerPort=settings.port,
            TargetGroupArn=Ref(load_balancing.target_group),
        )],
        HealthCheckGracePeriodSeconds=settings.health_check_grace_period,
        EnableECSManagedTags=True, PropagateTags="SERVICE",
        EnableExecuteCommand=settings.ecs_exec,
        # Targets register only once a listener uses the group; tasks need their routes,
        # endpoints and DNS firewall before they pull the image.
        DependsOn=[listener.title for listener in load_balancing.listeners]
        + [resource.title for resource in network_ready],
    ))
    if public:
        justify(service, {"CKV_AWS_333": "network = public was chosen: tasks need a public IP to "
                          "reach the internet without NAT; their security group admits only the "
                          "load balancer"})
    return Service(cluster, service, task_definition, log_groups.app)


def _cluster(settings: Settings, log_groups: LogGroups) -> ecs.Cluster:
    properties = dict(
        ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")])
    if log_groups.exec_sessions is not None:
        properties["Configuration"] = ecs.ClusterConfiguration(
            ExecuteCommandConfiguration=ecs.ExecuteCommandConfiguration(
                Logging="OVERRIDE",
                LogConfiguration=ecs.ExecuteCommandLogConfiguration(
                    CloudWatchLogGroupName=Ref(log_groups.exec_sessions),
                ),
            ),
        )
    return ecs.Cluster("Cluster", **properties)


def _task_definition(
    template: Template, settings: Settings, log_groups: LogGroups
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
        ContainerDefinitions=[container.definition(settings, log_groups)],
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
