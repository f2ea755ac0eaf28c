"""AWS WAF on the load balancer: managed rules, a per-IP rate limit, logging."""

from __future__ import annotations

from template_assertions import Template

WAF_TYPES = ("AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation",
             "AWS::WAFv2::LoggingConfiguration")


def rules(template: Template) -> dict[str, dict]:
    return {r["Name"]: r for r in template.properties("WebAcl")["Rules"]}


def test_no_waf_by_default():
    template = Template.of()
    for resource_type in WAF_TYPES:
        template.resource_count_is(resource_type, 0)


def test_waf_is_a_regional_web_acl_on_the_load_balancer_allowing_by_default():
    template = Template.of(waf=True)
    template.has_resource_properties("AWS::WAFv2::WebACL", {
        "Scope": "REGIONAL", "DefaultAction": {"Allow": {}}})
    template.has_resource_properties("AWS::WAFv2::WebACLAssociation", {
        "ResourceArn": {"Ref": "LoadBalancer"}, "WebACLArn": {"Fn::GetAtt": ["WebAcl", "Arn"]}})


def test_waf_runs_the_three_aws_managed_rule_groups_then_the_rate_limit():
    assert list(rules(Template.of(waf=True))) == [
        "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList", "RateLimitPerIp"]


def test_common_rule_set_only_counts_large_bodies_because_editors_post_source_code():
    common = rules(Template.of(waf=True))["AWSManagedRulesCommonRuleSet"]
    assert common["OverrideAction"] == {"None": {}}
    assert common["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"] == [
        {"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]


def test_rate_limit_blocks_per_ip_over_five_minutes_at_the_setting():
    rate = rules(Template.of(waf=True, waf_rate_limit=300))["RateLimitPerIp"]
    assert rate["Action"] == {"Block": {}}
    assert rate["Statement"]["RateBasedStatement"] == {
        "Limit": 300, "AggregateKeyType": "IP", "EvaluationWindowSec": 300}


def test_waf_logs_to_an_aws_waf_logs_group_without_credentials_headers():
    template = Template.of(waf=True)
    template.has_resource_properties("AWS::Logs::LogGroup", {
        "LogGroupName": "aws-waf-logs-l42-dev"})
    logging = template.properties("WafLogging")
    assert logging["ResourceArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    assert logging["LogDestinationConfigs"] == [{"Fn::Sub": (
        "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${WafLogGroup}")}]
    assert logging["RedactedFields"] == [{"SingleHeader": {"Name": "authorization"}},
                                         {"SingleHeader": {"Name": "cookie"}}]


def test_load_balancer_justifies_having_no_waf_only_when_waf_is_off():
    def skipped(template: Template) -> list[str]:
        metadata = template.resources["LoadBalancer"].get("Metadata", {})
        return [s["id"] for s in metadata.get("checkov", {}).get("skip", [])]

    assert "CKV2_AWS_28" in skipped(Template.of())
    assert "CKV2_AWS_28" not in skipped(Template.of(waf=True))
