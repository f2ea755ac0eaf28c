"""`fargo status` for people (rich tables) and for programs (`--json`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fargo.cli.json_output import json_document

if TYPE_CHECKING:
    from fargo.commands.results import ServiceStatus, StatusReport


def print_report(report: StatusReport, out: Console) -> None:
    """The engine's view, then the day-two signals and, when unhealthy, why."""
    print_status(report.service, out)
    if report.verdict == "not-deployed":
        return
    d = report.deployment
    if d.image:
        digest = f" ({d.digest})" if d.digest else ""
        out.print(f"image: {d.image}{digest}")
    if d.deployed_at or d.deployed_by:
        when = f"{d.deployed_at:%Y-%m-%d %H:%M:%S %Z}".strip() if d.deployed_at else "unknown"
        revision = f" (revision {d.revision})" if d.revision else ""
        out.print(f"deployed: {when} by {d.deployed_by or 'unknown'}{revision}")
    if report.usage is not None:
        u = report.usage
        out.print(f"use (last {u.window_minutes} min): cpu {_percent(u.cpu_percent)}, "
                  f"memory {_percent(u.memory_percent)}")
    if report.stopped:
        table = Table(title="stopped tasks", title_justify="left")
        for column in ("task", "stopped", "reason"):
            table.add_column(column)
        for t in report.stopped:
            reason = t.reason + (f" ({t.container_reason})" if t.container_reason else "")
            if t.exit_code is not None:
                reason += f", exit code {t.exit_code}"
            table.add_row(t.task_id[:12], f"{t.stopped_at:%H:%M:%S}" if t.stopped_at else "",
                          reason)
        out.print(table)
    if report.alarms:
        marks = {"OK": "[green]OK[/]", "ALARM": "[red]ALARM[/]"}
        out.print("alarms: " + ", ".join(f"{a.name} {marks.get(a.state, a.state)}"
                                         for a in report.alarms))
    if report.dashboard_url:
        out.print(f"dashboard: {report.dashboard_url}")
    for line in report.unread:
        out.print(f"[dim]not read: {line}[/]")
    if report.problems:
        out.print("[red]unhealthy:[/] " + "; ".join(report.problems))
    else:
        out.print("[green]healthy[/]")


def print_status(report: ServiceStatus, out: Console) -> None:
    if report.stack is None:
        out.print(f"{report.stack_name}: not deployed in {report.region}")
        return
    out.print(f"[bold]{report.stack_name}[/] ({report.region}): stack {report.stack.status}"
              + (f" — {report.stack.reason}" if report.stack.reason else ""))
    if report.desired is not None:
        out.print(f"tasks: desired {report.desired}, running {report.running}, "
                  f"pending {report.pending}")
    if report.rollouts:
        table = Table(title="deployments", title_justify="left")
        for column in ("id", "status", "rollout", "task definition", "desired", "running",
                       "pending", "failed"):
            table.add_column(column)
        for r in report.rollouts:
            table.add_row(r.deployment_id, r.status, r.rollout_state, r.task_definition,
                          str(r.desired), str(r.running), str(r.pending), str(r.failed))
        out.print(table)
    if report.targets:
        table = Table(title="targets", title_justify="left")
        for column in ("target", "state", "reason"):
            table.add_column(column)
        for t in report.targets:
            table.add_row(f"{t.target_id}:{t.port}", t.state, t.description or t.reason)
        out.print(table)
    if report.scaling:
        s = report.scaling
        out.print(f"scaling: {s['min']}..{s['max']} tasks; policies: "
                  f"{', '.join(s['policies']) or 'none'}; schedules: "
                  f"{', '.join(s['schedules']) or 'none'}")
    for when, message in report.events:
        out.print(f"  {when:%Y-%m-%d %H:%M:%S} {message}")
    for note in report.notes:
        out.print(f"[dim]{escape(note)}[/]")
    if report.url:
        out.print(f"url: {report.url}")


def status_document(report: StatusReport) -> dict[str, Any]:
    """`fargo status --json` (README, "JSON output"): stable keys, null when unknown."""
    s = report.service
    deployed = report.verdict != "not-deployed"
    return json_document(
        "status",
        stack_name=s.stack_name, region=s.region, deployed=deployed,
        verdict=report.verdict, problems=report.problems,
        stack_status=s.stack.status if s.stack else None,
        stack_reason=(s.stack.reason or None) if s.stack else None,
        url=s.url, dashboard_url=report.dashboard_url,
        tasks={"desired": s.desired, "running": s.running, "pending": s.pending},
        image=report.deployment,
        usage=report.usage,
        deployments=s.rollouts,
        targets=[{"target": t.target_id, "port": t.port, "state": t.state,
                  "reason": t.description or t.reason} for t in s.targets],
        scaling=s.scaling,
        stopped_tasks=report.stopped,
        alarms=report.alarms,
        events=[{"time": when, "message": message} for when, message in s.events],
        notes=s.notes, unread=report.unread,
    )


def _percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.1f}%"
