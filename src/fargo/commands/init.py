"""`fargo init`: write a commented settings file from the flags given, checked first."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from fargo.config.init_file import render_config_file
from fargo.config.settings import Settings, SettingsProblems
from fargo.config.sources import DEFAULT_CONFIG_FILE, flag_name, parse_text, validate
from fargo.errors import ConfigError


def write_config_file(
    path: Path | None, flags: dict, force: bool = False
) -> tuple[Path, list[str]]:
    """Write the file; return it and what still has to be set before a deploy.

    A bad value refuses the write (exit 2); a missing one (region, say) is written as a
    commented example and reported as still to do.
    """
    path = Path(path or DEFAULT_CONFIG_FILE)
    if path.exists() and not force:
        raise ConfigError(f"error: {path} already exists: edit it, or pass --force to overwrite it")
    chosen = {
        name: parse_text(name, raw) if isinstance(raw, str) else raw
        for name, raw in flags.items() if raw is not None
    }
    to_do: list[str] = []
    try:
        Settings.model_validate(chosen)
    except ValidationError:
        validate(chosen, {name: flag_name(name) for name in chosen})  # raises, lines per flag
    except SettingsProblems as problems:
        to_do = [f"{p.text}: {p.fix}" for p in problems.problems]
    path.write_text(render_config_file(chosen))
    return path, to_do
