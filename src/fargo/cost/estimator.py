"""A monthly estimate, line by line, for one or several templates in a region.

Each line says what it counts, how many, at which price and from which assumption; lines that
depend on the task count carry their quantity at the minimum and at the maximum task count.
A line whose price the table lacks stays in the estimate, unpriced, and the totals say they
exclude it. With several stacks (an environment plus services), the environment is counted
once and each service's share is its own lines plus an equal part of the environment.

What an estimate is lives in `cost.model`; how one stack's lines are built, in `cost.lines`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fargo.cost import prices as price_table
from fargo.cost.lines import LineBuilder
from fargo.cost.model import (  # noqa: F401  (the estimator's public names, as before)
    NOT_ESTIMATED,
    Estimate,
    Line,
    Role,
    Stack,
    StackEstimate,
)
from fargo.cost.reading import read
from fargo.cost.usage import Usage


def estimate(template: Mapping[str, Any], usage: Usage, name: str = "service") -> Estimate:
    """The estimate for one template."""
    return estimate_stacks([Stack(name, template)], usage)


def estimate_stacks(stacks: Sequence[Stack], usage: Usage,
                    table: price_table.PriceTable | None = None) -> Estimate:
    """The estimate for several templates deployed together (environment and services)."""
    if not stacks:
        raise ValueError("nothing to estimate: no templates")
    names = [s.name for s in stacks]
    if len(set(names)) != len(names):
        raise ValueError(f"stack names must differ: {names}")
    table = table or price_table.load(usage.region)
    facts_of = {stack.name: read(stack.template) for stack in stacks}
    # A service whose cluster sits in another stack (the environment's) shares its settings.
    shared_insights = any(f.clusters_with_insights for f in facts_of.values())
    results = []
    for stack in stacks:
        facts = facts_of[stack.name]
        builder = LineBuilder(stack.name, facts, usage, table, shared_insights)
        role: Role = "service" if facts.services else "environment"
        tasks = None
        if facts.services:
            tasks = (sum(builder.tasks(s)[0] for s in facts.services),
                     sum(builder.tasks(s)[1] for s in facts.services))
        results.append(StackEstimate(stack.name, role, tuple(builder.build()), tasks))
    return Estimate(usage.region, table.date, usage, tuple(results))
