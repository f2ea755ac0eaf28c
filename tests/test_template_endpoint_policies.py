"""Interface endpoint policies: this account's principals only, and only what the platform does."""

from __future__ import annotations

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
THIS_ACCOUNT = {"Ref": "AWS::AccountId"}
PRINCIPAL_ONLY = {"StringEquals": {"aws:PrincipalAccount": THIS_ACCOUNT}}
PRINCIPAL_AND_RESOURCE = {"StringEquals": {"aws:PrincipalAccount": THIS_ACCOUNT,
                                           "aws:ResourceAccount": THIS_ACCOUNT}}
PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
EVERY_ENDPOINT = ["ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns", "sqs", "ssm",
                  "secretsmanager", "kms", "sts", "xray"]


def statements(template: Template, logical_id: str) -> dict[str, dict]:
    policy = template.properties(logical_id)["PolicyDocument"]
    assert policy["Version"] == "2012-10-17"
    found = {s["Sid"]: s for s in policy["Statement"]}
    assert len(found) == len(policy["Statement"]), "statement ids repeat"
    return found


@pytest.mark.parametrize("overrides", [{}, ISOLATED, {"vpc_endpoints": EVERY_ENDPOINT}],
                         ids=["nat", "isolated", "every-endpoint"])
def test_every_interface_endpoint_has_a_policy_admitting_only_this_accounts_principals(overrides):
    template = Template.of(**overrides)
    interfaces = {k: v["Properties"] for k, v in template.of_type("AWS::EC2::VPCEndpoint").items()
                  if v["Properties"]["VpcEndpointType"] == "Interface"}
    assert interfaces
    for logical_id, properties in interfaces.items():
        for statement in properties["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow", logical_id
            assert statement["Principal"] == "*", logical_id
            accounts = statement["Condition"]["StringEquals"]
            assert accounts["aws:PrincipalAccount"] == THIS_ACCOUNT, (logical_id, statement)


@pytest.mark.parametrize("endpoint", ["EcrApiEndpoint", "EcrDkrEndpoint"])
def test_ecr_endpoints_allow_the_token_and_pulls_from_this_accounts_repositories(endpoint):
    found = statements(Template.of(), endpoint)
    assert set(found) == {"EcrAuthorizationToken", "EcrPullThisAccount"}
    token = found["EcrAuthorizationToken"]
    assert (token["Action"], token["Resource"], token["Condition"]) == (
        ["ecr:GetAuthorizationToken"], ["*"], PRINCIPAL_ONLY)
    pull = found["EcrPullThisAccount"]
    assert pull["Action"] == PULL
    assert pull["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")}]
    assert pull["Condition"] == PRINCIPAL_AND_RESOURCE


def test_ecr_endpoints_never_allow_pushes():
    for endpoint in ("EcrApiEndpoint", "EcrDkrEndpoint"):
        actions = {a for s in statements(Template.of(**ISOLATED), endpoint).values()
                   for a in s["Action"]}
        assert actions == {"ecr:GetAuthorizationToken", *PULL}


def test_ecr_endpoints_also_allow_pulling_the_ecr_image_from_its_own_repository():
    """The image may be shared from another account's repository: named exactly."""
    image = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/team/l42@sha256:" + "a" * 64
    found = statements(Template.of(image=image), "EcrDkrEndpoint")
    assert found["EcrPullServiceImage"]["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:ecr:eu-west-1:210987654321:repository/team/l42")}]
    assert found["EcrPullServiceImage"]["Condition"] == PRINCIPAL_ONLY


def test_logs_endpoint_allows_only_writes_to_this_stacks_log_groups():
    found = statements(Template.of(ecs_exec=False), "LogsEndpoint")
    assert set(found) == {"WriteThisStacksLogs"}
    write = found["WriteThisStacksLogs"]
    assert write["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert write["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
        "/fargate/service/l42-dev:*")}]
    assert write["Condition"] == PRINCIPAL_AND_RESOURCE


def test_logs_endpoint_with_exec_adds_the_session_log_group_and_its_lookups():
    found = statements(Template.of(), "LogsEndpoint")
    assert set(found) == {"WriteThisStacksLogs", "ExecLogGroupLookup"}
    write = found["WriteThisStacksLogs"]
    assert write["Resource"][1] == {"Fn::Sub": (
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
        "/fargate/service/l42-dev/exec:*")}
    assert write["Action"] == [
        "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    assert write["Condition"] == PRINCIPAL_AND_RESOURCE
    assert found["ExecLogGroupLookup"]["Action"] == ["logs:DescribeLogGroups"]
    assert found["ExecLogGroupLookup"]["Condition"] == PRINCIPAL_ONLY


def test_ssmmessages_endpoint_allows_only_the_four_exec_channel_actions():
    found = statements(Template.of(), "SsmmessagesEndpoint")
    assert sorted(found["EcsExecChannels"]["Action"]) == [
        "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
    assert found["EcsExecChannels"]["Condition"] == PRINCIPAL_ONLY


def test_isolated_secrets_endpoints_allow_reading_exactly_those_secrets():
    template = Template.of(**ISOLATED, secrets={
        "DB_PASSWORD": SECRET + ":password::", "API_KEY": "ssm:/l42/api-key"})
    secrets = statements(template, "SecretsmanagerEndpoint")["ReadTheServicesSecrets"]
    assert secrets["Action"] == ["secretsmanager:GetSecretValue"]
    assert secrets["Resource"] == [SECRET, SECRET + "-??????"]
    parameters = statements(template, "SsmEndpoint")["ReadTheServicesSecrets"]
    assert parameters["Action"] == ["ssm:GetParameters"]
    assert parameters["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/l42/api-key")}]


@pytest.mark.parametrize("endpoint", ["MonitoringEndpoint", "SnsEndpoint", "KmsEndpoint",
                                      "SecretsmanagerEndpoint", "SsmEndpoint"])
def test_endpoints_the_platform_does_not_use_require_only_this_accounts_principals(endpoint):
    found = statements(Template.of(vpc_endpoints=EVERY_ENDPOINT), endpoint)
    assert found == {"ThisAccountOnly": {
        "Sid": "ThisAccountOnly", "Effect": "Allow", "Principal": "*", "Action": ["*"],
        "Resource": ["*"], "Condition": PRINCIPAL_ONLY}}


def test_s3_gateway_keeps_its_layer_bucket_policy_without_account_conditions():
    policy = Template.of(**ISOLATED).properties("S3GatewayEndpoint")["PolicyDocument"]
    assert [s["Sid"] for s in policy["Statement"]] == ["EcrImageLayersOnly"]
    assert "Condition" not in policy["Statement"][0]
