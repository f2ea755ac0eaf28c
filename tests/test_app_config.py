"""A fargo.toml with [environment] and [services.NAME]: what it loads to, per environment."""

from __future__ import annotations

import textwrap

import pytest
from template_assertions import app_for

from fargo import names
from fargo.config import Settings, is_app_config, load_app_config, load_settings
from fargo.config.app import ENVIRONMENT_SETTINGS, SERVICE_SETTINGS, ServiceSettings
from fargo.names import EnvironmentKey

EXAMPLE = """
[environment]
name = "shop"
environment = "dev"
region = "eu-west-1"
domain = "example.com"
hosted_zone = "example.com"

[services.web]
host = "app.example.com"
port = 8080

[services.api]
path = "/api/*"
health_check_path = "/api/health"
deployment = "canary"
step_percent = 10

[env.prod.environment]
nat_per_az = true
az_count = 3

[env.prod.services.api]
max_count = 6
"""


@pytest.fixture
def example(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text(textwrap.dedent(EXAMPLE))
    return path


def test_a_file_with_services_is_an_app_config(example):
    assert is_app_config(example, environ={})


def test_a_file_without_services_stays_a_single_service(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text('name = "l42"\nregion = "eu-west-1"\nhttps = false\n')
    assert not is_app_config(path, environ={})
    settings = load_settings(path, environ={})
    assert type(settings) is Settings
    assert settings.stack_name == "l42-dev"


def test_no_file_is_no_app_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not is_app_config(environ={})


def test_services_keep_the_order_of_their_tables(example):
    app = load_app_config(example, environ={})
    assert list(app.services) == ["web", "api"]
    assert all(isinstance(s, ServiceSettings) for s in app.services.values())


def test_stack_names_follow_the_naming_contract(example):
    app = load_app_config(example, environ={})
    assert app.environment_stack_name == "shop-dev-env" == names.environment_stack_name(
        "shop", "dev")
    assert app.service("api").stack_name == "shop-dev-api"
    assert app.service("api").registry_stack_name == "shop-dev-api-registry"


def test_each_service_has_its_own_log_group_and_container_name(example):
    api = load_app_config(example, environ={}).service("api")
    assert api.log_group_name == "/fargate/service/shop-dev-api"
    assert api.container_name == "api"
    assert api.exec_log_group_name == "/fargate/service/shop-dev-env/exec"


def test_a_service_has_the_environments_settings_and_its_own(example):
    app = load_app_config(example, environ={})
    web, api = app.service("web"), app.service("api")
    assert (web.region, web.domain, web.port) == ("eu-west-1", "example.com", 8080)
    assert (api.port, api.health_path, api.deployment, api.traffic_step) == (
        80, "/api/health", "canary", 10.0)


def test_priorities_come_from_the_order_of_the_tables(example):
    app = load_app_config(example, environ={})
    assert [app.priority(n) for n in app.services] == [10, 20]


def test_a_priority_set_by_the_service_is_kept():
    app = app_for(services={"web": {"host": "app.example.com", "priority": 7},
                            "api": {"path": "/api/*"}})
    assert app.priority("web") == 7 and app.priority("api") == 20


def test_the_environment_defaults_to_the_files_own(example):
    app = load_app_config(example, environ={})
    assert app.env_name == "dev"
    assert not app.environment.nat_per_az


def test_env_applies_its_override_tables(example):
    app = load_app_config(example, env="prod", environ={})
    assert app.env_name == "prod"
    assert app.environment_stack_name == "shop-prod-env"
    assert (app.environment.nat_per_az, app.environment.az_count) == (True, 3)
    assert app.service("api").max_count == 6
    assert app.service("web").max_count == 2
    assert app.service("web").az_count == 3  # the environment's settings reach every service


def test_an_unknown_service_raises_a_key_error_naming_the_known_ones(example):
    with pytest.raises(KeyError, match="web, api"):
        load_app_config(example, environ={}).service("db")


def test_environment_variables_set_environment_settings(example):
    app = load_app_config(example, environ={"FARGO_REGION": "eu-central-1"})
    assert app.environment.region == "eu-central-1"
    assert app.service("web").region == "eu-central-1"
    assert app.origins["web"]["region"] == "FARGO_REGION"


def test_flags_set_environment_settings(example):
    app = load_app_config(example, flags={"waf": True, "az_count": "3"}, environ={})
    assert app.environment.waf and app.environment.az_count == 3


def test_the_environment_and_service_groups_divide_the_settings():
    assert not set(ENVIRONMENT_SETTINGS) & set(SERVICE_SETTINGS)
    routing = {"host", "path", "priority", "deployment", "bake_minutes", "step_percent"}
    assert set(ENVIRONMENT_SETTINGS) | set(SERVICE_SETTINGS) == set(Settings.model_fields) | (
        routing)


def test_the_environment_needs_what_any_service_needs():
    app = app_for({"network": "isolated", "certificate_arn": None, "domain": None,
                   "hosted_zone": None}, services={
        "web": {"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1",
                "log_retention_days": 30, "path": "/*"},
        "api": {"image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1",
                "ecs_exec": True, "secrets": {"KEY": "ssm:/shop/key"}, "path": "/api/*",
                "log_retention_days": 365}})
    env = app.environment
    assert env.interface_endpoints == ["ecr.api", "ecr.dkr", "logs", "ssmmessages", "ssm"]
    assert env.ecs_exec and env.log_retention_days == 365
    assert env.secret_services == ["ssm"]


def test_the_environment_publishes_by_network_and_domain():
    nat = app_for().published_keys()
    assert EnvironmentKey.PRIVATE_SUBNET_IDS in nat and EnvironmentKey.HOSTED_ZONE_ID in nat
    public = app_for({"network": "public", "domain": None, "hosted_zone": None}, services={
        "web": {}}).published_keys()
    assert EnvironmentKey.PRIVATE_SUBNET_IDS not in public
    assert EnvironmentKey.S3_PREFIX_LIST_ID not in public
    assert EnvironmentKey.HOSTED_ZONE_ID not in public


def test_a_lone_service_may_have_neither_host_nor_path():
    app = app_for(services={"web": {}})
    assert app.service("web").host is None and app.service("web").path is None


def test_deployment_strategy_defaults():
    app = app_for(services={"web": {"host": "app.example.com", "deployment": "blue-green"},
                            "api": {"path": "/api/*", "deployment": "linear"}})
    assert (app.service("web").bake_time, app.service("web").shifts_traffic) == (15, True)
    assert app.service("api").traffic_step == 10.0
    rolling = app_for().service("web")
    assert not rolling.shifts_traffic


def test_ssm_names_live_under_the_apps_environment(example):
    app = load_app_config(example, env="prod", environ={})
    assert app.ssm_name(EnvironmentKey.VPC_ID) == "/fargo/shop/prod/vpc-id"
