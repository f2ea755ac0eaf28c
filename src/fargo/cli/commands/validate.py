"""`fargo validate`: check the settings and lint the template with cfn-lint. Offline."""

from __future__ import annotations

import sys

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command, settings_of
from fargo.cli.services import ENV_OPTION

EXAMPLES = examples(
    "fargo validate --region eu-west-1",
    "fargo validate --env prod             # every stack of a file with [services] tables",
    "fargo validate --region eu-west-1 --network isolated "
    "--image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1",
)


def validate(invocation: Invocation, env: str | None = ENV_OPTION) -> None:
    """Check the settings and lint the template with cfn-lint (AWS's resource schemas); for
    a file with [services] tables, every stack of the environment."""
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.commands.synth import lint

    if is_app_file(invocation):
        _validate_app(invocation, env)
        return
    check_single_service(None, "", env)
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


def _validate_app(invocation: Invocation, env: str | None) -> None:
    from fargo.cli.commands.synth import app_of
    from fargo.commands.synth import app_stacks, lint_app

    app = app_of(invocation, env)
    findings = lint_app(app)
    for stack, finding in findings:
        print(f"{stack}: {finding}", file=sys.stderr)
    stacks = app_stacks(app)
    if findings:
        print(f"{len(findings)} finding(s) in the templates of {app.environment_stack_name} "
              "and its services", file=sys.stderr)
        raise typer.Exit(1)
    print(f"{app.environment_stack_name}: settings valid, {len(stacks)} templates "
          f"({', '.join(stacks)}) clean under cfn-lint", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command(short_help="Check the settings and lint the template.", epilog=EXAMPLES)(
        command()(validate))
