"""Service stacks of an environment: `web` on host app.example.com and `api` on path /api/*,
each reading the environment through SSM-typed parameters."""

from __future__ import annotations

import pytest
from template_assertions import app_for, environment_of, outputs, parameters, service_of

from fargo import contract, names
from fargo.names import EnvironmentKey
from fargo.template.env_inputs import STRING, STRING_LIST

APP = app_for()
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
VARIANTS = {
    "nat-domain": APP,
    "isolated-exec": app_for({"network": "isolated", "domain": None, "hosted_zone": None},
                             services={"web": {"image": f"{ECR}/web:1", "host": "a.example.org",
                                               "ecs_exec": True},
                                       "api": {"image": f"{ECR}/api:1", "path": "/api/*"}}),
    "public-http-only": app_for({"network": "public", "https": False}),
    "ipv6-strategies": app_for({"ipv6": True}, services={
        "web": {"host": "app.example.com", "deployment": "blue-green"},
        "api": {"path": "/api/*", "deployment": "canary"}}),
}


@pytest.fixture(scope="module")
def web():
    return service_of(APP, "web")


@pytest.fixture(scope="module")
def api():
    return service_of(APP, "api")


def env_ref(key: EnvironmentKey) -> dict:
    return {"Ref": names.parameter_name(key)}


def test_web_rule_matches_its_host_at_the_first_priority(web):
    web.has_resource_properties("AWS::ElasticLoadBalancingV2::ListenerRule", {
        "ListenerArn": env_ref(EnvironmentKey.LISTENER_ARN), "Priority": 10,
        "Conditions": [{"Field": "host-header",
                        "HostHeaderConfig": {"Values": ["app.example.com"]}}],
        "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}],
    })


def test_api_rule_matches_its_path_at_the_second_priority(api):
    api.has_resource_properties("AWS::ElasticLoadBalancingV2::ListenerRule", {
        "Priority": 20,
        "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}}],
    })


def test_host_and_path_together_make_two_conditions():
    app = app_for(services={"web": {"host": "app.example.com", "path": "/v2/*"}})
    conditions = service_of(app, "web").properties("ListenerRule")["Conditions"]
    assert [c["Field"] for c in conditions] == ["host-header", "path-pattern"]


def test_a_lone_service_without_host_or_path_takes_every_request():
    rule = service_of(app_for(services={"web": {}}), "web").properties("ListenerRule")
    assert rule["Conditions"] == [{"Field": "path-pattern",
                                   "PathPatternConfig": {"Values": ["/*"]}}]


def test_each_service_has_its_own_target_group_in_the_environments_vpc(web, api):
    for template in (web, api):
        template.resource_count_is("AWS::ElasticLoadBalancingV2::TargetGroup", 1)
        template.has_resource_properties("AWS::ElasticLoadBalancingV2::TargetGroup", {
            "TargetType": "ip", "VpcId": env_ref(EnvironmentKey.VPC_ID)})


def test_target_groups_check_each_services_own_health_path():
    app = app_for(services={"web": {"host": "app.example.com", "image": "nginx:1.27"},
                            "api": {"path": "/api/*", "health_check_path": "/api/health"}})
    assert service_of(app, "web").properties("TargetGroup")["HealthCheckPath"] == "/health"
    assert service_of(app, "api").properties("TargetGroup")["HealthCheckPath"] == "/api/health"


def test_the_service_reads_the_environment_through_ssm_parameters(web):
    declared = parameters(web)
    for key in (EnvironmentKey.VPC_ID, EnvironmentKey.LISTENER_ARN,
                EnvironmentKey.CLUSTER_NAME, EnvironmentKey.LOAD_BALANCER_SECURITY_GROUP):
        parameter = declared[names.parameter_name(key)]
        assert parameter == {**parameter, "Type": STRING,
                             "Default": f"/fargo/shop/dev/{key.value}"}
    subnets = declared[names.parameter_name(EnvironmentKey.TASK_SUBNET_IDS)]
    assert (subnets["Type"], subnets["Default"]) == (STRING_LIST,
                                                    "/fargo/shop/dev/task-subnet-ids")


def test_only_the_first_count_is_left_to_the_deploy(web):
    without_default = {n for n, p in parameters(web).items() if "Default" not in p}
    assert without_default == set()
    assert contract.DESIRED_COUNT_PARAMETER in parameters(web)
    assert contract.S3_PREFIX_LIST_PARAMETER not in parameters(web)  # read from the environment


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_ssm_name_a_service_reads_is_one_the_environment_publishes(variant):
    app = VARIANTS[variant]
    environment = environment_of(app)
    published = {p["Properties"]["Name"]: p["Properties"]["Type"]
                 for p in environment.of_type("AWS::SSM::Parameter").values()}
    for name in app.services:
        for parameter in parameters(service_of(app, name)).values():
            if not parameter["Type"].startswith("AWS::SSM::Parameter::Value"):
                continue
            assert parameter["Default"] in published, (name, parameter["Default"])
            listed = published[parameter["Default"]] == "StringList"
            assert listed == (parameter["Type"] == STRING_LIST), parameter


def test_the_service_runs_on_the_environments_cluster_and_subnets(web):
    service = web.properties("Service")
    assert service["Cluster"] == env_ref(EnvironmentKey.CLUSTER_NAME)
    network = service["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["Subnets"] == env_ref(EnvironmentKey.TASK_SUBNET_IDS)
    assert network["SecurityGroups"] == [{"Ref": "TaskSecurityGroup"}]
    assert service["LoadBalancers"] == [{"ContainerName": "web", "ContainerPort": 80,
                                         "TargetGroupArn": {"Ref": "TargetGroup"}}]
    # targets register only in a group that a listener rule forwards to
    assert web.resources["Service"]["DependsOn"] == ["ListenerRule"]


def test_the_task_group_is_the_services_own(web):
    web.has_resource_properties("AWS::EC2::SecurityGroup", {
        "VpcId": env_ref(EnvironmentKey.VPC_ID),
        "GroupDescription": "shop-dev-web tasks: load balancer in, allowed egress out"})


def test_the_load_balancer_reaches_the_task_group_on_its_port():
    app = app_for(services={"web": {"host": "app.example.com", "port": 8080}})
    template = service_of(app, "web")
    alb = env_ref(EnvironmentKey.LOAD_BALANCER_SECURITY_GROUP)
    template.has_resource_properties("AWS::EC2::SecurityGroupEgress", {
        "GroupId": alb, "DestinationSecurityGroupId": {"Ref": "TaskSecurityGroup"},
        "FromPort": 8080, "ToPort": 8080})
    template.has_resource_properties("AWS::EC2::SecurityGroupIngress", {
        "GroupId": {"Ref": "TaskSecurityGroup"}, "SourceSecurityGroupId": alb,
        "FromPort": 8080, "ToPort": 8080})


def test_the_tasks_reach_the_endpoints_and_s3_through_the_environments_groups(web):
    endpoint = env_ref(EnvironmentKey.ENDPOINT_SECURITY_GROUP)
    web.has_resource_properties("AWS::EC2::SecurityGroupIngress", {
        "GroupId": endpoint, "SourceSecurityGroupId": {"Ref": "TaskSecurityGroup"},
        "FromPort": 443})
    web.has_resource_properties("AWS::EC2::SecurityGroupEgress", {
        "GroupId": {"Ref": "TaskSecurityGroup"}, "DestinationSecurityGroupId": endpoint})
    web.has_resource_properties("AWS::EC2::SecurityGroupEgress", {
        "GroupId": {"Ref": "TaskSecurityGroup"},
        "DestinationPrefixListId": env_ref(EnvironmentKey.S3_PREFIX_LIST_ID)})


def test_a_public_service_has_no_endpoint_rules():
    template = service_of(VARIANTS["public-http-only"], "web")
    assert "EndpointFromTaskIngress" not in template.resources
    assert "TaskToS3Egress" not in template.resources
    network = template.properties("Service")["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "ENABLED"


def test_the_host_gets_an_alias_to_the_environments_load_balancer(web):
    web.has_resource_properties("AWS::Route53::RecordSet", {
        "Name": "app.example.com", "Type": "A",
        "HostedZoneId": env_ref(EnvironmentKey.HOSTED_ZONE_ID),
        "AliasTarget": {"DNSName": env_ref(EnvironmentKey.LOAD_BALANCER_DNS_NAME),
                        "HostedZoneId": env_ref(EnvironmentKey.LOAD_BALANCER_ZONE_ID)}})


def test_a_path_service_has_no_record(api):
    api.resource_count_is("AWS::Route53::RecordSet", 0)
    assert names.parameter_name(EnvironmentKey.HOSTED_ZONE_ID) not in parameters(api)


def test_an_ipv6_environment_gives_the_host_an_aaaa_record_too():
    template = service_of(VARIANTS["ipv6-strategies"], "web")
    template.has_resource_properties("AWS::Route53::RecordSet", {"Type": "AAAA"})


def test_logs_are_the_services_and_exec_logs_the_environments():
    template = service_of(VARIANTS["isolated-exec"], "web")
    template.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/shop-dev-web"})
    template.resource_count_is("AWS::Logs::LogGroup", 1)
    statements = template.properties("TaskRole")["Policies"][0]["PolicyDocument"]["Statement"]
    (logs,) = [s for s in statements if s["Sid"] == "EcsExecSessionLogs"]
    assert logs["Resource"] == [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:"
                                 "${AWS::AccountId}:log-group:/fargate/service/shop-dev-env/"
                                 "exec:*"}]


def test_the_task_definition_is_named_for_the_service(web):
    definition = web.properties("TaskDefinition")
    assert definition["Family"] == "shop-dev-web"
    assert definition["ContainerDefinitions"][0]["Name"] == "web"


def test_scaling_targets_the_service_on_the_environments_cluster(web):
    target = web.properties("ScalableTarget")
    assert target["ResourceId"] == {"Fn::Join": ["/", [
        "service", env_ref(EnvironmentKey.CLUSTER_NAME), {"Fn::GetAtt": ["Service", "Name"]}]]}


def test_outputs_give_the_engine_what_it_reads(web, api):
    for template in (web, api):
        assert {contract.OUTPUT_ALB_DNS, contract.OUTPUT_URL, contract.OUTPUT_CLUSTER,
                contract.OUTPUT_SERVICE, contract.OUTPUT_LOG_GROUP,
                contract.OUTPUT_TARGET_GROUP} <= set(outputs(template))
    assert outputs(web)[contract.OUTPUT_DOMAIN_URL]["Value"] == "https://app.example.com"
    assert outputs(api)[contract.OUTPUT_URL]["Value"] == {
        "Fn::Sub": "https://${EnvLoadBalancerDnsName}/api/"}


def test_tags_name_the_service_stack(api):
    tags = {t["Key"]: t["Value"] for t in api.properties("TaskSecurityGroup")["Tags"]}
    assert tags == {"Name": "shop-dev-api-task-security-group", "Environment": "dev"}


def test_a_service_template_changes_only_with_its_own_settings():
    """Adding a service to the file changes no other service's template (but the priorities
    that come from the order of the tables: new services go last)."""
    more = app_for(services={"web": {"host": "app.example.com"}, "api": {"path": "/api/*"},
                             "admin": {"path": "/admin/*"}})
    assert service_of(more, "web").data == service_of(APP, "web").data
    assert service_of(more, "api").data == service_of(APP, "api").data


def test_a_built_service_has_its_own_registry_stack():
    from fargo.template.registry import build_registry_template

    app = app_for(services={"web": {"host": "app.example.com", "build": "examples/hello",
                                    "keep_images": 5}})
    web = app.service("web")
    assert web.registry_stack_name == "shop-dev-web-registry"
    template = build_registry_template(web)
    assert "shop-dev-web-registry" in template.description
    policy = template.resources["Repository"].LifecyclePolicy.LifecyclePolicyText
    assert '"countNumber": 5' in policy
