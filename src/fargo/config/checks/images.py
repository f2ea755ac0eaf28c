"""Container image references, checked as Docker parses them and as ECS accepts them.

Grammar (github.com/distribution/reference): `[host[:port]/]path[:tag][@digest]` where the
first path component is a registry host only if it holds a `.` or `:` or is `localhost`; path
components are lowercase alphanumerics joined by `.`, `_`, `__` or dashes; a tag is
`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. ECS takes at most 255 characters (before the `@` for a
digest) and only sha256 digests of 64 hex digits.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_IMAGE_LENGTH = 255
_HOST_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_HOST = re.compile(
    rf"(?:{_HOST_COMPONENT}(?:\.{_HOST_COMPONENT})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
)
_PATH_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"sha256:[0-9a-fA-F]{64}")


def image_problem(reference: str) -> str | None:
    """Why Docker or ECS would refuse this image reference, or None."""
    if not reference or reference != reference.strip():
        return "is empty or starts or ends with a space: give e.g. nginx:1.27"
    if any(c.isspace() for c in reference):
        return "holds a space: an image reference has none, e.g. nginx:1.27"
    name, at, digest = reference.partition("@")
    if len(name) > MAX_IMAGE_LENGTH:
        return (f"is {len(name)} characters long: ECS takes at most {MAX_IMAGE_LENGTH} "
                "(before any @digest)")
    if at and not _DIGEST.fullmatch(digest):
        return "has a digest that is not sha256: followed by 64 hex digits"
    host, path, tag = _split(name)
    if host is not None and not _HOST.fullmatch(host):
        return f"has a registry host {host!r} that is not a host name[:port]"
    if not path:
        return "names no repository: give e.g. nginx:1.27 or registry.example.com/team/app:1"
    for component in path.split("/"):
        if not _PATH_COMPONENT.fullmatch(component):
            return (f"has a repository part {component!r} Docker refuses: use lowercase letters, "
                    "digits and single . _ __ or - between them")
    if tag is not None and not _TAG.fullmatch(tag):
        return (f"has a tag {tag!r} Docker refuses: up to 128 letters, digits, _ . -, "
                "not starting with . or -")
    return None


def _split(name: str) -> tuple[str | None, str, str | None]:
    """(registry host or None, repository path, tag or None) of a reference without digest."""
    host = None
    first, slash, rest = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        host, name = first, rest
    path, colon, tag = name.partition(":")
    return host, path, (tag if colon else None)


SAMPLE_IMAGE = "amazon/amazon-ecs-sample"
_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[a-z0-9._/-]+?)(:[^@/]+)?(@.+)?\Z"
)


class EcrRepository(NamedTuple):
    account: str
    region: str
    name: str


def ecr_repository(image: str) -> EcrRepository | None:
    """The private ECR repository an image reference names, or None for any other registry."""
    match = _ECR_IMAGE.match(image)
    return EcrRepository(match["account"], match["region"], match["repository"]) if match else None


def is_sample_image(image: str) -> bool:
    """The original's sample image (it answers only `/`), with or without a tag."""
    return image.split(":")[0] in (SAMPLE_IMAGE, f"docker.io/{SAMPLE_IMAGE}")
