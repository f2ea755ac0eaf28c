"""Terminal rendering with rich: progress while following a stack, tables for results."""

from __future__ import annotations

import contextlib
import sys
import time
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fargo.errors import ExitCode

if TYPE_CHECKING:  # result types of the commands, for annotations only
    from fargo.commands.results import (
        ChangeSet,
        CheckResult,
        DestroyResult,
        SettingsDiff,
        StackEvent,
        StackState,
        TaskUpdate,
    )

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False)

_ACTION_STYLE = {"add": "green", "modify": "yellow", "remove": "red", "replace": "bold red"}


def _status_style(status: str) -> str:
    if status.endswith("FAILED") or "ROLLBACK" in status:
        return "red"
    if status.endswith("COMPLETE"):
        return "green"
    return "yellow"


class RichReporter:
    """Prints steps and stack events as they come, under a spinner with the elapsed time."""

    def __init__(self, stream: Console | None = None) -> None:
        self.console = stream or console
        self.started = time.monotonic()
        self._status = None

    def __enter__(self) -> RichReporter:
        self._status = self.console.status("starting", spinner="dots")
        self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    @contextlib.contextmanager
    def paused(self):
        """Stop the spinner while the user is asked something, so the question stays visible."""
        if self._status is None:
            yield
            return
        self._status.stop()
        try:
            yield
        finally:
            self._status.start()

    def elapsed(self) -> str:
        seconds = int(time.monotonic() - self.started)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def _spin(self, text: str) -> None:
        if self._status is not None:
            self._status.update(f"{text} [dim]({self.elapsed()})[/]")

    def step(self, message: str) -> None:
        self.console.print(f"[bold cyan]→[/] {message}")
        self._spin(message)

    def note(self, message: str) -> None:
        self.console.print(f"  {message}")

    def warn(self, message: str) -> None:
        self.console.print(f"[yellow]warning:[/] {message}")

    def stack_progress(self, state: StackState, events: list[StackEvent]) -> None:
        for event in events:
            reason = f" [dim]{event.reason}[/]" if event.reason else ""
            self.console.print(
                f"  {event.timestamp:%H:%M:%S} {event.logical_id:<34} "
                f"[{_status_style(event.status)}]{event.status}[/]{reason}"
            )
        self._spin(f"{state.name}: {state.status}")

    def task_update(self, update: TaskUpdate) -> None:
        detail = f" — {update.stopped_reason}" if update.stopped_reason else ""
        if update.container_reason:
            detail += f" ({update.container_reason})"
        health = ""
        if update.health and update.health != "UNKNOWN":
            health = f", {update.health.lower()}"
        state = update.last_status.lower()
        self.console.print(f"  task {update.task_id[:12]} {state}{health}{detail}")


def change_table(change_set: ChangeSet) -> Table:
    counts: dict[str, int] = {}
    for change in change_set.changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    summary = ", ".join(f"{n} to {action}" for action, n in sorted(counts.items()))
    table = Table(title=f"Changes to {change_set.stack_name}", title_justify="left",
                  caption=summary, caption_justify="left")
    table.add_column("resource")
    table.add_column("type", style="dim")
    table.add_column("action")
    table.add_column("why")
    for change in change_set.changes:
        style = _ACTION_STYLE.get(change.action, "")
        table.add_row(change.logical_id, change.resource_type, f"[{style}]{change.action}[/]",
                      change.reason)
        for number, prop in enumerate(change.properties, 1):
            cause = f" [dim](from {prop.cause})[/]" if prop.cause not in ("", "template") else ""
            table.add_row(f"  {prop.path}", "", f"[dim]{prop.change}[/]",
                          escape(f"{_value(prop.before)} → {_value(prop.after)}") + cause,
                          end_section=number == len(change.properties))
    return table


def _value(value: str | None) -> str:
    if value is None:
        return "(none)"
    flat = " ".join(value.split())
    return flat if len(flat) <= 80 else flat[:77] + "..."


def print_settings_diff(diff: SettingsDiff) -> None:
    """The settings a deploy would change, each with where its new value comes from."""
    if diff.note:
        console.print(f"[dim]settings: {diff.note}[/]")
    if not diff.differences:
        if diff.recorded:
            console.print("settings: unchanged since the last deploy")
        return
    console.print(f"settings changed since the last deploy ({len(diff.differences)}):")
    for difference in diff.differences:
        console.print(f"  {escape(difference.text)}  [dim](from {escape(difference.source)})[/]")


def print_checks(checks: list[CheckResult]) -> None:
    marks = {"passed": "[green]passed[/]", "failed": "[red]failed[/]",
             "skipped": "[yellow]skipped[/]"}
    for check in checks:
        console.print(f"  {check.name}: {marks.get(check.outcome, check.outcome)} — {check.detail}")


def print_outputs(outputs: dict[str, str]) -> None:
    """One `key: value` line each, never cut, so values can be copied."""
    width = max((len(k) for k in outputs), default=0)
    for key in sorted(outputs):
        out.print(f"[bold]{key:<{width}}[/]  {outputs[key]}", soft_wrap=True)


def print_destroy(result: DestroyResult) -> None:
    """What went, what stays on purpose, what failed and what is left; exit 1 unless all of
    it is gone (a destroy that failed half-way must not look done)."""
    for item in result.removed:
        console.print(f"  removed {item}")
    for item in result.kept:
        console.print(f"  kept on purpose: {item}")
    for line in result.failed:
        console.print(line if line.startswith("error:") else f"error: {line}",
                      markup=False, highlight=False)
    if result.left:
        console.print(f"[yellow]still there after destroy ({len(result.left)}):[/]")
        for item in result.left:
            console.print(f"  - {item}")
    if result.complete:
        console.print(f"[green]nothing of {result.stack_name} is left[/]")
        return
    console.print("destroy did not finish: fix what is named above and run `fargo destroy` "
                  "again (it picks up where this one stopped)")
    raise typer.Exit(ExitCode.FAILED)


def is_interactive() -> bool:
    return sys.stdin.isatty()
