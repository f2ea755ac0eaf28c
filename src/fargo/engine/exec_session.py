"""A shell (or a command) in a running task: ECS ExecuteCommand, then the Session Manager
plugin, handed the session exactly as the AWS CLI hands it (`aws ecs execute-command`):

    session-manager-plugin SESSION-JSON REGION StartSession PROFILE REQUEST-JSON ENDPOINT

where SESSION-JSON is ExecuteCommand's `session` (id, stream URL, token), REQUEST-JSON is
{"Target": "ecs:CLUSTER_TASK-ID_RUNTIME-ID"} (the container's runtime ID, from
DescribeTasks), PROFILE may be empty and ENDPOINT is the ECS client's endpoint. While the
plugin runs, Ctrl-C belongs to the remote shell, so this process ignores it, as the CLI does.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.logs import RunningService, TaskInfo
from fargo.errors import ConfigError

PLUGIN = "session-manager-plugin"
INSTALL_URL = ("https://docs.aws.amazon.com/systems-manager/latest/userguide/"
               "session-manager-working-with-install-plugin.html")


@dataclass(frozen=True)
class ExecSession:
    """What ExecuteCommand answered, and the plugin's arguments for it."""

    task_id: str
    container: str
    arguments: list[str]  # the plugin's command line, plugin first


def find_plugin(path: str | None = None) -> str:
    """The plugin's path; ConfigError (exit 2) saying how to install it when it is missing."""
    found = shutil.which(PLUGIN, path=path)
    if found is None:
        raise ConfigError(f"error: {PLUGIN} is not on PATH: fargo exec hands the session to "
                          f"it, as the AWS CLI does; install it (see {INSTALL_URL}; macOS: "
                          "`brew install --cask session-manager-plugin`), then try again")
    return found


def start_session(aws: AwsContext, running: RunningService, task: TaskInfo,
                  command: Sequence[str], plugin: str) -> ExecSession:
    """ExecuteCommand on the task's container, and the plugin's command line for it."""
    import shlex

    ecs = aws.client("ecs")
    with aws_call(f"starting a session in task {task.task_id}"):
        answer = ecs.execute_command(cluster=running.cluster, task=task.task_id,
                                     container=running.container, interactive=True,
                                     command=shlex.join(command))
    cluster = answer.get("clusterArn", running.cluster).rsplit("/", 1)[-1]
    task_id = answer.get("taskArn", task.task_id).rsplit("/", 1)[-1]
    target = f"ecs:{cluster}_{task_id}_{task.runtime_id}"
    arguments = [plugin, json.dumps(answer["session"]), aws.region, "StartSession",
                 aws.profile or "", json.dumps({"Target": target}), ecs.meta.endpoint_url]
    return ExecSession(task_id, answer.get("containerName", running.container), arguments)


def hand_over(session: ExecSession) -> int:
    """Run the plugin in this terminal until the session ends; its exit code."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return subprocess.call(session.arguments)  # signals belong to the main thread
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return subprocess.call(session.arguments)
    finally:
        signal.signal(signal.SIGINT, previous)
