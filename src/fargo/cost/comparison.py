"""The same service under each network profile and with Spot or ARM, side by side.

The caller passes a function that renders a template for given setting overrides, so this
module stays independent of the settings model. Spot and mixed capacity are settings
(`capacity`), so their rows come from the template fargo renders; a variant may still edit the
rendered template with `whatif` (its `capacity` field) for what the settings cannot express.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fargo.cost.estimator import Estimate, estimate
from fargo.cost.usage import Usage
from fargo.cost.whatif import CapacityChoice, with_capacity

Render = Callable[[Mapping[str, Any]], Mapping[str, Any]]
# Columns of a comparison: components, grouped.
GROUPS = {
    "Fargate": ("Fargate",),
    "Load balancer": ("Load balancer",),
    "NAT": ("NAT gateway",),
    "Endpoints": ("VPC endpoints",),
    "Public IPv4": ("Public IPv4",),
}
OTHER = "Logs, metrics, WAF, DNS, S3"


@dataclass(frozen=True)
class Variant:
    name: str
    overrides: Mapping[str, Any] = field(default_factory=dict)
    capacity: CapacityChoice | None = None  # applied to the rendered template
    spot_base: int = 1


DEFAULT_VARIANTS: tuple[Variant, ...] = (
    Variant("nat (default)"),
    Variant("nat, a NAT gateway per AZ", {"nat_per_az": True}),
    Variant("isolated", {"network": "isolated"}),
    Variant("public", {"network": "public"}),
    Variant("nat, ARM", {"platform": "linux/arm64"}),
    Variant("nat, Spot", {"capacity": "spot"}),
    Variant("nat, mixed (1 on-demand, rest Spot)", {"capacity": "mixed"}),
    Variant("public, ARM on Spot", {"network": "public", "platform": "linux/arm64",
                                    "capacity": "spot"}),
)


@dataclass(frozen=True)
class Row:
    variant: Variant
    estimate: Estimate

    @property
    def total(self) -> tuple[float, float]:
        return self.estimate.total

    def group(self, name: str) -> tuple[float, float]:
        """A column's amount: one of GROUPS, or OTHER for every other component."""
        wanted = GROUPS.get(name)
        low = high = 0.0
        for line in self.estimate.lines:
            inside = line.component in wanted if wanted else not any(
                line.component in members for members in GROUPS.values())
            if inside:
                low, high = low + line.monthly[0], high + line.monthly[1]
        return (low, high)


def compare(render: Render, usage: Usage,
            variants: Sequence[Variant] = DEFAULT_VARIANTS) -> list[Row]:
    rows = []
    for variant in variants:
        template = render(dict(variant.overrides))
        if variant.capacity is not None:
            template = with_capacity(template, variant.capacity, variant.spot_base)
        rows.append(Row(variant, estimate(template, usage)))
    return rows
