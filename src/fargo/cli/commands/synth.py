"""`fargo synth`: print the CloudFormation template. Offline."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command, settings_of

EXAMPLES = examples(
    "fargo synth --region eu-west-1 --no-https",
    "FARGO_REGION=eu-west-1 fargo synth --format yaml -o template.yaml",
    "fargo synth --region eu-west-1 --build examples/hello --stack registry",
)


def synth(
    invocation: Invocation,
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE",
        help="Write to this file instead of standard output"),
    fmt: str = typer.Option("json", "--format", "-f", metavar="[json|yaml]",
                            help="json or yaml"),
    stack: str = typer.Option(
        "service", "--stack", metavar="[service|registry]",
        help="service, or registry (the ECR repository stack of `build`)"),
) -> None:
    """Print the CloudFormation template of the service. Works offline."""
    from fargo.commands.synth import check_output_path, synthesize

    if output is not None:
        check_output_path(output, "--output")
    text = synthesize(settings_of(invocation), fmt, stack)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        print(f"wrote {output}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command(short_help="Print the CloudFormation template (offline).", epilog=EXAMPLES)(
        command()(synth))
