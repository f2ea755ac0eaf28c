"""Build, log in, push and pin by digest, with a stand-in `docker` on PATH and moto's ECR.

No docker engine runs here: the stand-in records each call's arguments and stdin, and answers
the way docker does (switchable by environment variables: daemon down, build or login failing).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engine_support import emulated_context
from moto import mock_aws

from fargo.engine.build_context import check_build_context, image_tag
from fargo.engine.image import (
    DockerCommandError,
    build_and_push,
    check_docker,
    count_images,
    ecr_login,
)
from fargo.engine.progress import RecordingReporter
from fargo.errors import ConfigError, FargoError

NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
STAMP = "20240102030405"
DOCKER_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
PUSHED_DIGEST = "sha256:" + "d" * 64
PASSWORD = "123456789012-auth-token"  # what moto's ecr:GetAuthorizationToken hands out
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469,
               "digest": "sha256:" + "c" * 64},
    "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 3208, "digest": "sha256:" + "b" * 64}],
})

FAKE_DOCKER = '''
import json, os, sys

args = sys.argv[1:]
stdin = "" if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()
with open(os.environ["FAKE_DOCKER_LOG"], "a") as log:
    log.write(json.dumps({"argv": args, "stdin": stdin}) + "\\n")
command = args[0] if args else ""
if command == "info":
    if os.environ.get("FAKE_DOCKER_DAEMON") == "down":
        sys.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
                         "Is the docker daemon running?\\n")
        sys.exit(1)
    print("28.2.2")
elif command == "build":
    print("#0 building with \\"default\\" instance using docker driver")
    print("#1 [internal] load build definition from Dockerfile")
    print("#5 [1/3] FROM docker.io/library/python:3.12-slim")
    print("#6 [2/3] WORKDIR /app")
    print("#5 [1/3] FROM docker.io/library/python:3.12-slim")
    if os.environ.get("FAKE_DOCKER_BUILD") == "fail":
        for n in range(1, 31):
            print(f"#7 0.{n:03d} compiling part {n}")
        sys.stdout.flush()  # docker's stderr comes after what it printed before
        sys.stderr.write("ERROR: failed to solve: process \\"/bin/sh -c make\\" did not "
                         "complete successfully: exit code: 2\\n")
        sys.exit(1)
    print("#7 [3/3] COPY app.py .")
    print("#8 naming to " + args[-2] + " done")
elif command == "login":
    if os.environ.get("FAKE_DOCKER_LOGIN") == "fail":
        print("Error response from daemon: login attempt with password " + stdin + " failed")
        sys.exit(1)
    print("Login Succeeded")
elif command == "push":
    tag = args[-1].rpartition(":")[2]
    print("5f70bf18a086: Pushed")
    print(tag + ": digest: ''' + PUSHED_DIGEST + ''' size: 856")
else:
    sys.stderr.write("fake docker: unknown command " + command + "\\n")
    sys.exit(125)
'''


@dataclass
class FakeDocker:
    log: Path

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def argv(self, command: str) -> list[list[str]]:
        return [c["argv"] for c in self.calls() if c["argv"][:1] == [command]]


@pytest.fixture
def docker(tmp_path, monkeypatch) -> FakeDocker:
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    script = bin_dir / "docker"
    script.write_text(f"#!{sys.executable}\n{FAKE_DOCKER}")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "docker-calls.jsonl"
    monkeypatch.setenv("FAKE_DOCKER_LOG", str(log))
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    return FakeDocker(log)


@pytest.fixture
def context(tmp_path) -> Path:
    directory = tmp_path / "app"
    directory.mkdir()
    (directory / "Dockerfile").write_text("FROM python:3.12-slim\nCOPY app.py .\n")
    (directory / "app.py").write_text("print('hello')\n")
    return directory


@pytest.fixture
def ecr():
    """moto's ECR with one repository; yields (aws context, repository URI, repository name)."""
    with mock_aws():
        aws = emulated_context()
        repo = aws.client("ecr").create_repository(repositoryName="l42-dev-repository-abc")
        yield aws, repo["repository"]["repositoryUri"], repo["repository"]["repositoryName"]


def register_pushed_image(aws, name: str, tag: str, manifest: str = MANIFEST) -> str:
    """What a real push leaves in ECR: the tag on an image with a digest."""
    image = aws.client("ecr").put_image(repositoryName=name, imageManifest=manifest,
                                        imageTag=tag)
    return image["image"]["imageId"]["imageDigest"]


def git(directory: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c",
         "commit.gpgsign=false", *args],
        cwd=directory, check=True, capture_output=True, text=True,
    ).stdout.strip()


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# Docker and the build context: exit-2 errors before anything runs.

def test_missing_docker_is_a_config_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="docker is not installed") as caught:
        check_docker()
    assert caught.value.exit_code == 2
    assert "install Docker" in str(caught.value)


def test_docker_daemon_down_is_a_config_error_saying_start_docker(docker, monkeypatch):
    monkeypatch.setenv("FAKE_DOCKER_DAEMON", "down")
    with pytest.raises(ConfigError) as caught:
        check_docker()
    message = str(caught.value)
    assert caught.value.exit_code == 2
    assert "start Docker" in message
    assert "Cannot connect to the Docker daemon" in message
    assert "\n" not in message


def test_running_docker_daemon_passes_the_check(docker):
    assert check_docker().endswith("docker")
    assert docker.argv("info") == [["info", "--format", "{{.ServerVersion}}"]]


def test_build_context_without_dockerfile_is_a_config_error_naming_build(tmp_path):
    (tmp_path / "app").mkdir()
    with pytest.raises(ConfigError, match=r"build directory .*app has no Dockerfile.*build"):
        check_build_context(tmp_path / "app")


def test_missing_build_directory_is_a_config_error_naming_build(tmp_path):
    with pytest.raises(ConfigError, match=r"build directory .*nowhere does not exist: set build"):
        check_build_context(tmp_path / "nowhere")


def test_build_without_dockerfile_runs_no_docker_command(docker, ecr, tmp_path):
    aws, uri, _ = ecr
    (tmp_path / "empty-app").mkdir()
    with pytest.raises(ConfigError, match="no Dockerfile"):
        build_and_push(aws, tmp_path / "empty-app", uri, "linux/amd64", RecordingReporter())
    assert docker.calls() == []


# The image tag.

@needs_git
def test_tag_in_a_clean_git_checkout_is_the_short_commit_and_utc_time(context, monkeypatch,
                                                                        tmp_path):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    git(context, "init", "-q")
    git(context, "add", ".")
    git(context, "commit", "-q", "-m", "app")
    commit = git(context, "rev-parse", "--short", "HEAD")
    tag = image_tag(context, now=NOW)
    assert tag == f"{commit}-{STAMP}"
    assert DOCKER_TAG.match(tag)


@needs_git
def test_tag_of_a_checkout_with_uncommitted_changes_says_dirty(context, monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    git(context, "init", "-q")
    git(context, "add", ".")
    git(context, "commit", "-q", "-m", "app")
    (context / "app.py").write_text("print('changed')\n")
    commit = git(context, "rev-parse", "--short", "HEAD")
    assert image_tag(context, now=NOW) == f"{commit}-dirty-{STAMP}"


def test_tag_outside_git_is_a_content_digest_and_utc_time(context, monkeypatch, tmp_path):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    first = image_tag(context, now=NOW)
    assert re.fullmatch(rf"[0-9a-f]{{12}}-{STAMP}", first)
    assert DOCKER_TAG.match(first)
    assert image_tag(context, now=NOW) == first
    (context / "app.py").write_text("print('changed')\n")
    assert image_tag(context, now=NOW) != first


def test_tag_time_is_utc_whatever_the_callers_zone(context, monkeypatch, tmp_path):
    from datetime import timedelta, timezone

    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    berlin_noon = datetime(2024, 1, 2, 4, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    assert image_tag(context, now=berlin_noon).endswith(f"-{STAMP}")


# Login, build, push, pin.

def test_build_login_and_push_run_in_order_with_the_platform_and_tag(docker, ecr, context):
    aws, uri, name = ecr
    register_pushed_image(aws, name, "v1")
    build_and_push(aws, context, uri, "linux/arm64", RecordingReporter(), tag="v1")
    host = uri.partition("/")[0]
    assert [c["argv"] for c in docker.calls()] == [
        ["info", "--format", "{{.ServerVersion}}"],
        ["build", "--platform", "linux/arm64", "-t", f"{uri}:v1", str(context.resolve())],
        ["login", "--username", "AWS", "--password-stdin", host],
        ["push", f"{uri}:v1"],
    ]


def test_build_and_push_returns_the_image_pinned_to_ecrs_digest(docker, ecr, context):
    aws, uri, name = ecr
    digest = register_pushed_image(aws, name, "v1")
    assert digest != PUSHED_DIGEST  # ECR's record wins over docker's output
    reference = build_and_push(aws, context, uri, "linux/amd64", RecordingReporter(), tag="v1")
    assert reference == f"{uri}@{digest}"


def test_generated_tag_is_the_one_built_and_pushed(docker, ecr, context, monkeypatch):
    aws, uri, name = ecr
    monkeypatch.setattr("fargo.engine.image.image_tag", lambda _context: "abc1234-" + STAMP)
    register_pushed_image(aws, name, "abc1234-" + STAMP)
    build_and_push(aws, context, uri, "linux/amd64", RecordingReporter())
    assert docker.argv("push") == [["push", f"{uri}:abc1234-{STAMP}"]]


def test_ecr_password_goes_to_docker_on_stdin_only(docker, ecr, context):
    aws, uri, name = ecr
    register_pushed_image(aws, name, "v1")
    reporter = RecordingReporter()
    build_and_push(aws, context, uri, "linux/amd64", reporter, tag="v1")
    logins = [c for c in docker.calls() if c["argv"][0] == "login"]
    assert [c["stdin"] for c in logins] == [PASSWORD]
    assert all(PASSWORD not in " ".join(c["argv"]) for c in docker.calls())
    assert all(c["stdin"] == "" for c in docker.calls() if c["argv"][0] != "login")
    assert PASSWORD not in reporter.text()


def test_failed_login_names_the_command_and_hides_the_password(docker, ecr, monkeypatch):
    aws, uri, _ = ecr
    monkeypatch.setenv("FAKE_DOCKER_LOGIN", "fail")
    with pytest.raises(DockerCommandError) as caught:
        ecr_login(aws, uri.partition("/")[0])
    assert "docker login --username AWS --password-stdin" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    assert "********" in str(caught.value)


def test_build_steps_and_the_push_are_reported_once_each(docker, ecr, context):
    aws, uri, name = ecr
    register_pushed_image(aws, name, "v1")
    reporter = RecordingReporter()
    build_and_push(aws, context, uri, "linux/amd64", reporter, tag="v1")
    text = reporter.text()
    assert f"step: building {uri}:v1 for linux/amd64" in text
    assert text.count("note: #5 [1/3] FROM docker.io/library/python:3.12-slim") == 1
    assert "note: #7 [3/3] COPY app.py ." in text
    assert "[internal]" not in text
    assert f"note: v1: digest: {PUSHED_DIGEST} size: 856" in text
    assert text.splitlines()[-1].startswith(f"note: pushed {uri}@sha256:")


def test_failing_build_surfaces_its_last_lines_and_exit_code(docker, ecr, context, monkeypatch):
    aws, uri, _ = ecr
    monkeypatch.setenv("FAKE_DOCKER_BUILD", "fail")
    with pytest.raises(DockerCommandError) as caught:
        build_and_push(aws, context, uri, "linux/amd64", RecordingReporter(), tag="v1")
    error = caught.value
    message = str(error)
    assert isinstance(error, FargoError) and not isinstance(error, ConfigError)
    assert error.exit_code == 1 and error.returncode == 1
    assert message.startswith(f"error: `docker build --platform linux/amd64 -t {uri}:v1 ")
    assert "failed (exit 1)" in message
    assert "ERROR: failed to solve" in message.splitlines()[-1]
    assert "compiling part 30" in message
    assert "compiling part 1\n" not in message  # only the tail
    assert [c["argv"][0] for c in docker.calls()] == ["info", "build"]


def test_push_that_ecr_does_not_list_is_an_aws_error(docker, ecr, context):
    from fargo.errors import AwsError

    aws, uri, _ = ecr
    with pytest.raises(AwsError, match="ECR does not list it"):
        build_and_push(aws, context, uri, "linux/amd64", RecordingReporter(), tag="v1")


# Counting images for the destroy confirmation.

def test_count_images_counts_each_image_once_however_many_tags(ecr):
    aws, _, name = ecr
    register_pushed_image(aws, name, "v1")
    register_pushed_image(aws, name, "v1-again")  # the same manifest: a second tag
    register_pushed_image(aws, name, "v2", MANIFEST.replace("b" * 64, "e" * 64))
    assert count_images(aws, name) == 2


def test_count_images_of_a_deleted_repository_is_zero(ecr):
    aws, _, name = ecr
    aws.client("ecr").delete_repository(repositoryName=name, force=True)
    assert count_images(aws, name) == 0
