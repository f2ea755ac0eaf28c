"""Build the service's image with the docker CLI, push it to ECR and pin it by digest.

fargo drives the docker CLI rather than a Docker SDK: it is what the user already has, set up
with their contexts, builders and credential helpers. The ECR login token comes from boto3, so
the `aws` CLI is not needed. The task definition names the image by the digest ECR reports,
not by tag, so what runs is exactly what was pushed even if a tag were ever moved.
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import subprocess
from collections import deque
from collections.abc import Iterable

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code
from fargo.engine.build_context import check_build_context, image_tag
from fargo.engine.progress import Reporter
from fargo.errors import AwsError, ConfigError, FargoError

INFO_TIMEOUT_SECONDS = 30
TAIL_LINES = 15
# Lines worth passing on while docker runs: build steps (BuildKit plain progress and the
# classic builder) and the pushed digest; the rest is kept only for a failure's tail.
_BUILD_STEP = re.compile(r"^#\d+ \[(?:[\w.-]+ )?\d+/\d+\] |^Step \d+/\d+ : ")
_PUSHED = re.compile(r"digest: sha256:[0-9a-f]{64}")


class DockerCommandError(FargoError):
    """A docker command fargo ran failed: the user's build, their registry access or docker."""

    exit_code = 1

    def __init__(self, command: list[str], returncode: int, tail: list[str], advice: str) -> None:
        self.command = command
        self.returncode = returncode
        self.tail = tail
        headline = (f"error: `{shlex.join(command)}` failed (exit {returncode}): {advice}"
                    + (". Its last output:" if tail else ""))
        super().__init__("\n".join([headline, *(f"  {line}" for line in tail)]))


def check_docker(docker: str = "docker") -> str:
    """The docker executable's path, once its daemon answers; ConfigError says what to fix."""
    path = shutil.which(docker)
    if path is None:
        raise ConfigError(
            f"error: docker is not installed (no `{docker}` on PATH) and build needs it: install "
            "Docker (https://docs.docker.com/get-docker/), or set image to a pushed image "
            "instead of build"
        )
    try:
        process = subprocess.run(
            [path, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True,
            errors="replace", timeout=INFO_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ConfigError(
            f"error: the Docker daemon did not answer `docker info` in {INFO_TIMEOUT_SECONDS} s: "
            "start Docker (or restart it) and run it again"
        ) from None
    if process.returncode != 0:
        reason = _first_line(process.stderr) or _first_line(process.stdout) or (
            f"`docker info` exited {process.returncode}")
        if "permission denied" in reason.lower():
            advice = "give your user access to Docker (e.g. the docker group) and run it again"
        else:
            advice = "start Docker and run it again"
        raise ConfigError(f"error: the Docker daemon is not reachable ({reason}): {advice}")
    return path


def ecr_login(aws: AwsContext, registry_host: str, docker: str = "docker") -> None:
    """Log docker in to the registry; the password goes to docker on stdin and nowhere else."""
    with aws_call("getting an ECR login token (ecr:GetAuthorizationToken)"):
        data = aws.client("ecr").get_authorization_token()["authorizationData"][0]
    username, _, password = base64.b64decode(data["authorizationToken"]).decode().partition(":")
    command = [docker, "login", "--username", username, "--password-stdin", registry_host]
    process = subprocess.run(command, input=password, capture_output=True, text=True,
                             errors="replace")
    if process.returncode != 0:
        output = masked(process.stdout + process.stderr, [password, data["authorizationToken"]])
        raise DockerCommandError(
            command, process.returncode, _tail(output.splitlines()),
            f"could not log in to {registry_host}: check that Docker can reach it",
        )


MASK = "********"
SECRET_PIECE = 12  # an echo that shares this many characters in a row with a secret is masked


def masked(text: str, secrets: Iterable[str]) -> str:
    """`text` with every echo of the secrets masked: not only a secret whole, but any run of
    SECRET_PIECE or more of its characters, wherever it stands (inside a longer line, cut
    short, wrapped across lines, quoted)."""
    secrets = [secret for secret in secrets if secret]
    for secret in secrets:
        text = text.replace(secret, MASK)
    pieces = {secret[i:i + SECRET_PIECE] for secret in secrets
              for i in range(len(secret) - SECRET_PIECE + 1)}
    hidden = [False] * len(text)
    for start in range(len(text) - SECRET_PIECE + 1):
        if text[start:start + SECRET_PIECE] in pieces:
            hidden[start:start + SECRET_PIECE] = [True] * SECRET_PIECE
    out, index = [], 0
    while index < len(text):
        if hidden[index]:
            while index < len(text) and hidden[index]:
                index += 1
            out.append(MASK)
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


def build_and_push(
    aws: AwsContext, context: str | os.PathLike[str], repository_uri: str, platform: str,
    reporter: Reporter, docker: str = "docker", tag: str | None = None,
) -> str:
    """Build, push, and return the image as `URI@sha256:...`, the digest ECR recorded."""
    directory = check_build_context(context)
    check_docker(docker)
    tag = tag or image_tag(directory)
    reference = f"{repository_uri}:{tag}"
    registry_host, _, repository_name = repository_uri.partition("/")

    reporter.step(f"building {reference} for {platform} from {directory}")
    _run(reporter, [docker, "build", "--platform", platform, "-t", reference, str(directory)],
         "fix the Dockerfile or the build context and run it again")
    reporter.step(f"logging in to {registry_host}")
    ecr_login(aws, registry_host, docker)
    reporter.step(f"pushing {reference}")
    _run(reporter, [docker, "push", reference],
         "check the repository exists and this identity may push to it (ecr:PutImage)")
    digest = pushed_digest(aws, repository_name, tag)
    reporter.note(f"pushed {repository_uri}@{digest}")
    return f"{repository_uri}@{digest}"


def pushed_digest(aws: AwsContext, repository_name: str, tag: str) -> str:
    """ECR's digest of the tag: the registry's record, not docker's output, is authoritative."""
    from botocore.exceptions import ClientError

    with aws_call(f"reading the pushed image {repository_name}:{tag} (ecr:DescribeImages)"):
        try:
            details = aws.client("ecr").describe_images(
                repositoryName=repository_name, imageIds=[{"imageTag": tag}],
            )["imageDetails"]
        except ClientError as error:
            if error_code(error) != "ImageNotFoundException":
                raise
            details = []
    if not details:
        raise AwsError(
            f"error: docker pushed {repository_name}:{tag} but ECR does not list it: check that "
            "docker pushed to this account and region, and run it again"
        )
    return details[0]["imageDigest"]


def count_images(aws: AwsContext, repository_name: str) -> int:
    """Images in the repository (each digest once, however many tags); 0 if it is gone."""
    from botocore.exceptions import ClientError

    digests: set[str] = set()
    with aws_call(f"counting the images in {repository_name} (ecr:DescribeImages)"):
        try:
            pages = aws.client("ecr").get_paginator("describe_images").paginate(
                repositoryName=repository_name,
            )
            for page in pages:
                digests.update(image["imageDigest"] for image in page["imageDetails"])
        except ClientError as error:
            if error_code(error) != "RepositoryNotFoundException":
                raise
            return 0
    return len(digests)


def _run(reporter: Reporter, command: list[str], advice: str) -> None:
    """Run a docker command, passing its notable lines on as they come and keeping its tail."""
    tail: deque[str] = deque(maxlen=TAIL_LINES)
    seen: set[str] = set()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          stdin=subprocess.DEVNULL, text=True, errors="replace") as process:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.rstrip()
            if not line:
                continue
            tail.append(line)
            if (_BUILD_STEP.search(line) or _PUSHED.search(line)) and line not in seen:
                seen.add(line)
                reporter.note(line)
    if process.returncode != 0:
        raise DockerCommandError(command, process.returncode, list(tail), advice)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _tail(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip()][-TAIL_LINES:]
