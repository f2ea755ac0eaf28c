"""Running untrusted code: combinations AWS would refuse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.settings import Settings


def problems(s: Settings) -> list[Problem]:
    found = []
    if s.readonly_root_filesystem and s.ecs_exec:
        found.append(Problem(
            "ecs_exec", "ecs_exec and readonly_root_filesystem are both on: ECS Exec's agent "
            "needs a writable root file system (AWS does not support the combination)",
            "turn ecs_exec off (it is off by default with a read-only root)",
            ("readonly_root_filesystem",)))
    clashes = sorted(set(s.secrets) & set(s.container_variables))
    if clashes:
        found.append(Problem(
            "secrets", f"secrets and container_environment both set {', '.join(clashes)}",
            "keep each variable in one of them", ("container_environment",)))
    if s.network == "isolated" and s.region:
        for reference in s.secret_references:
            if reference.region not in (None, s.region):
                found.append(Problem(
                    "secrets", f"secret {reference.name} is in {reference.region} but "
                    f"network isolated reaches only {s.region}'s endpoints",
                    f"replicate the secret to {s.region} and name that ARN", ("network",)))
    return found
