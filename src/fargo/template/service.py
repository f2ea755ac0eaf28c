"""The ECS cluster, task definition, service, their IAM roles and the log group.

The container runs untrusted code (L42 compiles and runs what users send), so the task role
holds only what ECS Exec needs, and no role at all when Exec is off: code in the task finds
no AWS credentials to steal.
"""

from __future__ import annotations

from dataclasses import dataclass

from awacs import logs as log_actions
from awacs import ssmmessages
from awacs.aws import Allow, Condition, PolicyDocument, Principal, Statement, StringEquals
from awacs.sts import AssumeRole
from troposphere import (
    AWSObject,
    Equals,
    If,
    NoValue,
    Parameter,
    Ref,
    Sub,
    Template,
    ecs,
    iam,
    logs,
)

from fargo.config import Settings
from fargo.template.common import DESIRED_COUNT_PARAMETER, justify
from fargo.template.load_balancer import LoadBalancing
from fargo.template.network import Network
from fargo.template.security import SecurityGroups

EXEC_ACTIONS = [
    ssmmessages.CreateControlChannel, ssmmessages.CreateDataChannel,
    ssmmessages.OpenControlChannel, ssmmessages.OpenDataChannel,
]
# The SSM agent in the task writes Exec session logs with the task role's credentials.
EXEC_LOG_ACTIONS = [log_actions.CreateLogStream, log_actions.PutLogEvents,
                    log_actions.DescribeLogStreams]
KEEP_RUNNING_COUNT = "KeepRunningCount"


@dataclass(frozen=True)
class Service:
    cluster: ecs.Cluster
    service: ecs.Service
    task_definition: ecs.TaskDefinition
    log_group: logs.LogGroup


def add(
    template: Template, settings: Settings, network: Network, groups: SecurityGroups,
    load_balancing: LoadBalancing, network_ready: list[AWSObject],
) -> Service:
    # Explicitly deleted with the stack (cfn-lint I3011 asks stateful resources to say so): its
    # name is fixed, so a retained group would make the next deploy of the same stack fail.
    log_group = template.add_resource(logs.LogGroup(
        "LogGroup", LogGroupName=f"/fargate/service/{settings.stack_name}",
        RetentionInDays=settings.log_retention_days,
        DeletionPolicy="Delete", UpdateReplacePolicy="Delete",
    ))
    justify(log_group, {"CKV_AWS_158": "CloudWatch Logs encrypts at rest by default; a customer "
                        "managed KMS key adds cost and key management for no gain here"})
    cluster = template.add_resource(_cluster(settings, log_group))
    task_definition = template.add_resource(_task_definition(template, settings, log_group))
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
        # Targets register only once a listener uses the group; tasks need their routes and
        # endpoints before they pull the image.
        DependsOn=[listener.title for listener in load_balancing.listeners]
        + [resource.title for resource in network_ready],
    ))
    if public:
        justify(service, {"CKV_AWS_333": "network = public was chosen: tasks need a public IP to "
                          "reach the internet without NAT; their security group admits only the "
                          "load balancer"})
    return Service(cluster, service, task_definition, log_group)


def _cluster(settings: Settings, log_group: logs.LogGroup) -> ecs.Cluster:
    properties = dict(
        ClusterSettings=[ecs.ClusterSetting(Name="containerInsights", Value="enabled")])
    if settings.ecs_exec:
        properties["Configuration"] = ecs.ClusterConfiguration(
            ExecuteCommandConfiguration=ecs.ExecuteCommandConfiguration(
                Logging="OVERRIDE",
                LogConfiguration=ecs.ExecuteCommandLogConfiguration(
                    CloudWatchLogGroupName=Ref(log_group),
                ),
            ),
        )
    return ecs.Cluster("Cluster", **properties)


def _assume_by_ecs_tasks() -> PolicyDocument:
    return PolicyDocument(
        Version="2012-10-17",
        Statement=[Statement(
            Effect=Allow, Principal=Principal("Service", "ecs-tasks.amazonaws.com"),
            Action=[AssumeRole],
            Condition=Condition(StringEquals("aws:SourceAccount", Ref("AWS::AccountId"))),
        )],
    )


def _task_definition(template: Template, settings: Settings, log_group) -> ecs.TaskDefinition:
    execution_role = template.add_resource(iam.Role(
        "TaskExecutionRole", AssumeRolePolicyDocument=_assume_by_ecs_tasks(),
        ManagedPolicyArns=[Sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        )],
    ))
    task_role = None
    if settings.ecs_exec:
        task_role = template.add_resource(iam.Role(
            "TaskRole", AssumeRolePolicyDocument=_assume_by_ecs_tasks(),
            Policies=[iam.Policy(PolicyName="ecs-exec", PolicyDocument=PolicyDocument(
                Version="2012-10-17",
                Statement=[
                    Statement(Sid="EcsExecChannels", Effect=Allow, Action=EXEC_ACTIONS,
                              Resource=["*"]),
                    Statement(Sid="EcsExecSessionLogs", Effect=Allow, Action=EXEC_LOG_ACTIONS,
                              Resource=[log_group.get_att("Arn")]),
                    Statement(Sid="EcsExecLogGroupLookup", Effect=Allow,
                              Action=[log_actions.DescribeLogGroups], Resource=["*"]),
                ],
            ))],
        ))
        justify(task_role, {"CKV_AWS_111": "ssmmessages channel actions support no resource "
                            "ARNs; log writes are limited to this service's log group",
                            "CKV_AWS_356": "ssmmessages channel actions and DescribeLogGroups "
                            "support no resource ARNs"})
    container = ecs.ContainerDefinition(
        Name=settings.container_name, Image=settings.image, Essential=True,
        PortMappings=[ecs.PortMapping(ContainerPort=settings.port, Protocol="tcp")],
        Environment=[ecs.Environment(Name=k, Value=v)
                     for k, v in sorted(settings.container_variables.items())],
        ReadonlyRootFilesystem=settings.readonly_root_filesystem,
        LogConfiguration=ecs.LogConfiguration(LogDriver="awslogs", Options={
            "awslogs-group": Ref(log_group), "awslogs-region": Ref("AWS::Region"),
            "awslogs-stream-prefix": settings.container_name,
        }),
    )
    if settings.ecs_exec:
        # An init process reaps the processes ECS Exec sessions leave behind.
        container.LinuxParameters = ecs.LinuxParameters(InitProcessEnabled=True)
    task_definition = ecs.TaskDefinition(
        "TaskDefinition", Family=settings.stack_name, RequiresCompatibilities=["FARGATE"],
        NetworkMode="awsvpc", Cpu=str(settings.cpu), Memory=str(settings.memory),
        RuntimePlatform=ecs.RuntimePlatform(
            OperatingSystemFamily="LINUX", CpuArchitecture=settings.cpu_architecture,
        ),
        ExecutionRoleArn=execution_role.get_att("Arn"),
        ContainerDefinitions=[container],
    )
    if task_role is not None:
        task_definition.TaskRoleArn = task_role.get_att("Arn")
    if not settings.readonly_root_filesystem:
        justify(task_definition, {"CKV_AWS_336": "Most images (the L42 compiler included) write "
                                  "to their file system; set readonly_root_filesystem = true "
                                  "for an image that does not"})
    return task_definition
