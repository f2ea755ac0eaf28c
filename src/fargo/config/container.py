"""The container's environment: names a shell can use, and a size the task definition holds.

ECS refuses a task definition over 64 KiB; the environment is written into it, beside the
rest of the container's definition (a few KiB at most, kept free here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from fargo.config.text import shown

TASK_DEFINITION_LIMIT = 64 * 1024
ENVIRONMENT_BUDGET = TASK_DEFINITION_LIMIT - 4 * 1024
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def environment_problem(variables: Mapping[str, str]) -> str | None:
    """Why ECS (or a shell) would refuse this container environment, or None."""
    for name in variables:
        if not _NAME.fullmatch(name):
            return (f"{shown(name)} is not a valid environment variable name: use letters, "
                    "digits and _, not starting with a digit")
    size = environment_size(variables)
    if size > ENVIRONMENT_BUDGET:
        return (f"takes {size:,} bytes in the task definition, which ECS limits to "
                f"{TASK_DEFINITION_LIMIT // 1024} KiB in all: keep it under "
                f"{ENVIRONMENT_BUDGET // 1024} KiB (put large values in S3 or Secrets Manager)")
    return None


def environment_size(variables: Mapping[str, str]) -> int:
    """Bytes the variables take as the task definition's JSON `environment` list."""
    entries = [{"name": k, "value": v} for k, v in variables.items()]
    return len(json.dumps(entries, ensure_ascii=False).encode("utf-8"))
