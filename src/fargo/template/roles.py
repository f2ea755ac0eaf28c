"""The task's two IAM roles, each holding exactly what its user needs.

The execution role is Fargate's (pull the image, write the container's logs, read the secrets
at task start); instead of the managed AmazonECSTaskExecutionRolePolicy's `*` it names this
image's repository, this log group and these secrets (only the ECR token action has no
resource form). The task role is the container's own: the code runs untrusted input, so it holds
only what ECS Exec needs, and there is none at all when Exec is off: code in the task then finds
no AWS credentials.
"""

from __future__ import annotations

from troposphere import Ref, Sub, Template, iam

from fargo.config import Settings
from fargo.template.common import justify, region_text, sub
from fargo.template.endpoint_policies import (
    ECR_PULL_ACTIONS,
    EXEC_CHANNEL_ACTIONS,
    LOG_WRITE_ACTIONS,
    THIS_ACCOUNTS_REPOSITORIES,
    image_repository_arn,
)
from fargo.template.log_groups import LogGroups

# The SSM agent in the task writes Exec session logs with the task role's credentials.
EXEC_LOG_ACTIONS = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
SECRET_ACTIONS = {"secretsmanager": "secretsmanager:GetSecretValue", "ssm": "ssm:GetParameters"}


def assumed_by(service: str) -> dict:
    """Trust policy: only this AWS service, acting for this account (confused deputy guard)."""
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": {"Service": service}, "Action": ["sts:AssumeRole"],
            "Condition": {"StringEquals": {"aws:SourceAccount": Ref("AWS::AccountId")}},
        }],
    }


def allow(sid: str, actions: list[str], resources: list, condition: dict | None = None) -> dict:
    found = {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
    if condition:
        found["Condition"] = condition
    return found


def execution_role(template: Template, settings: Settings, groups: LogGroups) -> iam.Role:
    statements = _image_pull(settings) + [
        allow("ContainerLogs", LOG_WRITE_ACTIONS, [groups.app_arn]),
    ] + _secret_reads(settings)
    role = template.add_resource(iam.Role(
        "TaskExecutionRole", AssumeRolePolicyDocument=assumed_by("ecs-tasks.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="task-execution", PolicyDocument={
            "Version": "2012-10-17", "Statement": statements})],
    ))
    if statements[0]["Sid"] == "EcrAuthorizationToken":
        justify(role, {"CKV_AWS_356": "ecr:GetAuthorizationToken has no resource form; every "
                       "other action names this image's repository, log group or secrets"})
    return role


def task_role(template: Template, settings: Settings, groups: LogGroups) -> iam.Role | None:
    if not settings.ecs_exec or groups.exec_arn is None:
        return None
    role = template.add_resource(iam.Role(
        "TaskRole", AssumeRolePolicyDocument=assumed_by("ecs-tasks.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="ecs-exec", PolicyDocument={
            "Version": "2012-10-17",
            "Statement": [
                allow("EcsExecChannels", EXEC_CHANNEL_ACTIONS, ["*"]),
                allow("EcsExecSessionLogs", EXEC_LOG_ACTIONS, [groups.exec_arn]),
                allow("EcsExecLogGroupLookup", ["logs:DescribeLogGroups"], ["*"]),
            ],
        })],
    ))
    return justify(role, {
        "CKV_AWS_111": "ssmmessages channel actions support no resource ARNs; log writes are "
                       "limited to the Exec session log group",
        "CKV_AWS_356": "ssmmessages channel actions and DescribeLogGroups support no resource ARNs",
    })


def _image_pull(settings: Settings) -> list[dict]:
    """ECR rights only for an ECR image: a public image needs none."""
    repository = image_repository_arn(settings)
    if repository is None and not settings.build:
        return []
    # With build and no image yet (synth, plan), the registry stack's repository is one of
    # this account's; deploy names the pushed image, and with it the exact repository.
    return [
        allow("EcrAuthorizationToken", ["ecr:GetAuthorizationToken"], ["*"]),
        allow("EcrPullServiceImage", ECR_PULL_ACTIONS,
              [Sub(repository or THIS_ACCOUNTS_REPOSITORIES)]),
    ]


def _secret_reads(settings: Settings) -> list[dict]:
    statements = []
    for service, action in SECRET_ACTIONS.items():
        resources = sorted({r for s in settings.secret_references if s.service == service
                            for r in s.resources})
        if resources:
            statements.append(allow(f"Read{service.capitalize()}Secrets", [action],
                                    [sub(r) for r in resources]))
    if settings.secrets_kms_key and settings.secrets:
        # Secrets Manager and SSM decrypt on the caller's behalf; the key serves only them.
        regions = sorted({region_text(settings, s.region) for s in settings.secret_references})
        via = [Sub(f"{service}.{region}.${{AWS::URLSuffix}}")
               for service in settings.secret_services for region in regions]
        statements.append(allow("DecryptSecrets", ["kms:Decrypt"], [settings.secrets_kms_key],
                                {"StringEquals": {"kms:ViaService": via}}))
    return statements
