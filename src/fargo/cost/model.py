"""What an estimate is: lines (what is counted, how many, at which price, on which assumption),
the stacks they belong to, and their totals at the minimum and the maximum task count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from fargo.cost.usage import Usage

Role = Literal["environment", "service"]
NOT_ESTIMATED = (
    "Not estimated: data transfer out to the internet and between Availability Zones, "
    "Route 53 (hosted zone, queries), ECS Exec session logs, Container Insights' performance "
    "log events, taxes, and any discount (Savings Plans, Free Tier, credits)."
)


@dataclass(frozen=True)
class Stack:
    """One template to estimate, under the name its lines are reported by."""

    name: str
    template: Mapping[str, Any]


@dataclass(frozen=True)
class Line:
    stack: str
    component: str
    item: str
    assumption: str
    price_key: str
    unit: str
    unit_price: float | None
    quantity: tuple[float, float]  # at the minimum and at the maximum task count
    basis: str | None = None
    detail: str = ""  # the counted thing in a few words, e.g. "2 gateways, one per AZ"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.stack, self.component, self.item)

    @property
    def label(self) -> str:
        return f"{self.component}: {self.item}"

    @property
    def priced(self) -> bool:
        return self.unit_price is not None

    @property
    def monthly(self) -> tuple[float, float]:
        """(at min tasks, at max tasks); zero for an unpriced line (see `priced`)."""
        if self.unit_price is None:
            return (0.0, 0.0)
        return (self.quantity[0] * self.unit_price, self.quantity[1] * self.unit_price)

    @property
    def varies(self) -> bool:
        return self.quantity[0] != self.quantity[1]


@dataclass(frozen=True)
class StackEstimate:
    name: str
    role: Role
    lines: tuple[Line, ...]
    tasks: tuple[int, int] | None  # a service's (min, max) tasks

    @property
    def total(self) -> tuple[float, float]:
        return total_of(self.lines)


@dataclass(frozen=True)
class Estimate:
    region: str
    price_date: str
    usage: Usage
    stacks: tuple[StackEstimate, ...]
    notes: tuple[str, ...] = field(default=(NOT_ESTIMATED,))

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for stack in self.stacks for line in stack.lines)

    @property
    def total(self) -> tuple[float, float]:
        """(at every service's minimum task count, at every service's maximum)."""
        return total_of(self.lines)

    @property
    def tasks(self) -> tuple[int, int]:
        services = [s.tasks for s in self.stacks if s.tasks]
        return (sum(t[0] for t in services), sum(t[1] for t in services))

    @property
    def unpriced(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if not line.priced)

    @property
    def complete(self) -> bool:
        return not self.unpriced

    def shares(self) -> dict[str, tuple[float, float]]:
        """Each service's monthly share: its own lines plus an equal part of the environment."""
        services = [s for s in self.stacks if s.role == "service"]
        shared = total_of(line for s in self.stacks if s.role == "environment" for line in s.lines)
        if not services:
            return {}
        part = (shared[0] / len(services), shared[1] / len(services))
        return {s.name: (s.total[0] + part[0], s.total[1] + part[1]) for s in services}



def total_of(lines: Iterable[Line]) -> tuple[float, float]:
    low = high = 0.0
    for line in lines:
        a, b = line.monthly
        low, high = low + a, high + b
    return (low, high)
