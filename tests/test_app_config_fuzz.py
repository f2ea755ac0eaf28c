"""Generated environment files (`[environment]`, `[services.NAME]`, `[env.NAME...]`), as
tests/test_config_fuzz.py does for a single service:

- known-bad values, one to four at a time, each in the table it belongs to (the base table or
  an environment's override): exactly one `error:` line per bad setting, naming the setting
  and that table;
- arbitrary files (any keys, any TOML values, nested, in any table, with unknown tables and
  service names): either an environment whose every stack renders, or `error:` lines only,
  each one line that names the file; through `fargo synth` too: exit 0 or 2, no traceback.

CI runs a derandomised sample; `pytest -m fuzz_full -p no:randomly -n 0
tests/test_app_config_fuzz.py` runs thousands (FUZZ_EXAMPLES=N).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_config_fuzz import ANY_VALUE as VALUES
from test_config_fuzz import BAD, FILE, ci, ci_small, full, runner, toml

from fargo.cli.app import app as cli
from fargo.config.app import ENVIRONMENT_SETTINGS, SERVICE_SETTINGS
from fargo.config.app_sources import app_config_from
from fargo.errors import ConfigError

BASE_ENVIRONMENT = {"name": "shop", "region": "eu-west-1", "https": False}
BASE_SERVICES = {"web": {"host": "app.example.com"}, "api": {"path": "/api/*"}}
FILE_BAD = [case for case in BAD if FILE in case[2]]


# -- known-bad values -----------------------------------------------------------------------

@st.composite
def bad_files(draw) -> tuple[dict, str | None, list[tuple[str, str]]]:
    """(file data, --env, [(setting, table label)]) with one to four known-bad values."""
    cases = draw(st.lists(st.sampled_from(FILE_BAD), min_size=1, max_size=4,
                          unique_by=lambda case: case[0]))
    # an override may not rename the app or the environment: those stay in the base table
    override = draw(st.booleans()) and not any(case[0] in ("name", "environment")
                                                for case in cases)
    environment, services = dict(BASE_ENVIRONMENT), {k: dict(v) for k, v in
                                                     BASE_SERVICES.items()}
    overlay: dict[str, Any] = {"environment": {}, "services": {}}
    expected = []
    for setting, value, _sources in cases:
        if setting in ENVIRONMENT_SETTINGS:
            table = overlay["environment"] if override else environment
            label = "[env.dev.environment]" if override else "[environment]"
        else:
            service = draw(st.sampled_from(sorted(services)))
            table = (overlay["services"].setdefault(service, {}) if override
                     else services[service])
            label = f"[env.dev.services.{service}]" if override else f"[services.{service}]"
        table[setting] = value
        expected.append((setting, label))
    data = {"environment": environment, "services": services}
    if override:
        data["env"] = {"dev": {k: v for k, v in overlay.items() if v}}
    return data, "dev" if override else None, expected


def check_bad(data: dict, env: str | None, expected: list[tuple[str, str]]) -> None:
    with pytest.raises(ConfigError) as caught:
        app_config_from(data, env=env, environ={})
    lines = caught.value.problems
    assert len(lines) == len(expected), (expected, lines)
    for line in lines:
        assert line.startswith("error: ") and "\n" not in line and len(line) < 700, line
    for setting, label in expected:
        matching = [line for line in lines if line.startswith(f"error: {setting}")
                    and not line[len(f"error: {setting}"):][:1].isalnum()
                    and line[len(f"error: {setting}"):][:1] != "_"]
        assert len(matching) == 1, (setting, lines)
        assert f"fargo.toml {label}" in matching[0], (label, matching)


@given(bad_files())
@ci
def test_bad_values_give_one_line_each_naming_the_table(case):
    check_bad(*case)


@pytest.mark.fuzz_full
@given(bad_files())
@full
def test_bad_values_give_one_line_each_naming_the_table_thoroughly(case):
    check_bad(*case)


# -- arbitrary files ------------------------------------------------------------------------

_names = st.one_of(st.sampled_from(["web", "api", "env", "x-registry", "Web", "a" * 40, "", "b c",
                                    "-x", "db"]),
                   st.text(min_size=0, max_size=12))
_keys = st.one_of(st.sampled_from(list(ENVIRONMENT_SETTINGS) + list(SERVICE_SETTINGS)
                                  + ["regoin", "services", "environment"]),
                  st.text(max_size=10))


@st.composite
def arbitrary_files(draw) -> tuple[dict, str | None]:
    """A base that loads, with arbitrary keys and values laid into any of its tables, and
    sometimes arbitrary tables beside them."""
    environment = dict(BASE_ENVIRONMENT) if draw(st.booleans()) else {}
    services = {k: dict(v) for k, v in BASE_SERVICES.items()} if draw(st.booleans()) else {}
    for _ in range(draw(st.integers(0, 2))):
        services[draw(_names)] = {}
    tables = [environment, *services.values()]
    for _ in range(draw(st.integers(1, 4))):
        draw(st.sampled_from(tables))[draw(_keys)] = draw(VALUES)
    data: dict[str, Any] = {"environment": environment, "services": services}
    env = None
    if draw(st.booleans()):
        env = draw(st.sampled_from(["dev", "prod"]))
        data["env"] = {env: {"environment": {draw(_keys): draw(VALUES)},
                             "services": {draw(_names): {draw(_keys): draw(VALUES)}}}}
    if draw(st.booleans()):
        data[draw(_keys)] = draw(VALUES)
    if draw(st.booleans()):
        data[draw(st.sampled_from(["environment", "services", "env"]))] = draw(VALUES)
    return data, env


def renders(app) -> None:
    from fargo.commands.synth import app_stacks, synthesize_app

    for stack in app_stacks(app):
        synthesize_app(app, stack=stack)


def check_arbitrary(data: dict, env: str | None) -> None:
    try:
        loaded = app_config_from(data, env=env, environ={})
    except ConfigError as error:
        assert error.problems
        for line in error.problems:
            assert line.startswith("error: ") and "\n" not in line and len(line) < 700, line
            assert line.isprintable(), line
            assert "fargo.toml" in line or "--env" in line, line
        return
    renders(loaded)  # whatever validation lets through must render, every stack


@given(arbitrary_files())
@ci
def test_arbitrary_files_are_environments_that_render_or_error_lines(case):
    check_arbitrary(*case)


@pytest.mark.fuzz_full
@given(arbitrary_files())
@full
def test_arbitrary_files_are_environments_that_render_or_error_lines_thoroughly(case):
    check_arbitrary(*case)


def check_through_synth(data: dict, env: str | None) -> None:
    Path("fargo.toml").write_text("\n".join(f"{toml(str(k))} = {toml(v)}"
                                            for k, v in data.items()) + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["synth", *(["--env", env] if env else [])])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert errors, result.stderr


@given(arbitrary_files())
@ci_small
def test_arbitrary_files_through_fargo_synth_exit_0_or_2(case):
    check_through_synth(*case)


# -- FARGO_* variables and flags over an environment file ---------------------------------

_text_values = st.one_of(st.text(max_size=30), st.sampled_from(
    ["", "true", "no", "0", "-1", "1e9", "nan", "[1, 2]", '{"a": "b"}', "a=b,a=c", "x" * 600,
     "eu-west-1", "10.0.0.0/8", "isolated", "web", "prod"]))


@st.composite
def text_layers(draw) -> tuple[dict, dict, dict]:
    """(file data, flags, environment variables): text for any setting, in either layer."""
    from fargo.config.sources import env_var

    names = list(ENVIRONMENT_SETTINGS) + list(SERVICE_SETTINGS)
    flags, environ = {}, {}
    for setting in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        layer = flags if draw(st.booleans()) else environ
        layer[setting if layer is flags else env_var(setting)] = draw(_text_values)
    data = {"environment": dict(BASE_ENVIRONMENT),
            "services": {k: dict(v) for k, v in BASE_SERVICES.items()}}
    return data, flags, environ


def check_text_layers(data: dict, flags: dict, environ: dict) -> None:
    from fargo.config.sources import env_var, flag_name

    sources = [flag_name(name) for name in flags] + list(environ)
    try:
        loaded = app_config_from(data, flags=flags, environ=environ)
    except ConfigError as error:
        for line in error.problems:
            assert line.startswith("error: ") and "\n" not in line and len(line) < 700, line
            assert any(source in line for source in sources), (sources, line)
        return
    for name in flags:  # what was accepted is what the environment holds
        assert name in ENVIRONMENT_SETTINGS, name
    for variable in environ:
        assert variable in {env_var(n) for n in ENVIRONMENT_SETTINGS}, variable
    renders(loaded)


@given(text_layers())
@ci
def test_variables_and_flags_over_an_environment_file_render_or_name_their_source(case):
    check_text_layers(*case)
