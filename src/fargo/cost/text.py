"""Estimates, comparisons and deltas as text: plain lines for a terminal, Markdown for the README.

Every estimate names its region, the price table's date and its assumptions; a line with a
derived price is marked, and unpriced lines are listed with what to do.
"""

from __future__ import annotations

from collections.abc import Sequence

from fargo.cost.comparison import GROUPS, OTHER, Row
from fargo.cost.estimator import Estimate, Line
from fargo.cost.money import usd

DERIVED_MARK = "*"


def amount(pair: tuple[float, float]) -> str:
    low, high = pair
    return usd(low) if abs(high - low) < 0.005 else f"{usd(low)}-{usd(high)}"


def tasks_phrase(estimate: Estimate) -> str:
    low, high = estimate.tasks
    if low == high:
        return f"{low} task{'s' if low != 1 else ''}"
    return f"{low} task{'s' if low != 1 else ''} / {high} tasks"


def heading(estimate: Estimate) -> str:
    return (f"Monthly estimate for {estimate.region}, prices of {estimate.price_date} "
            f"(USD, {estimate.usage.hours_per_month:g} hours a month)")


def total_line(estimate: Estimate) -> str:
    low, high = estimate.tasks
    if low == high == 0:  # no service in it (an environment's own stack): no task count
        text = f"Total: {usd(estimate.total[0])} a month"
    else:
        text = f"Total: {usd(estimate.total[0])} a month at {low} task{'s' if low != 1 else ''}"
    if high != low:
        text += f", {usd(estimate.total[1])} at {high} tasks"
    if not estimate.complete:
        text += f" (without {len(estimate.unpriced)} unpriced line(s))"
    return text


def lines(estimate: Estimate) -> list[str]:
    """The estimate as plain text, one line per cost line, then totals and notes."""
    out = [heading(estimate)]
    several = len(estimate.stacks) > 1
    for stack in estimate.stacks:
        if several:
            role = "service" if stack.role == "service" else "shared"
            out.append(f"{stack.name} ({role}): {amount(stack.total)}")
        for line in stack.lines:
            out.append(f"  {_price_text(line):>22}  {line.label}: {line.assumption}"
                       f"{_rate(line)}")
    out.append(total_line(estimate))
    if several:
        for name, share in estimate.shares().items():
            out.append(f"  {name}'s share (its lines and an equal part of the shared stacks): "
                       f"{amount(share)}")
    out.extend(notes(estimate))
    return out


def notes(estimate: Estimate) -> list[str]:
    out = []
    if any(line.basis == "derived" for line in estimate.lines):
        out.append(f"{DERIVED_MARK} derived price: computed by a stated rule, not read from AWS "
                   f"(see src/fargo/data/prices/{estimate.region}.json)")
    for line in estimate.unpriced:
        out.append(f"unpriced: {line.label}: the price table has no {line.price_key} for "
                   f"{estimate.region}; run scripts/update_prices.py --region {estimate.region}")
    out.extend(estimate.notes)
    return out


def markdown_estimate(estimate: Estimate) -> str:
    rows = ["| line | assumption | monthly |", "|---|---|---:|"]
    for line in estimate.lines:
        rows.append(f"| {line.label} | {line.assumption}{_rate(line)} | {_price_text(line)} |")
    rows.append(f"| **total** | {tasks_phrase(estimate)} | **{amount(estimate.total)}** |")
    return "\n".join(rows)


def markdown_comparison(rows: Sequence[Row]) -> str:
    columns = list(GROUPS) + [OTHER]
    out = ["| variant | total a month | " + " | ".join(columns) + " |",
           "|---|---:|" + "---:|" * len(columns)]
    for row in rows:
        cells = [amount(row.group(c)) for c in columns]
        out.append(f"| {row.variant.name} | **{amount(row.total)}** | " + " | ".join(cells)
                   + " |")
    return "\n".join(out)


def _price_text(line: Line) -> str:
    if not line.priced:
        return "unpriced"
    mark = DERIVED_MARK if line.basis == "derived" else ""
    return amount(line.monthly) + mark


def _rate(line: Line) -> str:
    if line.unit_price is None:
        return ""
    return f" @ US${line.unit_price:g}/{line.unit}"


def comparison_lines(rows: Sequence[Row], skipped: Sequence[tuple[str, str]] = ()) -> list[str]:
    """A comparison as an aligned plain-text table (each cell: the month at the minimum task
    count, and at the maximum where that differs), then the variants left out and why."""
    columns = ["variant", "total a month", *GROUPS, OTHER]
    table = [columns] + [[row.variant.name, amount(row.total),
                          *(amount(row.group(c)) for c in [*GROUPS, OTHER])] for row in rows]
    widths = [max(len(cells[i]) for cells in table) for i in range(len(columns))]
    out = []
    for cells in table:
        parts = [cells[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        out.append("  ".join(parts).rstrip())
    out.extend(f"not compared: {name}: {why}" for name, why in skipped)
    return out
