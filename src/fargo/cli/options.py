"""The options of each command, and one flag per setting, generated from the Settings model.

Generating the flags keeps the model the single source of truth: a new setting gets its
flag, its FARGO_* variable and its fargo.toml key at once. Each command takes only what it
uses: the commands that render or deploy take every setting; `status` and `destroy` take the
identity (name, environment, region) that finds the stack.

Errors are not caught here: they reach the one funnel in `fargo.cli.funnel`.
"""

import functools
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from fargo.cli.funnel import debug_requested
from fargo.commands.invocation import (
    ALL_SETTINGS,
    IDENTITY,
    Invocation,
    SettingFlag,
    load_settings,
    setting_flags,
)
from fargo.errors import ConfigError

__all__ = ["ALL_SETTINGS", "IDENTITY", "JSON_NEEDS_YES_OPTION", "JSON_OPTION", "YES_OPTION",
           "Invocation", "command", "print_advisories", "require_consent",
           "require_yes_for_json", "settings_of"]

# Options several commands take, defined once.
YES_OPTION = typer.Option(False, "--yes", "-y", help="Apply without asking")
JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object on stdout")
# A command that changes something: stdout holds only the object, so there is no prompt.
JSON_NEEDS_YES_OPTION = typer.Option(
    False, "--json", help="Print one JSON object on stdout (needs --yes); progress on stderr")

SETTINGS_PANEL = "Settings (override fargo.toml and FARGO_* variables)"
GLOBAL_PANEL = "Global options"


def settings_of(invocation: Invocation):
    """The validated settings; their advisories go to stderr (stdout may hold a template)."""
    settings, advisories = load_settings(invocation)
    print_advisories(advisories)
    return settings


def require_yes_for_json(as_json: bool, yes: bool, verb: str) -> None:
    if as_json and not yes:
        raise ConfigError(f"error: {verb} --json needs --yes (stdout holds only the JSON, so "
                          "there is no prompt): add --yes")


def require_consent(yes: bool, what: str) -> None:
    """Validate before any AWS call: without a terminal, only --yes can say yes."""
    from fargo.cli.render import is_interactive

    if not yes and not is_interactive():
        raise ConfigError(f"error: {what} needs confirmation and there is no terminal: "
                          "pass --yes to proceed without a prompt")


def print_advisories(lines: Sequence[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr)


def _option(name: str, default: Any, *decls: str, help: str, annotation: Any,
            **extra: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
        default=typer.Option(default, *decls, help=help, rich_help_panel=GLOBAL_PANEL, **extra),
    )


def _global_parameters(aws: bool, local: bool) -> list[inspect.Parameter]:
    """--config and --debug everywhere; --profile, --endpoint-url and --local where AWS is
    called. `local=False` keeps a hidden --local only to refuse it with what to do instead."""
    parameters = [_option("global_config", None, "--config", "-c", annotation=Path | None,
                          dir_okay=False, metavar="FILE",
                          help="Settings file (default ./fargo.toml, or FARGO_CONFIG)")]
    if aws:
        parameters += [
            _option("global_profile", None, "--profile", annotation=str | None, metavar="NAME",
                    help="AWS profile to use (default: the AWS SDK's own choice)"),
            _option("global_endpoint_url", None, "--endpoint-url", annotation=str | None,
                    metavar="URL",
                    help="Send every AWS call to this AWS-compatible endpoint (http or https)"),
            _option("global_local", False, "--local", annotation=bool, hidden=not local,
                    help="Use fargo's embedded local AWS emulator (no AWS account needed)"),
        ]
    parameters.append(_option("global_debug", False, "--debug", annotation=bool,
                              help="Show tracebacks for errors"))
    return parameters


def _setting_parameters(names: Sequence[str]) -> list[inspect.Parameter]:
    """One flag per setting. Values stay text here (parse_text and the model turn them into
    numbers, lists and tables), so every error names the flag as its source."""
    return [_setting_parameter(flag) for flag in setting_flags(names)]


def _setting_parameter(setting: SettingFlag) -> inspect.Parameter:
    if setting.boolean:
        decls, annotation, extra = (f"{setting.flag}/--no-{setting.flag[2:]}",), bool | None, {}
    else:
        decls, annotation, extra = (setting.flag,), str | None, {"metavar": setting.metavar}
    return inspect.Parameter(
        f"setting_{setting.name}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
        default=typer.Option(None, *decls, help=setting.help, rich_help_panel=SETTINGS_PANEL,
                             show_default=False, **extra),
    )


def command(settings: Sequence[str] = ALL_SETTINGS, aws: bool = False, local: bool = False):
    """Decorate a command taking `invocation: Invocation` with the options it uses.

    `settings`: the setting flags it takes; `aws`: it calls AWS (--profile, --endpoint-url,
    --local); `local=False` on such a command refuses --local, whose emulator would be empty.
    """

    def decorate(func):
        signature = inspect.signature(func)
        own = [p for p in signature.parameters.values() if p.name != "invocation"]
        extra = _global_parameters(aws, local) + _setting_parameters(settings)

        @functools.wraps(func)
        def wrapper(**kwargs):
            debug = kwargs.pop("global_debug")
            debug_requested.set(debug)
            invocation = Invocation(
                config=kwargs.pop("global_config"), profile=kwargs.pop("global_profile", None),
                endpoint_url=kwargs.pop("global_endpoint_url", None),
                local=kwargs.pop("global_local", False), debug=debug,
                flags={name: kwargs.pop(f"setting_{name}") for name in settings},
            )
            if invocation.local and not local:
                raise _no_emulator_here(func.__name__)
            return func(invocation=invocation, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=own + extra)
        del wrapper.__wrapped__
        return wrapper

    return decorate


def _no_emulator_here(command_name: str) -> ConfigError:
    return ConfigError(
        f"error: `fargo {command_name} --local` would start a new, empty emulator: run "
        "`fargo deploy --local --keep-running` in another terminal and pass the URL it prints "
        f"with --endpoint-url (fargo {command_name} --endpoint-url URL --region us-east-1)"
    )
