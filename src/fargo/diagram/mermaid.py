"""The system as Mermaid flowchart text (renders on GitHub and in most Markdown viewers)."""

from __future__ import annotations

from fargo.diagram.model import Group, Node, System

SHAPES = {
    "internet": ('(("', '"))'), "registry": ('[("', '")]'), "waf": ('{{"', '"}}'),
    "nat": ('[["', '"]]'), "certificate": ('>"', '"]'),
}
ARROWS = {"traffic": "-->", "route": "==>", "uses": "-.->"}


def to_mermaid(system: System) -> str:
    out = ["flowchart LR"]
    placed: set[str] = set()
    for group in system.groups:
        out.extend(_group(group, system, placed, "  "))
    for node in system.nodes:
        if node.id not in placed:
            out.append("  " + _node(node))
    for edge in system.edges:
        label = f'|"{_escape(edge.label)}"|' if edge.label else ""
        out.append(f"  {edge.source} {ARROWS[edge.kind]}{label} {edge.target}")
    return "\n".join(out) + "\n"


def _group(group: Group, system: System, placed: set[str], indent: str) -> list[str]:
    out = [f'{indent}subgraph {group.id}["{_escape(group.label)}"]']
    for member in group.members:
        out.append(indent + "  " + _node(system.node(member)))
        placed.add(member)
    for inner in group.groups:
        out.extend(_group(inner, system, placed, indent + "  "))
    out.append(f"{indent}end")
    return out


def _node(node: Node) -> str:
    start, end = SHAPES.get(node.kind, ('["', '"]'))
    text = "<br/>".join(_escape(part) for part in (node.label, *node.details))
    return f"{node.id}{start}{text}{end}"


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")
