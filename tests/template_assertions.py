"""CDK-style assertions over a synthesised template dict, so tests read like the template."""

from __future__ import annotations

import json
from typing import Any

from fargo.config import validate
from fargo.template import build_template

CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
ECR_IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:1"


def settings_for(**overrides: Any):
    """Valid settings for eu-west-1 with a certificate, changed by the overrides."""
    values: dict[str, Any] = {"region": "eu-west-1", "certificate_arn": CERT}
    values.update(overrides)
    return validate({k: v for k, v in values.items() if v is not None})


class Template:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.resources: dict[str, dict] = data.get("Resources", {})

    @classmethod
    def of(cls, **overrides: Any) -> Template:
        template = build_template(settings_for(**overrides))
        return cls(json.loads(template.to_json()))

    def of_type(self, resource_type: str) -> dict[str, dict]:
        return {k: v for k, v in self.resources.items() if v["Type"] == resource_type}

    def resource_count_is(self, resource_type: str, count: int) -> None:
        found = self.of_type(resource_type)
        assert len(found) == count, f"{resource_type}: expected {count}, found {sorted(found)}"

    def properties(self, logical_id: str) -> dict:
        assert logical_id in self.resources, f"no resource {logical_id}"
        return self.resources[logical_id].get("Properties", {})

    def has_resource_properties(self, resource_type: str, expected: dict) -> str:
        """Some resource of the type has properties matching `expected` (a deep subset)."""
        candidates = self.of_type(resource_type)
        for logical_id, resource in candidates.items():
            if _matches(resource.get("Properties", {}), expected):
                return logical_id
        raise AssertionError(
            f"no {resource_type} has {json.dumps(expected)}; candidates: "
            + json.dumps({k: v.get("Properties") for k, v in candidates.items()}, indent=1)[:3000]
        )


def _matches(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _matches(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(
            _matches(a, e) for a, e in zip(actual, expected, strict=True)
        )
    return actual == expected


# Environments with many services (issue 11)
TWO_SERVICES = {
    "environment": {"name": "shop", "region": "eu-west-1", "domain": "example.com",
                    "hosted_zone": "example.com"},
    "services": {"web": {"host": "app.example.com"}, "api": {"path": "/api/*"}},
}


# TWO_SERVICES as a fargo.toml, for the CLI (the hosted zone must exist in the emulator).
TWO_SERVICES_FILE = """
[environment]
name = "shop"
region = "eu-west-1"
domain = "example.com"
hosted_zone = "example.com"

[services.web]
host = "app.example.com"

[services.api]
path = "/api/*"
"""


def app_for(environment: dict | None = None, services: dict | None = None, **data: Any):
    """An AppConfig of TWO_SERVICES with the environment's settings changed by `environment`
    (None drops a setting) and, given `services`, those services instead."""
    from fargo.config.app_sources import app_config_from

    merged = {**TWO_SERVICES["environment"], **(environment or {})}
    return app_config_from({
        "environment": {k: v for k, v in merged.items() if v is not None},
        "services": TWO_SERVICES["services"] if services is None else services, **data,
    }, environ={})


def environment_of(app) -> Template:
    from fargo.template.environment import build_environment_template

    return Template(json.loads(build_environment_template(app).to_json()))


def service_of(app, name: str) -> Template:
    from fargo.template.env_service import build_service_template

    return Template(json.loads(build_service_template(app, name).to_json()))


def parameters(template: Template) -> dict[str, dict]:
    return template.data.get("Parameters", {})


def outputs(template: Template) -> dict[str, dict]:
    return template.data.get("Outputs", {})


def rendered_stacks(app) -> dict[str, str]:
    """The environment's and every service's template, as JSON text, by stack name."""
    from fargo.template.env_service import build_service_template
    from fargo.template.environment import build_environment_template

    stacks = {app.environment_stack_name: build_environment_template(app).to_json()}
    for name, service in app.services.items():
        stacks[service.stack_name] = build_service_template(app, name).to_json()
    return stacks
