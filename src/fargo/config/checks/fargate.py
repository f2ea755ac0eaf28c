"""The task sizes Fargate accepts, so a bad pair fails before any AWS call."""

from __future__ import annotations

from typing import NamedTuple

_GIB = 1024


class SizeProblem(NamedTuple):
    """Which of cpu and memory is wrong, what is wrong, and which values would fit."""

    setting: str
    text: str
    fix: str


def _steps(low_gib: int, high_gib: int, step_gib: int) -> tuple[int, ...]:
    return tuple(range(low_gib * _GIB, high_gib * _GIB + 1, step_gib * _GIB))


# CPU units -> memory (MiB) values Fargate accepts for Linux tasks.
FARGATE_SIZES: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _steps(1, 4, 1),
    1024: _steps(2, 8, 1),
    2048: _steps(4, 16, 1),
    4096: _steps(8, 30, 1),
    8192: _steps(16, 60, 4),
    16384: _steps(32, 120, 8),
}


def size_problem(cpu: int, memory: int) -> SizeProblem | None:
    """Why Fargate would reject this CPU/memory pair, or None when it is accepted."""
    if cpu not in FARGATE_SIZES:
        allowed = ", ".join(str(c) for c in FARGATE_SIZES)
        return SizeProblem("cpu", f"cpu ({cpu}) is not a Fargate size", f"use one of {allowed}")
    memories = FARGATE_SIZES[cpu]
    if memory not in memories:
        low, high = memories[0], memories[-1]
        step = memories[1] - memories[0]
        if cpu == 256:
            choices = ", ".join(str(m) for m in memories)
        else:
            choices = f"{low} to {high} in steps of {step}"
        return SizeProblem("memory", f"memory ({memory}) does not fit cpu {cpu} on Fargate",
                           f"use {choices} MiB")
    return None
