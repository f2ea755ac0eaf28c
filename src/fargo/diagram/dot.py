"""The system as Graphviz DOT, and SVG or PNG through Graphviz's `dot` where it is installed.

Without `dot` on PATH, `render` says so in its result (no exception): the Mermaid text is
always there.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fargo.diagram.model import Group, Node, System

Format = Literal["svg", "png"]
SHAPES = {"internet": "ellipse", "registry": "cylinder", "waf": "hexagon", "nat": "box3d",
          "certificate": "note"}
STYLES = {"traffic": "solid", "route": "bold", "uses": "dashed"}
TIMEOUT_SECONDS = 60
NO_DOT = ("Graphviz's dot is not on PATH, so no {fmt} was drawn: install Graphviz "
          "(apt-get install graphviz, brew install graphviz) or use the Mermaid text")


@dataclass(frozen=True)
class Rendered:
    ok: bool
    path: Path | None
    message: str


def to_dot(system: System) -> str:
    out = ["digraph fargo {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];', f"  label={_quote(system.title)};"]
    placed: set[str] = set()
    for group in system.groups:
        out.extend(_cluster(group, system, placed, "  "))
    for node in system.nodes:
        if node.id not in placed:
            out.append("  " + _node(node))
    if any(n.kind == "internet" for n in system.nodes):
        out.append("  { rank=source; internet; }")
    for edge in system.edges:
        attributes = [f"style={STYLES[edge.kind]}"]
        if edge.label:
            attributes.append(f"label={_quote(edge.label)}")
        out.append(f"  {edge.source} -> {edge.target} [{', '.join(attributes)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def render(system: System, path: str | Path, fmt: Format = "svg") -> Rendered:
    """Write the system as SVG or PNG with Graphviz's dot; the result says what happened."""
    if fmt not in ("svg", "png"):
        return Rendered(False, None, f"unknown image format {fmt!r}: svg or png")
    dot = shutil.which("dot")
    if dot is None:
        return Rendered(False, None, NO_DOT.format(fmt=fmt.upper()))
    target = Path(path)
    try:
        done = subprocess.run([dot, f"-T{fmt}", "-o", str(target)], input=to_dot(system),
                              text=True, capture_output=True, timeout=TIMEOUT_SECONDS,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Rendered(False, None, f"Graphviz's dot failed: {error}")
    if done.returncode != 0 or not target.exists():
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[0]
        return Rendered(False, None, f"Graphviz's dot failed: {reason}")
    return Rendered(True, target, f"wrote {target}")


def _cluster(group: Group, system: System, placed: set[str], indent: str) -> list[str]:
    out = [f"{indent}subgraph cluster_{group.id} {{", f"{indent}  label={_quote(group.label)};"]
    for member in group.members:
        out.append(indent + "  " + _node(system.node(member)))
        placed.add(member)
    for inner in group.groups:
        out.extend(_cluster(inner, system, placed, indent + "  "))
    out.append(f"{indent}}}")
    return out


def _node(node: Node) -> str:
    label = "\\n".join(_escape(part) for part in (node.label, *node.details))
    return f'{node.id} [label="{label}", shape={SHAPES.get(node.kind, "box")}];'


def _quote(text: str) -> str:
    return f'"{_escape(text)}"'


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
