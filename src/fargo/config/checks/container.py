"""The container: its environment (names a shell can use, a size the task definition holds),
its user, capabilities and limits.

ECS refuses a task definition over 64 KiB; the environment is written into it, beside the
rest of the container's definition (a few KiB at most, kept free here).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from fargo.config.checks.text import shown

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


# Who the container runs as, and what it may do.

LINUX_CAPABILITIES = (
    "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
    "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT",
    "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
)
ULIMIT_NAMES = (
    "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
    "rss", "rtprio", "rttime", "sigpending", "stack",
)
_USER_PART = r"([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})"  # a UID or a user (group) name
USER = re.compile(rf"^{_USER_PART}(:{_USER_PART})?\Z")
CONTAINER_PATH = re.compile(r"^/[A-Za-z0-9._@+=,/-]{1,254}\Z")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")


def is_root_user(user: str | None) -> bool | None:
    """True for root (by name or UID 0), False for another user, None when the image decides."""
    if user is None:
        return None
    return user.split(":")[0] in ("0", "root")
