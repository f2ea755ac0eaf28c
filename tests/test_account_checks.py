"""Settings only the account can check, refused before any change set (exit 2)."""

from __future__ import annotations

import json

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for

from fargo.commands.deploy import build_warnings, check_against_account, plan_service
from fargo.engine.aws import AwsContext
from fargo.engine.build_context import dockerfile_user, runs_as_root
from fargo.engine.stack import describe_stack
from fargo.errors import ConfigError


def test_more_zones_than_the_region_offers_is_refused_before_any_change_set(aws):
    west = AwsContext(region="us-west-1", emulated=True)  # two zones
    settings = settings_for(region="us-west-1", certificate_arn=None, https=False, az_count=3)
    with pytest.raises(ConfigError, match=r"az_count \(3\) is more than the 2 availability"):
        plan_service(west, settings, timing=FAST)
    assert describe_stack(west, settings.stack_name) is None


def test_zones_the_region_offers_pass(aws):
    check_against_account(aws, settings_for(az_count=3))  # eu-west-1 has three


def test_arm64_with_the_amd64_only_sample_image_is_refused(aws):
    with pytest.raises(ConfigError, match="has no linux/arm64 variant"):
        check_against_account(aws, settings_for(platform="linux/arm64"))


def push_index(aws, platforms: list[str]) -> str:
    ecr = aws.client("ecr")
    ecr.create_repository(repositoryName="l42")
    index = {"schemaVersion": 2,
             "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
             "manifests": [{"mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                            "digest": "sha256:" + f"{i}" * 64, "size": 100,
                            "platform": {"os": p.split("/")[0], "architecture": p.split("/")[1]}}
                           for i, p in enumerate(platforms, start=1)]}
    ecr.put_image(repositoryName="l42", imageManifest=json.dumps(index), imageTag="1",
                  imageManifestMediaType=index["mediaType"])
    account = "123456789012"
    return f"{account}.dkr.ecr.eu-west-1.amazonaws.com/l42:1"


def test_an_ecr_image_without_the_platform_is_refused(aws):
    image = push_index(aws, ["linux/amd64"])
    with pytest.raises(ConfigError, match=f"image {image} has no linux/arm64 variant"):
        check_against_account(aws, settings_for(image=image, platform="linux/arm64"))


def test_an_ecr_image_with_the_platform_passes(aws):
    image = push_index(aws, ["linux/amd64", "linux/arm64"])
    check_against_account(aws, settings_for(image=image, platform="linux/arm64"))


def test_an_image_fargo_cannot_inspect_passes(aws):
    check_against_account(aws, settings_for(image="nginx:1.27", platform="linux/arm64"))


@pytest.mark.parametrize(("dockerfile", "user"), [
    ("FROM python:3.12\nUSER 10001\n", "10001"),
    ("FROM python:3.12\nUSER app:app\nRUN true\n", "app:app"),
    ("FROM golang AS build\nUSER builder\nFROM scratch\n", None),  # the final stage counts
    ("FROM python:3.12\n# USER nobody\nCMD x\n", None),
    ("FROM python:3.12\nRUN a \\\n  && b\nuser   nobody\n", "nobody"),
])
def test_the_dockerfile_user_is_the_final_stages_last_user(tmp_path, dockerfile, user):
    (tmp_path / "Dockerfile").write_text(dockerfile)
    assert dockerfile_user(tmp_path) == user


def test_root_in_any_spelling_is_root():
    assert all(runs_as_root(u) for u in (None, "root", "0", "0:0", "root:root"))
    assert not runs_as_root("10001")


def test_a_non_root_build_on_a_port_below_1024_is_warned_with_the_fix(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nUSER 10001\n")
    (warning,) = build_warnings(settings_for(build=str(tmp_path), port=80))
    assert "USER 10001" in warning and "port 80" in warning and "--port 8080" in warning
    assert build_warnings(settings_for(build=str(tmp_path), port=8080)) == []


def test_the_example_service_deploys_without_the_warning_on_8080():
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "hello"
    assert build_warnings(settings_for(build=str(example), port=8080)) == []
    assert build_warnings(settings_for(build=str(example)))  # port 80 by default: warned


def test_plan_says_the_build_warning(aws, tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nUSER app\n")
    settings = settings_for(build=str(tmp_path), https=False, certificate_arn=None)
    _, notes = plan_service(aws, settings, timing=FAST)
    assert any("USER app" in note for note in notes)


def test_deploy_warns_before_it_builds(aws, tmp_path):
    from fargo.commands.deploy import deploy_service
    from fargo.engine.progress import RecordingReporter

    (tmp_path / "Dockerfile").write_text("FROM python:3.12\nUSER app\n")
    settings = settings_for(build=str(tmp_path), https=False, certificate_arn=None)
    reporter = RecordingReporter()
    deploy_service(aws, settings, answers(reporter=reporter), FAST)
    assert reporter.lines[0].startswith("warn:") and "USER app" in reporter.lines[0]
