"""VPC flow logs: every accepted and rejected connection of the VPC, kept log_retention_days.

For a service running untrusted code they answer "what did the task try to reach?" after the
fact; the rejected records show what the security groups stopped. Delivered to CloudWatch Logs
by the flow-logs service through a role that may write only this group.
"""

from __future__ import annotations

from troposphere import GetAtt, Ref, Sub, Template, ec2, iam

from fargo.config import Settings
from fargo.template.log_groups import log_group
from fargo.template.network import Network
from fargo.template.roles import allow, assumed_by

DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]


def add(template: Template, settings: Settings, network: Network) -> ec2.FlowLog | None:
    if not settings.flow_logs:
        return None
    group = template.add_resource(log_group(
        "FlowLogGroup", f"/fargate/service/{settings.stack_name}/flow-logs", settings))
    role = template.add_resource(iam.Role(
        "FlowLogRole", AssumeRolePolicyDocument=assumed_by("vpc-flow-logs.amazonaws.com"),
        Policies=[iam.Policy(PolicyName="flow-log-delivery", PolicyDocument={
            "Version": "2012-10-17",
            "Statement": [
                allow("DeliverFlowLogs", DELIVERY_ACTIONS, [GetAtt(group, "Arn")]),
                allow("FindTheLogGroup", ["logs:DescribeLogGroups"], [Sub(
                    "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*")]),
            ],
        })],
    ))
    return template.add_resource(ec2.FlowLog(
        "FlowLog", ResourceType="VPC", ResourceId=Ref(network.vpc), TrafficType="ALL",
        LogDestinationType="cloud-watch-logs", LogGroupName=Ref(group),
        DeliverLogsPermissionArn=GetAtt(role, "Arn"), MaxAggregationInterval=600,
    ))
