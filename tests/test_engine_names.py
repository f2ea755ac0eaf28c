"""The engine owns no names: every output, parameter and resource it reads of a stack is one
the stack names, and every rendered variant of every stack kind declares it."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from template_assertions import app_for, settings_for

from fargo.engine.protocol import names_read
from fargo.stacks import (
    AccountValues,
    EnvironmentStack,
    EnvServiceStack,
    LegacyServiceStack,
    RegistryStack,
)

# What commands look up in the account; the certificate is the self-signed one fargo imports
ACCOUNT = AccountValues(s3_prefix_list_id="pl-6da54004", hosted_zone_id="Z0123456789ABC",
                        certificate_arn="arn:aws:acm:eu-west-1:123456789012:certificate/self")
ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
ENGINE = Path(__file__).resolve().parent.parent / "src" / "fargo" / "engine"

LEGACY = {
    "https-given-certificate": {},
    "http-only": {"https": False, "certificate_arn": None},
    "self-signed": {"certificate_arn": None},
    "domain": {"certificate_arn": None, "domain": "app.example.com",
               "hosted_zone": "example.com"},
    "public": {"network": "public", "https": False, "certificate_arn": None},
    "isolated": {"network": "isolated", "image": f"{ECR}/l42:1"},
}
APPS = {
    "nat-domain": {},
    "isolated-exec": {"environment": {"network": "isolated", "domain": None,
                                      "hosted_zone": None},
                      "services": {"web": {"image": f"{ECR}/web:1", "host": "a.example.org",
                                           "ecs_exec": True},
                                   "api": {"image": f"{ECR}/api:1", "path": "/api/*"}}},
    "public-http-only": {"environment": {"network": "public", "https": False}},
    "given-certificate": {"environment": {
        "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"}},
    "strategies": {"services": {"web": {"host": "app.example.com", "deployment": "blue-green"},
                                "api": {"path": "/api/*", "deployment": "canary"}}},
}


def _stacks():
    for variant, overrides in LEGACY.items():
        settings = settings_for(**overrides)
        yield f"legacy-{variant}", LegacyServiceStack(settings, ACCOUNT, self_signed=True)
        yield f"registry-{variant}", RegistryStack(settings)
    for variant, spec in APPS.items():
        app = app_for(spec.get("environment"), spec.get("services"))
        yield f"environment-{variant}", EnvironmentStack(app, ACCOUNT)
        for name in app.services:
            yield f"service-{variant}-{name}", EnvServiceStack(app, name)
            yield (f"service-registry-{variant}-{name}",
                   RegistryStack(app.service(name)))


STACKS = dict(_stacks())


@pytest.mark.parametrize("kind", sorted(STACKS))
def test_every_name_the_engine_reads_is_declared_by_the_template(kind):
    stack = STACKS[kind]
    template = json.loads(stack.template_body)
    read = names_read(stack)
    assert read.outputs <= set(template.get("Outputs", {})), kind
    assert read.parameters <= set(template.get("Parameters", {})), kind
    assert read.resources <= set(template["Resources"]), kind


@pytest.mark.parametrize("kind", sorted(STACKS))
def test_every_stack_fills_exactly_declared_parameters_on_create_and_update(kind):
    stack = STACKS[kind]
    declared = json.loads(stack.template_body).get("Parameters", {})
    for creates in (True, False):
        sent = stack.parameters(creates)
        assert set(sent) <= set(declared)
        assert {k for k, slot in declared.items() if "Default" not in slot} <= set(sent)


def test_the_engine_reads_each_kinds_service_names():
    """A service stack is watched, counted and checked; an environment and a registry not."""
    legacy, service = STACKS["legacy-domain"], STACKS["service-nat-domain-web"]
    for stack in (legacy, service):
        assert {"Service", "TargetGroup", "TaskDefinition"} <= names_read(stack).resources
        assert stack.task_count is not None and stack.health is not None
    assert names_read(legacy).resources >= {"Cluster", "Certificate"}
    assert "Cluster" not in names_read(service).resources  # the environment's cluster
    environment = STACKS["environment-nat-domain"]
    assert environment.task_count is None and environment.health is None
    assert names_read(STACKS["registry-domain"]).outputs == {"RepositoryUri", "RepositoryName"}


def test_a_path_routed_service_checks_its_targets_only():
    api = STACKS["service-nat-domain-api"]
    assert api.health.address_output is None and api.health.target_group_output


def test_update_keeps_the_running_count():
    stack = STACKS["service-nat-domain-web"]
    assert stack.parameters(creates=True)["DesiredCount"] == "1"
    assert stack.parameters(creates=False)["DesiredCount"] == ""
    assert not any(k.startswith("Env") for k in stack.parameters(creates=True))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in ENGINE.glob("*.py")))
def test_the_engine_imports_no_config_template_or_stacks(module):
    imported = _imports(ENGINE / module)
    assert not {m for m in imported
                if m.split(".")[:2] in (["fargo", "config"], ["fargo", "template"],
                                        ["fargo", "stacks"])
                or m.startswith(("troposphere", "awacs"))}


@pytest.mark.parametrize("module", ["deploy.py", "change_sets.py", "follow.py", "post_deploy.py",
                                    "destroy.py", "status.py", "locate.py", "protocol.py"])
def test_deploy_destroy_and_status_spell_no_shared_name(module):
    assert not {m for m in _imports(ENGINE / module) if m.startswith("fargo.contract")}
