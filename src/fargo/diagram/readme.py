"""The README's diagram of the default system, generated so it cannot drift.

`python -m fargo.diagram.readme README.md` rewrites the block between the markers; a test
fails when it is out of date.
"""

from __future__ import annotations

from fargo.cost.readme import README_REGION, default_render, replace_block
from fargo.diagram.build import system
from fargo.diagram.mermaid import to_mermaid

DIAGRAM = ("<!-- system-diagram:start -->", "<!-- system-diagram:end -->")


def diagram_block() -> str:
    """The default settings' system (sample image, HTTPS with a certificate, nat network)."""
    template = default_render(README_REGION)({"image": "amazon/amazon-ecs-sample"})
    return "```mermaid\n" + to_mermaid(system(template, title="fargo default system")) + "```"


def refresh(readme: str) -> str:
    return replace_block(readme, DIAGRAM, diagram_block())


if __name__ == "__main__":
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(refresh(path.read_text()))
    print(f"updated the system diagram in {path}")
