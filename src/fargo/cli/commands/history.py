"""`fargo history`: the service's revisions, newest first."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import IDENTITY, JSON_OPTION, Invocation, command
from fargo.cli.services import ENV_OPTION, ONE_SERVICE_ARGUMENT

EXAMPLES = examples(
    "fargo history",
    "fargo history api --json          # a service of a multi-service fargo.toml",
    "fargo rollback --to 7             # go back to revision 7's image",
)


def history(
    invocation: Invocation,
    service: str | None = ONE_SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """List the service's revisions: image, digest, task counts, when and by whom (the IAM
    identity that ran the deploy). Each deploy, rollback or scale that changes something is
    one revision; `fargo rollback --to N` goes back to revision N's image."""
    from fargo.cli.render import console, out
    from fargo.commands.history import service_history
    from fargo.commands.service_target import open_target

    session, target = open_target(invocation, service, env, "history")
    with session:
        result = service_history(session.aws, target)
    if as_json:
        from fargo.cli.json_output import json_document, print_json

        print_json(json_document("history", **result.as_json()))
        return
    if not result.revisions:
        console.print(f"{target.stack_name} has no revision history: it was deployed by an "
                      "older fargo; the next `fargo deploy` starts it")
        return
    out.print(history_table(result.revisions))


def history_table(revisions):
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for column in ("REV", "IMAGE", "DIGEST", "TASKS", "DEPLOYED (UTC)", "BY"):
        table.add_column(column)
    for r in revisions:
        when = r.deployed_at.astimezone(_utc()).strftime("%Y-%m-%d %H:%M") if r.deployed_at else "?"
        tasks = f"{r.min_count}-{r.max_count}" if r.min_count is not None else "?"
        table.add_row(f"{r.number}{' *' if r.current else ''}", escape(r.image or "?"),
                      _short(r.digest), tasks, when, escape(_who(r.deployed_by)))
    return table


def _utc():
    from datetime import UTC

    return UTC


def _short(digest: str | None) -> str:
    return digest[:19] if digest else "-"


def _who(arn: str | None) -> str:
    """arn:aws:sts::1:assumed-role/Deployer/alice -> assumed-role/Deployer/alice"""
    if not arn:
        return "unknown"
    return arn.split(":", 5)[-1] if arn.startswith("arn:") else arn


def register(app: typer.Typer) -> None:
    app.command(short_help="List the service's revisions (image, when, who).",
                epilog=EXAMPLES)(command(settings=IDENTITY, aws=True)(history))
