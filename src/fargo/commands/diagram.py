"""`fargo diagram`: the system the settings build, drawn from the synthesised template.

Mermaid and DOT are text and always available; SVG and PNG go through Graphviz's `dot`, which
must be on PATH (without it: ConfigError, exit 2, saying how to install it). Offline.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fargo.errors import ConfigError, FargoError

FORMATS = ("mermaid", "dot", "svg", "png")
IMAGES = ("svg", "png")


@dataclass(frozen=True)
class Drawn:
    """A drawing: its text (Mermaid or DOT), or the image file written."""

    format: str
    text: str | None = None
    path: Path | None = None
    nodes: int = 0
    edges: int = 0


def check_format(fmt: str, output: Path | None) -> None:
    """Refuse what cannot be drawn before any work."""
    if fmt not in FORMATS:
        raise ConfigError(f"error: --format {fmt!r} is not a diagram format: use "
                          f"{', '.join(FORMATS)}")
    if fmt in IMAGES and output is None:
        raise ConfigError(f"error: --format {fmt} writes an image file: name it with "
                          f"-o FILE (e.g. -o system.{fmt})")


def draw_settings(settings: Any, fmt: str = "mermaid", output: Path | None = None) -> Drawn:
    from fargo.template import render

    return draw_template(json.loads(render(settings)), fmt, output,
                         title=f"{settings.stack_name} ({settings.network} network)")


def draw_config(config: Path | None, flags: Mapping[str, Any], fmt: str = "mermaid",
                output: Path | None = None) -> Drawn:
    from fargo.config import is_app_config, load_settings

    check_format(fmt, output)
    if is_app_config(config):
        raise ConfigError("error: `fargo diagram` draws a single-service fargo.toml: a file "
                          "with [services] tables is not drawn yet (run it on one service's "
                          "settings)")
    return draw_settings(load_settings(config, flags), fmt, output)


def draw_template(template: Mapping[str, Any], fmt: str = "mermaid",
                  output: Path | None = None, title: str = "") -> Drawn:
    from fargo.diagram import draw, render, to_dot, to_mermaid
    from fargo.diagram.dot import NO_DOT

    check_format(fmt, output)
    system = draw(template, title=title)
    size = {"nodes": len(system.nodes), "edges": len(system.edges)}
    if fmt == "mermaid":
        return Drawn(fmt, text=to_mermaid(system), **size)
    if fmt == "dot":
        return Drawn(fmt, text=to_dot(system), **size)
    rendered = render(system, output, fmt)  # type: ignore[arg-type]
    if rendered.ok:
        return Drawn(fmt, path=rendered.path, **size)
    if rendered.message == NO_DOT.format(fmt=fmt.upper()):
        raise ConfigError(f"error: {rendered.message}; e.g. `fargo diagram -o system.mmd`")
    raise FargoError(f"error: {rendered.message}: check the Graphviz installation, or use "
                     "--format mermaid")
