"""The environment stack: network, load balancer and cluster its services share, and the SSM
parameters it publishes for them."""

from __future__ import annotations

import json

import pytest
from template_assertions import app_for, environment_of, outputs, parameters

from fargo import contract, names
from fargo.names import EnvironmentKey
from fargo.template import publish

ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
ISOLATED = {"network": "isolated"}
ISOLATED_SERVICES = {"web": {"image": f"{ECR}/web:1", "host": "app.example.com"},
                     "api": {"image": f"{ECR}/api:1", "path": "/api/*"}}


@pytest.fixture(scope="module")
def env():
    return environment_of(app_for())


def published(template) -> dict[str, dict]:
    return {p["Properties"]["Name"]: p["Properties"]
            for p in template.of_type("AWS::SSM::Parameter").values()}


def test_the_environment_holds_the_network_and_the_cluster(env):
    env.resource_count_is("AWS::EC2::VPC", 1)
    env.resource_count_is("AWS::EC2::Subnet", 4)
    env.resource_count_is("AWS::EC2::NatGateway", 1)
    env.resource_count_is("AWS::ECS::Cluster", 1)
    env.resource_count_is("AWS::ElasticLoadBalancingV2::LoadBalancer", 1)


def test_the_environment_holds_no_service(env):
    for kind in ("AWS::ECS::Service", "AWS::ECS::TaskDefinition",
                 "AWS::ElasticLoadBalancingV2::TargetGroup",
                 "AWS::ElasticLoadBalancingV2::ListenerRule", "AWS::Route53::RecordSet"):
        env.resource_count_is(kind, 0)
    assert "TaskSecurityGroup" not in env.resources


def test_https_listener_answers_404_until_a_service_rule_matches(env):
    env.has_resource_properties("AWS::ElasticLoadBalancingV2::Listener", {
        "Port": 443, "Protocol": "HTTPS",
        "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {
            "StatusCode": "404", "ContentType": "text/plain"}}],
    })


def test_http_listener_redirects_to_https(env):
    env.has_resource_properties("AWS::ElasticLoadBalancingV2::Listener", {
        "Port": 80, "DefaultActions": [{"Type": "redirect", "RedirectConfig": {
            "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_302"}}],
    })


def test_http_only_listener_answers_404_itself():
    template = environment_of(app_for({"https": False}))
    template.resource_count_is("AWS::ElasticLoadBalancingV2::Listener", 1)
    template.has_resource_properties("AWS::ElasticLoadBalancingV2::Listener", {
        "Port": 80, "DefaultActions": [{"Type": "fixed-response"}]})


def test_the_certificate_covers_the_domain_and_every_services_host():
    app = app_for(services={"web": {"host": "app.example.com"},
                            "admin": {"host": "a.b.example.com"}, "api": {"path": "/api/*"}})
    template = environment_of(app)
    certificate = template.properties(contract.CERTIFICATE_RESOURCE)
    assert certificate["DomainName"] == "example.com"
    assert certificate["SubjectAlternativeNames"] == ["a.b.example.com", "app.example.com"]
    assert [o["DomainName"] for o in certificate["DomainValidationOptions"]] == [
        "example.com", "a.b.example.com", "app.example.com"]
    assert all(o["HostedZoneId"] == {"Ref": contract.HOSTED_ZONE_PARAMETER}
               for o in certificate["DomainValidationOptions"])


def test_a_service_at_the_domain_itself_adds_no_alternative_name():
    template = environment_of(app_for(services={"web": {"host": "example.com"}}))
    assert "SubjectAlternativeNames" not in template.properties(contract.CERTIFICATE_RESOURCE)


def test_every_published_parameter_is_under_the_environments_prefix(env):
    for name in published(env):
        assert name.startswith("/fargo/shop/dev/")


def test_the_environment_publishes_what_services_need(env):
    keys = {name.removeprefix("/fargo/shop/dev/") for name in published(env)}
    assert keys == {key.value for key in app_for().published_keys()}
    assert keys == {
        "vpc-id", "public-subnet-ids", "private-subnet-ids", "task-subnet-ids", "listener-arn",
        "load-balancer-security-group-id", "endpoint-security-group-id", "cluster-name",
        "cluster-arn", "load-balancer-dns-name", "load-balancer-canonical-zone-id",
        "hosted-zone-id", "s3-prefix-list-id"}


@pytest.mark.parametrize(("key", "value"), [
    (EnvironmentKey.VPC_ID, {"Ref": "Vpc"}),
    (EnvironmentKey.LISTENER_ARN, {"Ref": "HttpsListener"}),
    (EnvironmentKey.LOAD_BALANCER_SECURITY_GROUP, {"Ref": "LoadBalancerSecurityGroup"}),
    (EnvironmentKey.ENDPOINT_SECURITY_GROUP, {"Ref": "EndpointSecurityGroup"}),
    (EnvironmentKey.CLUSTER_NAME, {"Ref": "Cluster"}),
    (EnvironmentKey.CLUSTER_ARN, {"Fn::GetAtt": ["Cluster", "Arn"]}),
    (EnvironmentKey.LOAD_BALANCER_DNS_NAME, {"Fn::GetAtt": ["LoadBalancer", "DNSName"]}),
    (EnvironmentKey.LOAD_BALANCER_ZONE_ID,
     {"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]}),
    (EnvironmentKey.HOSTED_ZONE_ID, {"Ref": contract.HOSTED_ZONE_PARAMETER}),
    (EnvironmentKey.S3_PREFIX_LIST_ID, {"Ref": contract.S3_PREFIX_LIST_PARAMETER}),
])
def test_each_published_value_is_the_environments_resource(env, key, value):
    parameter = env.properties(publish.logical_id(key))
    assert parameter["Name"] == names.ssm_name("shop", "dev", key)
    assert (parameter["Type"], parameter["Value"]) == ("String", value)


def test_subnet_lists_are_published_as_string_lists(env):
    tasks = env.properties(publish.logical_id(EnvironmentKey.TASK_SUBNET_IDS))
    assert tasks["Type"] == "StringList"
    assert tasks["Value"] == {"Fn::Join": [",", [{"Ref": "PrivateSubnet1"},
                                                 {"Ref": "PrivateSubnet2"}]]}
    public = env.properties(publish.logical_id(EnvironmentKey.PUBLIC_SUBNET_IDS))
    assert public["Value"]["Fn::Join"][1] == [{"Ref": "PublicSubnet1"}, {"Ref": "PublicSubnet2"}]


def test_a_public_network_publishes_its_public_subnets_as_the_task_subnets():
    template = environment_of(app_for({"network": "public"}))
    names_published = set(published(template))
    assert "/fargo/shop/dev/private-subnet-ids" not in names_published
    assert "/fargo/shop/dev/endpoint-security-group-id" not in names_published
    tasks = template.properties(publish.logical_id(EnvironmentKey.TASK_SUBNET_IDS))
    assert tasks["Value"]["Fn::Join"][1] == [{"Ref": "PublicSubnet1"}, {"Ref": "PublicSubnet2"}]
    assert contract.S3_PREFIX_LIST_PARAMETER not in parameters(template)


def test_without_a_domain_there_is_no_zone_to_publish():
    template = environment_of(app_for({"domain": None, "hosted_zone": None}))
    assert "/fargo/shop/dev/hosted-zone-id" not in published(template)
    assert contract.CERTIFICATE_PARAMETER in parameters(template)  # self-signed, from deploy


def test_published_parameters_carry_tags_as_a_map(env):
    tags = env.properties(publish.logical_id(EnvironmentKey.VPC_ID))["Tags"]
    assert tags == {"Name": "shop-dev-env-published-vpc-id", "Environment": "dev"}


def test_the_deploy_fills_the_prefix_list_and_the_zone(env):
    assert set(parameters(env)) == {contract.S3_PREFIX_LIST_PARAMETER,
                                    contract.HOSTED_ZONE_PARAMETER}


def test_the_cluster_logs_every_services_exec_sessions_to_the_environments_group(env):
    env.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/shop-dev-env/exec"})
    configuration = env.properties("Cluster")["Configuration"]
    assert configuration["ExecuteCommandConfiguration"]["LogConfiguration"] == {
        "CloudWatchLogGroupName": {"Ref": "ExecLogGroup"}}


def test_logs_endpoint_admits_every_services_log_group_by_name(env):
    policy = env.properties("LogsEndpoint")["PolicyDocument"]
    (write,) = [s for s in policy["Statement"] if s["Sid"] == "WriteTheEnvironmentsLogs"]
    assert write["Resource"] == [{"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:"
                                  "${AWS::AccountId}:log-group:/fargate/service/shop-dev-*:*"}]
    assert write["Condition"]["StringEquals"]["aws:ResourceAccount"] == {"Ref": "AWS::AccountId"}


def test_ecr_endpoints_admit_this_accounts_repositories_and_the_services_images():
    template = environment_of(app_for({"network": "isolated"}, services={
        "web": {"image": "210987654321.dkr.ecr.eu-west-1.amazonaws.com/shared/web:1",
                "path": "/*"}}))
    text = json.dumps(template.properties("EcrDkrEndpoint")["PolicyDocument"])
    assert "repository/*" in text and "210987654321:repository/shared/web" in text


def test_secret_endpoints_admit_this_accounts_secrets_and_the_services_references():
    app = app_for(ISOLATED, services={
        "web": {**ISOLATED_SERVICES["web"], "secrets": {"A": "ssm:/shop/a"}},
        "api": {**ISOLATED_SERVICES["api"], "secrets": {"B": "ssm:/shop/b"}}})
    statements = environment_of(app).properties("SsmEndpoint")["PolicyDocument"]["Statement"]
    assert [s["Sid"] for s in statements] == ["ReadThisAccountsSecrets", "ReadTheServicesSecrets"]
    assert len(statements[1]["Resource"]) == 2


def test_endpoints_are_what_any_service_needs():
    app = app_for(ISOLATED, services={**ISOLATED_SERVICES, "api": {
        **ISOLATED_SERVICES["api"], "ecs_exec": True}})
    template = environment_of(app)
    assert {"SsmmessagesEndpoint", "EcrApiEndpoint", "LogsEndpoint"} <= set(
        template.of_type("AWS::EC2::VPCEndpoint"))


def test_dns_firewall_allows_every_services_names():
    app = app_for({"dns_firewall": True, "dns_allowed_domains": ["api.example.org"]},
                  services={"web": {"host": "app.example.com", "image": "nginx:1.27"},
                            "api": {"path": "/api/*", "image": "ghcr.io/shop/api:1"}})
    domains = environment_of(app).properties("DnsAllowedDomains")["Domains"]
    assert {"registry-1.docker.io", "ghcr.io", "api.example.org"} <= set(domains)
    assert len(domains) == len(set(domains))


def test_environment_logs_are_kept_as_long_as_any_services(env):
    app = app_for({"flow_logs": True}, services={"web": {"log_retention_days": 400}})
    environment_of(app).has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/shop-dev-env/flow-logs", "RetentionInDays": 400})


def test_outputs_name_the_load_balancer_and_cluster(env):
    assert {contract.OUTPUT_ALB_DNS, contract.OUTPUT_URL, contract.OUTPUT_CLUSTER,
            contract.OUTPUT_ACCESS_LOG_BUCKET} == set(outputs(env))


def test_tags_name_the_environment_stack(env):
    tags = {t["Key"]: t["Value"] for t in env.properties("Vpc")["Tags"]}
    assert tags == {"Name": "shop-dev-env-vpc", "Environment": "dev"}
    bucket = {t["Key"]: t["Value"] for t in env.properties("AccessLogBucket")["Tags"]}
    assert bucket[contract.STACK_TAG] == "shop-dev-env"
