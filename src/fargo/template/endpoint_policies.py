"""Policies of the interface endpoints: this account's principals, and only what the platform does.

Without a policy AWS attaches full access, and code in a task could sign requests with another
account's credentials (push images to that account's ECR, write its log groups) through our
endpoints. Every statement here requires `aws:PrincipalAccount` to be this account; statements
on resources of ours also require `aws:ResourceAccount`, or name the exact ARNs.

- ECR (ecr.api, ecr.dkr, one policy for both): the authorization token (no resource form), and
  pulls from this account's repositories and from the image's own repository.
- logs: writes to this stack's log groups; with Exec, the lookups its agent makes.
- ssmmessages: the four Exec channel actions (no resource form).
- secretsmanager / ssm, when `secrets` reads from them: exactly those secrets and parameters.
- Any other endpoint the user lists (monitoring, events, sns, ...): fargo's platform makes no
  calls there, so their policy only requires this account's principals.
The S3 gateway endpoint is not here: it keeps a layer-bucket-only policy (endpoints module),
never account conditions, because ECR's layer bucket belongs to AWS.
"""

from __future__ import annotations

from typing import Any

from troposphere import Ref, Sub

from fargo.config import Settings
from fargo.template import log_groups
from fargo.template.common import sub

ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage",
                    "ecr:GetDownloadUrlForLayer"]
EXEC_CHANNEL_ACTIONS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]
LOG_WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
THIS_ACCOUNTS_REPOSITORIES = (
    "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")


def policy(service: str, settings: Settings) -> dict[str, Any]:
    """The endpoint policy for one interface endpoint service (e.g. "ecr.dkr")."""
    if service in ("ecr.api", "ecr.dkr"):
        statements = _ecr(settings)
    elif service == "logs":
        statements = _logs(settings)
    elif service == "ssmmessages":
        statements = [statement("EcsExecChannels", EXEC_CHANNEL_ACTIONS, ["*"])]
    elif service in settings.secret_services:
        statements = _secrets(service, settings)
    else:
        statements = [statement("ThisAccountOnly", ["*"], ["*"])]
    return {"Version": "2012-10-17", "Statement": statements}


def statement(sid: str, actions: list[str], resources: list, ours: bool = False) -> dict:
    """Allow through the endpoint for this account's principals only (and, with `ours`, only
    on resources in this account)."""
    accounts = {"aws:PrincipalAccount": Ref("AWS::AccountId")}
    if ours:
        accounts["aws:ResourceAccount"] = Ref("AWS::AccountId")
    return {"Sid": sid, "Effect": "Allow", "Principal": "*", "Action": actions,
            "Resource": resources, "Condition": {"StringEquals": accounts}}


def image_repository_arn(settings: Settings) -> str | None:
    repository = settings.image_repository
    if repository is None:
        return None
    return (f"arn:${{AWS::Partition}}:ecr:{repository.region}:{repository.account}:"
            f"repository/{repository.name}")


def _ecr(settings: Settings) -> list[dict]:
    statements = [
        statement("EcrAuthorizationToken", ["ecr:GetAuthorizationToken"], ["*"]),
        statement("EcrPullThisAccount", ECR_PULL_ACTIONS, [Sub(THIS_ACCOUNTS_REPOSITORIES)],
                  ours=True),
    ]
    image = image_repository_arn(settings)
    if image:  # the image may live in another account's repository that shares it with us
        statements.append(statement("EcrPullServiceImage", ECR_PULL_ACTIONS, [Sub(image)]))
    return statements


def _logs(settings: Settings) -> list[dict]:
    groups = [settings.log_group_name]
    if settings.ecs_exec:
        groups.append(settings.exec_log_group_name)
    actions = LOG_WRITE_ACTIONS
    if settings.ecs_exec:  # Exec's agent looks its session log stream up before writing
        actions = actions + ["logs:DescribeLogStreams"]
    statements = [statement("WriteThisStacksLogs", actions,
                            [log_groups.arn(g) for g in groups], ours=True)]
    if settings.ecs_exec:  # ... and checks that its log group exists
        statements.append(statement("ExecLogGroupLookup", ["logs:DescribeLogGroups"], ["*"]))
    return statements


def _secrets(service: str, settings: Settings) -> list[dict]:
    action = "secretsmanager:GetSecretValue" if service == "secretsmanager" else "ssm:GetParameters"
    resources = sorted({r for s in settings.secret_references if s.service == service
                        for r in s.resources})
    return [statement("ReadTheServicesSecrets", [action], [sub(r) for r in resources])]


def environment_policy(service: str, environment) -> dict[str, Any]:
    """The policy for one interface endpoint of an environment (`EnvironmentSettings`): it
    admits every service of the environment, by naming convention (log groups
    /fargate/service/APP-ENV-*, this account's repositories, secrets and parameters) so that a
    new service needs no change here, and by the services' own references (images and
    secrets in other accounts)."""
    services = environment.services
    if service in ("ecr.api", "ecr.dkr"):
        statements = _ecr_of(services)
    elif service == "logs":
        statements = _logs_of(environment)
    elif service == "ssmmessages":
        statements = [statement("EcsExecChannels", EXEC_CHANNEL_ACTIONS, ["*"])]
    elif service in environment.secret_services:
        statements = _secrets_of(service, services)
    else:
        statements = [statement("ThisAccountOnly", ["*"], ["*"])]
    return {"Version": "2012-10-17", "Statement": statements}


def _ecr_of(services) -> list[dict]:
    statements = [
        statement("EcrAuthorizationToken", ["ecr:GetAuthorizationToken"], ["*"]),
        statement("EcrPullThisAccount", ECR_PULL_ACTIONS, [Sub(THIS_ACCOUNTS_REPOSITORIES)],
                  ours=True),
    ]
    images = sorted({arn for s in services if (arn := image_repository_arn(s))})
    if images:  # images in other accounts' repositories that share them with us
        statements.append(statement("EcrPullServiceImages", ECR_PULL_ACTIONS,
                                    [Sub(image) for image in images]))
    return statements


def _logs_of(environment) -> list[dict]:
    actions = LOG_WRITE_ACTIONS + (["logs:DescribeLogStreams"] if environment.ecs_exec else [])
    statements = [statement("WriteTheEnvironmentsLogs", actions,
                            [log_groups.arn(environment.services_log_group_pattern)], ours=True)]
    if environment.ecs_exec:
        statements.append(statement("ExecLogGroupLookup", ["logs:DescribeLogGroups"], ["*"]))
    return statements


THIS_ACCOUNTS_SECRETS = {
    "secretsmanager": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}"
                      ":secret:*",
    "ssm": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*",
}


def _secrets_of(service: str, services) -> list[dict]:
    action = "secretsmanager:GetSecretValue" if service == "secretsmanager" else "ssm:GetParameters"
    named = sorted({r for s in services for ref in s.secret_references if ref.service == service
                    for r in ref.resources})
    return [statement("ReadThisAccountsSecrets", [action], [Sub(THIS_ACCOUNTS_SECRETS[service])],
                      ours=True),
            statement("ReadTheServicesSecrets", [action], [sub(r) for r in named])]
