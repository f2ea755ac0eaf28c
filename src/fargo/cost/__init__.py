"""What a fargo deployment costs a month, from its synthesised template(s) and a dated table.

Pure and offline: reads template dicts (never troposphere objects), never imports boto3, and
never calls AWS. `estimate` prices one template, `estimate_stacks` several (an environment
counted once, each service's share), `compare` a service under several variants, `delta` the
difference a change makes. Assumptions the template cannot carry come in a `Usage`.

Names are imported on first use, so `fargo.diagram` (which reads templates with
`fargo.cost.cfn`) does not pay for the estimator.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DEFAULT_VARIANTS": "comparison", "Row": "comparison", "Variant": "comparison",
    "compare": "comparison",
    "Change": "deltas", "Delta": "deltas", "delta": "deltas", "delta_of": "deltas",
    "Estimate": "estimator", "Line": "estimator", "Stack": "estimator",
    "StackEstimate": "estimator", "estimate": "estimator", "estimate_stacks": "estimator",
    "PriceTable": "prices", "PriceTableError": "prices", "load": "prices", "regions": "prices",
    "Usage": "usage", "with_capacity": "whatif",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fargo.cost' has no attribute {name!r}")
    return getattr(importlib.import_module(f"fargo.cost.{module}"), name)
