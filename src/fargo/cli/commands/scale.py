"""`fargo scale`: set autoscaling's bounds (and the count now) without a new template."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.commands.rollback import UPDATE_TIMEOUT_OPTION
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
    "fargo scale --min 2 --max 6",
    "fargo scale api --min 1 --max 10 --desired 4 --yes",
    "fargo scale --max 8 --yes --json | jq .parameters",
)


def scale(
    invocation: Invocation,
    service: str | None = ONE_SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    low: int | None = typer.Option(None, "--min", metavar="N", help="Fewest tasks"),
    high: int | None = typer.Option(None, "--max", metavar="N", help="Most tasks"),
    desired: int | None = typer.Option(None, "--desired", metavar="N",
                                       help="Tasks now (autoscaling moves it afterwards)"),
    yes: bool = YES_OPTION,
    timeout: float = UPDATE_TIMEOUT_OPTION,
    as_json: bool = JSON_NEEDS_YES_OPTION,
) -> None:
    """Change the service's task counts through its stack (a parameter-only update: the
    deployed template, every other value as deployed). It lasts until the next deploy from
    the file, which sends the file's min_count and max_count: the output says which line to
    change to keep it."""
    from fargo.cli.commands.rollback import apply_update
    from fargo.commands.scale import check_counts, scale_service
    from fargo.commands.service_target import open_target
    from fargo.commands.session import follow_timing

    check_counts(low, high, desired)
    require_yes_for_json(as_json, yes, "scale")
    require_consent(yes, "scale")
    timing = follow_timing(timeout)
    session, target = open_target(invocation, service, env, "scale")
    with session:
        apply_update(target, yes, lambda hooks: scale_service(
            session.aws, target, low, high, desired, hooks, timing),
            json_command="scale" if as_json else None, region=session.aws.region)


def register(app: typer.Typer) -> None:
    app.command(short_help="Change the service's task counts.", epilog=EXAMPLES)(
        command(settings=IDENTITY, aws=True)(scale))
