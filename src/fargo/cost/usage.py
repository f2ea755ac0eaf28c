"""What the template cannot say: the region, traffic and volumes an estimate assumes.

Every number here appears in the line it feeds, so an estimate never hides an assumption.
Task counts default to the template's autoscaling range (MinCapacity..MaxCapacity).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

HOURS_PER_MONTH = 730.0  # AWS's own convention (365 x 24 / 12)
# Container Insights (standard) on ECS publishes its metrics as custom metrics: about 13 with
# the cluster dimension, 15 with the service and 11 with the task family.
INSIGHTS_METRICS_PER_SERVICE = 39


@dataclass(frozen=True)
class Usage:
    region: str
    min_tasks: int | None = None  # default: the template's MinCapacity
    max_tasks: int | None = None  # default: the template's MaxCapacity
    hours_per_month: float = HOURS_PER_MONTH
    lcu: float = 1.0  # average load balancer capacity units per hour
    nat_gb: float = 10.0  # GB a month through the NAT gateways (all of them)
    endpoint_gb: float = 5.0  # GB a month through interface endpoints (all of them)
    log_gb: float = 1.0  # GB a month of container logs (all tasks)
    flow_log_gb: float = 1.0  # GB a month of VPC flow logs
    waf_log_gb: float = 0.5  # GB a month of WAF request logs
    waf_million_requests: float = 1.0  # requests a month that WAF inspects, in millions
    dns_million_queries: float = 1.0  # DNS queries a month the DNS firewall sees, in millions
    access_log_gb: float = 1.0  # GB a month of load balancer access logs
    insights_metrics: int = INSIGHTS_METRICS_PER_SERVICE  # per service, Container Insights on
    image_gb: float = 1.0  # GB kept in each ECR repository

    def __post_init__(self) -> None:
        if not isinstance(self.region, str) or not self.region:
            raise ValueError("usage needs a region, e.g. Usage(region='eu-west-1')")
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "region" or value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float) \
                    or not math.isfinite(value) or value < 0:
                raise ValueError(f"usage {field.name} must be a number >= 0, not {value!r}")
        if self.min_tasks is not None and self.max_tasks is not None \
                and self.max_tasks < self.min_tasks:
            raise ValueError(f"usage max_tasks ({self.max_tasks}) is below min_tasks "
                             f"({self.min_tasks})")

    def with_(self, **changes) -> Usage:
        return replace(self, **changes)
