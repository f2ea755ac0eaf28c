"""Options every command shares, and one flag per setting, generated from the Settings model.

Generating the flags keeps the model the single source of truth: a new setting gets its
flag, its FARGO_* variable and its fargo.toml key at once.
"""

import functools
import inspect
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from fargo.config import Settings, load_settings
from fargo.config.sources import flag_name
from fargo.errors import FargoError

SETTINGS_PANEL = "Settings (override fargo.toml and FARGO_* variables)"
GLOBAL_PANEL = "Global options"


@dataclass
class Invocation:
    """What a command was asked, before any AWS call: global options and setting flags."""

    config: Path | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    local: bool = False
    debug: bool = False
    flags: dict[str, Any] = field(default_factory=dict)

    def settings(self, **overrides: Any) -> Settings:
        flags = {k: v for k, v in self.flags.items() if v is not None}
        flags.update(overrides)
        return load_settings(self.config, flags)


def _global_parameters() -> list[inspect.Parameter]:
    def option(name, default, *decls, help, annotation=None):
        return inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY,
            default=typer.Option(default, *decls, help=help, rich_help_panel=GLOBAL_PANEL,
                                 dir_okay=False) if annotation is Path else
            typer.Option(default, *decls, help=help, rich_help_panel=GLOBAL_PANEL),
            annotation=annotation or (str | None if default is None else bool),
        )

    return [
        option("global_config", None, "--config", "-c", annotation=Path | None,
               help="Settings file (default ./fargo.toml, or FARGO_CONFIG)"),
        option("global_profile", None, "--profile",
               help="AWS profile to use (default: the AWS SDK's own choice)"),
        option("global_endpoint_url", None, "--endpoint-url",
               help="Send every AWS call to this AWS-compatible endpoint"),
        option("global_local", False, "--local",
               help="Use fargo's embedded local AWS emulator (no AWS account needed)"),
        option("global_debug", False, "--debug", help="Show tracebacks for errors"),
    ]


def _setting_parameters() -> list[inspect.Parameter]:
    parameters = []
    for name, model_field in Settings.model_fields.items():
        flag = flag_name(name)
        if model_field.annotation is bool:
            decls, annotation = (f"{flag}/--no-{flag[2:]}",), bool | None
        else:
            decls, annotation = (flag,), str | None
        parameters.append(inspect.Parameter(
            f"setting_{name}", inspect.Parameter.KEYWORD_ONLY, annotation=annotation,
            default=typer.Option(None, *decls, help=model_field.description,
                                 rich_help_panel=SETTINGS_PANEL, show_default=False),
        ))
    return parameters


def command(with_settings: bool = True):
    """Decorate a command taking `invocation: Invocation`: adds the shared options, turns
    FargoError into its one-line messages and exit code, and Ctrl-C into a calm exit."""

    def decorate(func):
        signature = inspect.signature(func)
        own = [p for p in signature.parameters.values() if p.name != "invocation"]
        extra = _global_parameters() + (_setting_parameters() if with_settings else [])

        @functools.wraps(func)
        def wrapper(**kwargs):
            invocation = Invocation(
                config=kwargs.pop("global_config"), profile=kwargs.pop("global_profile"),
                endpoint_url=kwargs.pop("global_endpoint_url"), local=kwargs.pop("global_local"),
                debug=kwargs.pop("global_debug"),
                flags={name: kwargs.pop(f"setting_{name}", None) for name in Settings.model_fields},
            )
            try:
                return func(invocation=invocation, **kwargs)
            except FargoError as error:
                if invocation.debug:
                    raise
                report_error(error)
                raise typer.Exit(error.exit_code) from None
            except KeyboardInterrupt:
                if invocation.debug:
                    raise
                print("interrupted: any stack operation already started goes on in AWS; "
                      "see `fargo status`", file=sys.stderr)
                raise typer.Exit(130) from None

        wrapper.__signature__ = signature.replace(parameters=own + extra)
        del wrapper.__wrapped__
        return wrapper

    return decorate


def report_error(error: FargoError) -> None:
    for line in error.problems or [str(error)]:
        text = line if line.startswith("error:") else f"error: {line}"
        print(text, file=sys.stderr)
