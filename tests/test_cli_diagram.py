"""`fargo diagram`: Mermaid and DOT text always; SVG and PNG through Graphviz's `dot` (a
stand-in `dot` on PATH here), and one line with exit 2 when `dot` is not installed."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.commands.diagram import draw_settings, draw_template
from tests.template_assertions import CERT, settings_for

runner = CliRunner()
EU = ["--region", "eu-west-1", "--certificate-arn", CERT]
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"
# A stand-in for Graphviz: records its arguments and stdin, writes the -o file.
FAKE_DOT = """#!/bin/sh
printf '%s\\n' "$@" > "{log}"
cat > "{log}.in"
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then printf 'IMAGE' > "$2"; fi
  shift
done
"""


def fargo(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def fake_dot(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "dot.log"
    script = folder / "dot"
    script.write_text(FAKE_DOT.format(log=log))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/bin{os.pathsep}/usr/bin")
    return log


@pytest.fixture
def no_dot(tmp_path, monkeypatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_mermaid_goes_to_stdout_by_default():
    result = fargo("diagram", *EU)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("flowchart LR\n")
    assert "Application Load Balancer" in result.stdout and "NAT gateway" in result.stdout


def test_the_drawing_follows_the_settings_network_profile():
    isolated = fargo("diagram", *EU, "--network", "isolated", "--image", ECR)
    assert isolated.exit_code == 0, isolated.output
    assert "DNS Firewall" in isolated.stdout and "NAT gateway" not in isolated.stdout
    public = fargo("diagram", *EU, "--network", "public")
    assert "NAT gateway" not in public.stdout and "Interface endpoints" not in public.stdout
    assert "public IP" in public.stdout


def test_the_drawing_is_that_of_the_template_the_settings_render():
    from fargo.diagram import draw, to_mermaid
    from fargo.template import render

    settings = settings_for(region="eu-west-1", certificate_arn=CERT, nat_per_az=True)
    drawn = draw_settings(settings)
    template = json.loads(render(settings))
    system = draw(template, title=f"{settings.stack_name} (nat network)")
    assert drawn.text == to_mermaid(system)
    assert drawn.nodes == len(system.nodes) and len(system.of_kind("nat")) == 2


def test_dot_text_and_a_file(tmp_path):
    target = tmp_path / "system.dot"
    result = fargo("diagram", *EU, "--format", "dot", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("digraph fargo {")
    assert f"wrote {target}" in result.stderr


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_images_go_through_dot_on_path(fake_dot, tmp_path, fmt):
    target = tmp_path / f"system.{fmt}"
    result = fargo("diagram", *EU, "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text() == "IMAGE"
    assert fake_dot.read_text().split() == [f"-T{fmt}", "-o", str(target)]
    assert Path(f"{fake_dot}.in").read_text().startswith("digraph fargo {")


def test_without_dot_an_image_is_one_line_and_exit_2(no_dot, tmp_path):
    result = fargo("diagram", *EU, "--format", "svg", "-o", str(tmp_path / "x.svg"))
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: Graphviz's dot is not on PATH, so no SVG was drawn")
    assert not (tmp_path / "x.svg").exists()


def test_a_failing_dot_is_exit_1(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "dot"
    script.write_text("#!/bin/sh\necho 'syntax error in line 1' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}/bin{os.pathsep}/usr/bin")
    result = fargo("diagram", *EU, "--format", "png", "-o", str(tmp_path / "x.png"))
    assert result.exit_code == 1, result.output
    assert "syntax error in line 1" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "gif"], "error: --format 'gif' is not a diagram format"),
    (["--format", "png"], "error: --format png writes an image file: name it with -o FILE"),
    (["-o", "/no/such/dir/x.mmd"], "the directory /no/such/dir does not exist"),
    (["--network", "underground"], "network"),
    (["--bogus"], "--bogus"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = fargo("diagram", *EU, *args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert message in line


def test_a_file_of_services_is_refused_with_what_to_do(tmp_path):
    config = tmp_path / "app.toml"
    config.write_text('[environment]\nname = "shop"\nregion = "eu-west-1"\n\n'
                      '[services.web]\nimage = "nginx"\n')
    result = fargo("diagram", "--config", str(config))
    assert result.exit_code == 2
    assert "a file with [services] tables is not drawn yet" in result.stderr


def test_draw_template_checks_the_format_first():
    from fargo.errors import ConfigError

    with pytest.raises(ConfigError, match="not a diagram format"):
        draw_template({"Resources": {}}, "jpeg")


def test_diagram_help_has_examples():
    result = fargo("diagram", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "fargo diagram --network isolated" in result.stdout
