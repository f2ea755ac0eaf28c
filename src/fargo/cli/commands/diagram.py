"""`fargo diagram`: draw the system from the synthesised template. Offline."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import Invocation, command

EXAMPLES = examples(
    "fargo diagram > system.mmd                 # Mermaid text (renders on GitHub)",
    "fargo diagram --network isolated           # see a profile before deploying it",
    "fargo diagram --format svg -o system.svg   # needs Graphviz's dot on PATH",
    "fargo diagram --format dot | dot -Tpng -o system.png",
)


def diagram(
    invocation: Invocation,
    fmt: str = typer.Option("mermaid", "--format", "-f", metavar="[mermaid|dot|svg|png]",
                            help="mermaid or dot (text), svg or png (an image, through "
                            "Graphviz's dot)"),
    output: Path | None = typer.Option(
        None, "--output", "-o", dir_okay=False, metavar="FILE",
        help="Write to this file (needed for svg and png) instead of standard output"),
) -> None:
    """Draw the system the settings build, from its synthesised template: internet, load
    balancer, target group, tasks per AZ, NAT, endpoints, firewall, WAF, registry and
    certificate, with the security groups' ports on the edges. Works offline."""
    from fargo.commands.diagram import check_format, draw_config
    from fargo.commands.synth import check_output_path

    check_format(fmt, output)
    if output is not None:
        check_output_path(output, "--output")
    drawn = draw_config(invocation.config, invocation.given_flags(), fmt, output)
    if drawn.text is not None and output is None:
        sys.stdout.write(drawn.text)
        return
    if drawn.text is not None:
        output.write_text(drawn.text)  # type: ignore[union-attr]
    print(f"wrote {drawn.path or output} ({drawn.nodes} nodes, {drawn.edges} edges)",
          file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command(short_help="Draw the system (Mermaid, DOT, SVG, PNG).", epilog=EXAMPLES)(
        command()(diagram))
