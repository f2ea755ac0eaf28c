"""The untrusted-code settings deploy and destroy cleanly on the emulator (moto).

moto does not model WAFv2, the DNS Firewall, IPv6 range associations, CloudWatch alarms or an
SNS topic's policy and subscriptions: the deploy still ends deployed, and those resources are
the ones the emulator did not create (fargo lists them).
"""

from __future__ import annotations

import json

import pytest
from engine_support import FAST, answers, request_for

from fargo.engine import deploy as engine
from fargo.engine.destroy import destroy
from fargo.engine.progress import RecordingReporter
from fargo.stacks import LegacyServiceStack

ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"
SECRETS = {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
                          ":password::", "API_KEY": "ssm:/l42/api-key"}
NOT_MODELLED = {"AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation",
                "AWS::WAFv2::LoggingConfiguration", "AWS::Route53Resolver::FirewallDomainList",
                "AWS::Route53Resolver::FirewallRuleGroup",
                "AWS::Route53Resolver::FirewallRuleGroupAssociation", "AWS::EC2::VPCCidrBlock",
                "AWS::EC2::SubnetCidrBlock", "AWS::CloudWatch::Alarm", "AWS::SNS::TopicPolicy",
                "AWS::SNS::Subscription"}
VARIANTS = {
    "isolated-hardened-waf-ipv6": {
        "network": "isolated", "image": ECR_IMAGE, "user": "1000:1000", "port": 8080,
        "readonly_root_filesystem": True, "writable_paths": ["/tmp"], "ulimits": {"nproc": 256},
        "secrets": SECRETS, "waf": True, "ipv6": True, "az_count": 3},
    "nat-firewall-flow-logs-exec": {"dns_firewall": True, "flow_logs": True,
                                    "dns_allowed_domains": ["example.org"], "secrets": SECRETS},
}


@pytest.mark.parametrize("overrides", VARIANTS.values(), ids=VARIANTS.keys())
def test_variant_deploys_lists_what_moto_skips_and_destroys_cleanly(aws, overrides):
    settings, request = request_for(aws, **overrides)
    result = engine.deploy(aws, request, answers(), FAST)
    assert result.outcome == "deployed" and result.outputs["AlbDns"]
    declared = json.loads(result.template_body)["Resources"]
    skipped = {v["Type"] for k, v in declared.items() if k not in result.stack_resources}
    assert skipped - NOT_MODELLED <= {"AWS::S3::BucketPolicy", "AWS::EC2::SecurityGroupEgress"}
    assert "TaskDefinition" in result.stack_resources
    removed = destroy(aws, LegacyServiceStack(settings), RecordingReporter(), FAST)
    assert removed.left == []


def test_flow_logs_are_created_by_the_emulator(aws):
    _, request = request_for(aws, flow_logs=True)
    result = engine.deploy(aws, request, answers(), FAST)
    assert {"FlowLog", "FlowLogGroup", "FlowLogRole"} <= set(result.stack_resources)
    logs = aws.client("ec2").describe_flow_logs()["FlowLogs"]
    assert [(f["TrafficType"], f["LogGroupName"]) for f in logs] == [
        ("ALL", "/fargate/service/l42-dev/flow-logs")]
