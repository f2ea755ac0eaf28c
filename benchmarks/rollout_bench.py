"""The modelled critical path of one task replacement in a rolling deploy, per set of values.

Run by hand: `python benchmarks/rollout_bench.py`. No AWS call: it models what AWS documents
("Optimize load balancer health check parameters" and "... connection draining parameters",
ECS developer guide). For each replaced task, the rollout waits for:

1. the new target's first health check after it registers (a newly registered target needs
   ONE passing check, whatever the healthy threshold): up to one interval, plus the check's
   own answer time (the app answers fast when healthy: taken as 1 s);
2. the old target's deregistration delay (the load balancer drains it);
3. the old task's stop: SIGTERM, then up to stop_timeout before SIGKILL (the worst case, an
   app that ignores SIGTERM).

Task start-up (image pull, app boot) is the same for every set of values and left out. The
"spot" column says whether the drain and the stop fit Fargate Spot's two-minute warning with
the stop covering the drain (fargo's defaults: config/fields/health.py says why). The
three sets: the original Terraform's values, Copilot's defaults for a load-balanced web
service (its manifest leaves interval and thresholds to the ELB defaults), and fargo's
current defaults (read from the settings model, so this follows any change).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

ANSWER_SECONDS = 1.0
TARGET_RATIO = 0.25  # issue 12: fargo's path at most a quarter of the original's
SPOT_WARNING_SECONDS = 120  # Fargate Spot: SIGTERM, then the task is stopped 2 minutes later


@dataclass(frozen=True)
class Values:
    name: str
    interval: float
    deregistration_delay: float
    stop_timeout: float

    def critical_path(self) -> float:
        return self.interval + ANSWER_SECONDS + self.deregistration_delay + self.stop_timeout

    def fits_spot(self) -> bool:
        """A Spot interruption: drain and stop end within the warning, the stop covers the
        drain (SIGTERM arrives while the load balancer still drains)."""
        return (self.deregistration_delay + self.stop_timeout <= SPOT_WARNING_SECONDS
                and self.stop_timeout >= self.deregistration_delay)


def fargo_defaults() -> Values:
    from fargo.config import Settings

    fields = Settings.model_fields
    return Values("fargo", fields["health_check_interval"].default,
                  fields["deregistration_delay"].default, fields["stop_timeout"].default)


SETS = [
    # ../shared/seed/settings.md: interval 60, deregistration 30; no stopTimeout (ECS: 30).
    Values("original", 60, 30, 30),
    # Copilot: ELB's default interval (30), deregistration 60, ECS's default stop timeout.
    Values("copilot", 30, 60, 30),
]


def main() -> None:
    rows = [*SETS, fargo_defaults()]
    base = rows[0].critical_path()
    started = time.perf_counter()
    timings = []
    for _ in range(200):  # the model is arithmetic: timed only to show it costs nothing
        begun = time.perf_counter()
        _ = [r.critical_path() for r in rows]
        timings.append(time.perf_counter() - begun)
    print(f"{'values':10} {'interval':>8} {'dereg':>6} {'stop':>5} {'path s':>7} {'ratio':>6} "
          f"{'spot':>5}")
    for row in rows:
        path = row.critical_path()
        print(f"{row.name:10} {row.interval:8.0f} {row.deregistration_delay:6.0f} "
              f"{row.stop_timeout:5.0f} {path:7.0f} {path / base:6.0%} "
              f"{'fits' if row.fits_spot() else 'no':>5}")
    ratio = rows[-1].critical_path() / base
    print(f"fargo / original: {ratio:.0%} (target <= {TARGET_RATIO:.0%}: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    print(f"(model evaluated in a median {statistics.median(timings) * 1e6:.1f} µs; "
          f"total {time.perf_counter() - started:.3f} s)")


if __name__ == "__main__":
    main()
