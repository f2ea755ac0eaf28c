"""fargo's command line. Each command parses, calls one library function, and renders."""

import sys
from pathlib import Path

import typer

from fargo.cli.app_help import examples
from fargo.cli.funnel import FunnelGroup
from fargo.cli.options import Invocation, command, print_advisories

app = typer.Typer(
    name="fargo",
    # The group funnels every error into one line and an exit code (see cli/funnel.py).
    cls=FunnelGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Put a container on the internet as an HTTPS service on AWS ECS Fargate, and take it "
    "down again.",
    epilog=examples("fargo deploy --local --yes        # try it all on the embedded emulator",
                    "fargo init --region eu-west-1",
                    "fargo plan && fargo deploy",
                    "fargo status",
                    "fargo destroy"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: every flag name is shown in full at any terminal width.
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from fargo import __version__

        print(f"fargo {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                 help="Print fargo's version and exit"),
) -> None:
    """Put a container on the internet as an HTTPS service on AWS ECS Fargate, and take it
    down again."""


@app.command(
    short_help="Write a commented fargo.toml.",
    epilog=examples(
        "fargo init --region eu-west-1",
        "fargo init --region eu-west-1 --domain app.example.com --hosted-zone example.com",
        "fargo init --region eu-west-1 --no-https --force",
    ),
)
@command()
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


@app.command(
    short_help="Print the CloudFormation template (offline).",
    epilog=examples(
        "fargo synth --region eu-west-1 --no-https",
        "FARGO_REGION=eu-west-1 fargo synth --format yaml -o template.yaml",
        "fargo synth --region eu-west-1 --build examples/hello --stack registry",
    ),
)
@command()
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
    text = synthesize(invocation.settings(), fmt, stack)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        print(f"wrote {output}", file=sys.stderr)


@app.command(
    short_help="Check the settings and lint the template.",
    epilog=examples(
        "fargo validate --region eu-west-1",
        "fargo validate --region eu-west-1 --network isolated "
        "--image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1",
    ),
)
@command()
def validate(invocation: Invocation) -> None:
    """Check the settings and lint the template with cfn-lint (AWS's resource schemas)."""
    from fargo.commands.synth import lint

    settings = invocation.settings()
    findings = lint(settings)
    for finding in findings:
        print(finding, file=sys.stderr)
    if findings:
        print(f"{len(findings)} finding(s) in the template of {settings.stack_name}",
              file=sys.stderr)
        raise typer.Exit(1)
    print(f"{settings.stack_name}: settings valid, template clean under cfn-lint",
          file=sys.stderr)


def _register_operations() -> None:
    from fargo.cli import operate
    from fargo.cli.commands import register_all

    operate.register(app)
    register_all(app)


_register_operations()


def main() -> None:
    app()
