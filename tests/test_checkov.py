"""checkov's CloudFormation checks pass on the templates, run offline by scripts/checkov.sh.

The script runs checkov from its own virtual environment; the first run builds it (about a
minute). A sitecustomize on PYTHONPATH refuses, and reports, any non-loopback connection that
the checkov process tries, so a network attempt fails the test instead of going unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from template_assertions import ECR_IMAGE, Template, settings_for

from fargo.template import render

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "checkov.sh"
GUARD_MARK = "fargo-network-guard:"
SECRETS = {"DB_PASSWORD": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf",
           "API_KEY": "ssm:/l42/api-key"}
VARIANTS = {
    "http-only": {"https": False, "certificate_arn": None},
    "isolated": {"network": "isolated", "image": ECR_IMAGE},
    "public": {"network": "public"},
    # Untrusted code and edge protection (issue 10): every new resource and setting on
    "isolated-hardened": {"network": "isolated", "image": ECR_IMAGE, "user": "1000:1000",
                          "port": 8080, "readonly_root_filesystem": True,
                          "writable_paths": ["/tmp"], "ulimits": {"nproc": 256},
                          "secrets": SECRETS, "waf": True, "ipv6": True},
    "nat-everything-on": {"ecs_exec": True, "dns_firewall": True, "flow_logs": True, "waf": True,
                          "ipv6": True, "secrets": SECRETS,
                          "vpc_endpoints": ["ecr.api", "ecr.dkr", "logs", "sns", "kms"]},
    "public-ipv6-firewall": {"network": "public", "ipv6": True, "dns_firewall": True,
                             "flow_logs": True},
    # Day two (issues 12, 13): Spot capacity, alarms by e-mail (topic, key, policy)
    "mixed-spot-alarm-email": {"capacity": "mixed", "max_count": 3,
                               "alarm_email": "ops@example.com"},
}
# An environment and its services: the service stacks carry the alarms, dashboard and record.
APP_SERVICES = {"web": {"host": "app.example.com", "capacity": "spot",
                        "alarm_email": "web@example.com"},
                "api": {"path": "/api/*", "deployment": "blue-green"}}
ALL_VARIANTS = {"default": {}, **VARIANTS}

NETWORK_GUARD = textwrap.dedent(f'''
    """Loaded by every Python started with this PYTHONPATH; guards checkov processes only."""
    import ipaddress, os, socket, sys

    def _refuse(what):
        sys.stderr.write("{GUARD_MARK} checkov tried to reach " + str(what) + "\\n")
        raise OSError("network access refused by the fargo test guard: " + str(what))

    def _local(host):
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host == "localhost"

    if os.path.basename(sys.argv[0] if sys.argv else "") == "checkov":
        _connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo

        def connect(self, address):
            if isinstance(address, tuple) and not _local(address[0]):
                _refuse(address)
            return _connect(self, address)

        def getaddrinfo(host, *args, **kwargs):
            if host is not None and not _local(host if isinstance(host, str) else host.decode()):
                _refuse(host)
            return _getaddrinfo(host, *args, **kwargs)

        socket.socket.connect = connect
        socket.getaddrinfo = getaddrinfo
''')


class Run:
    def __init__(self, process: subprocess.CompletedProcess) -> None:
        self.returncode = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr

    @property
    def reports(self) -> list[dict]:
        data = json.loads(self.stdout)
        return data if isinstance(data, list) else [data]

    @property
    def failed(self) -> list[dict]:
        return [c for r in self.reports for c in r["results"].get("failed_checks", [])]

    def summary(self, key: str) -> int:
        return sum(r["summary"][key] for r in self.reports)


@pytest.fixture(scope="module")
def guard_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("network-guard")
    (directory / "sitecustomize.py").write_text(NETWORK_GUARD)
    return directory


@pytest.fixture(scope="module")
def run_script(guard_dir, tmp_path_factory):
    """Run scripts/checkov.sh with fargo on PATH, no FARGO_* settings and the network guard."""
    workdir = tmp_path_factory.mktemp("checkov-run")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("FARGO_") or k == "FARGO_CHECKOV_VENV"}
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(guard_dir)

    def run(*args: str) -> Run:
        process = subprocess.run(
            ["bash", str(SCRIPT), *args], cwd=workdir, env=env, capture_output=True,
            text=True, timeout=900,  # the first run builds checkov's venv
        )
        return Run(process)

    return run


@pytest.fixture(scope="module")
def default_run(run_script) -> Run:
    return run_script("--", "-o", "json")


@pytest.fixture(scope="module")
def variants_run(run_script, tmp_path_factory) -> Run:
    directory = tmp_path_factory.mktemp("variants")
    files = []
    for name, overrides in VARIANTS.items():
        path = directory / f"{name}.json"
        path.write_text(render(settings_for(**overrides)))
        files.append(str(path))
    from template_assertions import app_for, rendered_stacks

    for stack, text in rendered_stacks(app_for(services=APP_SERVICES)).items():
        path = directory / f"{stack}.json"
        path.write_text(text)
        files.append(str(path))
    return run_script(*files, "--", "-o", "json")


def describe(run: Run) -> str:
    failed = [f"{c['check_id']} {c['resource']}: {c.get('check_name')}" for c in run.failed]
    return "\n".join(failed) or run.stderr[-3000:]


def test_default_template_fails_no_checkov_check(default_run):
    assert default_run.returncode == 0, describe(default_run)
    assert default_run.failed == [], describe(default_run)
    assert default_run.summary("failed") == 0


def test_default_template_is_really_checked(default_run):
    assert default_run.summary("resource_count") > 40
    assert default_run.summary("passed") > 40
    assert default_run.summary("parsing_errors") == 0


def test_checkov_honours_the_templates_skip_metadata(default_run):
    assert default_run.summary("skipped") > 0


def test_every_variant_template_fails_no_checkov_check(variants_run):
    assert variants_run.returncode == 0, describe(variants_run)
    assert variants_run.failed == [], describe(variants_run)
    assert variants_run.summary("resource_count") > 250
    assert variants_run.summary("parsing_errors") == 0


def test_checkov_makes_no_network_attempt(default_run, variants_run):
    for run in (default_run, variants_run):
        assert GUARD_MARK not in run.stderr, run.stderr[-3000:]
        for sign in ("prismacloud", "bridgecrew.cloud", "ConnectionError", "Max retries"):
            assert sign not in run.stderr + run.stdout


def test_network_guard_refuses_a_process_named_checkov(guard_dir, tmp_path):
    """Proves the guard above is live: without it the no-network test would prove nothing."""
    fake = tmp_path / "checkov"
    fake.write_text("import socket\nsocket.create_connection(('192.0.2.1', 443), timeout=1)\n")
    process = subprocess.run(
        [sys.executable, str(fake)], env={**os.environ, "PYTHONPATH": str(guard_dir)},
        capture_output=True, text=True, timeout=60,
    )
    assert process.returncode != 0
    assert GUARD_MARK in process.stderr


@pytest.mark.parametrize("overrides", ALL_VARIANTS.values(), ids=ALL_VARIANTS.keys())
def test_every_checkov_skip_in_the_template_carries_a_justification(overrides):
    template = Template.of(**overrides)
    skips = [
        (logical_id, skip)
        for logical_id, resource in template.resources.items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    for logical_id, skip in skips:
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip.get("id", "")), (logical_id, skip)
        assert len(skip.get("comment", "").split()) >= 4, (logical_id, skip)


def test_script_rejects_a_missing_template_file(run_script):
    run = run_script("no-such-template.json")
    assert run.returncode == 2
    assert "no-such-template.json does not exist" in run.stderr


# Environments with many services (issue 11): the environment's stack and every service's,
# with each environment profile and each deployment strategy.
def _app_variants() -> dict:
    from template_assertions import app_for

    return {
        "nat-domain-every-strategy": app_for(services={
            "web": {"host": "app.example.com"},
            "api": {"path": "/api/*", "deployment": "blue-green"},
            "admin": {"host": "admin.example.com", "deployment": "linear"},
            "shop": {"path": "/shop/*", "deployment": "canary", "secrets": SECRETS}}),
        "isolated-hardened": app_for(
            {"network": "isolated", "waf": True, "ipv6": True},
            services={"web": {"image": ECR_IMAGE, "host": "app.example.com", "user": "1000:1000",
                              "port": 8080, "readonly_root_filesystem": True,
                              "writable_paths": ["/tmp"], "secrets": SECRETS}}),
        "public-ipv6-firewall-http-only": app_for(
            {"network": "public", "https": False, "ipv6": True, "dns_firewall": True,
             "flow_logs": True}, services={"web": {"deployment": "blue-green"}}),
    }


APP_VARIANTS = _app_variants()


@pytest.fixture(scope="module")
def app_stacks_run(run_script, tmp_path_factory) -> Run:
    from template_assertions import rendered_stacks

    directory = tmp_path_factory.mktemp("app-stacks")
    files = []
    for variant, app in APP_VARIANTS.items():
        for stack, text in rendered_stacks(app).items():
            path = directory / f"{variant}-{stack}.json"
            path.write_text(text)
            files.append(str(path))
    return run_script(*files, "--", "-o", "json")


def test_environment_and_service_stacks_fail_no_checkov_check(app_stacks_run):
    assert app_stacks_run.returncode == 0, describe(app_stacks_run)
    assert app_stacks_run.failed == [], describe(app_stacks_run)
    assert app_stacks_run.summary("resource_count") > 150
    assert app_stacks_run.summary("parsing_errors") == 0
    assert GUARD_MARK not in app_stacks_run.stderr


@pytest.mark.parametrize("variant", APP_VARIANTS)
def test_every_checkov_skip_in_environment_and_service_stacks_carries_a_justification(variant):
    from template_assertions import rendered_stacks

    for stack, text in rendered_stacks(APP_VARIANTS[variant]).items():
        for logical_id, resource in json.loads(text)["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                assert re.fullmatch(r"CKV2?_AWS_\d+", skip.get("id", "")), (stack, logical_id)
                assert len(skip.get("comment", "").split()) >= 4, (stack, logical_id, skip)
