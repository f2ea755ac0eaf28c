"""The `fargo` executable's entry point, tuned for start-up time.

Importing pydantic, troposphere and typer creates many objects; the garbage collector would
scan them repeatedly during start-up and once more at exit, for nothing (measured: about a
fifth of `fargo synth`'s wall time). Collection stays off while importing, and what was
imported is frozen so later collections skip it. pydantic's plugin discovery is switched off
for the same reason: it reads every installed package's metadata.
"""

import gc
import os


def main() -> None:
    # pydantic's plugin discovery scans every installed package's metadata; fargo uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    from fargo.cli.app import app

    gc.freeze()
    gc.enable()
    try:
        app()
    finally:
        gc.freeze()
