"""Whatever the settings file or a variable holds, reading it ends in settings or in one line
per problem (exit 2), never in a traceback or a hang: encodings, devices, huge files, values
nested thousands deep, values of the wrong TOML type."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fargo.cli.app import app
from fargo.config import Settings, load_settings
from fargo.config.config_file import MAX_CONFIG_BYTES
from fargo.errors import ConfigError

BASE = {"region": "eu-west-1", "https": False}
runner = CliRunner()


def problems(config=None, flags=None, environ=None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(config, {**BASE, **(flags or {})}, environ or {})
    lines = caught.value.problems
    assert all(line.startswith("error: ") and "\n" not in line for line in lines), lines
    return lines


def test_a_file_that_is_not_utf8_is_one_line():
    Path("fargo.toml").write_bytes(b'name = "caf\xe9"\n')
    (line,) = problems()
    assert "fargo.toml is not UTF-8" in line and "byte 12" in line


def test_a_utf8_file_with_a_byte_order_mark_is_read():
    Path("fargo.toml").write_bytes('\ufeffname = "shop"\n'.encode())
    assert load_settings(None, BASE, {}).name == "shop"


def test_a_device_as_config_file_is_refused_after_a_bounded_read():
    (line,) = problems(config="/dev/zero")
    assert "/dev/zero is larger than 1 MiB (or is a device)" in line


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    (line,) = problems(config=big)
    assert "larger than 1 MiB" in line


def test_a_directory_as_config_file_is_refused(tmp_path):
    (line,) = problems(config=tmp_path)
    assert "cannot read" in line


def test_a_config_name_too_long_for_the_file_system_is_refused():
    (line,) = problems(config="x" * 5000)
    assert "cannot use config file" in line and "(5000 characters)" in line


@pytest.mark.parametrize("variable", ["FARGO_ALLOWED_CIDRS", "FARGO_TAGS", "FARGO_SCHEDULES",
                                      "FARGO_CONTAINER_ENVIRONMENT"])
def test_json_nested_thousands_deep_in_a_variable_is_one_line(variable):
    opening = "{" if variable in ("FARGO_TAGS", "FARGO_CONTAINER_ENVIRONMENT") else "["
    text = (opening + '"a":') * 50_000 if opening == "{" else "[" * 100_000
    (line,) = problems(environ={variable: text})
    assert variable in line and ("nested too deeply" in line or "not valid JSON" in line)


def test_json_nested_a_few_levels_deep_is_one_line_naming_the_setting():
    (line,) = problems(environ={"FARGO_ALLOWED_CIDRS": "[" * 20 + "]" * 20})
    assert line.startswith("error: allowed_cidrs in FARGO_ALLOWED_CIDRS: ")
    assert "nested more than 8 levels" in line


@pytest.mark.parametrize("text", [
    "allowed_cidrs = " + "[" * 5000 + "]" * 5000,
    "tags = " + "{ a = " * 3000 + "1" + " }" * 3000,
    "schedules = " + "[" * 5000 + "]" * 5000,
])
def test_toml_nested_thousands_deep_is_one_line(text):
    Path("fargo.toml").write_text(text + "\n")
    (line,) = problems()
    assert "fargo.toml nests arrays or tables too deeply" in line


def test_toml_nested_some_levels_deep_names_the_setting():
    Path("fargo.toml").write_text("tags = " + "{ a = " * 12 + "1" + " }" * 12 + "\n")
    (line,) = problems()
    assert line.startswith("error: tags in fargo.toml: ") and "nested" in line


# Every setting, every TOML type: one line each, never a traceback.

TOML_VALUES = [
    "1", "-1", "1.5", "true", '"x"', '""', "[]", "[1]", '["a"]', "{}", "{ a = 1 }",
    '{ a = "b" }', '[{ a = 1 }]', "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z",
    "nan", "inf", '"\\u0000"', "[[[[1]]]]",
]


@pytest.mark.parametrize("value", TOML_VALUES)
def test_any_toml_value_for_any_setting_is_settings_or_one_line_each(value):
    for name in Settings.model_fields:
        Path("fargo.toml").write_text(f"{name} = {value}\n")
        flags = {k: v for k, v in BASE.items() if k != name}
        try:
            load_settings(None, flags, {})
        except ConfigError as error:
            assert error.problems, name
            for line in error.problems:
                assert line.startswith("error: ") and "\n" not in line, (name, line)
                assert len(line) < 700, (name, line)


def test_a_wrong_type_in_the_file_is_refused_through_the_cli():
    Path("fargo.toml").write_text('port = "eighty"\ntags = 3\nschedules = "daily"\n')
    result = runner.invoke(app, ["synth", "--region", "eu-west-1", "--no-https"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), lines
    assert all("fargo.toml" in line for line in lines)


def test_an_unparsable_variable_and_a_bad_file_value_are_reported_together():
    Path("fargo.toml").write_text("port = 0\n")
    lines = problems(environ={"FARGO_HTTPS": "maybe"})
    assert len(lines) == 2
    assert lines[0].startswith("error: https in FARGO_HTTPS: 'maybe' is not a boolean")
    assert lines[1].startswith("error: port = 0 in fargo.toml: ")


def test_an_unparsable_flag_is_reported_once_though_the_file_sets_it_too():
    Path("fargo.toml").write_text('tags = { team = "web" }\n')
    (line,) = problems(flags={"tags": "team"})
    assert line.startswith("error: tags in --tags: 'team' is not KEY=VALUE")


def test_the_init_file_writes_strings_toml_reads_back():
    import tomllib

    from fargo.config.init_file import render_config_file

    variables = {"GREETING": 'hi 😀 "you"\\', "PEM": "a\nb\tc", "BELL": "\x07"}
    written = render_config_file({"region": "eu-west-1", "container_environment": variables})
    assert tomllib.loads(written)["container_environment"] == variables


def test_synth_with_a_device_as_config_exits_2_with_one_line():
    result = runner.invoke(app, ["synth", "--config", "/dev/zero", "--region", "eu-west-1",
                                 "--no-https"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "error: /dev/zero is larger than 1 MiB (or is a device): name a fargo.toml settings file"]
