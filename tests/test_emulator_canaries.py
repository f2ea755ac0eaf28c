"""Canaries: each adaptation in fargo.emulator exists because plain moto has a gap. When the
pinned moto changes or closes one, its canary fails, so the adaptation is revisited rather
than left to patch something that changed underneath it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import moto
import pytest

from fargo.emulator import MOTO_VERSION

PROBES = Path(__file__).with_name("emulator_probes.py")


@pytest.fixture(scope="module")
def gaps() -> dict[str, bool]:
    done = subprocess.run([sys.executable, str(PROBES)], capture_output=True, text=True,
                          timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_installed_moto_is_the_one_the_emulator_adapts():
    assert moto.__version__ == MOTO_VERSION


def test_every_emulator_module_has_a_probe(gaps):
    import fargo.emulator as emulator

    modules = {p.stem for p in Path(emulator.__file__).parent.glob("*.py")
               if p.stem not in ("__init__", "models", "server")}
    assert modules == set(gaps)


@pytest.mark.parametrize("module", [
    "json_templates", "strict_cloudformation", "change_sets", "strict_acm", "outputs", "updates",
    "load_balancer", "scaling", "certificates", "ecs", "vpc", "ecr", "secure_transport", "ssm",
    "ssm_typed_parameters", "load_balancer_deletion", "ssm_versions",
])
def test_the_gap_is_still_in_plain_moto(gaps, module):
    assert gaps[module], (f"moto {moto.__version__} no longer has the gap fargo.emulator."
                          f"{module} closes: remove or rework that adaptation")
