"""Task size and counts: a size Fargate runs, counts in order, schedules that make sense,
a capacity base only where it means something."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fargo.config.checks.fargate import size_problem
from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.settings import Settings


def problems(s: Settings) -> list[Problem]:
    found = []
    size = size_problem(s.cpu, s.memory)
    if size:
        other = "memory" if size.setting == "cpu" else "cpu"
        found.append(Problem(size.setting, size.text, size.fix, (other,)))
    if s.min_count > s.max_count:
        found.append(Problem(
            "max_count", f"max_count ({s.max_count}) is below min_count ({s.min_count})",
            "raise max_count or lower min_count", ("min_count",),
        ))
    elif not s.min_count <= s.desired_count <= s.max_count:
        found.append(Problem(
            "desired_count",
            f"desired_count ({s.desired_count}) is outside min_count..max_count "
            f"({s.min_count}..{s.max_count})",
            "set desired_count between min_count and max_count", ("min_count", "max_count"),
        ))
    if s.capacity_base is not None and s.capacity != "mixed":
        found.append(Problem(
            "capacity_base", f"capacity_base is set but capacity is {s.capacity}",
            "remove capacity_base, or set capacity = \"mixed\"", ("capacity",)))
    names = [schedule.name for schedule in s.schedules if schedule.name]
    automatic = {f"schedule-{i}" for i in range(1, len(s.schedules) + 1)}
    clashes = sorted({n for n in names if names.count(n) > 1 or n in automatic})
    if clashes:
        found.append(Problem(
            "schedules", f"schedules use the name {', '.join(clashes)} twice (or a name "
            "fargo gives an unnamed schedule)", "give each schedule its own name",
        ))
    for index, schedule in enumerate(s.schedules):
        if schedule.min_count > schedule.max_count:
            found.append(Problem(
                "schedules", f"schedules[{index}] has min_count above max_count",
                "make min_count <= max_count in that schedule",
            ))
    return found
