"""The execution role: this image's repository, this log group, these secrets; nothing else."""

from __future__ import annotations

from template_assertions import ECR_IMAGE, Template

SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def execution_statements(**overrides) -> dict[str, dict]:
    role = Template.of(**overrides).properties("TaskExecutionRole")
    assert "ManagedPolicyArns" not in role
    (policy,) = role["Policies"]
    return {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}


def test_ecr_image_pulls_only_from_its_repository_with_the_token_as_the_one_wildcard():
    found = execution_statements(image=ECR_IMAGE)
    assert found["EcrAuthorizationToken"] == {
        "Sid": "EcrAuthorizationToken", "Effect": "Allow",
        "Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"]}
    assert found["EcrPullServiceImage"]["Action"] == PULL
    assert found["EcrPullServiceImage"]["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/l42")}]


def test_image_outside_ecr_gets_no_ecr_permission_at_all():
    found = execution_statements(image="nginx:1.27")
    assert set(found) == {"ContainerLogs"}


def test_build_before_its_first_push_may_pull_from_this_accounts_repositories():
    found = execution_statements(build=".")
    assert found["EcrPullServiceImage"]["Resource"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")}]


def test_container_logs_go_only_to_the_service_log_group():
    found = execution_statements()
    assert found["ContainerLogs"] == {
        "Sid": "ContainerLogs", "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [{"Fn::GetAtt": ["LogGroup", "Arn"]}]}


def test_secrets_are_readable_exactly_with_the_random_suffix_and_without_the_json_key():
    found = execution_statements(secrets={"DB_PASSWORD": SECRET + ":password::",
                                          "OTHER": "arn:aws:secretsmanager:eu-west-1:"
                                          "123456789012:secret:l42/partial"})
    assert found["ReadSecretsmanagerSecrets"]["Action"] == ["secretsmanager:GetSecretValue"]
    assert found["ReadSecretsmanagerSecrets"]["Resource"] == [
        SECRET, SECRET + "-??????",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/partial",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/partial-??????",
    ]


def test_ssm_parameters_are_readable_by_their_arn():
    found = execution_statements(secrets={
        "API_KEY": "ssm:/l42/api-key",
        "OTHER": "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/other"})
    assert found["ReadSsmSecrets"] == {
        "Sid": "ReadSsmSecrets", "Effect": "Allow", "Action": ["ssm:GetParameters"],
        "Resource": [
            {"Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:"
                        "parameter/l42/api-key"},
            "arn:aws:ssm:eu-west-1:123456789012:parameter/shared/other",
        ]}


def test_secrets_key_decrypts_only_through_the_secrets_services():
    found = execution_statements(secrets={"DB_PASSWORD": SECRET, "API_KEY": "ssm:/l42/key"},
                                 secrets_kms_key=KEY)
    assert found["DecryptSecrets"] == {
        "Sid": "DecryptSecrets", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [KEY],
        "Condition": {"StringEquals": {"kms:ViaService": [
            {"Fn::Sub": "secretsmanager.${AWS::Region}.${AWS::URLSuffix}"},
            {"Fn::Sub": "ssm.${AWS::Region}.${AWS::URLSuffix}"},
        ]}}}


def test_no_secret_or_key_permission_without_secrets():
    found = execution_statements()
    assert not [sid for sid in found if "Secret" in sid or "Decrypt" in sid]


def test_the_execution_role_is_assumed_only_by_ecs_tasks_of_this_account():
    role = Template.of().properties("TaskExecutionRole")
    assert role["AssumeRolePolicyDocument"]["Statement"] == [{
        "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": ["sts:AssumeRole"],
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    }]
