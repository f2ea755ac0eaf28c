"""VPC flow logs: every connection of the VPC to a log group, by a role that writes only there."""

from __future__ import annotations

from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}


def test_isolated_logs_all_vpc_traffic_to_its_own_log_group_by_default():
    template = Template.of(**ISOLATED)
    template.has_resource_properties("AWS::EC2::FlowLog", {
        "ResourceType": "VPC", "ResourceId": {"Ref": "Vpc"}, "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs", "LogGroupName": {"Ref": "FlowLogGroup"},
        "DeliverLogsPermissionArn": {"Fn::GetAtt": ["FlowLogRole", "Arn"]},
        "MaxAggregationInterval": 600,
    })
    template.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "/fargate/service/l42-dev/flow-logs", "RetentionInDays": 90})


def test_flow_log_retention_follows_log_retention_days():
    template = Template.of(flow_logs=True, log_retention_days=30)
    assert template.properties("FlowLogGroup")["RetentionInDays"] == 30


def test_nat_has_no_flow_logs_by_default_and_can_turn_them_on():
    Template.of().resource_count_is("AWS::EC2::FlowLog", 0)
    Template.of(flow_logs=True).resource_count_is("AWS::EC2::FlowLog", 1)


def test_flow_log_role_is_the_flow_log_services_and_writes_only_its_group():
    role = Template.of(**ISOLATED).properties("FlowLogRole")
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}
    (policy,) = role["Policies"]
    deliver, lookup = policy["PolicyDocument"]["Statement"]
    assert deliver["Resource"] == [{"Fn::GetAtt": ["FlowLogGroup", "Arn"]}]
    assert sorted(deliver["Action"]) == [
        "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    assert lookup["Action"] == ["logs:DescribeLogGroups"]
