"""`fargo exec`: a shell (or a command) in a running task of the service."""

from __future__ import annotations

import typer
from typer.core import TyperCommand

from fargo.cli.app_help import examples
from fargo.cli.options import IDENTITY, Invocation, command
from fargo.cli.services import ENV_OPTION

EXAMPLES = examples(
    "fargo exec                          # a shell in the only running task",
    "fargo exec -- ls -la /app",
    "fargo exec api --task 0123456789abcdef0123456789abcdef -- env",
)
AFTER_DASHES = "fargo_exec_command"


class DashDashCommand(TyperCommand):
    """Keeps what follows `--` apart (click would make it positional like SERVICE), so
    `fargo exec -- ls` runs ls in the only service instead of looking for a service `ls`."""

    def collect_usage_pieces(self, ctx):
        return [*super().collect_usage_pieces(ctx), "[-- COMMAND...]"]

    def parse_args(self, ctx, args):
        if "--" in args:
            at = args.index("--")
            ctx.meta[AFTER_DASHES] = list(args[at + 1:])
            args = list(args[:at])
        return super().parse_args(ctx, args)


def exec_(
    invocation: Invocation,
    context: typer.Context,
    service: str | None = typer.Argument(None, metavar="SERVICE",
                                         help="The service (default: the only one), then the "
                                         "command after -- (default: a shell)"),
    task: str | None = typer.Option(None, "--task", metavar="ID",
                                    help="The running task (default: the only one, or ask)"),
    env: str | None = ENV_OPTION,
) -> None:
    """Open a shell (or run COMMAND) in a running task of the service, by ECS Exec. Needs the
    Session Manager plugin (session-manager-plugin) on PATH and ecs_exec on."""
    from fargo.cli.render import console, is_interactive
    from fargo.commands.exec import DEFAULT_COMMAND, find_plugin, hand_over, open_exec
    from fargo.commands.logs import task_id_of
    from fargo.commands.service_target import open_target

    argv = context.meta.get(AFTER_DASHES) or list(DEFAULT_COMMAND)
    task_id = task_id_of(task) if task else None
    find_plugin()  # before any AWS call: exit 2 with how to install it
    session, target = open_target(invocation, service, env, "exec")
    with session:
        chooser = _ask if is_interactive() else None
        opened = open_exec(session.aws, target, argv, task_id, chooser)
    console.print(f"task {opened.task_id}, container {opened.container}: {' '.join(argv)}",
                  markup=False)
    code = hand_over(opened)
    if code:
        raise typer.Exit(code)


def _ask(tasks):
    from fargo.cli.render import console

    for number, task in enumerate(tasks, start=1):
        started = f"started {task.started_at:%Y-%m-%d %H:%M}" if task.started_at else ""
        console.print(f"  {number}. {task.task_id} {started}")
    choice = typer.prompt("Which task", type=typer.IntRange(1, len(tasks)), default=1,
                          err=True)
    return tasks[choice - 1]


def register(app: typer.Typer) -> None:
    app.command("exec", cls=DashDashCommand, short_help="Open a shell in a running task.",
                epilog=EXAMPLES)(command(settings=IDENTITY, aws=True)(exec_))
