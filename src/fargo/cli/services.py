"""What the commands of a file with `[services.NAME]` share: the SERVICE arguments and --env,
the prompts that show each change set (a service's settings diff before it, the bill under
it), and the outcome of a deploy. The commands themselves: cli/environment_deploy.py,
environment_plan.py and environment_status.py."""

from __future__ import annotations

import typer

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


def prompt_hooks(reporter, yes: bool, session=None):
    """Hooks that show each change set (with an environment file's `session`: a service's
    settings diff before it and the bill under it) and ask (or take --yes for an answer)."""
    from fargo.cli.render import change_table, console
    from fargo.commands.deploy import CallbackHooks

    def confirm(change_set) -> bool:
        with reporter.paused():
            if session is not None:
                show_settings_diff(session, change_set)
            console.print(change_table(change_set))
            if session is not None:
                show_cost(session, change_set)
            return yes or typer.confirm(f"Apply these changes to {change_set.stack_name}?")

    def confirm_recreate(state) -> bool:
        with reporter.paused():
            console.print(f"[yellow]stack {state.name} is ROLLBACK_COMPLETE: its first create "
                          "failed and it can only be deleted[/]")
            return yes or typer.confirm(f"Delete {state.name} and create it again?")

    return CallbackHooks(reporter, confirm, confirm_recreate)


def service_of_stack(app, stack_name: str) -> str | None:
    return next((name for name, s in app.services.items() if s.stack_name == stack_name), None)


def settings_diff_of(session, change_set):
    """A service stack's settings diff (None for the environment's stack or a registry's)."""
    from fargo.commands.plan import settings_diff

    name = service_of_stack(session.app, change_set.stack_name)
    if name is None or change_set.empty:
        return None
    return settings_diff(session.aws, session.app.service(name), session.app.origins.get(name))


def show_settings_diff(session, change_set) -> None:
    from fargo.cli.render import print_settings_diff

    diff = settings_diff_of(session, change_set)
    if diff is not None:
        print_settings_diff(diff)


def show_cost(session, change_set) -> None:
    """The bill lines of a change set of this environment file's stacks."""
    from fargo.cli.render import console
    from fargo.commands.cost import plan_app_cost

    if change_set.stack_name != session.app.environment_stack_name and service_of_stack(
            session.app, change_set.stack_name) is None:
        return  # a registry stack: priced by `fargo cost`, not here
    for line in plan_app_cost(session.aws, session.app, change_set.stack_name,
                              change_set.creates_stack):
        console.print(line, markup=False, highlight=False)


def print_deployed(result, what: str, outputs: bool = True) -> None:
    """The outcome on stderr; the outputs on stdout (not with --json, whose stdout is the
    one object)."""
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
    if outputs:
        print_outputs(result.outputs)
