"""Mermaid text always; SVG/PNG through Graphviz's dot where it is installed (a stand-in
`dot` here), and a clear result, not an exception, where it is not. And the README's diagram
of the default system, kept current."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from fargo.diagram import draw, render, to_dot, to_mermaid
from fargo.diagram.readme import DIAGRAM
from fargo.diagram.readme import refresh as refresh_readme
from tests.template_assertions import settings_for

README = Path(__file__).parents[1] / "README.md"


@pytest.fixture(scope="module")
def system():
    from fargo.template import render as render_template

    return draw(json.loads(render_template(settings_for(waf=True))))


def test_mermaid_defines_every_node_once_and_draws_every_edge(system):
    text = to_mermaid(system)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    for node in system.nodes:
        defined = [line for line in lines if re.match(rf"\s*{node.id}[\[\(\{{>]", line)]
        assert len(defined) == 1, node.id
    for edge in system.edges:
        assert any(line.strip().startswith(f"{edge.source} ") and line.strip().endswith(
            f" {edge.target}") for line in lines), edge
    opened = sum(1 for line in lines if line.strip().startswith("subgraph "))
    assert opened == sum(1 for line in lines if line.strip() == "end") > 0
    assert '|"TCP 443, TCP 80"|' in text


def test_mermaid_escapes_quotes_in_labels():
    from fargo.diagram.model import Node, System

    text = to_mermaid(System("t", (Node("a", "tasks", 'say "hi"'),), ()))
    assert 'a["say #quot;hi#quot;"]' in text


def test_dot_has_a_cluster_per_group_and_an_edge_per_edge(system):
    text = to_dot(system)
    assert text.startswith("digraph fargo {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    assert text.count("subgraph cluster_") == 1 + 2 + 3  # VPC, public/private, AZ boxes
    assert text.count(" -> ") == len(system.edges)


def test_without_dot_render_says_so_and_draws_nothing(system, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = render(system, tmp_path / "system.svg")
    assert not result.ok and result.path is None
    assert "Graphviz's dot is not on PATH" in result.message and "Mermaid" in result.message
    assert not (tmp_path / "system.svg").exists()


def _stand_in_dot(folder: Path, body: str) -> None:
    folder.mkdir()
    script = folder / "dot"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_with_dot_render_hands_it_the_dot_text_and_the_format(system, tmp_path, monkeypatch,
                                                              fmt):
    # The stand-in records its arguments and input, and writes the output file.
    _stand_in_dot(tmp_path / "bin", 'echo "$@" > "$(dirname "$0")/args"\n'
                  'cat > "$(dirname "$0")/input"\nout=$3\necho image > "$out"\n')
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    result = render(system, tmp_path / f"system.{fmt}", fmt)
    assert result.ok and result.path == tmp_path / f"system.{fmt}" and result.path.exists()
    assert (tmp_path / "bin" / "args").read_text().split()[:2] == [f"-T{fmt}", "-o"]
    assert (tmp_path / "bin" / "input").read_text() == to_dot(system)


def test_a_failing_dot_is_a_result_with_its_reason(system, tmp_path, monkeypatch):
    _stand_in_dot(tmp_path / "bin", 'echo "Error: syntax error in line 3" >&2\nexit 1\n')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    result = render(system, tmp_path / "system.svg")
    assert not result.ok
    assert result.message == "Graphviz's dot failed: Error: syntax error in line 3"


def test_an_unknown_format_is_refused(system, tmp_path):
    assert not render(system, tmp_path / "x.pdf", "pdf").ok


def test_the_readme_shows_the_default_systems_diagram_as_generated():
    readme = README.read_text()
    assert DIAGRAM[0] in readme and DIAGRAM[1] in readme
    assert refresh_readme(readme) == readme, (
        "the README's system diagram is out of date: run "
        "`python -m fargo.diagram.readme README.md`")
    block = readme.split(DIAGRAM[0])[1].split(DIAGRAM[1])[0]
    assert block.strip().startswith("```mermaid\nflowchart LR")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed here")
def test_real_graphviz_accepts_the_dot_text(system, tmp_path):
    result = render(system, tmp_path / "system.svg")
    assert result.ok, result.message
    assert "<svg" in result.path.read_text()
