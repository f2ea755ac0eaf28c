"""Bad input in a file with [services]: one line per problem, naming the table it is in."""

from __future__ import annotations

import pytest
from template_assertions import TWO_SERVICES, app_for

from fargo.config.app_sources import app_advisories, app_config_from
from fargo.errors import ConfigError

ENV = TWO_SERVICES["environment"]


def errors(data: dict, **kwargs) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        app_config_from(data, **{"environ": {}, **kwargs})
    lines = str(caught.value).splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    return lines


def with_services(services: dict, environment: dict | None = None, **data) -> dict:
    return {"environment": {**ENV, **(environment or {})}, "services": services, **data}


def test_an_environment_setting_in_a_service_table_says_where_it_belongs():
    assert errors(with_services({"web": {"nat_per_az": True}})) == [
        "error: nat_per_az in fargo.toml [services.web] is an environment setting: move it to "
        "[environment] (it applies to every service)"]


def test_a_service_setting_in_the_environment_table_says_where_it_belongs():
    assert errors(with_services({"web": {}}, {"port": 8080})) == [
        "error: port in fargo.toml [environment] is a service setting: move it to each "
        "[services.NAME] table that needs it"]


def test_a_setting_at_the_top_of_the_file_says_where_it_belongs():
    (line,) = errors(with_services({"web": {}}, region="eu-west-1"))
    assert line.startswith("error: region at the top of fargo.toml is an environment setting")


def test_an_unknown_setting_gets_a_suggestion():
    assert errors(with_services({"web": {"prot": 80}})) == [
        "error: unknown setting 'prot' in fargo.toml [services.web]: remove it "
        "(did you mean port?)"]


def test_a_bad_value_names_the_services_table():
    assert errors(with_services({"web": {"port": 0}})) == [
        "error: port = 0 in fargo.toml [services.web]: Input should be greater than or equal "
        "to 1"]


def test_a_bad_environment_value_is_said_once_for_all_services():
    lines = errors(with_services({"web": {"host": "app.example.com"}, "api": {"path": "/a"}},
                                 {"az_count": 7}))
    assert lines == ["error: az_count = 7 in fargo.toml [environment]: Input should be less "
                     "than or equal to 3"]


def test_a_rule_across_settings_names_the_services_table():
    assert errors(with_services({"web": {"min_count": 3}})) == [
        "error: max_count (2) is below min_count (3) in fargo.toml [services.web]: raise "
        "max_count or lower min_count"]


def test_an_override_names_its_own_table():
    data = with_services({"web": {}}, env={"prod": {"services": {"web": {"port": 0}}}})
    assert errors(data, env="prod") == [
        "error: port = 0 in fargo.toml [env.prod.services.web]: Input should be greater than "
        "or equal to 1"]


def test_an_unknown_environment_lists_the_known_ones():
    data = with_services({"web": {}}, env={"prod": {}})
    assert errors(data, env="prdo") == [
        "error: environment 'prdo' (--env) is not in fargo.toml, which has dev, prod: choose "
        "one of them, or add an [env.prdo] table"]


def test_an_environment_without_override_tables_may_be_chosen_when_the_file_has_none():
    app = app_config_from(with_services({"web": {}}), env="staging", environ={})
    assert app.environment_stack_name == "shop-staging-env"
    assert app.origins["web"]["environment"] == "--env"


@pytest.mark.parametrize("key", ["environment", "name"])
def test_an_override_may_not_rename_the_environment_or_the_app(key):
    (line,) = errors(with_services({"web": {}}, env={"prod": {"environment": {key: "x"}}}))
    assert line.startswith(f"error: {key} in fargo.toml [env.prod.environment] cannot be "
                           "overridden")


def test_every_override_table_is_checked_whichever_environment_is_chosen():
    data = with_services({"web": {}}, env={"prod": {"services": {"db": {}},
                                                    "environment": {"port": 1}}})
    lines = errors(data)
    assert any("[env.prod.services.db] in fargo.toml overrides a service the file does not "
               "have" in line for line in lines)
    assert any(line.startswith("error: port in fargo.toml [env.prod.environment] is a service "
                               "setting") for line in lines)


def test_empty_services_are_refused():
    assert errors(with_services({})) == [
        "error: [services] in fargo.toml is empty: add a [services.NAME] table, or remove "
        "[services] for one service"]


@pytest.mark.parametrize(("name", "why"), [
    ("env", "names the stack of the environment itself"),
    ("web-registry", "would share its stack name with the registry of another"),
    ("Web", "use lowercase letters"),
    ("a" * 33, "at most 32 characters"),
])
def test_service_names_a_stack_can_carry(name, why):
    (line,) = errors(with_services({name: {}}))
    assert line.startswith("error: service name ") and why in line


def test_two_services_need_a_host_or_path_each():
    (line,) = errors(with_services({"web": {"host": "app.example.com"}, "api": {}}))
    assert line.startswith("error: service api has neither host nor path in fargo.toml "
                           "[services.api]")


def test_two_services_may_not_route_the_same_requests():
    (line,) = errors(with_services({"web": {"path": "/api/*"}, "api": {"path": "/api/*"}}))
    assert "services web and api both route path /api/*" in line


def test_priorities_are_unique_including_derived_ones():
    (line,) = errors(with_services({"web": {"path": "/a/*"},
                                    "api": {"path": "/api/*", "priority": 10}}))
    assert line.startswith("error: services web and api both have listener rule priority 10")
    assert "[services.api]" in line


def test_a_host_must_be_inside_the_environments_domain():
    (line,) = errors(with_services({"web": {"host": "app.example.org"}}))
    assert line.startswith("error: host app.example.org is not inside the domain example.com "
                           "of the environment in fargo.toml [services.web]")


def test_a_host_without_a_domain_is_the_users_own_dns():
    app = app_for({"domain": None, "hosted_zone": None},
                  services={"web": {"host": "app.example.org"}})
    assert app.service("web").host == "app.example.org"


@pytest.mark.parametrize(("path", "ok"), [("/api/*", True), ("/a?c/x.html", True),
                                          ("api", False), ("/a b", False), ("/" + "a" * 128,
                                                                             False)])
def test_paths_are_load_balancer_patterns(path, ok):
    data = with_services({"web": {"path": path}})
    if ok:
        assert app_config_from(data, environ={}).service("web").path == path
    else:
        (line,) = errors(data)
        assert "not a load balancer path pattern" in line


@pytest.mark.parametrize(("service", "expected"), [
    ({"bake_minutes": 5}, "bake_minutes is set but deployment is rolling"),
    ({"deployment": "blue-green", "step_percent": 10},
     "step_percent is set but deployment is blue-green"),
    ({"deployment": "linear", "step_percent": 2}, "step_percent (2) is outside 3..100"),
    ({"deployment": "canary", "step_percent": 2.55}, "use a multiple of 0.1"),
    ({"deployment": "linear", "step_percent": 10, "bake_minutes": 300},
     "takes 3000 minutes, over the 1980 CloudFormation allows"),
    ({"deployment": "canary", "bake_minutes": 1000}, "takes 2000 minutes"),
    ({"deployment": "rainbow"}, "Input should be 'rolling', 'blue-green', 'linear' or"),
])
def test_deployment_settings_fit_the_strategy(service, expected):
    lines = errors(with_services({"web": service}))
    assert any(expected in line for line in lines), lines


def test_a_service_setting_from_the_environment_variables_is_refused():
    lines = errors(with_services({"web": {}}), environ={"FARGO_PORT": "8080"})
    assert lines == ["error: FARGO_PORT sets the service setting port, but the file has "
                     "[services]: set it in each [services.NAME] table and unset FARGO_PORT"]


def test_a_service_setting_flag_is_refused():
    assert errors(with_services({"web": {}}), flags={"port": 8080}) == [
        "error: --port is a service setting, but the file has [services]: set it in the "
        "table of the service"]


def test_advisories_name_the_service_and_come_once():
    app = app_for({"dns_firewall": True}, services={
        "web": {"host": "app.example.com"}, "api": {"path": "/api/*"}})
    lines = app_advisories(app, environ={})
    firewall = [line for line in lines if "dns_firewall is on" in line]
    assert len(firewall) == 1 and all(line.startswith("warning: ") for line in lines)


def test_a_health_path_outside_the_services_path_is_worth_a_warning():
    app = app_for(services={"web": {"host": "app.example.com"}, "api": {"path": "/api/*"}})
    (line,) = [x for x in app_advisories(app, environ={}) if "health path" in x]
    assert line.startswith("warning: the health path / of service api is outside its "
                           "path /api/*")
    assert "in fargo.toml [services.api]" in line


def test_a_rule_that_hides_a_later_one_is_worth_a_warning():
    app = app_for(services={"web": {"path": "/*"}, "api": {"path": "/api/*",
                                                           "health_check_path": "/api/h"}})
    (line,) = [x for x in app_advisories(app, environ={}) if "evaluated first" in x]
    assert line.startswith("warning: service web (priority 10) takes every request service "
                           "api (priority 20) would match")


@pytest.mark.parametrize("value", [[], {"a": 1}, 42])
def test_an_environment_name_that_is_not_text_is_one_line(value):
    """It chooses the [env.NAME] table: found by tests/test_app_config_fuzz.py, where a list
    here was a TypeError."""
    lines = errors(with_services({"web": {}}, {"environment": value}))
    assert lines[0].startswith("error: environment = ") and "[environment] is not text" in lines[0]
