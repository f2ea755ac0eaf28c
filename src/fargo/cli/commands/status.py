"""`fargo status`: how the deployed service is doing; exit 3 when it is not deployed, 4 when
it is deployed but unhealthy."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import IDENTITY, JSON_OPTION, Invocation, command
from fargo.cli.services import ENV_OPTION, SERVICE_ARGUMENT
from fargo.errors import ConfigError, ExitCode

EXAMPLES = examples(
    "fargo status",
    "fargo status --watch                  # refresh every 5 s until Ctrl-C",
    "fargo status --json | jq .verdict",
    "fargo status --endpoint-url http://127.0.0.1:5000 --region us-east-1",
)
EXIT_CODES = {"healthy": ExitCode.DONE, "unhealthy": ExitCode.UNHEALTHY,
              "not-deployed": ExitCode.NOT_DEPLOYED}


def status(
    invocation: Invocation,
    service: str | None = SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    as_json: bool = JSON_OPTION,
    watch: bool = typer.Option(False, "--watch", help="Refresh until Ctrl-C"),
    interval: float = typer.Option(5.0, "--interval", metavar="SECONDS",
                                   help="With --watch: seconds between refreshes"),
) -> None:
    """Show the stack, the service's tasks and rollouts, the image running and who deployed
    it, CPU and memory use, stopped tasks, target health, alarms, scaling and the URLs.

    Exits 3 when the service is not deployed, 4 when it is deployed but unhealthy."""
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.commands.session import open_session

    if watch and as_json:
        raise ConfigError("error: --watch and --json exclude each other: drop one")
    if not interval > 0 or interval != interval:
        raise ConfigError(f"error: --interval ({interval}) must be a number of seconds above 0")
    if is_app_file(invocation):
        from fargo.cli.environment_status import status_services, watch_services

        chosen = [service] if service else None
        if watch:
            watch_services(invocation, chosen, env, interval)
            return
        raise typer.Exit(EXIT_CODES[status_services(invocation, chosen, env, as_json)])
    with open_session(invocation, identity_only=True) as session:
        check_single_service([service] if service else None, session.settings.name, env)
        if watch:
            _watch(session, interval)
            return
        report = _report(session)
    if as_json:
        from fargo.cli.json_output import print_json
        from fargo.cli.status_view import status_document

        print_json(status_document(report))
    else:
        _show(report)
    raise typer.Exit(EXIT_CODES[report.verdict])


def _report(session):
    from fargo.commands.status import service_report

    return service_report(session.aws, session.settings)


def _show(report) -> None:
    from fargo.cli.render import console, out
    from fargo.cli.status_view import print_report

    print_report(report, out)
    if report.verdict == "not-deployed":
        console.print("next: `fargo deploy`")


def _watch(session, interval: float) -> None:
    """Redraw the report every `interval` seconds; Ctrl-C ends it (exit 0)."""
    import time

    from fargo.cli.render import console, out

    try:
        while True:
            report = _report(session)
            out.clear()
            _show(report)
            out.print(f"[dim]refreshed {time.strftime('%H:%M:%S')}; every {interval:g} s; "
                      "Ctrl-C ends[/]")
            time.sleep(interval)
    except KeyboardInterrupt:
        console.print("stopped watching")


def register(app: typer.Typer) -> None:
    app.command(short_help="Show how the deployed service is doing.", epilog=EXAMPLES)(
        command(settings=IDENTITY, aws=True)(status))
