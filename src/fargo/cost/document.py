"""Estimates and comparisons as JSON-ready dicts: the documented shape of `fargo cost --json`.

Keys are stable; amounts are US dollars a month as numbers rounded to the cent, each a pair
[at the minimum task count, at the maximum task count].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from fargo.cost.comparison import GROUPS, OTHER, Row
from fargo.cost.estimator import Estimate, Line


def estimate_document(estimate: Estimate) -> dict[str, Any]:
    return {
        "region": estimate.region,
        "price_date": estimate.price_date,
        "currency": "USD",
        "usage": asdict(estimate.usage),
        "tasks": list(estimate.tasks),
        "total": _pair(estimate.total),
        "complete": estimate.complete,
        "stacks": [{"name": stack.name, "role": stack.role,
                    "tasks": list(stack.tasks) if stack.tasks else None,
                    "total": _pair(stack.total),
                    "lines": [_line(line) for line in stack.lines]}
                   for stack in estimate.stacks],
        "shares": {name: _pair(share) for name, share in estimate.shares().items()},
        "notes": list(estimate.notes),
    }


def comparison_document(rows: Sequence[Row],
                        skipped: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
    first = rows[0].estimate if rows else None
    return {
        "region": first.region if first else None,
        "price_date": first.price_date if first else None,
        "currency": "USD",
        "variants": [{"name": row.variant.name, "overrides": dict(row.variant.overrides),
                      "total": _pair(row.total),
                      "groups": {name: _pair(row.group(name)) for name in [*GROUPS, OTHER]}}
                     for row in rows],
        "skipped": [{"name": name, "reason": why} for name, why in skipped],
    }


def _line(line: Line) -> dict[str, Any]:
    return {"component": line.component, "item": line.item, "assumption": line.assumption,
            "unit": line.unit, "unit_price": line.unit_price, "basis": line.basis,
            "quantity": list(line.quantity), "monthly": _pair(line.monthly),
            "priced": line.priced}


def _pair(pair: tuple[float, float]) -> list[float]:
    return [round(pair[0], 2), round(pair[1], 2)]
