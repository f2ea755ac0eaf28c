"""Errors a person can act on: each carries the exit code the CLI should use."""

from __future__ import annotations


class FargoError(Exception):
    """A failure fargo explains in one line per problem; never shown as a traceback."""

    exit_code = 1

    def __init__(self, *problems: str) -> None:
        self.problems = [p for p in problems if p]
        super().__init__("\n".join(self.problems))


class ConfigError(FargoError):
    """Bad input: settings, flags or files. Nothing was generated or changed."""

    exit_code = 2


class AwsError(FargoError):
    """AWS refused or failed a call, or a stack operation failed."""

    exit_code = 1
