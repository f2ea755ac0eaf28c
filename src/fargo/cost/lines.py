"""One stack's cost lines, from what its template says (`reading.Facts`) and what the usage
assumes, priced from the region's table.
"""

from __future__ import annotations

from fargo.cost import prices as price_table
from fargo.cost.model import Line
from fargo.cost.reading import ALARMS_PER_TARGET_TRACKING, FREE_EPHEMERAL_GB, Facts
from fargo.cost.usage import Usage

DAYS_PER_MONTH = 365 / 12
# An ALB writes one access-log object every 5 minutes per load balancer node (one per AZ).
ACCESS_LOG_OBJECTS_PER_HOUR = 12
# A log group without retention keeps everything: counted as a year of logs.
UNLIMITED_RETENTION_DAYS = 365


class LineBuilder:
    """Builds one stack's lines from what its template says and what the usage assumes."""

    def __init__(self, stack: str, facts: Facts, usage: Usage,
                 table: price_table.PriceTable, shared_insights: bool = False) -> None:
        self.stack, self.facts, self.usage, self.table = stack, facts, usage, table
        self.shared_insights = shared_insights
        self.hours = usage.hours_per_month
        self.lines: list[Line] = []

    def tasks(self, service) -> tuple[int, int]:
        low = self.usage.min_tasks if self.usage.min_tasks is not None else service.min_tasks
        high = self.usage.max_tasks if self.usage.max_tasks is not None else service.max_tasks
        return low, max(low, high)

    def add(self, component: str, item: str, assumption: str, key: str,
            quantity: float | tuple[float, float], detail: str = "") -> None:
        if not isinstance(quantity, tuple):
            quantity = (float(quantity), float(quantity))
        if quantity == (0.0, 0.0):
            return
        price = self.table.get(key)
        self.lines.append(Line(
            self.stack, component, item, assumption, key, price_table.KEYS[key],
            price.price if price else None, quantity, price.basis if price else None,
            detail or assumption,
        ))

    def build(self) -> list[Line]:
        for service in self.facts.services:
            self.fargate(service)
        self.load_balancers()
        self.nat()
        self.endpoints()
        self.public_addresses()
        self.logs()
        self.insights()
        self.waf()
        self.dns_firewall()
        self.alarms()
        self.keys()
        self.access_logs()
        self.registry()
        return self.lines

    def fargate(self, service) -> None:
        low, high = self.tasks(service)
        split_low, split_high = service.capacity.split(low), service.capacity.split(high)
        arch = "arm" if service.arm else "x86"
        arch_name = "ARM" if service.arm else "x86"
        suffix = f" ({service.logical_id})" if len(self.facts.services) > 1 else ""
        for index, (market, prefix) in enumerate((("on-demand", "fargate"),
                                                  ("Spot", "fargate_spot"))):
            counts = (split_low[index], split_high[index])
            if counts == (0, 0):
                continue
            shown = _range(*counts)
            self.add("Fargate", f"vCPU, {arch_name}, {market}{suffix}",
                     f"{_n(service.vcpu)} vCPU x {shown} {market} task(s) x {_n(self.hours)} h",
                     f"{prefix}.{arch}.vcpu_hour",
                     (service.vcpu * counts[0] * self.hours, service.vcpu * counts[1] * self.hours),
                     f"{_n(service.vcpu)} vCPU x {shown} task(s)")
            self.add("Fargate", f"memory, {arch_name}, {market}{suffix}",
                     f"{_n(service.memory_gb)} GB x {shown} {market} task(s) x {_n(self.hours)} h",
                     f"{prefix}.{arch}.gb_hour",
                     (service.memory_gb * counts[0] * self.hours,
                      service.memory_gb * counts[1] * self.hours),
                     f"{_n(service.memory_gb)} GB x {shown} task(s)")
        extra = service.ephemeral_gb - FREE_EPHEMERAL_GB
        if extra > 0:
            self.add("Fargate", f"ephemeral storage{suffix}",
                     f"{_n(extra)} GB above the free {_n(FREE_EPHEMERAL_GB)} GB x "
                     f"{_range(low, high)} task(s) x {_n(self.hours)} h",
                     "fargate.ephemeral_gb_hour",
                     (extra * low * self.hours, extra * high * self.hours))

    def load_balancers(self) -> None:
        albs = [lb for lb in self.facts.load_balancers if lb.application]
        if not albs:
            return
        self.add("Load balancer", "hours",
                 f"{len(albs)} application load balancer(s) x {_n(self.hours)} h",
                 "alb.hour", len(albs) * self.hours, f"{len(albs)} load balancer(s)")
        self.add("Load balancer", "capacity units (LCU)",
                 f"assumed {_n(self.usage.lcu)} LCU on average (an LCU: 25 new connections/s, "
                 "3,000 active connections/min, 1 GB/h to targets or 1,000 rule evaluations/s) "
                 f"x {_n(self.hours)} h", "alb.lcu_hour", len(albs) * self.usage.lcu * self.hours,
                 f"{_n(self.usage.lcu)} LCU")

    def nat(self) -> None:
        count = self.facts.nat_gateways
        if not count:
            return
        zones = max((lb.zones for lb in self.facts.load_balancers), default=0)
        how = ("one per AZ" if count > 1 and count == zones
               else "one for all AZs" if count == 1 else f"{count} gateways")
        self.add("NAT gateway", "hours", f"{count} NAT gateway(s) ({how}) x {_n(self.hours)} h",
                 "nat.hour", count * self.hours, f"{count} gateway(s), {how}")
        self.add("NAT gateway", "data processed",
                 f"assumed {_n(self.usage.nat_gb)} GB a month through the NAT gateway(s) "
                 "(image layers take the free S3 gateway endpoint)", "nat.gb", self.usage.nat_gb,
                 f"{_n(self.usage.nat_gb)} GB")

    def endpoints(self) -> None:
        endpoints = self.facts.interface_endpoints
        if not endpoints:
            return
        zone_hours = sum(e.zones for e in endpoints)
        zones = sorted({e.zones for e in endpoints})
        per = f"{zones[0]} AZs" if len(zones) == 1 else "their AZs"
        names = ", ".join(e.service for e in endpoints)
        self.add("VPC endpoints", "interface endpoints per AZ",
                 f"{len(endpoints)} interface endpoint(s) ({names}) x {per} x {_n(self.hours)} h",
                 "endpoint.hour", zone_hours * self.hours,
                 f"{len(endpoints)} endpoint(s) x {per}")
        self.add("VPC endpoints", "data processed",
                 f"assumed {_n(self.usage.endpoint_gb)} GB a month through interface endpoints",
                 "endpoint.gb", self.usage.endpoint_gb, f"{_n(self.usage.endpoint_gb)} GB")

    def public_addresses(self) -> None:
        lb_addresses = sum(lb.zones for lb in self.facts.load_balancers if lb.internet_facing)
        fixed = self.facts.elastic_ips + lb_addresses
        if fixed:
            parts = []
            if self.facts.elastic_ips:
                parts.append(f"{self.facts.elastic_ips} Elastic IP(s)")
            if lb_addresses:
                parts.append(f"{lb_addresses} for the load balancer (one per AZ; more while it "
                             "scales out)")
            self.add("Public IPv4", "addresses", " + ".join(parts) + f" x {_n(self.hours)} h",
                     "ipv4.hour", fixed * self.hours, f"{fixed} address(es)")
        for service in self.facts.services:
            if service.public_ip:
                low, high = self.tasks(service)
                self.add("Public IPv4", "task addresses",
                         f"one per task in public subnets: {_range(low, high)} "
                         f"x {_n(self.hours)} h",
                         "ipv4.hour", (low * self.hours, high * self.hours),
                         f"{_range(low, high)} address(es)")

    def logs(self) -> None:
        ingest = {"container": self.usage.log_gb, "flow": self.usage.flow_log_gb,
                  "waf": self.usage.waf_log_gb}
        kinds = {g.kind for g in self.facts.log_groups}
        if "container" in kinds:
            self.add("CloudWatch Logs", "container logs ingested",
                     f"assumed {_n(self.usage.log_gb)} GB a month from all tasks",
                     "logs.ingest_gb", self.usage.log_gb)
        if "flow" in kinds:
            self.add("CloudWatch Logs", "VPC flow logs delivered",
                     f"assumed {_n(self.usage.flow_log_gb)} GB a month (vended logs)",
                     "logs.vended_gb", self.usage.flow_log_gb)
        if "waf" in kinds:
            self.add("CloudWatch Logs", "WAF logs delivered",
                     f"assumed {_n(self.usage.waf_log_gb)} GB a month (vended logs)",
                     "logs.vended_gb", self.usage.waf_log_gb)
        stored, parts = 0.0, []
        for group in self.facts.log_groups:
            monthly = ingest.get(group.kind, 0.0)
            if not monthly:
                continue
            days = group.retention_days or UNLIMITED_RETENTION_DAYS
            stored += monthly * days / DAYS_PER_MONTH
            parts.append(f"{group.kind} {_n(monthly)} GB x {days} days")
        if stored:
            self.add("CloudWatch Logs", "storage",
                     "kept for the groups' retention at steady state (" + ", ".join(parts)
                     + "), uncompressed: an upper bound", "logs.storage_gb_month", stored)

    def insights(self) -> None:
        services = [s for s in self.facts.services if s.container_insights or (
            s.container_insights is None and self.shared_insights)]
        if not services:
            return
        metrics = self.usage.insights_metrics * len(services)
        self.add("Container Insights", "metrics",
                 f"assumed {metrics} custom metrics (cluster, service and task-family "
                 "dimensions; Container Insights bills them as custom metrics)",
                 "cloudwatch.metric_month", metrics)

    def waf(self) -> None:
        acls = self.facts.web_acl_rules
        if not acls:
            return
        self.add("WAF", "web ACLs", f"{len(acls)} web ACL(s)", "waf.web_acl_month", len(acls))
        self.add("WAF", "rules", f"{sum(acls)} rule(s) (each managed rule group counts as one)",
                 "waf.rule_month", sum(acls))
        self.add("WAF", "requests",
                 f"assumed {_n(self.usage.waf_million_requests)} million requests a month",
                 "waf.million_requests", self.usage.waf_million_requests * len(acls))

    def dns_firewall(self) -> None:
        if not self.facts.dns_firewall_vpcs:
            return
        self.add("DNS Firewall", "domains in lists",
                 f"{self.facts.dns_firewall_domains} domain name(s) in the firewall's lists",
                 "dns_firewall.domain_month", self.facts.dns_firewall_domains)
        self.add("DNS Firewall", "queries",
                 f"assumed {_n(self.usage.dns_million_queries)} million DNS queries a month "
                 f"from {self.facts.dns_firewall_vpcs} VPC(s)",
                 "dns_firewall.million_queries",
                 self.usage.dns_million_queries * self.facts.dns_firewall_vpcs)

    def alarms(self) -> None:
        created = self.facts.target_tracking_policies * ALARMS_PER_TARGET_TRACKING
        if self.facts.alarms:
            self.add("CloudWatch alarms", "alarms", f"{self.facts.alarms} alarm(s) in the template",
                     "cloudwatch.alarm_month", self.facts.alarms)
        if created:
            self.add("CloudWatch alarms", "target-tracking alarms",
                     f"{created} alarms Application Auto Scaling creates "
                     f"({ALARMS_PER_TARGET_TRACKING} per target-tracking policy)",
                     "cloudwatch.alarm_month", created)
        if self.facts.dashboards:
            self.add("CloudWatch dashboards", "dashboards",
                     f"{self.facts.dashboards} dashboard(s) (an account's first 3 are free: "
                     "counted as paid)", "cloudwatch.dashboard_month", self.facts.dashboards)

    def keys(self) -> None:
        if self.facts.kms_keys:
            self.add("KMS keys", "keys",
                     f"{self.facts.kms_keys} customer managed key(s) (the alarm topic's: "
                     "CloudWatch cannot publish to a topic under AWS's managed key)",
                     "kms.key_month", self.facts.kms_keys)

    def access_logs(self) -> None:
        logged = [lb for lb in self.facts.load_balancers if lb.access_log_bucket]
        if not logged:
            return
        days = [self.facts.bucket_expiry_days.get(lb.access_log_bucket) for lb in logged]
        kept = min((d for d in days if d), default=None) or UNLIMITED_RETENTION_DAYS
        stored = self.usage.access_log_gb * kept / DAYS_PER_MONTH
        self.add("S3 access logs", "storage",
                 f"assumed {_n(self.usage.access_log_gb)} GB a month, kept {kept} days",
                 "s3.gb_month", stored)
        objects = sum(lb.zones for lb in logged) * ACCESS_LOG_OBJECTS_PER_HOUR * self.hours
        self.add("S3 access logs", "PUT requests",
                 f"one log object every 5 minutes per load balancer node "
                 f"({sum(lb.zones for lb in logged)} AZs)", "s3.put_1000", objects / 1000)

    def registry(self) -> None:
        if self.facts.repositories:
            self.add("ECR", "image storage",
                     f"assumed {_n(self.usage.image_gb)} GB kept in each of "
                     f"{self.facts.repositories} repository(ies)", "ecr.gb_month",
                     self.usage.image_gb * self.facts.repositories)


def _n(value: float) -> str:
    """A number as a person writes it: 730, 0.5, 1.25."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def _range(low: float, high: float) -> str:
    return _n(low) if low == high else f"{_n(low)}-{_n(high)}"
