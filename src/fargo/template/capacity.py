"""Where the service's tasks run: Fargate on-demand, Fargate Spot, or a mix (issue 13).

Every cluster fargo makes (a single service's, an environment's) has both Fargate capacity
providers associated, so a service can use Spot without changing its cluster first; they cost
nothing until a task runs on them.

- on-demand: the launch type FARGATE, as always (no capacity provider strategy).
- spot: every task on FARGATE_SPOT (weight 1), x86 or ARM (Spot takes ARM64 tasks on platform
  1.4.0, which LATEST is). Spot tasks are interrupted at two minutes' notice; the health
  defaults fit a drain and a stop into them (config/fields/health.py).
- mixed: FARGATE with base `capacity_base` (default 1) and weight 0, FARGATE_SPOT with weight
  1: ECS places the base on on-demand first, then every further task on Spot (a weight-0
  provider takes no task beyond its base). The base keeps the service answering while Spot
  capacity is reclaimed; a weight above 0 on FARGATE would put a share of the extra tasks on
  on-demand too, paying for what the base already guarantees. When Spot has no capacity, the
  tasks beyond the base wait for it: ECS does not fall back to on-demand.

Switching between on-demand and spot/mixed adds or removes `LaunchType`, a property whose
change makes CloudFormation REPLACE the service (create the new one, then delete the old);
the plan says so, and fargo's deploy starts the new service with the count running now.
Between spot and mixed only the strategy changes: an in-place update (CloudFormation has
updated CapacityProviderStrategy without replacement since June 2025).
"""

from __future__ import annotations

from typing import Any

from troposphere import ecs

from fargo.config import Settings

ON_DEMAND = "FARGATE"
SPOT = "FARGATE_SPOT"
CLUSTER_PROVIDERS = [ON_DEMAND, SPOT]
MIXED_ON_DEMAND_WEIGHT = 0  # beyond the base, every task on Spot
SPOT_WEIGHT = 1


def strategy(settings: Settings) -> list[ecs.CapacityProviderStrategyItem] | None:
    """The service's capacity provider strategy; None for on-demand (the launch type)."""
    if settings.capacity == "spot":
        return [ecs.CapacityProviderStrategyItem(CapacityProvider=SPOT, Weight=SPOT_WEIGHT)]
    if settings.capacity == "mixed":
        return [
            ecs.CapacityProviderStrategyItem(CapacityProvider=ON_DEMAND,
                                             Base=settings.on_demand_base,
                                             Weight=MIXED_ON_DEMAND_WEIGHT),
            ecs.CapacityProviderStrategyItem(CapacityProvider=SPOT, Weight=SPOT_WEIGHT),
        ]
    return None


def service_properties(settings: Settings) -> dict[str, Any]:
    """LaunchType or CapacityProviderStrategy, never both (ECS refuses both)."""
    chosen = strategy(settings)
    return {"LaunchType": "FARGATE"} if chosen is None else {"CapacityProviderStrategy": chosen}
