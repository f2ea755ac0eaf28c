"""The service's log groups: the container's, and ECS Exec's session logs apart from it.

Exec's agent writes session logs with the task role, so code in the task could write there too:
a group of their own keeps that from touching the application's logs (CloudTrail's
ExecuteCommand records stay the authoritative audit trail). Names are fixed, so the endpoint
policies and roles can name them before the service exists; both groups are deleted with the
stack so the next deploy of the same stack can create them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import AWSHelperFn, GetAtt, Ref, Sub, Template, logs

from fargo.config import Settings
from fargo.template.common import justify

NOT_ENCRYPTED_REASON = "CloudWatch Logs encrypts them at rest already; a KMS key adds only cost"


@dataclass(frozen=True)
class LogGroups:
    """The groups' names and ARNs as the task definition and roles refer to them: resources
    of this template, or (an environment's Exec group) names of another stack's."""

    app: AWSHelperFn | str
    app_arn: AWSHelperFn
    exec_sessions: AWSHelperFn | str | None = None
    exec_arn: AWSHelperFn | None = None


def add(template: Template, settings: Settings) -> LogGroups:
    app = template.add_resource(log_group("LogGroup", settings.log_group_name, settings))
    if not settings.ecs_exec:
        return LogGroups(Ref(app), GetAtt(app, "Arn"))
    exec_sessions = template.add_resource(
        log_group("ExecLogGroup", settings.exec_log_group_name, settings))
    return LogGroups(Ref(app), GetAtt(app, "Arn"), Ref(exec_sessions),
                     GetAtt(exec_sessions, "Arn"))


def log_group(logical_id: str, name: str, settings: Settings) -> logs.LogGroup:
    """A named group kept log_retention_days, deleted with the stack (cfn-lint I3011 asks
    stateful resources to say so; a retained group would block the next deploy's create)."""
    group = logs.LogGroup(
        logical_id, LogGroupName=name, RetentionInDays=settings.log_retention_days,
        DeletionPolicy="Delete", UpdateReplacePolicy="Delete",
    )
    return justify(group, {"CKV_AWS_158": NOT_ENCRYPTED_REASON})


def arn(name: str, streams: bool = True) -> Sub:
    """The ARN of a log group by name; with streams, `:*` so it covers its log streams."""
    return Sub(f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:"
               f"{name}{':*' if streams else ''}")
