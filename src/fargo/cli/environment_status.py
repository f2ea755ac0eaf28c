"""`fargo status [SERVICE]` and `fargo env status` for a file with `[services.NAME]`: the
environment's stack and each service's, one verdict over those shown (the exit code),
`--json` and `--watch`."""

from __future__ import annotations

from fargo.commands.invocation import Invocation


def status_services(invocation: Invocation, services: list[str] | None, env: str | None,
                    as_json: bool = False):
    """The environment's stack, then each service's (all of them unless named); returns the
    verdict over those shown (the exit code: 3 not deployed, 4 unhealthy)."""
    from fargo.cli.render import out
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        shown = chosen_services(session.app, services) if services else None
        report = _environment_report(session)
    if as_json:
        from fargo.cli.json_output import print_json

        print_json(environment_document(report, shown))
    else:
        print_environment_report(report, shown, out)
    return report.verdict(shown)


def watch_services(invocation: Invocation, services: list[str] | None, env: str | None,
                   interval: float) -> None:
    """Redraw the environment's report every `interval` seconds; Ctrl-C ends it (exit 0)."""
    import time

    from fargo.cli.render import console, out
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        shown = chosen_services(session.app, services) if services else None
        try:
            while True:
                report = _environment_report(session)
                out.clear()
                print_environment_report(report, shown, out)
                out.print(f"[dim]refreshed {time.strftime('%H:%M:%S')}; every {interval:g} s; "
                          "Ctrl-C ends[/]")
                time.sleep(interval)
        except KeyboardInterrupt:
            console.print("stopped watching")


def _environment_report(session):
    from fargo.commands.environment import environment_status

    return environment_status(session.aws, session.app)


def print_environment_report(report, shown: list[str] | None, out) -> None:
    from fargo.cli.status_view import print_report, print_status

    print_status(report.environment.service, out)
    if report.environment.problems:
        out.print("[red]unhealthy:[/] " + "; ".join(report.environment.problems))
    for name, service in report.services.items():
        if not shown or name in shown:
            out.print("")
            print_report(service, out)
    verdict = report.verdict(shown)
    if verdict == "not-deployed":
        from fargo.cli.render import console

        console.print("next: `fargo env deploy`, then `fargo deploy`")


def environment_document(report, shown: list[str] | None) -> dict:
    """`fargo status --json` of a file with [services]: the verdict over what is shown, the
    environment's stack and each service's, each as the single service's document has it."""
    from fargo.cli.json_output import json_document
    from fargo.cli.status_view import status_document

    def part(one) -> dict:
        document = status_document(one)
        return {k: v for k, v in document.items() if k not in ("command", "schema")}

    return json_document(
        "status", verdict=report.verdict(shown), environment=part(report.environment),
        services={name: part(service) for name, service in report.services.items()
                  if not shown or name in shown})
