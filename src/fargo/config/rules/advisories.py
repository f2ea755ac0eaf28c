"""Valid settings worth a warning: quotas AWS raises on request, names AWS may have added
since fargo's lists were written, and weaker choices for untrusted code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fargo.config.checks import quotas
from fargo.config.checks.container import is_root_user
from fargo.config.checks.network import parse_egress_rule
from fargo.config.checks.secrets import looks_secret
from fargo.config.checks.text import shown
from fargo.config.checks.tls_policies import KNOWN_POLICIES
from fargo.config.fields.edge import DEFAULT_TLS_POLICY
from fargo.config.problems import Problem

SPOT_WARNING_SECONDS = 120  # Fargate Spot: SIGTERM, then the task is stopped two minutes later

if TYPE_CHECKING:
    from fargo.config.settings import Settings


def input_advisories(s: Settings) -> list[Problem]:
    found = []
    egress_cidrs = [parse_egress_rule(rule).cidr for rule in s.task_egress]
    rule_sets = quotas.security_group_rule_sets(
        s.allowed_cidrs, 2 if s.https else 1, egress_cidrs, s.network != "public")
    for rule_set in rule_sets:
        if rule_set.count > quotas.SECURITY_GROUP_RULE_QUOTA:
            found.append(Problem(
                rule_set.settings[0],
                f"the {rule_set.group} security group gets {rule_set.count} "
                f"{rule_set.direction} IPv{rule_set.version} rules ({rule_set.why}), over "
                f"the default quota of {quotas.SECURITY_GROUP_RULE_QUOTA} per group",
                "ask AWS to raise the quota \"Inbound or outbound rules per security group\" "
                "(Service Quotas, Amazon VPC) or list fewer ranges", rule_set.settings[1:],
            ))
    found += _subnet_capacity_advisories(s)
    found += spot_advisories(s)
    if s.https and s.tls_policy not in KNOWN_POLICIES:
        found.append(Problem(
            "tls_policy", f"tls_policy {shown(s.tls_policy)} is not a policy fargo knows",
            f"check the name against AWS's list (e.g. {DEFAULT_TLS_POLICY}); "
            "the deploy fails if ELB does not know it",
        ))
    return found


def spot_advisories(s: Settings) -> list[Problem]:
    """Fargate Spot reclaims a task two minutes after its warning, which is SIGTERM: the drain
    (ECS deregisters the target) and the stop must both end within them, and the stop must
    outlast the drain, or in-flight requests are cut."""
    if s.capacity == "on-demand":
        return []
    found = []
    total = s.deregistration_delay + s.stop_timeout
    if total > SPOT_WARNING_SECONDS:
        found.append(Problem(
            "deregistration_delay", f"deregistration_delay + stop_timeout ({total} s) exceed "
            f"the {SPOT_WARNING_SECONDS} s a Spot task gets after its interruption warning",
            "lower them (fargo's defaults: 10 s each), or use capacity = \"on-demand\"",
            ("stop_timeout", "capacity")))
    if s.stop_timeout < s.deregistration_delay:
        found.append(Problem(
            "stop_timeout", f"stop_timeout ({s.stop_timeout} s) is shorter than "
            f"deregistration_delay ({s.deregistration_delay} s): a Spot interruption sends "
            "SIGTERM while the load balancer still drains the task", "make stop_timeout at "
            "least deregistration_delay", ("deregistration_delay", "capacity")))
    if s.capacity == "mixed" and s.on_demand_base >= s.max_count:
        found.append(Problem(
            "capacity_base", f"capacity_base ({s.on_demand_base}) is not below max_count "
            f"({s.max_count}): no task ever runs on Spot", "lower capacity_base, or use "
            "capacity = \"on-demand\"", ("max_count", "capacity")))
    return found


def _subnet_capacity_advisories(s: Settings) -> list[Problem]:
    """A rollout runs up to twice max_count tasks (maximum percent 200), each with its own
    address in the task subnets, beside the endpoints' (and in public subnets the load
    balancer's) addresses. AWS keeps 5 addresses of every subnet."""
    public = s.network == "public"
    cidrs = s.used_public_cidrs if public else s.used_private_cidrs
    taken = quotas.ALB_SUBNET_ADDRESSES if public else len(s.interface_endpoints)
    free = quotas.free_addresses(cidrs, taken)
    needed = 2 * s.max_count
    if free >= needed:
        return []
    setting = "public_subnet_cidrs" if public else "private_subnet_cidrs"
    return [Problem(
        "max_count", f"the task subnets ({', '.join(cidrs)}) have about {free} free "
        f"addresses but a rollout at max_count {s.max_count} needs up to {needed}",
        f"use larger {setting} or a lower max_count: tasks that find no address fail to "
        "start", (setting, "az_count"),
    )]


def security_advisories(s: Settings) -> list[Problem]:
    """Untrusted code and edge protection: valid, but weaker than it could be."""
    found = []
    for variable in sorted(s.container_environment):
        if looks_secret(variable):
            found.append(Problem(
                "container_environment", f"container_environment {variable} looks like a "
                "credential: its value is readable by anyone who can describe the task "
                "definition", f"move it to secrets ({variable} = \"arn:aws:secretsmanager:"
                "...\" or \"ssm:/path\"): ECS then reads it at task start"))
    isolated = s.network == "isolated"
    if isolated and is_root_user(s.user) is not False:
        found.append(Problem(
            "user", "network isolated runs untrusted code as root" if s.user else
            "network isolated runs untrusted code as the image's own user (root for most "
            "images)", "set user to an unprivileged UID:GID the image supports, e.g. "
            "\"1000:1000\"", ("network",)))
    if isolated and s.ecs_exec:
        found.append(Problem(
            "ecs_exec", "ecs_exec is on in network isolated: code in the task can use the "
            "task role's credentials (Exec channels, writes to the Exec session log group)",
            "turn it on only while debugging; CloudTrail's ExecuteCommand records stay the "
            "audit trail", ("network",)))
    if "ALL" in s.drop_capabilities and (is_root_user(s.user) is not False or s.port < 1024):
        found.append(Problem(
            "drop_capabilities", "drop_capabilities removes ALL while the container "
            + ("listens on a port below 1024" if s.port < 1024 else "may start as root"),
            "if it fails to start, set user to an unprivileged UID and port >= 1024, or drop "
            "fewer capabilities", ("user", "port")))
    if s.writable_paths and not s.readonly_root_filesystem:
        found.append(Problem(
            "writable_paths", "writable_paths is set but the root file system is writable "
            "anyway", "set readonly_root_filesystem = true, or remove writable_paths",
            ("readonly_root_filesystem",)))
    if s.secrets_kms_key and not s.secrets:
        found.append(Problem("secrets_kms_key", "secrets_kms_key is set but secrets is empty",
                             "remove it, or add the secrets it encrypts", ("secrets",)))
    if s.dns_firewall and not isolated and not s.dns_allowed_domains:
        found.append(Problem(
            "dns_firewall", f"dns_firewall is on in network {s.network}: tasks resolve "
            "only AWS's own names and the image's registry", "list every other name your "
            "code calls in dns_allowed_domains", ("dns_allowed_domains",)))
    return found
