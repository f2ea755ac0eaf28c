"""`fargo synth`: print the CloudFormation template. Offline."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command, settings_of
from fargo.cli.services import ENV_OPTION

EXAMPLES = examples(
    "fargo synth --region eu-west-1 --no-https",
    "FARGO_REGION=eu-west-1 fargo synth --format yaml -o template.yaml",
    "fargo synth --region eu-west-1 --build examples/hello --stack registry",
    "fargo synth --stack web --env prod     # a service of a file with [services] tables",
)


def synth(
    invocation: Invocation,
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE",
        help="Write to this file instead of standard output"),
    fmt: str = typer.Option("json", "--format", "-f", metavar="[json|yaml]",
                            help="json or yaml"),
    stack: str = typer.Option(
        "service", "--stack", metavar="STACK",
        help="service, or registry (the ECR repository stack of `build`); with [services] "
             "tables: environment (the default), a service's name, or NAME-registry"),
    env: str | None = ENV_OPTION,
) -> None:
    """Print the CloudFormation template of the service (or of one stack of an environment).
    Works offline."""
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.commands.synth import check_output_path, synthesize, synthesize_app

    if output is not None:
        check_output_path(output, "--output")
    if is_app_file(invocation):
        text = synthesize_app(app_of(invocation, env), fmt, stack)
    else:
        check_single_service(None, "", env)
        text = synthesize(settings_of(invocation), fmt, stack)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        print(f"wrote {output}", file=sys.stderr)


def app_of(invocation: Invocation, env: str | None):
    """An environment file's settings, offline; advisories to stderr."""
    from fargo.cli.options import print_advisories
    from fargo.config.app_sources import app_advisories, load_app_config

    app = load_app_config(invocation.config, env, invocation.given_flags())
    print_advisories(app_advisories(app))
    return app


def register(app: typer.Typer) -> None:
    app.command(short_help="Print the CloudFormation template (offline).", epilog=EXAMPLES)(
        command()(synth))
