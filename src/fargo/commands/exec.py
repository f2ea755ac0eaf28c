"""`fargo exec`: a shell (or a command) in one of the service's running tasks, by ECS Exec.

Checks first what would make the session fail with an unclear message: the Session Manager
plugin (exit 2, how to install it), a running task, and Exec turned on for the service and
the task (which setting turns it on).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fargo.commands.service_target import ServiceTarget
from fargo.engine.aws import AwsContext
from fargo.engine.exec_session import ExecSession, find_plugin, start_session
from fargo.engine.exec_session import hand_over as hand_over  # the CLI hands the session over
from fargo.engine.logs import TaskInfo, describe_tasks, running_service, service_tasks
from fargo.errors import AwsError, ConfigError

DEFAULT_COMMAND = ("/bin/sh",)

# Given the running tasks (more than one), the one to use; None: the caller cannot ask.
Chooser = Callable[[list[TaskInfo]], TaskInfo | None]


def open_exec(aws: AwsContext, target: ServiceTarget, command: Sequence[str] = DEFAULT_COMMAND,
              task: str | None = None, choose: Chooser | None = None,
              plugin_path: str | None = None) -> ExecSession:
    """Everything before the plugin runs: checks, the task, ExecuteCommand."""
    plugin = find_plugin(plugin_path)
    running = running_service(aws, target.stack_name, target.watched)
    if not running.exec_enabled:
        raise ConfigError(
            f"error: ECS Exec is off for {target.service}: "
            f"{target.file_line('ecs_exec', True)}, then `fargo deploy` (ecs_exec is off by "
            "default with network = \"isolated\" or a read-only root file system)")
    chosen = _task(aws, running, target, task, choose)
    if not chosen.exec_enabled:
        raise AwsError(f"error: task {chosen.task_id} was started before ECS Exec was turned "
                       "on: wait for the deploy's new tasks (`fargo status`), then try again")
    if not chosen.runtime_id:
        raise AwsError(f"error: the container of task {chosen.task_id} has not started yet: "
                       "try again in a moment")
    return start_session(aws, running, chosen, list(command) or list(DEFAULT_COMMAND), plugin)


def _task(aws, running, target: ServiceTarget, task: str | None,
          choose: Chooser | None) -> TaskInfo:
    if task is not None:
        found = describe_tasks(aws, running, [task])
        if not found:
            raise ConfigError(f"error: --task {task} is not a task of {target.service}: see "
                              "`fargo status` for its running tasks")
        if found[0].last_status != "RUNNING":
            raise ConfigError(f"error: task {task} is {found[0].last_status}, not RUNNING: "
                              f"see `fargo logs --task {task}` for why")
        return found[0]
    tasks = service_tasks(aws, running, "RUNNING")
    if not tasks:
        raise AwsError(f"error: {target.service} has no running task: see `fargo status` and "
                       "`fargo logs --previous`")
    if len(tasks) == 1:
        return tasks[0]
    chosen = choose(tasks) if choose is not None else None
    if chosen is None:
        ids = ", ".join(t.task_id for t in tasks[:5])
        raise ConfigError(f"error: {target.service} runs {len(tasks)} tasks and there is no "
                          f"terminal to ask which: pass --task ID (one of {ids})")
    return chosen
