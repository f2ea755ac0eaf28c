"""`fargo logs`: the service's container logs, one line per event with its time and task."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import IDENTITY, Invocation, command
from fargo.cli.services import ENV_OPTION, ONE_SERVICE_ARGUMENT

EXAMPLES = examples(
    "fargo logs                          # the last 10 minutes",
    "fargo logs --since 2h --filter ERROR",
    "fargo logs --follow                 # stream until Ctrl-C",
    "fargo logs --previous               # the last stopped task's last lines, and why",
    "fargo logs api --task 0123456789abcdef0123456789abcdef --json",
)


def logs(
    invocation: Invocation,
    service: str | None = ONE_SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    follow: bool = typer.Option(False, "--follow", "-f",
                                help="Stream new events as they come (CloudWatch Live Tail)"),
    since: str = typer.Option("10m", "--since", metavar="DURATION|TIME",
                              help="From how far back: 30s, 10m, 2h, 1d or an ISO time"),
    pattern: str | None = typer.Option(None, "--filter", metavar="PATTERN",
                                       help="A CloudWatch Logs filter pattern, e.g. ERROR"),
    task: str | None = typer.Option(None, "--task", metavar="ID",
                                    help="Only this task (a stopped one: its last lines)"),
    previous: bool = typer.Option(False, "--previous",
                                  help="The last stopped task's last lines and stop reason"),
    as_json: bool = typer.Option(
        False, "--json", help="One JSON object on stdout (with --follow: one per event)"),
) -> None:
    """Show the container's logs: one line per event, with its time (UTC) and task.

    --json prints {"command": "logs", "schema": 1, "service", "log_group", "events": [{"time",
    "task", "message"}], "stopped_task"}; with --follow, one {"time", "task", "message"}
    object per line as events come."""
    from fargo.cli.render import console
    from fargo.commands.logs import follow_logs, parse_since, service_logs, task_id_of
    from fargo.commands.service_target import open_target
    from fargo.errors import ConfigError

    if previous and (follow or task):
        raise ConfigError("error: --previous shows a stopped task's last lines: drop "
                          f"{'--follow' if follow else '--task'}")
    start = parse_since(since)
    task_id = task_id_of(task) if task else None
    session, target = open_target(invocation, service, env, "logs")
    with session:
        if follow:
            _follow(session.aws, target, pattern, task_id, as_json, follow_logs)
            return
        result = service_logs(session.aws, target, start, pattern, task_id, previous)
    for note in result.notes:
        console.print(note, markup=False)
    if as_json:
        from fargo.cli.json_output import json_document, print_json

        print_json(json_document("logs", **result.as_json()))
        return
    if result.stopped is not None:
        stopped = result.stopped
        when = f" at {stopped.stopped_at:%Y-%m-%d %H:%M:%S}" if stopped.stopped_at else ""
        console.print(f"task {stopped.task_id} stopped{when}: {stopped.stop_summary()}",
                      markup=False)
        console.print(f"its last {len(result.events)} line(s):")
    elif not result.events:
        console.print(f"no events in {result.source.group} since {start:%Y-%m-%d %H:%M:%S} UTC"
                      f"{' matching ' + repr(pattern) if pattern else ''}: try --since 1h",
                      markup=False)
    for event in result.events:
        print(event.line())


def _follow(aws, target, pattern, task_id, as_json, follow_logs) -> None:
    """Print events until the session ends or Ctrl-C, which ends it cleanly (exit 0)."""
    import json

    from fargo.cli.render import console

    source, events = follow_logs(aws, target, pattern, task_id)
    console.print(f"following {source.group} (Ctrl-C to stop)")
    try:
        for event in events:
            print(json.dumps(event.as_json()) if as_json else event.line(), flush=True)
    except KeyboardInterrupt:
        events.close()  # closes the live tail's stream
        console.print("stopped following")
        return
    console.print("the live tail ended (CloudWatch ends a session after 3 hours)")


def register(app: typer.Typer) -> None:
    app.command(short_help="Show the service's container logs.", epilog=EXAMPLES)(
        command(settings=IDENTITY, aws=True)(logs))
