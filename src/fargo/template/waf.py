"""AWS WAF on the load balancer (waf = true): AWS managed rules and a per-IP rate limit.

Rules, in order: AWS's common rule set (its SizeRestrictions_BODY rule only counts, because an
editor posts source code larger than its 8 KB limit), known bad inputs (Log4Shell and the
like), Amazon's IP reputation list, and a block for any IP sending more than waf_rate_limit
requests in 5 minutes. Requests are logged to a CloudWatch log group whose name starts with
`aws-waf-logs-`, as WAF requires, without their Authorization and Cookie headers.
"""

from __future__ import annotations

from troposphere import GetAtt, Ref, Sub, Template, wafv2

from fargo.config import Settings
from fargo.template.load_balancer import LoadBalancing
from fargo.template.log_groups import log_group

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
# Rules of the common rule set that only count: source code posted to an editor is large.
COUNT_ONLY = {"AWSManagedRulesCommonRuleSet": ["SizeRestrictions_BODY"]}
RATE_WINDOW_SECONDS = 300


def add(template: Template, settings: Settings, load_balancing: LoadBalancing):
    if not settings.waf:
        return None
    rules = [_managed(name, priority) for priority, name in enumerate(MANAGED_RULE_GROUPS)]
    rules.append(wafv2.WebACLRule(
        Name="RateLimitPerIp", Priority=len(rules),
        Action=wafv2.RuleAction(Block=wafv2.BlockAction()),
        Statement=wafv2.Statement(RateBasedStatement=wafv2.RateBasedStatement(
            Limit=settings.waf_rate_limit, AggregateKeyType="IP",
            EvaluationWindowSec=RATE_WINDOW_SECONDS,
        )),
        VisibilityConfig=_visibility("RateLimitPerIp"),
    ))
    acl = template.add_resource(wafv2.WebACL(
        "WebAcl", Name=f"{settings.stack_name}-web-acl", Scope="REGIONAL",
        DefaultAction=wafv2.DefaultAction(Allow=wafv2.AllowAction()), Rules=rules,
        VisibilityConfig=_visibility(f"{settings.stack_name}-web-acl"),
    ))
    template.add_resource(wafv2.WebACLAssociation(
        "WebAclAssociation", ResourceArn=Ref(load_balancing.load_balancer),
        WebACLArn=GetAtt(acl, "Arn"),
    ))
    group = template.add_resource(log_group(
        "WafLogGroup", f"aws-waf-logs-{settings.stack_name}", settings))
    return template.add_resource(wafv2.LoggingConfiguration(
        "WafLogging", ResourceArn=GetAtt(acl, "Arn"),
        # WAF takes the group's ARN without the `:*` that its Arn attribute ends with.
        LogDestinationConfigs=[Sub(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:"
            f"${{{group.title}}}")],
        RedactedFields=[wafv2.LoggingConfigurationFieldToMatch(SingleHeader=wafv2.SingleHeader(Name=name))
                        for name in ("authorization", "cookie")],
    ))


def _managed(name: str, priority: int) -> wafv2.WebACLRule:
    statement = wafv2.ManagedRuleGroupStatement(VendorName="AWS", Name=name)
    if name in COUNT_ONLY:
        statement.RuleActionOverrides = [
            wafv2.RuleActionOverride(
                Name=rule, ActionToUse=wafv2.RuleAction(Count=wafv2.CountAction()))
            for rule in COUNT_ONLY[name]
        ]
    return wafv2.WebACLRule(
        Name=name, Priority=priority, OverrideAction=wafv2.OverrideAction(**{"None": {}}),
        Statement=wafv2.Statement(ManagedRuleGroupStatement=statement),
        VisibilityConfig=_visibility(name),
    )


def _visibility(metric: str) -> wafv2.VisibilityConfig:
    return wafv2.VisibilityConfig(CloudWatchMetricsEnabled=True, MetricName=metric,
                                  SampledRequestsEnabled=True)
