"""Which deployed service a day-two command (logs, exec, history, rollback, scale) acts on.

These commands act on what is deployed, not on what the file would render: they need only
the stack's name, how to find its ECS service, and where in the file a setting lives (to say
which line to change). The optional SERVICE argument picks a service of a multi-service
file (`[services.NAME]`, fargo.config.app); a single-service file has one service, named by
its `name`, and SERVICE may only repeat that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fargo.commands.invocation import Invocation
from fargo.commands.session import Session, open_session
from fargo.engine.protocol import Watched
from fargo.errors import ConfigError


@dataclass(frozen=True)
class ServiceTarget:
    """A deployed service, found by its stack."""

    service: str  # what the user calls it: the app's name, or the [services.NAME] name
    stack_name: str
    watched: Watched
    config_file: Path  # the file whose line makes a change last (it may not exist)
    table: str | None = None  # "services.web" in a multi-service file; None: top level

    def file_line(self, setting: str, value: object) -> str:
        """Where the file sets `setting`, for a change that lasts: "fargo.toml line 4
        (image = ...)", or which table to add it to."""
        return setting_line(self.config_file, setting, value, self.table)


def open_target(invocation: Invocation, service: str | None, env: str | None = None,
                verb: str = "status") -> tuple[Session, ServiceTarget]:
    """The session (AWS context and identity settings) and the service SERVICE names; `env`
    is `--env`, for a file with [services] tables; `verb`, the command (for its hints)."""
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.config.config_file import DEFAULT_CONFIG_FILE

    config_file = _config_file(invocation, DEFAULT_CONFIG_FILE)
    if is_app_file(invocation):
        return _app_target(invocation, service, env, config_file, verb)
    session = open_session(invocation, identity_only=True)
    settings = session.settings
    try:
        check_single_service([service] if service else None, settings.name, env)
    except ConfigError:
        session.close()
        raise
    from fargo.stacks import LegacyServiceStack

    stack = LegacyServiceStack(settings)
    return session, ServiceTarget(settings.name, stack.stack_name, stack.watched, config_file)


def _app_target(invocation: Invocation, service: str | None, env: str | None,
                config_file: Path, verb: str) -> tuple[Session, ServiceTarget]:
    from fargo.commands.app_session import chosen_services, open_app_session
    from fargo.stacks.env_service import EnvServiceStack

    opened = open_app_session(invocation, env)
    app = opened.app
    names = chosen_services(app, [service] if service else None)
    if len(names) > 1:
        raise ConfigError(f"error: {config_file.name} has {len(names)} services "
                          f"({', '.join(names)}): name one, e.g. `fargo {verb} {names[0]}`")
    stack = EnvServiceStack(app, names[0])
    return (Session(app.service(names[0]), opened.aws, notes=list(opened.notes)),
            ServiceTarget(names[0], stack.stack_name, stack.watched, config_file,
                          f"services.{names[0]}"))


def _config_file(invocation: Invocation, default: str) -> Path:
    import os

    if invocation.config is not None:
        return Path(invocation.config)
    return Path(os.environ.get("FARGO_CONFIG") or default)


def image_flag_lasting(invocation: Invocation) -> list[str]:
    """After `deploy --image X` on a single-service file: the image lasts
    only until the next deploy from the file; say which line makes it last."""
    from fargo.config.config_file import DEFAULT_CONFIG_FILE

    image = invocation.given_flags().get("image")
    if image is None:
        return []
    path = _config_file(invocation, DEFAULT_CONFIG_FILE)
    return ["this image runs until the next deploy from the file; to keep it:",
            f"  {setting_line(path, 'image', image)}"]


_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def setting_line(path: Path, setting: str, value: object, table: str | None = None) -> str:
    """Which line of the file to change so that `setting = value` lasts past the next deploy
    from the file; when the file does not set it, where to add it."""
    wanted = f"{setting} = {_toml(value)}"
    where = f"in [{table}]" if table else "at the top, before any [table]"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return f"add `{wanted}` to {path.name} ({where})"
    current = None
    key = re.compile(rf"^\s*{re.escape(setting)}\s*=")
    for number, line in enumerate(lines, start=1):
        header = _TABLE.match(line)
        if header:
            current = header.group(1)
            continue
        if current == table and key.match(line):
            return f"{path.name} line {number}: change `{line.strip()}` to `{wanted}`"
    return f"add `{wanted}` to {path.name} ({where})"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)
