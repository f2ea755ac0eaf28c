"""`fargo deploy|plan|status|destroy [SERVICE...]` for a file with `[services.NAME]`: each
service of the environment on its own stack. Parse and print only; the work is in
`fargo.commands.app_service` and `fargo.commands.environment`."""

from __future__ import annotations

import typer

from fargo.commands.invocation import Invocation

SERVICES_ARGUMENT = typer.Argument(
    None, metavar="SERVICE", show_default=False,
    help="Services of a file with [services] tables (default: all of them); a single-service "
         "file takes none, or its own name")
SERVICE_ARGUMENT = typer.Argument(
    None, metavar="SERVICE", show_default=False,
    help="A service of a file with [services] tables (default: all of them); a "
         "single-service file takes none, or its own name")
# Day-two commands act on one service: the only one of the file when it has no [services].
ONE_SERVICE_ARGUMENT = typer.Argument(None, metavar="SERVICE",
                                      help="The service (default: the only one of fargo.toml)")
ENV_OPTION = typer.Option(None, "--env", metavar="NAME",
                          help="With [services] tables: the environment ([env.NAME] overrides)")


def prompt_hooks(reporter, yes: bool):
    """Hooks that show each change set and ask (or take --yes for an answer)."""
    from fargo.cli.render import change_table, console
    from fargo.commands.deploy import CallbackHooks

    def confirm(change_set) -> bool:
        with reporter.paused():
            console.print(change_table(change_set))
            return yes or typer.confirm(f"Apply these changes to {change_set.stack_name}?")

    def confirm_recreate(state) -> bool:
        with reporter.paused():
            console.print(f"[yellow]stack {state.name} is ROLLBACK_COMPLETE: its first create "
                          "failed and it can only be deleted[/]")
            return yes or typer.confirm(f"Delete {state.name} and create it again?")

    return CallbackHooks(reporter, confirm, confirm_recreate)


def print_deployed(result, what: str) -> None:
    from fargo.cli.render import console, print_checks, print_outputs
    from fargo.results import DeployOutcome

    if result.outcome == DeployOutcome.NO_CHANGES:
        console.print(f"{result.stack_name}: no changes")
    elif result.outcome == DeployOutcome.CANCELLED:
        console.print(f"{result.stack_name}: cancelled, nothing was changed")
        return
    else:
        console.print(f"[green]deployed[/] {what} {result.stack_name} in "
                      f"{result.elapsed_seconds:.0f} s")
        print_checks(result.checks)
    print_outputs(result.outputs)


def deploy_services(invocation: Invocation, services: list[str] | None, env: str | None,
                    yes: bool, wait: bool, timing) -> None:
    from fargo.cli.options import print_advisories
    from fargo.cli.render import RichReporter, console
    from fargo.commands.app_service import deploy_app_service
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        print_advisories(session.advisories())
        for name in chosen_services(session.app, services):
            console.print(f"deploying service [bold]{name}[/] of "
                          f"{session.app.environment_stack_name} to {session.aws.region}")
            with RichReporter() as reporter:
                result, prepared = deploy_app_service(session.aws, session.app, name,
                                                      prompt_hooks(reporter, yes), timing,
                                                      wait_for_running=wait)
            for note in prepared.notes:
                console.print(f"  {note}")
            print_deployed(result, "service")
    console.print("next: `fargo status` to see every service of the environment")


def plan_services(invocation: Invocation, services: list[str] | None, env: str | None,
                  keep: bool) -> None:
    from fargo.cli.render import change_table, console
    from fargo.commands.app_service import plan_app_service
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        for name in chosen_services(session.app, services):
            with console.status(f"computing the change set of {name}"):
                change_set, notes = plan_app_service(session.aws, session.app, name, keep=keep)
            for note in notes:
                console.print(f"[dim]{note}[/]")
            if change_set.empty:
                console.print(f"{change_set.stack_name}: no changes")
            else:
                console.print(change_table(change_set))


def status_services(invocation: Invocation, services: list[str] | None,
                    env: str | None) -> None:
    """The environment's stack, then each service's (all of them unless named)."""
    from fargo.cli.render import out
    from fargo.cli.status_view import print_status
    from fargo.commands.app_session import open_app_session
    from fargo.commands.environment import environment_status

    with open_app_session(invocation, env) as session:
        report = environment_status(session.aws, session.app)
    print_status(report.environment, out)
    for name, service in report.services.items():
        if not services or name in services:
            out.print("")
            print_status(service, out)


def destroy_services(invocation: Invocation, services: list[str] | None, env: str | None,
                     yes: bool, keep_registry: bool, timing) -> None:
    from fargo.cli.render import RichReporter, console, print_destroy
    from fargo.commands.app_service import destroy_app_service
    from fargo.commands.app_session import open_app_session
    from fargo.errors import ConfigError

    if not services:
        raise ConfigError("error: name the service(s) to destroy (`fargo destroy SERVICE`), or "
                          "destroy the environment with all its services (`fargo env destroy "
                          "--all`)")
    with open_app_session(invocation, env) as session:
        app = session.app
        for name in services:
            stack = f"{app.app}-{app.env_name}-{name}"
            if not yes and not typer.confirm(f"Delete service stack {stack} in "
                                             f"{session.aws.region}, its logs, and its image "
                                             "repository? This cannot be undone"):
                console.print("cancelled: nothing was deleted")
                return
            with RichReporter() as reporter:
                result = destroy_app_service(session.aws, app, name, reporter, keep_registry,
                                             timing)
            print_destroy(result)
