"""Read a fargo.toml with `[services.NAME]` tables into an AppConfig, for one environment.

    [environment]            identity, edge and network: what every service shares
    [services.web]           image, container, hardening, capacity, health, alarms, routing
    [env.prod.environment]   overrides for `--env prod` (its name is the table's)
    [env.prod.services.web]

`env` chooses the environment (default: `[environment]`'s own `environment`); its override
tables are laid over the base ones. In a file with `[env.NAME]` tables, `env` must be the base
environment or one of them (another name is most likely a typo that would build a whole new
environment). FARGO_* variables and setting flags may set environment
settings (they apply to every service); a service setting belongs in its table. Every problem
is one line naming the table it came from, e.g.
`error: port = 0 in fargo.toml [services.api]: Input should be greater than or equal to 1`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fargo.config.app import (
    ENVIRONMENT_SETTINGS,
    SERVICE_SETTINGS,
    AppConfig,
    ServiceSettings,
    environment_of,
)
from fargo.config.checks.text import cut, shown
from fargo.config.config_file import config_path, file_exists, read_file
from fargo.config.error_lines import error_line, field_error_line, origin_note
from fargo.config.problems import Problem, SettingsProblems
from fargo.config.rules import services as service_rules
from fargo.config.sources import env_var, flag_name, unknown_variable_warnings
from fargo.config.text_values import apply_text
from fargo.errors import ConfigError

TABLES = ("environment", "services", "env")
OVERRIDE_TABLES = ("environment", "services")
# Settings an [env.NAME.environment] table may not change: the table's name is the
# environment's, and an app keeps its name in every environment.
NOT_OVERRIDDEN = {"environment": "the table name is the environment name", "name":
                  "the app keeps its name in every environment: set name in [environment]"}


def is_app_config(config_file: str | Path | None = None,
                  environ: Mapping[str, str] | None = None) -> bool:
    """Whether the settings file has `[services]` tables (a missing file has not)."""
    environ = os.environ if environ is None else environ
    path, named_by = config_path(config_file, environ)
    return file_exists(path, named_by) and "services" in read_file(path)


def load_app_config(
    config_file: str | Path | None = None, env: str | None = None,
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
    defaults: Mapping[str, tuple[Any, str]] | None = None,
) -> AppConfig:
    environ = os.environ if environ is None else environ
    path, named_by = config_path(config_file, environ)
    if not file_exists(path, named_by):
        raise ConfigError(f"error: config file {cut(str(path))} does not exist: a file with "
                          "[environment] and [services.NAME] tables is needed here")
    return app_config_from(read_file(path), path.name, env, flags, environ, defaults)


def app_config_from(
    data: Mapping[str, Any], file: str = "fargo.toml", env: str | None = None,
    flags: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None,
    defaults: Mapping[str, tuple[Any, str]] | None = None,
) -> AppConfig:
    """The AppConfig of parsed TOML data, or ConfigError with one line per problem.
    `defaults`: environment settings (value, where from) under everything else (--local's
    region)."""
    lines: list[str] = []
    layout = _Layout(data, file, env, lines)
    if lines:
        raise ConfigError(*_unique(lines))
    env_values, env_origin = layout.environment_values()
    for key, (value, source) in (defaults or {}).items():
        if key not in env_values:
            env_values[key], env_origin[key] = value, source
    _apply_layers(env_values, env_origin, flags or {}, os.environ if environ is None else environ,
                  lines)
    services, origins = [], {}
    for name in layout.services:
        values, origin = layout.service_values(name, env_values, env_origin)
        origins[name] = origin
        try:
            services.append(ServiceSettings.model_validate(values))
        except ValidationError as exc:
            lines += [field_error_line(e, values, origin) for e in exc.errors()]
        except SettingsProblems as exc:
            lines += [_problem_line(p, origin) for p in exc.problems]
    if lines:
        raise ConfigError(*_unique(lines))
    app = AppConfig(environment_of(services), {s.service_name: s for s in services}, origins)
    lines += [_problem_line(p, origins[name]) for name, p in service_rules.problems(app)]
    if lines:
        raise ConfigError(*_unique(lines))
    return app


def app_advisories(app: AppConfig, environ: Mapping[str, str] | None = None) -> list[str]:
    """`warning:` lines: each service's advisories and those across services, once each."""
    environ = os.environ if environ is None else environ
    lines = [_problem_line(p, app.origins.get(name, {}), "warning")
             for name, service in app.services.items() for p in service.advisories()]
    lines += [_problem_line(p, app.origins.get(name, {}), "warning")
              for name, p in service_rules.advisories(app)]
    return _unique(lines) + unknown_variable_warnings(environ)


class _Layout:
    """The file's tables, checked for shape and for settings in the wrong table."""

    def __init__(self, data: Mapping[str, Any], file: str, env: str | None,
                 lines: list[str]) -> None:
        self.file, self.lines = file, lines
        for key in data:
            if key not in TABLES:
                lines.append(_misplaced(key, f"at the top of {file}", None))
        self.base = self._table(data.get("environment", {}), "environment")
        raw_services = data.get("services")
        self.services = self._table(raw_services, "services") if raw_services is not None else {}
        if raw_services is not None and not self.services and not lines:
            lines.append(error_line(f"error: [services] in {file} is empty: add a "
                               "[services.NAME] table, or remove [services] for one service"))
        for name, table in self.services.items():
            problem = service_rules.name_problem(name)
            if problem:
                lines.append(error_line(f"error: service name {shown(name)} in {file} "
                                   f"[services]: {problem}"))
            self._check_scope(self._table(table, f"services.{name}"), f"services.{name}",
                              SERVICE_SETTINGS)
        self._check_scope(self.base, "environment", ENVIRONMENT_SETTINGS)
        overrides = self._table(data.get("env", {}), "env")
        base_name = self.base.get("environment", "dev")
        if not isinstance(base_name, str):  # it chooses a table below: it must be a name
            lines.append(error_line(
                f"error: environment = {shown(base_name)} in {file} [environment] is not "
                "text: name the environment, e.g. environment = \"dev\""))
            base_name = "dev"
        self.selected = env or base_name
        checked = {name: self._override(name, table) for name, table in overrides.items()}
        self.overrides = checked.get(self.selected, {"environment": {}, "services": {}})
        self.from_flag = env is not None and env != base_name
        # A file with override tables names its environments: another name is a typo.
        if overrides and self.selected not in (base_name, *overrides) and not lines:
            known = ", ".join(dict.fromkeys([str(base_name), *overrides]))
            lines.append(error_line(f"error: environment {shown(self.selected)} (--env) is not in "
                               f"{file}, which has {known}: choose one of them, or add an "
                               f"[env.{self.selected}] table"))

    def _table(self, value: Any, where: str) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.lines.append(error_line(f"error: {where} in {self.file} is not a table: write "
                                f"[{where}] with its settings below it"))
        return {}

    def _check_scope(self, table: dict, where: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                self.lines.append(_misplaced(key, f"in {self.file} [{where}]", allowed))

    def _override(self, env: str, raw: Any) -> dict[str, Any]:
        where = f"env.{env}"
        table = self._table(raw, where)
        for key in table:
            if key not in OVERRIDE_TABLES:
                self.lines.append(error_line(f"error: {shown(key)} in {self.file} [{where}] is not "
                                        "a table it takes: use [" + where + ".environment] and "
                                        f"[{where}.services.NAME]"))
        environment = self._table(table.get("environment", {}), f"{where}.environment")
        self._check_scope(environment, f"{where}.environment", ENVIRONMENT_SETTINGS)
        for key, why in NOT_OVERRIDDEN.items():
            if key in environment:
                self.lines.append(error_line(f"error: {key} in {self.file} [{where}.environment] "
                                        f"cannot be overridden: {why}"))
        services = self._table(table.get("services", {}), f"{where}.services")
        for name, values in services.items():
            if name not in self.services:
                self.lines.append(error_line(
                    f"error: [{where}.services.{name}] in {self.file} overrides a service the "
                    f"file does not have: add [services.{name}] or remove the override"))
            self._check_scope(self._table(values, f"{where}.services.{name}"),
                              f"{where}.services.{name}", SERVICE_SETTINGS)
        return {"environment": environment, "services": services}

    def environment_values(self) -> tuple[dict[str, Any], dict[str, str]]:
        values, origin = {}, {}
        for label, table in ((f"{self.file} [environment]", self.base),
                             (f"{self.file} [env.{self.selected}.environment]",
                              self.overrides["environment"])):
            values.update(table)
            origin.update({key: label for key in table})
        values["environment"] = self.selected
        if self.from_flag:
            origin["environment"] = "--env"
        for setting in ENVIRONMENT_SETTINGS:
            origin.setdefault(setting, f"{self.file} [environment]")
        return values, origin

    def service_values(self, name: str, env_values: dict, env_origin: dict):
        values, origin = dict(env_values), dict(env_origin)
        own = f"{self.file} [services.{name}]"
        for label, table in ((own, self.services[name]),
                             (f"{self.file} [env.{self.selected}.services.{name}]",
                              self.overrides["services"].get(name, {}))):
            values.update(table)
            origin.update({key: label for key in table})
        for setting in SERVICE_SETTINGS:
            origin.setdefault(setting, own)
        values["service_name"] = name
        return values, origin


def _apply_layers(values: dict, origin: dict, flags: Mapping[str, Any],
                  environ: Mapping[str, str], lines: list[str]) -> None:
    """FARGO_* variables, then flags, over the environment's settings; refused for a
    service's (which service would they mean?)."""
    for setting in (*ENVIRONMENT_SETTINGS, *SERVICE_SETTINGS):
        raw = environ.get(env_var(setting))
        if raw is not None and setting in SERVICE_SETTINGS:
            lines.append(error_line(
                f"error: {env_var(setting)} sets the service setting {setting}, but the file "
                "has [services]: set it in each [services.NAME] table and unset "
                f"{env_var(setting)}"))
        elif raw is not None and setting != "environment":  # --env chooses the environment
            apply_text(setting, raw, env_var(setting), values, origin, lines)
    for setting, raw in flags.items():
        if raw is None:
            continue
        if setting == "environment":
            lines.append(error_line("error: --environment does not apply to a file with "
                               "[services]: choose the environment with --env NAME"))
        elif setting not in ENVIRONMENT_SETTINGS:
            lines.append(error_line(f"error: {flag_name(setting)} is a service setting, but the "
                               "file has [services]: set it in the table of the service"))
        elif isinstance(raw, str):
            apply_text(setting, raw, flag_name(setting), values, origin, lines)
        else:
            values[setting], origin[setting] = raw, flag_name(setting)
    if lines:
        raise ConfigError(*_unique(lines))


def _misplaced(key: str, where: str, allowed: tuple[str, ...] | None) -> str:
    if key in ENVIRONMENT_SETTINGS and allowed is not ENVIRONMENT_SETTINGS:
        return error_line(f"error: {key} {where} is an environment setting: move it to "
                     "[environment] (it applies to every service)")
    if key in SERVICE_SETTINGS and allowed is not SERVICE_SETTINGS:
        return error_line(f"error: {key} {where} is a service setting: move it to each "
                     "[services.NAME] table that needs it")
    known = allowed or TABLES
    close = difflib.get_close_matches(key, known, n=1) if len(key) <= 64 else []
    hint = f"did you mean {close[0]}?" if close else "see the README's settings table"
    return error_line(f"error: unknown setting {shown(key)} {where}: remove it ({hint})")


def _problem_line(problem: Problem, origin: Mapping[str, str], kind: str = "error") -> str:
    note = origin_note(problem.setting, origin, problem.related)
    return error_line(f"{kind}: {problem.text}{note}: {problem.fix}")


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
