"""examples/l42/fargo.toml: the original L42 deployment with fargo's safe settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from fargo.config import load_settings
from fargo.template import build_template, render
from fargo.validation import lint_template

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "l42" / "fargo.toml"


@pytest.fixture(scope="module")
def settings():
    return load_settings(EXAMPLE, {}, {})


def test_example_keeps_the_originals_five_container_variables(settings):
    assert settings.container_variables == {
        "PORT": "80", "HEALTHCHECK": "/health", "ENABLE_LOGGING": "true", "PRODUCT": "l42",
        "ENVIRONMENT": "dev",
    }


def test_example_keeps_the_originals_name_size_counts_and_domain(settings):
    assert (settings.name, settings.environment, settings.cpu, settings.memory) == (
        "l42", "dev", 1024, 2048)
    assert (settings.min_count, settings.max_count, settings.domain) == (1, 2, "aws.flry.net")


def test_example_runs_isolated_with_the_untrusted_code_defaults(settings):
    assert settings.network == "isolated"
    assert (settings.ecs_exec, settings.dns_firewall, settings.flow_logs, settings.waf) == (
        False, True, True, True)


def test_example_template_has_no_task_role_and_lints_clean(settings):
    assert "TaskRole" not in build_template(settings).resources
    findings = lint_template(render(settings), settings.region)
    assert findings == [], "\n".join(str(f) for f in findings)
