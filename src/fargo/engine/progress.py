"""How the engine tells its caller what is happening, without knowing about terminals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from fargo.engine.stack import StackEvent, StackState


@dataclass(frozen=True)
class TaskUpdate:
    """One ECS task whose state changed while a deploy was being followed."""

    task_id: str
    last_status: str
    desired_status: str
    health: str = ""
    stopped_reason: str = ""
    container_reason: str = ""
    exit_code: int | None = None


@dataclass(frozen=True)
class Timing:
    """Poll intervals and patience; tests set them near zero."""

    poll_seconds: float = 5.0
    stack_timeout_seconds: float = 3600.0
    health_timeout_seconds: float = 300.0
    change_set_timeout_seconds: float = 600.0
    # Waits before retrying a certificate ACM still calls in use after its listener is gone.
    in_use_retry_seconds: tuple[float, ...] = (2, 4, 8, 15, 30)


class Reporter(Protocol):
    def step(self, message: str) -> None: ...
    def note(self, message: str) -> None: ...
    def warn(self, message: str) -> None: ...
    def stack_progress(self, state: StackState, events: list[StackEvent]) -> None: ...
    def task_update(self, update: TaskUpdate) -> None: ...


@dataclass
class RecordingReporter:
    """Keeps everything it is told: for tests and for callers that render afterwards."""

    lines: list[str] = field(default_factory=list)
    events: list[StackEvent] = field(default_factory=list)
    tasks: list[TaskUpdate] = field(default_factory=list)

    def step(self, message: str) -> None:
        self.lines.append(f"step: {message}")

    def note(self, message: str) -> None:
        self.lines.append(f"note: {message}")

    def warn(self, message: str) -> None:
        self.lines.append(f"warn: {message}")

    def stack_progress(self, state: StackState, events: list[StackEvent]) -> None:
        self.events.extend(events)

    def task_update(self, update: TaskUpdate) -> None:
        self.tasks.append(update)

    def text(self) -> str:
        return "\n".join(self.lines)
