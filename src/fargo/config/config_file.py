"""The settings file: which one (--config, FARGO_CONFIG or ./fargo.toml), and its TOML read
with every way it can fail as one line naming the file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fargo.config.checks.text import cut, one_line
from fargo.errors import ConfigError

DEFAULT_CONFIG_FILE = "fargo.toml"
# A settings file is a few KiB; a limit keeps `--config /dev/zero` (or a log file named by
# mistake) from filling memory.
MAX_CONFIG_BYTES = 1024 * 1024


def config_path(config_file: str | Path | None, environ: Mapping[str, str]) -> tuple[Path, str]:
    """The settings file and what named it ("" for the default, which may be absent)."""
    if config_file is not None:
        return Path(config_file), "--config"
    from_env = environ.get("FARGO_CONFIG")
    if from_env:
        return Path(from_env), "FARGO_CONFIG"
    return Path(DEFAULT_CONFIG_FILE), ""


def file_exists(path: Path, named_by: str) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        raise ConfigError(f"error: cannot use config file {cut(str(path))} (from "
                          f"{named_by or 'the default'}): {exc.strerror}") from None


def read_file(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a file: keeps it off the file-less synth path

    name = cut(str(path))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"error: cannot read {name} ({exc.strerror}): name a readable "
                          "settings file") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"error: {name} is larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB "
                          "(or is a device): name a fargo.toml settings file")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"error: {name} is not UTF-8 text (byte {exc.start + 1} is not): "
                          "save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"error: {name} is not valid TOML ({one_line(str(exc))}): fix the line it names"
        ) from None
    except RecursionError:
        raise ConfigError(f"error: {name} nests arrays or tables too deeply: fargo's settings "
                          "are plain values, lists and tables") from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise ConfigError(f"error: {name} holds a value too large to read (a number of "
                          "thousands of digits?): fix that value") from None
