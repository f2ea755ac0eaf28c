"""The end of a `--local` deploy: keep the emulator serving until Ctrl-C (with the commands to
try from another terminal), or tear down what the deploy made."""

from __future__ import annotations

from collections.abc import Callable


def serve_or_tear_down(url: str, keep_running: bool, try_commands: list[str],
                       tear_down: Callable[..., object]) -> None:
    """`tear_down(reporter)` returns the DestroyResult that print_destroy shows."""
    from fargo.cli.render import RichReporter, console, print_destroy
    from fargo.commands.local import serve_until_interrupted

    if keep_running:
        tries = "".join(f"  {line}\n" for line in try_commands)
        console.print(f"\nemulator running at [bold]{url}[/] — try, from another terminal:\n"
                      f"{tries}press Ctrl-C to stop it (its state is lost)")
        serve_until_interrupted()
        console.print("stopping the emulator")
        return
    console.print("tearing the local deploy down (use --keep-running to keep it)")
    with RichReporter() as reporter:
        destroyed = tear_down(reporter)
    print_destroy(destroyed)
