"""network = isolated, read as an attacker would: no path to another account or the internet.

Renders the isolated profile as the L42 example uses it (secrets, Exec on for debugging, so the
task role and every endpoint exist) and checks every endpoint policy, role and security group.
"""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, Template

THIS_ACCOUNT = {"Ref": "AWS::AccountId"}
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
ISOLATED = {
    "network": "isolated", "image": ECR_IMAGE, "user": "1000:1000", "port": 8080,
    "secrets": {"DB_PASSWORD": SECRET + ":password::", "API_KEY": "ssm:/l42/api-key"},
    "secrets_kms_key": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-12345678",
}
VARIANTS = {"exec-on": dict(ISOLATED, ecs_exec=True), "default": ISOLATED,
            "three-zones-waf-ipv6": dict(ISOLATED, az_count=3, waf=True, ipv6=True)}
# Actions AWS defines without a resource form: "*" is the only way to grant them.
WITHOUT_RESOURCE_FORM = {
    "ecr:GetAuthorizationToken", "logs:DescribeLogGroups", "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
}
ANYWHERE = ("0.0.0.0/0", "::/0")
IMAGE_REPOSITORY = {"Fn::Sub": "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/l42"}


@pytest.fixture(params=VARIANTS.values(), ids=VARIANTS.keys())
def template(request) -> Template:
    return Template.of(**request.param)


def names_this_account(resource) -> bool:
    """A resource ARN that can only be this account's: built on AWS::AccountId, or an
    attribute of a resource of this stack."""
    text = json.dumps(resource)
    return "${AWS::AccountId}" in text or "Fn::GetAtt" in text


def test_every_endpoint_statement_admits_only_this_accounts_principals(template):
    for logical_id, endpoint in template.of_type("AWS::EC2::VPCEndpoint").items():
        policy = endpoint["Properties"]["PolicyDocument"]
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow"
            if endpoint["Properties"]["VpcEndpointType"] == "Gateway":
                continue  # checked below: AWS's layer bucket only
            condition = statement["Condition"]["StringEquals"]
            assert condition["aws:PrincipalAccount"] == THIS_ACCOUNT, (logical_id, statement)


def test_every_endpoint_write_lands_only_in_this_account(template):
    """Writes (log events) carry aws:ResourceAccount; reads name their exact resources."""
    for logical_id, endpoint in template.of_type("AWS::EC2::VPCEndpoint").items():
        if endpoint["Properties"]["VpcEndpointType"] == "Gateway":
            continue
        for statement in endpoint["Properties"]["PolicyDocument"]["Statement"]:
            actions = set(statement["Action"])
            assert "*" not in actions, (logical_id, "isolated uses only platform endpoints")
            if statement["Resource"] == ["*"]:
                assert actions <= WITHOUT_RESOURCE_FORM, (logical_id, statement)
            elif actions & {"logs:CreateLogStream", "logs:PutLogEvents"}:
                condition = statement["Condition"]["StringEquals"]
                assert condition["aws:ResourceAccount"] == THIS_ACCOUNT, (logical_id, statement)


def test_s3_gateway_admits_only_reads_of_ecrs_layer_bucket(template):
    policy = template.properties("S3GatewayEndpoint")["PolicyDocument"]
    (statement,) = policy["Statement"]
    assert statement["Action"] == ["s3:GetObject"]
    assert statement["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:s3:::prod-${AWS::Region}-starport-layer-bucket/*")}]


def test_roles_are_assumed_only_by_aws_services_acting_for_this_account(template):
    roles = template.of_type("AWS::IAM::Role")
    assert roles
    for logical_id, role in roles.items():
        for statement in role["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            assert set(statement["Principal"]) == {"Service"}, logical_id
            assert statement["Condition"] == {
                "StringEquals": {"aws:SourceAccount": THIS_ACCOUNT}}, logical_id


def test_roles_grant_only_on_this_accounts_resources_or_the_named_secrets(template):
    allowed_literals = {SECRET, SECRET + "-??????", ISOLATED["secrets_kms_key"]}
    for logical_id, role in template.of_type("AWS::IAM::Role").items():
        assert "ManagedPolicyArns" not in role["Properties"], logical_id
        for policy in role["Properties"]["Policies"]:
            for statement in policy["PolicyDocument"]["Statement"]:
                assert statement["Effect"] == "Allow"
                for resource in statement["Resource"]:
                    if resource == "*":
                        assert set(statement["Action"]) <= WITHOUT_RESOURCE_FORM, statement
                    elif isinstance(resource, str):
                        assert resource in allowed_literals, (logical_id, resource)
                    else:
                        assert names_this_account(resource) or resource == IMAGE_REPOSITORY, (
                            logical_id, resource)


def test_no_users_managed_policies_or_log_resource_policies_grant_anything(template):
    for resource_type in ("AWS::IAM::User", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy",
                          "AWS::Logs::ResourcePolicy"):
        template.resource_count_is(resource_type, 0)


def test_the_only_resource_policies_admit_this_account_and_cloudwatch_for_its_alarms(template):
    """The alarm topic's key and policy: the account's own root (IAM decides), and CloudWatch
    only for this account's alarms of this stack."""
    assert list(template.of_type("AWS::KMS::Key")) == ["AlarmTopicKey"]
    assert list(template.of_type("AWS::SNS::TopicPolicy")) == ["AlarmTopicPolicy"]
    statements = (template.properties("AlarmTopicKey")["KeyPolicy"]["Statement"]
                  + template.properties("AlarmTopicPolicy")["PolicyDocument"]["Statement"])
    for statement in statements:
        if statement["Effect"] == "Deny":
            continue
        principal = statement["Principal"]
        if "AWS" in principal:
            assert principal == {"AWS": {"Fn::Sub": (
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}}, statement
            continue
        assert principal == {"Service": "cloudwatch.amazonaws.com"}, statement
        condition = statement["Condition"]
        assert condition["StringEquals"] == {"aws:SourceAccount": THIS_ACCOUNT}, statement
        assert condition["ArnLike"]["aws:SourceArn"] == {"Fn::Sub": (
            "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:l42-dev-*")}


def test_only_the_load_balancer_is_reachable_from_the_internet(template):
    for logical_id, group in template.of_type("AWS::EC2::SecurityGroup").items():
        for rule in group["Properties"].get("SecurityGroupIngress", []):
            if rule.get("CidrIp") in ANYWHERE or rule.get("CidrIpv6") in ANYWHERE:
                assert logical_id == "LoadBalancerSecurityGroup", rule
                assert rule["FromPort"] in (80, 443), rule
    for rule in template.of_type("AWS::EC2::SecurityGroupIngress").values():
        assert "SourceSecurityGroupId" in rule["Properties"], rule


def test_no_security_group_lets_anything_out_to_an_address_range(template):
    """Egress only to other groups of the stack or S3's prefix list (the layer bucket)."""
    placeholder = "255.255.255.255/32"
    for group in template.of_type("AWS::EC2::SecurityGroup").values():
        for rule in group["Properties"]["SecurityGroupEgress"]:
            assert rule.get("CidrIp") == placeholder and "CidrIpv6" not in rule, rule
    for rule in template.of_type("AWS::EC2::SecurityGroupEgress").values():
        properties = rule["Properties"]
        assert "CidrIp" not in properties and "CidrIpv6" not in properties, properties
        assert {"DestinationSecurityGroupId", "DestinationPrefixListId"} & set(properties)


def test_private_subnets_have_no_route_out_and_tasks_no_public_address(template):
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::EgressOnlyInternetGateway", 0)
    for route in template.of_type("AWS::EC2::Route").values():
        assert route["Properties"]["RouteTableId"] == {"Ref": "PublicRouteTable"}, route
    network = template.properties("Service")["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    assert all(s["Ref"].startswith("PrivateSubnet") for s in network["Subnets"])


def test_dns_firewall_blocks_every_name_but_aws_services_and_vpc_host_names(template):
    for name in template.properties("DnsAllowedDomains")["Domains"]:
        assert name.endswith((".eu-west-1.amazonaws.com", ".s3.amazonaws.com",
                              ".compute.internal", ".ec2.internal")), name
    rules = template.properties("DnsFirewallRuleGroup")["FirewallRules"]
    block = [r for r in rules if r["Action"] == "BLOCK"]
    assert [r["FirewallDomainListId"] for r in block] == [
        {"Fn::GetAtt": ["DnsAllDomains", "Id"]}]
    assert template.properties("DnsAllDomains")["Domains"] == ["*"]
    assert template.properties("DnsFirewallAssociation")["VpcId"] == {"Ref": "Vpc"}
