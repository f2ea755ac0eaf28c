"""The build context of `build`: that it is a directory with a Dockerfile, who the Dockerfile
runs as, and the tag an image built from it gets (the git commit, or a digest of the files,
and the time), all read without docker."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from fargo.errors import ConfigError

DOCKERFILES = ("Dockerfile", "dockerfile")  # the names `docker build` finds without -f


def check_build_context(path: str | os.PathLike[str]) -> Path:
    """The build directory, resolved, once it exists and holds a Dockerfile."""
    context = Path(path).expanduser()
    if not context.is_dir():
        what = "is not a directory" if context.exists() else "does not exist"
        raise ConfigError(
            f"error: build directory {path} {what}: set build (fargo.toml or --build) to the "
            "directory that holds your Dockerfile"
        )
    if not any((context / name).is_file() for name in DOCKERFILES):
        raise ConfigError(
            f"error: build directory {path} has no Dockerfile: add one, or set build "
            "(fargo.toml or --build) to the directory that has it"
        )
    return context.resolve()


def dockerfile_user(context: str | os.PathLike[str]) -> str | None:
    """The user the built image runs as: the last USER of the Dockerfile's final stage (None:
    no USER, so root). Build arguments in it are left as written."""
    directory = Path(context).expanduser()
    path = next((directory / n for n in DOCKERFILES if (directory / n).is_file()), None)
    if path is None:
        return None
    user = None
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return None
    for line in _logical_lines(lines):
        instruction, _, argument = line.strip().partition(" ")
        keyword = instruction.upper()
        if keyword == "FROM":
            user = None  # each stage starts as its base image's user; fargo assumes root
        elif keyword == "USER" and argument.strip():
            user = argument.strip()
    return user


def runs_as_root(user: str | None) -> bool:
    return user is None or user.split(":")[0] in ("root", "0")


def _logical_lines(lines: list[str]) -> list[str]:
    """Dockerfile lines with backslash continuations joined and comments dropped."""
    joined, current = [], ""
    for raw in lines:
        if raw.lstrip().startswith("#"):
            continue
        if raw.rstrip().endswith("\\"):
            current += raw.rstrip()[:-1] + " "
            continue
        joined.append(current + raw)
        current = ""
    if current:
        joined.append(current)
    return joined


def image_tag(context: str | os.PathLike[str], now: datetime | None = None) -> str:
    """A tag no earlier build has: where the source came from, plus the UTC time.

    In a git checkout the short commit says which source it is ("-dirty" when the context has
    uncommitted changes); elsewhere a digest of the context's files does. ECR's tags are
    immutable, so the time keeps a rebuild of the same source from colliding with its last push.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S")
    source = _git_source(Path(context)) or _content_digest(Path(context))
    return f"{source}-{stamp}"


def _git_source(context: Path) -> str | None:
    """`COMMIT` or `COMMIT-dirty`, or None outside a git checkout (or without git)."""
    commit = _git(context, "rev-parse", "--short", "HEAD")
    if not commit:
        return None
    changes = _git(context, "status", "--porcelain", "--", ".")
    return f"{commit}-dirty" if changes else commit


def _git(context: Path, *args: str) -> str | None:
    try:
        process = subprocess.run(["git", *args], cwd=context, capture_output=True, text=True,
                                 errors="replace", stdin=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return process.stdout.strip() if process.returncode == 0 else None


def _content_digest(context: Path) -> str:
    """Twelve hex digits over every file's path and bytes, so the same files give the same."""
    digest = hashlib.sha256()
    for path in _files(context):
        digest.update(path.relative_to(context).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        else:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def _files(context: Path) -> Iterable[Path]:
    for root, directories, names in os.walk(context):
        directories[:] = sorted(d for d in directories if d != ".git")
        for name in sorted(names):
            yield Path(root) / name
