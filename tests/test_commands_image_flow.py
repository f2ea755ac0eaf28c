"""`fargo deploy` with `build`: registry stack first, image pinned by digest, destroy removes
both stacks (or keeps the images). Against moto, with the docker work injected or stood in."""

from __future__ import annotations

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for

from fargo.commands.deploy import UNBUILT_TAG, deploy_service, plan_service, prepare_image
from fargo.commands.destroy import destroy_scope, destroy_service
from fargo.engine import image as image_module
from fargo.engine.progress import RecordingReporter
from fargo.engine.stack import describe_stack

DIGEST = "sha256:" + "a" * 64


@pytest.fixture
def context_dir(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    return tmp_path / "app"


@pytest.fixture
def pushed(monkeypatch):
    """The docker side is injected (tests/test_image_build.py covers it with a stand-in
    docker): build_and_push answers a digest reference and records what it was asked."""
    calls = []

    def fake_build_and_push(aws, context, repository_uri, platform, reporter, docker="docker"):
        calls.append((str(context), repository_uri, platform))
        return f"{repository_uri}@{DIGEST}"

    monkeypatch.setattr(image_module, "build_and_push", fake_build_and_push)
    monkeypatch.setattr(image_module, "check_docker", lambda docker="docker": docker)
    return calls


def real_aws_like(aws):
    aws.emulated = False  # take the path real AWS takes: build and push
    return aws


def task_image(aws, outputs) -> str:
    ecs = aws.client("ecs")
    service = ecs.describe_services(cluster=outputs["ClusterName"],
                                    services=[outputs["ServiceName"]])["services"][0]
    definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    return definition["taskDefinition"]["containerDefinitions"][0]["image"]


def test_build_deploys_the_registry_stack_before_the_image_is_pushed(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    prepared = prepare_image(real_aws_like(aws), settings, answers(), FAST)
    registry = describe_stack(aws, settings.registry_stack_name)
    assert registry.status == "CREATE_COMPLETE"
    (call,) = pushed
    assert call[1] == registry.outputs["RepositoryUri"] and call[2] == "linux/amd64"
    assert prepared.settings.image == f"{registry.outputs['RepositoryUri']}@{DIGEST}"


def test_service_task_definition_is_pinned_to_the_pushed_digest(aws, context_dir, pushed,
                                                                 monkeypatch):
    from fargo.engine import post_deploy

    monkeypatch.setattr(post_deploy, "checks", lambda *a: [])
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    result, prepared = deploy_service(real_aws_like(aws), settings, answers(), FAST)
    assert result.outcome == "deployed"
    assert task_image(aws, result.outputs).endswith(f"@{DIGEST}")


def test_under_the_emulator_the_image_is_not_built_and_that_is_said(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    reporter = RecordingReporter()
    result, prepared = deploy_service(aws, settings, answers(reporter=reporter), FAST)
    assert pushed == []
    assert prepared.settings.image.endswith(f":{UNBUILT_TAG}")
    assert any("cannot receive a docker push" in line for line in reporter.lines)
    assert result.outcome == "deployed"


def test_missing_dockerfile_is_refused_before_any_aws_call(aws, tmp_path, pushed):
    from fargo.errors import ConfigError

    settings = settings_for(build=str(tmp_path), https=False, certificate_arn=None)
    with pytest.raises(ConfigError) as refused:
        deploy_service(real_aws_like(aws), settings, answers(), FAST)
    assert "build" in str(refused.value)
    assert describe_stack(aws, settings.registry_stack_name) is None


def test_plan_with_build_builds_nothing_and_says_so(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    change_set, notes = plan_service(aws, settings, timing=FAST)
    assert pushed == []
    assert any("built and pushed at deploy" in note for note in notes)
    assert {c.action for c in change_set.changes} == {"add"}


def test_destroy_scope_counts_the_images_that_will_be_deleted(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    deploy_service(aws, settings, answers(), FAST)
    registry = describe_stack(aws, settings.registry_stack_name)
    ecr = aws.client("ecr")
    for tag in ("one", "two"):
        ecr.put_image(repositoryName=registry.outputs["RepositoryName"], imageTag=tag,
                      imageManifest=_manifest(tag))
    scope = destroy_scope(aws, settings, keep_registry=False)
    assert scope.image_count == 2
    assert "with its 2 image(s)" in scope.question()
    assert destroy_scope(aws, settings, keep_registry=True).registry_stack is None


def test_destroy_removes_service_and_registry_stacks(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    deploy_service(aws, settings, answers(), FAST)
    result = destroy_service(aws, settings, RecordingReporter(), timing=FAST)
    assert result.left == []
    assert f"stack {settings.registry_stack_name}" in result.removed
    assert describe_stack(aws, settings.registry_stack_name) is None
    assert aws.client("ecr").describe_repositories()["repositories"] == []


def test_destroy_with_keep_registry_keeps_the_registry(aws, context_dir, pushed):
    settings = settings_for(build=str(context_dir), https=False, certificate_arn=None)
    deploy_service(aws, settings, answers(), FAST)
    reporter = RecordingReporter()
    destroy_service(aws, settings, reporter, keep_registry=True, timing=FAST)
    assert describe_stack(aws, settings.registry_stack_name).status == "CREATE_COMPLETE"
    assert any("--keep-registry" in line for line in reporter.lines)


def _manifest(seed: str) -> str:
    import hashlib
    import json

    digest = hashlib.sha256(seed.encode()).hexdigest()
    return json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
                   "digest": f"sha256:{digest}"},
        # moto derives an image's digest from its layers' digests
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 1, "digest": f"sha256:{digest}"}],
    })


def test_under_the_emulator_a_build_path_without_dockerfile_is_still_refused(aws, tmp_path):
    from fargo.errors import ConfigError

    settings = settings_for(build=str(tmp_path / "nowhere"), https=False, certificate_arn=None)
    with pytest.raises(ConfigError) as refused:
        deploy_service(aws, settings, answers(), FAST)
    assert "build" in str(refused.value)
