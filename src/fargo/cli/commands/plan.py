"""`fargo plan`: what a deploy would change (the settings that differ from the deployed ones,
then CloudFormation's change set with before -> after per property), changing nothing."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import JSON_OPTION, Invocation, command, print_advisories
from fargo.cli.services import ENV_OPTION, SERVICE_ARGUMENT
from fargo.errors import ExitCode

EXAMPLES = examples(
    "fargo plan --region eu-west-1",
    "fargo plan --exit-code || echo 'a deploy would change something'   # exit 5: changes",
    "fargo plan --json | jq '.settings.changes'",
    "fargo plan api --env prod   # one service of a file with [services] tables",
    "fargo plan --endpoint-url http://127.0.0.1:5000 --region us-east-1"
    "   # against `fargo deploy --local --keep-running`",
)


def plan(
    invocation: Invocation,
    service: str | None = SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    keep: bool = typer.Option(False, "--keep", help="Keep the change set for review in AWS"),
    as_json: bool = JSON_OPTION,
    exit_code: bool = typer.Option(
        False, "--exit-code", help="Exit 5 when a deploy would change something (0: nothing)"),
) -> None:
    """Show what a deploy would add, modify, replace or remove (a CloudFormation change set),
    after the settings that differ from the deployed ones and where each new value comes
    from. With --exit-code, exit 5 when there are changes."""
    from fargo.cli.render import change_table, console, print_settings_diff
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.commands.cost import plan_cost
    from fargo.commands.plan import plan as plan_changes
    from fargo.commands.session import open_session

    if is_app_file(invocation):
        from fargo.cli.environment_plan import plan_services

        changes = plan_services(invocation, [service] if service else None, env, keep, as_json)
        if exit_code and changes:
            raise typer.Exit(ExitCode.CHANGES)
        return
    with open_session(invocation) as session:
        check_single_service([service] if service else None, session.settings.name, env)
        print_advisories(session.advisories())
        for note in session.notes:
            console.print(f"[dim]{note}[/]")
        with console.status("computing the change set"):
            result = plan_changes(session.aws, session.settings, session.origin, keep=keep)
        cost_lines = [] if as_json or result.change_set.empty else plan_cost(
            session.aws, session.settings, result.change_set.creates_stack)
    change_set = result.change_set
    if as_json:
        from fargo.cli.json_output import print_json
        from fargo.cli.plan_view import plan_document

        print_json(plan_document(result, session.aws.region, keep))
    else:
        print_settings_diff(result.settings)
        for note in result.notes:
            console.print(f"[dim]{note}[/]")
        if change_set.empty:
            console.print(f"{change_set.stack_name}: no changes")
        else:
            console.print(change_table(change_set))
            for line in cost_lines:
                console.print(line, markup=False, highlight=False)
            if keep:
                console.print(f"kept change set {change_set.name}: review it in the "
                              "CloudFormation console; `fargo deploy` creates its own")
            console.print("next: `fargo deploy` to apply these changes")
    if exit_code and result.has_changes:
        raise typer.Exit(ExitCode.CHANGES)


def register(app: typer.Typer) -> None:
    app.command(short_help="Show what a deploy would change.", epilog=EXAMPLES)(
        command(aws=True)(plan))
