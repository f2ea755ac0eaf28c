"""`fargo validate`: check the settings and lint the template with cfn-lint. Offline."""

from __future__ import annotations

import sys

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command, settings_of

EXAMPLES = examples(
    "fargo validate --region eu-west-1",
    "fargo validate --region eu-west-1 --network isolated "
    "--image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1",
)


def validate(invocation: Invocation) -> None:
    """Check the settings and lint the template with cfn-lint (AWS's resource schemas)."""
    from fargo.commands.synth import lint

    settings = settings_of(invocation)
    findings = lint(settings)
    for finding in findings:
        print(finding, file=sys.stderr)
    if findings:
        print(f"{len(findings)} finding(s) in the template of {settings.stack_name}",
              file=sys.stderr)
        raise typer.Exit(1)
    print(f"{settings.stack_name}: settings valid, template clean under cfn-lint",
          file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command(short_help="Check the settings and lint the template.", epilog=EXAMPLES)(
        command()(validate))
