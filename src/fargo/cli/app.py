"""fargo's command line: the application and its global options. Each command is a module
of `fargo.cli.commands` (parse, call one library function, render)."""

import typer

from fargo.cli.app_help import examples
from fargo.cli.commands import register_all
from fargo.cli.funnel import FunnelGroup

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


register_all(app)


def main() -> None:
    app()
