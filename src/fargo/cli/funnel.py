"""The one error funnel (httpie's `main()`): every exception that reaches the top of the app
becomes one line per problem on stderr and an exit code from `ExitCode`.

It sits in the click group's `main`, so `fargo`, `python -m fargo` and typer's CliRunner all
pass through it. A traceback appears only with `--debug` (the error is then raised as is).
"""

from __future__ import annotations

import contextvars
import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from fargo.errors import ExitCode, FargoError

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as usage
except ImportError:  # pragma: no cover - older typer runs on click itself
    from click import exceptions as usage

# Set by the command wrapper once `--debug` is parsed: errors are then raised, not reported.
debug_requested: contextvars.ContextVar[bool] = contextvars.ContextVar("fargo_debug",
                                                                       default=False)

# The command being parsed ("fargo status"), for usage errors that carry no context.
_command_path: contextvars.ContextVar[str] = contextvars.ContextVar("fargo_command",
                                                                    default="fargo")
INTERRUPTED = ("interrupted: any stack operation already started goes on in AWS; "
               "see `fargo status`")
_SHOWN = 80  # echoed values are cut to this many characters


class FunnelGroup(TyperGroup):
    """fargo's command group: parses, runs the command, and funnels whatever it raises."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             windows_expand_args: bool = True, **extra: Any) -> Any:
        args = sys.argv[1:] if args is None else list(args)
        debug_requested.set(False)
        _command_path.set(prog_name or "fargo")
        try:
            with self.make_context(prog_name or "fargo", args, **extra) as ctx:
                self.invoke(ctx)
            code = int(ExitCode.DONE)
        except typer.Exit as done:
            code = done.exit_code
        except (Exception, KeyboardInterrupt) as error:
            if debug_requested.get():
                raise
            code = report(error)
        if standalone_mode:
            sys.exit(code)
        return code

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if name:
            _command_path.set(f"{ctx.command_path} {name}")
        return name, command, rest


def report(error: BaseException) -> int:
    """Print `error`'s lines to stderr; return the exit code it means."""
    if isinstance(error, BrokenPipeError):  # `fargo synth | head`: the reader left
        try:  # keep Python's exit-time flush of stdout quiet
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return int(ExitCode.FAILED)
    lines, code = describe(error)
    for line in lines:
        print(line, file=sys.stderr)
    return int(code)


def describe(error: BaseException) -> tuple[list[str], int]:
    """The lines and exit code for any exception (the funnel's single mapping)."""
    if isinstance(error, FargoError):
        lines = error.problems or [str(error)]
        return [line if line.startswith(("error:", "interrupted:")) else f"error: {line}"
                for line in lines], error.exit_code
    if isinstance(error, (KeyboardInterrupt, typer.Abort)):
        return [INTERRUPTED], ExitCode.INTERRUPTED
    if isinstance(error, usage.NoArgsIsHelpError):  # bare `fargo`: its help
        return [error.format_message()], ExitCode.BAD_INPUT
    if isinstance(error, usage.ClickException):
        return [usage_line(error)], ExitCode.BAD_INPUT
    aws = _aws_failure(error)
    if aws is not None:
        return describe(aws)
    if isinstance(error, OSError):
        return [os_line(error)], ExitCode.FAILED
    return [f"error: unexpected {type(error).__name__}: {one_line(str(error), 200)}: run "
            "again with --debug and report it"], ExitCode.FAILED


def usage_line(error: Exception) -> str:
    """click's usage errors as one line, with "did you mean" for unknown options/commands."""
    import difflib

    ctx = getattr(error, "ctx", None)
    where = ctx.command_path if ctx is not None else _command_path.get()
    see = f"see `{where} -h`"
    if isinstance(error, usage.NoSuchOption):
        known = [o for p in ctx.command.get_params(ctx) for o in p.opts + p.secondary_opts] \
            if ctx is not None else []
        close = difflib.get_close_matches(error.option_name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"{see} for its options"
        return f"error: `{where}` has no option {one_line(error.option_name)}: {hint}"
    message = str(getattr(error, "message", "") or error)
    unknown = re.match(r"No such command '(.*)'\.", message, re.DOTALL)
    if unknown and ctx is not None:
        close = difflib.get_close_matches(unknown[1], list(getattr(ctx.command, "commands", {})),
                                          n=1)
        hint = f"did you mean {close[0]}?" if close else f"{see} for the commands"
        return f"error: fargo has no command {one_line(repr(unknown[1]))}: {hint}"
    message = one_line(error.format_message(), 200).rstrip(".")
    return f"error: {message[:1].lower() + message[1:]}: {see}"


def os_line(error: OSError) -> str:
    """An OS error with its path(s) and the system's reason."""
    reason = error.strerror or str(error) or type(error).__name__
    paths = [str(p) for p in (error.filename, error.filename2) if p is not None]
    if paths:
        return (f"error: {' -> '.join(paths)}: {reason}: check the path and its permissions, "
                "then run it again")
    return f"error: {type(error).__name__}: {reason}: run it again, or with --debug to see where"


def one_line(text: str, limit: int = _SHOWN) -> str:
    """`text` on one line, cut to `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _aws_failure(error: BaseException) -> FargoError | None:
    """A botocore error (or an unreadable answer inside a botocore call) as fargo's error."""
    from fargo.commands.failures import aws_failure

    return aws_failure(error)
