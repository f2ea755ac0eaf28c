"""Errors a person can act on, and the exit codes every command uses.

The exit-code table of the README is this enum; later commands add their own codes here.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    DONE = 0
    FAILED = 1  # AWS refused or failed, or a stack operation failed; a runtime failure
    BAD_INPUT = 2  # bad settings, flags or files, or a usage error: nothing was changed
    NOT_DEPLOYED = 3  # `status`: the service's stack does not exist here
    UNHEALTHY = 4  # `status`: deployed, but a task, rollout, target or alarm is not well
    CHANGES = 5  # `plan --exit-code`: a deploy would change something
    INTERRUPTED = 130  # Ctrl-C: an operation already started in AWS goes on there


class FargoError(Exception):
    """A failure fargo explains in one line per problem; never shown as a traceback."""

    exit_code = ExitCode.FAILED

    def __init__(self, *problems: str) -> None:
        self.problems = [p for p in problems if p]
        super().__init__("\n".join(self.problems))


class ConfigError(FargoError):
    """Bad input: settings, flags or files. Nothing was generated or changed."""

    exit_code = ExitCode.BAD_INPUT


class AwsError(FargoError):
    """AWS refused or failed a call, or a stack operation failed."""

    exit_code = ExitCode.FAILED
