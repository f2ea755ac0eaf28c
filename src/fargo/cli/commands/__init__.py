"""One module per command. Each module has `register(app)`, which adds its command (or its
group) to the application; the order here is the order of `fargo --help`.

A command module parses and prints, nothing else: it validates its own flags, asks (through
the hooks it gives the library), calls one library function in `fargo.commands`, renders the
result and recommends the next step. Heavy imports stay inside the command's function, so
`fargo --help` imports only these small modules.
"""

from __future__ import annotations

import importlib

import typer

# Modules of this package, in the order `fargo --help` lists them.
COMMANDS: tuple[str, ...] = (
    "init", "synth", "validate", "plan", "deploy", "status", "destroy", "env",
    "logs", "exec", "history", "rollback", "scale",
    "cost",
    "diagram",
)


def register_all(app: typer.Typer) -> None:
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(app)
