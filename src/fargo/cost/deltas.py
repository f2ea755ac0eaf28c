"""What a change does to the monthly bill: the difference and the lines that changed.

`str(change)` reads like "+US$32.85/month: NAT gateway: hours (1 gateway(s), one for all AZs
-> 2 gateway(s), one per AZ)", at the minimum task count (and at the maximum when that
differs), so `plan` and `deploy` can print it under the change set.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fargo.cost.estimator import Estimate, Line, estimate
from fargo.cost.money import signed_usd, usd
from fargo.cost.usage import Usage

CENT = 0.005


@dataclass(frozen=True)
class Change:
    before: Line | None
    after: Line | None

    @property
    def label(self) -> str:
        return (self.after or self.before).label  # type: ignore[union-attr]

    @property
    def monthly(self) -> tuple[float, float]:
        old = self.before.monthly if self.before else (0.0, 0.0)
        new = self.after.monthly if self.after else (0.0, 0.0)
        return (new[0] - old[0], new[1] - old[1])

    def __str__(self) -> str:
        low, high = self.monthly
        amount = f"{signed_usd(low)}/month"
        if abs(high - low) >= CENT:
            amount += f" ({signed_usd(high)} at the maximum task count)"
        if self.before and self.after:
            how = f"{self.before.detail} -> {self.after.detail}"
        elif self.after:
            how = f"new: {self.after.detail}"
        else:
            how = f"removed: {self.before.detail}"  # type: ignore[union-attr]
        return f"{amount}: {self.label} ({how})"


@dataclass(frozen=True)
class Delta:
    before: Estimate
    after: Estimate
    changes: tuple[Change, ...]

    @property
    def monthly(self) -> tuple[float, float]:
        return (self.after.total[0] - self.before.total[0],
                self.after.total[1] - self.before.total[1])

    @property
    def summary(self) -> str:
        low, _ = self.monthly
        return (f"{signed_usd(low)}/month: {usd(self.before.total[0])} -> "
                f"{usd(self.after.total[0])} a month at the minimum task count "
                f"(prices of {self.after.price_date})")


def delta(old_template: Mapping[str, Any], new_template: Mapping[str, Any],
          usage: Usage) -> Delta:
    return delta_of(estimate(old_template, usage), estimate(new_template, usage))


def delta_of(before: Estimate, after: Estimate) -> Delta:
    """The difference between two estimates (several stacks each, matched by stack name)."""
    old = {line.key: line for line in before.lines}
    new = {line.key: line for line in after.lines}
    changes = []
    for key in list(old) + [k for k in new if k not in old]:
        change = Change(old.get(key), new.get(key))
        if any(abs(amount) >= CENT for amount in change.monthly) or (
                change.before and change.after and not change.after.priced
                and change.before.detail != change.after.detail):
            changes.append(change)
    changes.sort(key=lambda c: -abs(c.monthly[0]))
    return Delta(before, after, tuple(changes))
