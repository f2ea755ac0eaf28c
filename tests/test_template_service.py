"""ECS cluster, task definition, service, IAM roles and the log group."""

from __future__ import annotations

import re

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
EXEC_ACTIONS = [
    "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
]
ASSUME_BY_ECS_TASKS = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": ["sts:AssumeRole"],
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    }],
}


def container(template: Template) -> dict:
    definitions = template.properties("TaskDefinition")["ContainerDefinitions"]
    assert len(definitions) == 1
    return definitions[0]


def environment(template: Template) -> dict[str, str]:
    return {e["Name"]: e["Value"] for e in container(template)["Environment"]}


def networking(template: Template) -> dict:
    return template.properties("Service")["NetworkConfiguration"]["AwsvpcConfiguration"]


def depends_on(template: Template) -> list[str]:
    return template.resources["Service"]["DependsOn"]


def test_one_cluster_task_definition_and_service():
    template = Template.of()
    for resource_type in ("AWS::ECS::Cluster", "AWS::ECS::TaskDefinition", "AWS::ECS::Service"):
        template.resource_count_is(resource_type, 1)


def test_log_groups_are_the_containers_and_exec_sessions_when_exec_is_on():
    template = Template.of()
    assert sorted(template.of_type("AWS::Logs::LogGroup")) == ["ExecLogGroup", "LogGroup"]
    template.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/l42-dev/exec", "RetentionInDays": 90,
    })
    exec_group = template.resources["ExecLogGroup"]
    assert (exec_group["DeletionPolicy"], exec_group["UpdateReplacePolicy"]) == ("Delete", "Delete")


def test_exec_off_has_only_the_containers_log_group():
    assert sorted(Template.of(ecs_exec=False).of_type("AWS::Logs::LogGroup")) == ["LogGroup"]


def test_cluster_enables_container_insights():
    template = Template.of()
    template.has_resource_properties("AWS::ECS::Cluster", {
        "ClusterSettings": [{"Name": "containerInsights", "Value": "enabled"}],
    })


def test_cluster_logs_exec_sessions_to_their_own_log_group_when_exec_is_on():
    template = Template.of()
    assert template.properties("Cluster")["Configuration"] == {
        "ExecuteCommandConfiguration": {
            "Logging": "OVERRIDE",
            "LogConfiguration": {"CloudWatchLogGroupName": {"Ref": "ExecLogGroup"}},
        },
    }


def test_cluster_has_no_exec_configuration_when_exec_is_off():
    assert "Configuration" not in Template.of(ecs_exec=False).properties("Cluster")


def test_log_group_keeps_logs_90_days_by_default():
    template = Template.of()
    template.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/l42-dev", "RetentionInDays": 90,
    })


def test_log_group_is_deleted_with_the_stack_so_its_fixed_name_can_be_reused():
    log_group = Template.of().resources["LogGroup"]
    assert (log_group["DeletionPolicy"], log_group["UpdateReplacePolicy"]) == ("Delete", "Delete")


def test_log_group_retention_follows_setting():
    assert Template.of(log_retention_days=14).properties("LogGroup")["RetentionInDays"] == 14


def test_log_group_name_follows_name_and_environment():
    template = Template.of(name="web", environment="prod")
    assert template.properties("LogGroup")["LogGroupName"] == "/fargate/service/web-prod"


def test_task_definition_is_fargate_with_awsvpc_networking():
    template = Template.of()
    template.has_resource_properties("AWS::ECS::TaskDefinition", {
        "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc", "Family": "l42-dev",
    })


def test_task_size_defaults_to_1024_cpu_and_2048_memory_as_strings():
    properties = Template.of().properties("TaskDefinition")
    assert (properties["Cpu"], properties["Memory"]) == ("1024", "2048")


def test_task_size_follows_settings_as_strings():
    properties = Template.of(cpu=512, memory=1024).properties("TaskDefinition")
    assert (properties["Cpu"], properties["Memory"]) == ("512", "1024")


def test_runtime_platform_is_linux_x86_64_by_default():
    assert Template.of().properties("TaskDefinition")["RuntimePlatform"] == {
        "OperatingSystemFamily": "LINUX", "CpuArchitecture": "X86_64",
    }


def test_runtime_platform_is_arm64_for_linux_arm64():
    template = Template.of(platform="linux/arm64")
    assert template.properties("TaskDefinition")["RuntimePlatform"] == {
        "OperatingSystemFamily": "LINUX", "CpuArchitecture": "ARM64",
    }


def test_container_runs_the_image_parameter_with_its_port_mapping():
    template = Template.of(image=ECR_IMAGE, port=8080)
    definition = container(template)
    assert definition["Name"] == "l42"
    assert definition["Image"] == {"Ref": "ImageUri"}
    assert template.data["Parameters"]["ImageUri"]["Default"] == ECR_IMAGE
    assert definition["Essential"] is True
    assert definition["PortMappings"] == [{"ContainerPort": 8080, "Protocol": "tcp"}]


def test_container_environment_is_port_and_environment_by_default():
    assert environment(Template.of(image=ECR_IMAGE)) == {"PORT": "80", "ENVIRONMENT": "dev"}


def test_container_environment_merges_user_variables_over_the_defaults():
    env = environment(Template.of(container_environment={"PORT": "8000", "MODE": "fast"}))
    assert env == {"PORT": "8000", "MODE": "fast", "ENVIRONMENT": "dev"}


def test_container_logs_to_the_log_group_by_reference():
    assert container(Template.of())["LogConfiguration"] == {
        "LogDriver": "awslogs",
        "Options": {
            "awslogs-group": {"Ref": "LogGroup"}, "awslogs-region": {"Ref": "AWS::Region"},
            "awslogs-stream-prefix": "l42",
        },
    }


def test_container_root_filesystem_is_writable_by_default():
    assert container(Template.of())["ReadonlyRootFilesystem"] is False


def test_container_root_filesystem_is_read_only_when_set():
    assert container(Template.of(readonly_root_filesystem=True))["ReadonlyRootFilesystem"] is True


@pytest.mark.parametrize("overrides", [{}, {"ecs_exec": False}], ids=["exec-on", "exec-off"])
def test_container_runs_an_init_process_with_or_without_exec(overrides):
    assert container(Template.of(**overrides))["LinuxParameters"] == {"InitProcessEnabled": True}


def test_execution_role_has_no_managed_policy_and_is_the_task_definitions():
    template = Template.of()
    assert "ManagedPolicyArns" not in template.properties("TaskExecutionRole")
    assert template.properties("TaskDefinition")["ExecutionRoleArn"] == {
        "Fn::GetAtt": ["TaskExecutionRole", "Arn"]
    }


@pytest.mark.parametrize("role", ["TaskExecutionRole", "TaskRole"])
def test_roles_are_assumable_only_by_ecs_tasks_of_this_account(role):
    template = Template.of()
    assert template.properties(role)["AssumeRolePolicyDocument"] == ASSUME_BY_ECS_TASKS


def test_task_role_allows_only_ecs_exec_channels_and_its_session_logs_when_exec_is_on():
    template = Template.of()
    template.resource_count_is("AWS::IAM::Role", 2)
    role = template.properties("TaskRole")
    assert "ManagedPolicyArns" not in role
    statements = {s["Sid"]: s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]}
    assert set(statements) == {"EcsExecChannels", "EcsExecSessionLogs", "EcsExecLogGroupLookup"}
    assert all(s["Effect"] == "Allow" for s in statements.values())
    assert sorted(statements["EcsExecChannels"]["Action"]) == sorted(EXEC_ACTIONS)
    assert sorted(statements["EcsExecSessionLogs"]["Action"]) == [
        "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    assert statements["EcsExecSessionLogs"]["Resource"] == [
        {"Fn::GetAtt": ["ExecLogGroup", "Arn"]}]
    assert statements["EcsExecLogGroupLookup"]["Action"] == ["logs:DescribeLogGroups"]
    assert template.properties("TaskDefinition")["TaskRoleArn"] == {
        "Fn::GetAtt": ["TaskRole", "Arn"]
    }


def test_no_task_role_at_all_when_exec_is_off():
    template = Template.of(ecs_exec=False)
    template.resource_count_is("AWS::IAM::Role", 1)
    assert "TaskRole" not in template.resources
    assert "TaskRoleArn" not in template.properties("TaskDefinition")


def test_no_iam_policy_resources_grant_anything_besides_the_roles():
    template = Template.of()
    for resource_type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User"):
        template.resource_count_is(resource_type, 0)


def test_service_runs_the_task_definition_on_fargate_in_the_cluster():
    template = Template.of()
    template.has_resource_properties("AWS::ECS::Service", {
        "Cluster": {"Ref": "Cluster"}, "TaskDefinition": {"Ref": "TaskDefinition"},
        "LaunchType": "FARGATE",
    })


def test_service_rolls_back_failed_deployments_with_the_circuit_breaker():
    configuration = Template.of().properties("Service")["DeploymentConfiguration"]
    assert configuration["DeploymentCircuitBreaker"] == {"Enable": True, "Rollback": True}


def test_service_manages_and_propagates_tags():
    template = Template.of()
    template.has_resource_properties("AWS::ECS::Service", {
        "EnableECSManagedTags": True, "PropagateTags": "SERVICE",
    })


def test_service_health_check_grace_period_is_60_seconds_for_slow_starts():
    assert Template.of().properties("Service")["HealthCheckGracePeriodSeconds"] == 60
    assert Template.of(health_check_grace_period=180).properties("Service")[
        "HealthCheckGracePeriodSeconds"] == 180


def test_service_registers_the_container_with_the_target_group():
    template = Template.of(port=8080)
    assert template.properties("Service")["LoadBalancers"] == [{
        "ContainerName": "l42", "ContainerPort": 8080, "TargetGroupArn": {"Ref": "TargetGroup"},
    }]


def test_service_enables_execute_command_when_exec_is_on():
    assert Template.of().properties("Service")["EnableExecuteCommand"] is True


def test_service_disables_execute_command_when_exec_is_off():
    assert Template.of(ecs_exec=False).properties("Service")["EnableExecuteCommand"] is False


def test_service_depends_on_both_listeners_in_https_mode():
    assert {"HttpsListener", "HttpListener"} <= set(depends_on(Template.of()))


def test_service_depends_on_the_http_listener_in_http_only_mode():
    template = Template.of(https=False, certificate_arn=None)
    assert "HttpListener" in depends_on(template)
    assert "HttpsListener" not in depends_on(template)


@pytest.mark.parametrize("az_count", [1, 2, 3])
def test_nat_service_depends_on_the_private_default_routes(az_count):
    dependencies = depends_on(Template.of(az_count=az_count))
    assert {f"PrivateDefaultRoute{i}" for i in range(1, az_count + 1)} <= set(dependencies)


@pytest.mark.parametrize("overrides", [{}, ISOLATED], ids=["nat", "isolated"])
def test_service_depends_on_every_vpc_endpoint(overrides):
    template = Template.of(**overrides)
    endpoints = set(template.of_type("AWS::EC2::VPCEndpoint"))
    assert endpoints
    assert endpoints <= set(depends_on(template))


def test_isolated_service_depends_on_no_route():
    assert not [d for d in depends_on(Template.of(**ISOLATED)) if "Route" in d]


def test_public_service_depends_only_on_the_listeners():
    assert sorted(depends_on(Template.of(network="public"))) == ["HttpListener", "HttpsListener"]


@pytest.mark.parametrize("overrides", [{}, ISOLATED], ids=["nat", "isolated"])
def test_service_gets_no_public_ip_in_private_subnets(overrides):
    config = networking(Template.of(az_count=3, **overrides))
    assert config["AssignPublicIp"] == "DISABLED"
    assert config["Subnets"] == [{"Ref": f"PrivateSubnet{i}"} for i in (1, 2, 3)]


def test_public_service_gets_a_public_ip_in_the_public_subnets():
    config = networking(Template.of(network="public"))
    assert config["AssignPublicIp"] == "ENABLED"
    assert config["Subnets"] == [{"Ref": "PublicSubnet1"}, {"Ref": "PublicSubnet2"}]


def test_service_uses_only_the_task_security_group():
    assert networking(Template.of())["SecurityGroups"] == [{"Ref": "TaskSecurityGroup"}]


def test_desired_count_parameter_defaults_to_the_setting():
    template = Template.of(desired_count=2, max_count=3)
    parameter = template.data["Parameters"]["DesiredCount"]
    assert parameter["Type"] == "String"
    assert parameter["Default"] == "2"


def test_desired_count_parameter_accepts_a_number_or_empty_only():
    pattern = Template.of().data["Parameters"]["DesiredCount"]["AllowedPattern"]
    assert re.fullmatch(pattern, "")
    assert re.fullmatch(pattern, "3")
    assert not re.fullmatch(pattern, "-1")
    assert not re.fullmatch(pattern, "two")


def test_service_omits_desired_count_when_the_parameter_is_empty():
    template = Template.of()
    assert template.data["Conditions"]["KeepRunningCount"] == {
        "Fn::Equals": [{"Ref": "DesiredCount"}, ""]
    }
    assert template.properties("Service")["DesiredCount"] == {
        "Fn::If": ["KeepRunningCount", {"Ref": "AWS::NoValue"}, {"Ref": "DesiredCount"}]
    }
