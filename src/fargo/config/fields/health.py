"""How the load balancer decides a task is healthy, and how long it drains a stopping one.

The defaults make a rollout fast without making it fragile, following AWS's ECS guide
("Optimize load balancer health check parameters" and "... connection draining parameters").
Per replaced task a rolling deploy waits for the new target's first passing check, the old
target's deregistration delay and the old task's stop (benchmarks/rollout_bench.py models it):

- interval 5 s (AWS's value for services that start and settle quickly): a newly registered
  target needs ONE passing check, whatever the healthy threshold, so the interval is the
  check's share of the rollout. The original's 60 s made every rollout wait up to a minute per
  task. Each load balancer node checks each task, so 5 s costs a task well under one request a
  second: nothing for a /health handler.
- timeout 4 s: the longest the interval allows (ELB requires timeout < interval), so a busy
  task's slow answer is not counted as a failure.
- healthy threshold 2 (ELB's minimum): it applies only to a target recovering from unhealthy.
- unhealthy threshold 3: with 5 s checks a dead task is found in 15 s (the original: 120 s),
  and one slow answer (a pause, a long request holding the CPU) does not get a task replaced.
- grace period 60 s: ECS ignores failing checks this long after a task starts, so an app that
  needs up to a minute to answer (a JVM, a compiler warming up) is not killed while starting.
  It costs a healthy rollout nothing: ECS counts the task healthy at its first passing check;
  only a broken image is found later (grace + 3 checks). Raise it for slower starts.
- deregistration delay 10 s, matched to the container's stop timeout (10 s, see hardening): a
  stopping task first drains (in-flight requests may finish for up to 10 s), then gets SIGTERM
  and 10 s to exit. AWS suggests 5 s for sub-second responses; 10 s leaves room for slower
  requests such as a compile. On Fargate Spot the interruption warning sends SIGTERM while the
  drain runs, so the stop timeout must cover the drain; and both must end within the warning's
  two minutes (an advisory says so when deregistration_delay + stop_timeout exceed 120 s).
"""

from __future__ import annotations

from pydantic import Field, field_validator

from fargo.config.checks import health
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import refuse


class HealthFields(FieldGroup):
    health_check_path: str | None = Field(None, description="Health check path; default / for the sample image, else /health")
    health_check_interval: int = Field(5, ge=5, le=300, description="Seconds between health checks (a new task needs one passing check)")
    health_check_timeout: int = Field(4, ge=2, le=120, description="Seconds before a health check fails; below the interval")
    health_check_matcher: str = Field("200", description="HTTP codes that count as healthy: 200-499, e.g. 200, 200,202 or 200-299")
    healthy_threshold: int = Field(2, ge=2, le=10, description="Passed checks before an unhealthy task is healthy again")
    unhealthy_threshold: int = Field(3, ge=2, le=10, description="Failed checks before a task is unhealthy")
    health_check_grace_period: int = Field(60, ge=0, le=2147483647, description="Seconds ECS ignores failing health checks after a task starts (slow starts)")
    deregistration_delay: int = Field(10, ge=0, le=3600, description="Seconds the load balancer drains a stopping task (matched to stop_timeout)")

    @field_validator("health_check_path")
    @classmethod
    def _path_is_a_url_path(cls, value: str | None) -> str | None:
        return value if value is None else refuse(health.path_problem(value), value)

    @field_validator("health_check_matcher")
    @classmethod
    def _matcher_is_alb_codes(cls, value: str) -> str:
        return refuse(health.matcher_problem(value), value)
