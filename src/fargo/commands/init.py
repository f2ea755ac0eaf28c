"""`fargo init`: write a commented settings file from the flags given, checked first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from fargo.commands.synth import check_output_path
from fargo.config import sources
from fargo.config.config_file import DEFAULT_CONFIG_FILE
from fargo.config.init_file import render_config_file
from fargo.config.settings import Settings, SettingsProblems
from fargo.config.sources import flag_name, validate
from fargo.config.text_values import parse_text
from fargo.errors import ConfigError


def write_config_file(
    path: Path | None, flags: dict, force: bool = False
) -> tuple[Path, list[str], list[str]]:
    """Write the file; return it, what still has to be set before a deploy, and the
    settings' advisories (`warning:` lines).

    A bad value refuses the write (exit 2); a missing one (region, say) is written as a
    commented example and reported as still to do.
    """
    path = Path(path or DEFAULT_CONFIG_FILE)
    check_output_path(path, "--config")
    if path.exists() and not force:
        raise ConfigError(f"error: {path} already exists: edit it, or pass --force to overwrite it")
    origin: dict[str, str] = {}
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, raw in flags.items():
        if raw is None:
            continue
        if not isinstance(raw, str):
            values[name], origin[name] = raw, flag_name(name)
        elif raw.strip():  # an empty flag means the default, as for every other command
            try:
                values[name], origin[name] = parse_text(name, raw), flag_name(name)
            except ValueError as exc:
                problems.append(f"error: {name} in {flag_name(name)}: {exc}")
    if problems:
        raise ConfigError(*problems)
    to_do: list[str] = []
    warnings: list[str] = []
    try:
        warnings = sources.advisories(Settings.model_validate(values), origin)
    except ValidationError:
        validate(values, origin)  # raises, one line per flag
    except SettingsProblems as found:
        to_do = [f"{p.text}: {p.fix}" for p in found.problems]
    path.write_text(render_config_file(_as_toml_types(values)))
    return path, to_do, warnings


def _as_toml_types(values: dict[str, Any]) -> dict[str, Any]:
    """Each value as its setting's type (flags arrive as text: "2" must be written as 2)."""
    from pydantic import TypeAdapter

    typed = {}
    for name, value in values.items():
        adapter = TypeAdapter(Settings.model_fields[name].annotation)
        typed[name] = adapter.dump_python(
            adapter.validate_python(value), mode="json", exclude_none=True
        )
    return typed
