"""Container hardening: user, read-only root with writable volumes, capabilities, limits,
secrets."""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, Template

ISOLATED = {"network": "isolated", "image": ECR_IMAGE}
SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"


def container(template: Template) -> dict:
    (definition,) = template.properties("TaskDefinition")["ContainerDefinitions"]
    return definition


def test_container_runs_as_the_images_own_user_by_default():
    assert "User" not in container(Template.of())


def test_container_runs_as_the_user_set():
    assert container(Template.of(user="1000:1000"))["User"] == "1000:1000"


def test_read_only_root_mounts_each_writable_path_as_an_empty_task_volume():
    template = Template.of(readonly_root_filesystem=True, writable_paths=["/tmp", "/app/work"])
    definition = container(template)
    assert definition["ReadonlyRootFilesystem"] is True
    assert definition["MountPoints"] == [
        {"SourceVolume": "writable-tmp", "ContainerPath": "/tmp", "ReadOnly": False},
        {"SourceVolume": "writable-app-work", "ContainerPath": "/app/work", "ReadOnly": False},
    ]
    # Fargate: a volume without host or configuration is a bind mount of task storage.
    assert template.properties("TaskDefinition")["Volumes"] == [
        {"Name": "writable-tmp"}, {"Name": "writable-app-work"}]


def test_no_volumes_or_mount_points_without_writable_paths():
    template = Template.of(readonly_root_filesystem=True)
    assert "Volumes" not in template.properties("TaskDefinition")
    assert "MountPoints" not in container(template)


def test_volume_names_stay_distinct_for_paths_that_read_alike():
    template = Template.of(readonly_root_filesystem=True, writable_paths=["/a-b", "/a/b"])
    names = [v["Name"] for v in template.properties("TaskDefinition")["Volumes"]]
    assert len(set(names)) == 2


def test_read_only_root_drops_the_checkov_justification():
    skips = Template.of(readonly_root_filesystem=True).resources["TaskDefinition"].get(
        "Metadata", {}).get("checkov", {}).get("skip", [])
    assert "CKV_AWS_336" not in [s["id"] for s in skips]


@pytest.mark.parametrize("overrides", [
    {}, {"network": "public"}, ISOLATED, dict(ISOLATED, user="1000:1000"),
    dict(ISOLATED, port=8080), dict(ISOLATED, user="0:0", port=8080),
], ids=["nat", "public", "isolated-image-user", "isolated-port-80", "isolated-port-8080",
        "isolated-root"])
def test_docker_default_capabilities_unless_isolated_non_root_on_a_high_port(overrides):
    assert container(Template.of(**overrides))["LinuxParameters"] == {"InitProcessEnabled": True}


def test_isolated_non_root_user_on_a_high_port_drops_every_capability_and_keeps_init():
    template = Template.of(**ISOLATED, user="1000:1000", port=8080)
    assert container(template)["LinuxParameters"] == {
        "InitProcessEnabled": True, "Capabilities": {"Drop": ["ALL"]}}


def test_capabilities_to_drop_follow_the_setting_in_any_profile():
    template = Template.of(drop_capabilities=["NET_RAW", "cap_sys_chroot"])
    assert container(template)["LinuxParameters"]["Capabilities"] == {
        "Drop": ["NET_RAW", "SYS_CHROOT"]}


def test_an_empty_drop_list_keeps_dockers_default_set_in_isolated():
    template = Template.of(**ISOLATED, user="1000:1000", port=8080, drop_capabilities=[])
    assert "Capabilities" not in container(template)["LinuxParameters"]


def test_stop_timeout_is_10_seconds_by_default_and_follows_the_setting():
    assert container(Template.of())["StopTimeout"] == 10
    assert container(Template.of(stop_timeout=120))["StopTimeout"] == 120


def test_ulimits_set_soft_and_hard_alike():
    template = Template.of(ulimits={"nproc": 512, "nofile": 4096})
    assert container(template)["Ulimits"] == [
        {"Name": "nofile", "SoftLimit": 4096, "HardLimit": 4096},
        {"Name": "nproc", "SoftLimit": 512, "HardLimit": 512},
    ]


def test_no_ulimits_by_default():
    assert "Ulimits" not in container(Template.of())


def test_secrets_go_into_the_task_definitions_secrets_not_its_environment():
    template = Template.of(secrets={"DB_PASSWORD": SECRET + ":password::",
                                    "API_KEY": "ssm:/l42/api-key"})
    definition = container(template)
    assert definition["Secrets"] == [
        {"Name": "API_KEY", "ValueFrom": {"Fn::Sub": (
            "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/l42/api-key")}},
        {"Name": "DB_PASSWORD", "ValueFrom": SECRET + ":password::"},
    ]
    assert {e["Name"] for e in definition["Environment"]} == {"PORT", "ENVIRONMENT"}


def test_no_secrets_property_without_secrets():
    assert "Secrets" not in container(Template.of())


def test_a_secret_appears_only_as_its_reference_in_valuefrom_and_the_role():
    """fargo never reads a secret's value: the template names where it is, nothing more."""
    template = Template.of(secrets={"TOKEN": SECRET})
    text = json.dumps(template.data)
    assert text.count(SECRET) == 3  # ValueFrom, and the execution role's two resource forms
    assert "TOKEN" not in json.dumps(container(template)["Environment"])
