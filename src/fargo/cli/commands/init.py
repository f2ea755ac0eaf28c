"""`fargo init`: write a commented fargo.toml from the flags given. Offline."""

from __future__ import annotations

import sys

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command, print_advisories

EXAMPLES = examples(
    "fargo init --region eu-west-1",
    "fargo init --region eu-west-1 --domain app.example.com --hosted-zone example.com",
    "fargo init --region eu-west-1 --no-https --force",
)


def init(
    invocation: Invocation,
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file"),
) -> None:
    """Write a commented fargo.toml with every setting and its default.

    Flags given here become active settings in the file; all others are written as
    commented defaults.
    """
    from fargo.commands.init import write_config_file

    path, to_do, warnings = write_config_file(invocation.config, invocation.flags, force=force)
    print_advisories(warnings)
    print(f"wrote {path}", file=sys.stderr)
    for item in to_do:
        print(f"  to do before deploying: {item}", file=sys.stderr)
    print("next: review it, then run `fargo synth` or `fargo validate`", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command(short_help="Write a commented fargo.toml.", epilog=EXAMPLES)(command()(init))
