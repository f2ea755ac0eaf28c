"""`fargo rollback`: redeploy an earlier image through the stack."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import (
    IDENTITY,
    JSON_NEEDS_YES_OPTION,
    YES_OPTION,
    Invocation,
    command,
    require_consent,
    require_yes_for_json,
)
from fargo.cli.services import ENV_OPTION, ONE_SERVICE_ARGUMENT

EXAMPLES = examples(
    "fargo rollback                    # the image before the current one",
    "fargo history && fargo rollback --to 7",
    "fargo rollback api --yes",
    "fargo rollback --yes --json | jq .outcome",
)
# rollback and scale: how long to follow their parameter-only update
UPDATE_TIMEOUT_OPTION = typer.Option(30.0, "--timeout", metavar="FLOAT",
                                     help="Minutes to follow the stack update")


def rollback(
    invocation: Invocation,
    service: str | None = ONE_SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    to: int | None = typer.Option(None, "--to", metavar="REVISION",
                                  help="The revision whose image to run (see fargo history)"),
    yes: bool = YES_OPTION,
    timeout: float = UPDATE_TIMEOUT_OPTION,
    as_json: bool = JSON_NEEDS_YES_OPTION,
) -> None:
    """Run the previous image again (or revision N's with --to), through the stack: a
    parameter-only update, so CloudFormation never drifts from what runs. It lasts until the
    next deploy from the file, which sends the file's image: the output says which line to
    change to keep it."""
    from fargo.cli.render import console
    from fargo.commands.rollback import rollback_revision, rollback_service
    from fargo.commands.service_target import open_target
    from fargo.commands.session import follow_timing

    require_yes_for_json(as_json, yes, "rollback")
    require_consent(yes, "rollback")
    timing = follow_timing(timeout)
    session, target = open_target(invocation, service, env, "rollback")
    with session:
        current, chosen = rollback_revision(session.aws, target, to)
        console.print(f"{target.service}: image {current.image} (revision {current.number}) "
                      f"-> {chosen.image} (revision {chosen.number})", markup=False)
        apply_update(target, yes, lambda hooks: rollback_service(
            session.aws, target, chosen, hooks, timing),
            json_command="rollback" if as_json else None, region=session.aws.region)


def apply_update(target, yes: bool, run, json_command: str | None = None,
                 region: str = "") -> None:
    """Follow a parameter-only update with a confirmation, then say how to keep it."""
    from fargo.cli.render import RichReporter, change_table, console
    from fargo.commands.deploy import CallbackHooks
    from fargo.results import DeployOutcome

    with RichReporter() as reporter:

        def confirm(change_set) -> bool:
            with reporter.paused():
                console.print(change_table(change_set))
                return yes or typer.confirm(f"Apply these changes to {change_set.stack_name}?")

        def no_recreate(state) -> bool:
            return False

        result = run(CallbackHooks(reporter, confirm, no_recreate))
    if json_command:
        from fargo.cli.json_output import json_document, print_json
        from fargo.cli.plan_view import resources_part

        print_json(json_document(
            json_command, stack_name=target.stack_name, region=region,
            outcome=result.deploy.outcome, elapsed_seconds=round(result.deploy.elapsed_seconds, 1),
            parameters={name: {"before": before or None, "after": result.after[name]}
                        for name, before in result.before.items()},
            resources=resources_part(result.deploy.changes), lasting=result.lasting))
    for name, before in result.before.items():
        console.print(f"  {name}: {before or '(unset)'} -> {result.after[name]}", markup=False)
    if result.deploy.outcome == DeployOutcome.NO_CHANGES:
        console.print(f"{target.stack_name}: no changes")
        return
    if result.deploy.outcome == DeployOutcome.CANCELLED:
        console.print("cancelled: nothing was changed")
        return
    console.print(f"[green]updated[/] {target.stack_name} in "
                  f"{result.deploy.elapsed_seconds:.0f} s")
    if result.lasting:
        console.print("this lasts until the next deploy from the file; to keep it:")
        for line in result.lasting:
            console.print(f"  {line}", markup=False)


def register(app: typer.Typer) -> None:
    app.command(short_help="Run an earlier image again.", epilog=EXAMPLES)(
        command(settings=IDENTITY, aws=True)(rollback))
