"""The registry stack: one ECR repository that scans, never retags, expires and encrypts images,
and goes away with its images when the stack is deleted."""

from __future__ import annotations

import json

import pytest
import test_checkov
from template_assertions import Template, settings_for

from fargo import contract
from fargo.template.registry import build_registry_template
from fargo.validation import lint_template

REPOSITORY = "AWS::ECR::Repository"
# checkov runs the way test_checkov runs it: its script, its venv, its network guard.
guard_dir = test_checkov.guard_dir
run_script = test_checkov.run_script


def registry(**overrides) -> Template:
    settings = settings_for(build="examples/hello", **overrides)
    return Template(json.loads(build_registry_template(settings).to_json()))


def repository(**overrides) -> dict:
    return registry(**overrides).properties(contract.REPOSITORY_RESOURCE)


def test_registry_stack_holds_only_the_repository():
    template = registry()
    template.resource_count_is(REPOSITORY, 1)
    assert list(template.resources) == [contract.REPOSITORY_RESOURCE]


def test_repository_scans_every_image_on_push():
    assert repository()["ImageScanningConfiguration"] == {"ScanOnPush": True}


def test_repository_tags_are_immutable():
    assert repository()["ImageTagMutability"] == "IMMUTABLE"


def test_lifecycle_policy_keeps_the_last_keep_images_images_of_any_tag_status():
    policy = json.loads(repository(keep_images=3)["LifecyclePolicy"]["LifecyclePolicyText"])
    assert policy["rules"] == [{
        "rulePriority": 1,
        "description": "Keep the last 3 images",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 3},
        "action": {"type": "expire"},
    }]


def test_lifecycle_policy_keeps_ten_images_by_default():
    policy = json.loads(repository()["LifecyclePolicy"]["LifecyclePolicyText"])
    assert policy["rules"][0]["selection"]["countNumber"] == 10


def test_repository_is_encrypted_at_rest():
    assert repository()["EncryptionConfiguration"] == {"EncryptionType": "AES256"}


def test_deleting_the_stack_deletes_the_repository_with_its_images():
    resource = registry().resources[contract.REPOSITORY_RESOURCE]
    assert resource["Properties"]["EmptyOnDelete"] is True
    assert resource.get("DeletionPolicy", "Delete") == "Delete"


def test_repository_name_is_generated_by_cloudformation():
    assert "RepositoryName" not in repository()


def test_repository_carries_name_environment_and_user_tags():
    tags = {t["Key"]: t["Value"] for t in repository(tags={"team": "web"})["Tags"]}
    assert tags == {"Name": "l42-dev-repository", "Environment": "dev", "team": "web"}


def test_outputs_give_the_repository_uri_and_name():
    outputs = registry().data["Outputs"]
    assert outputs[contract.OUTPUT_REPOSITORY_URI]["Value"] == {
        "Fn::GetAtt": [contract.REPOSITORY_RESOURCE, "RepositoryUri"]}
    assert outputs[contract.OUTPUT_REPOSITORY_NAME]["Value"] == {
        "Ref": contract.REPOSITORY_RESOURCE}


def test_only_the_kms_check_is_skipped_and_it_says_why():
    skips = registry().resources[contract.REPOSITORY_RESOURCE]["Metadata"]["checkov"]["skip"]
    assert [s["id"] for s in skips] == ["CKV_AWS_136"]
    assert "AES256" in skips[0]["comment"]


@pytest.mark.parametrize("region", ["eu-west-1", "us-east-1"])
def test_registry_template_is_cfn_lint_clean(region):
    settings = settings_for(build="examples/hello", region=region, certificate_arn=None,
                            https=False)
    findings = lint_template(build_registry_template(settings).to_json(), region)
    assert findings == [], "\n".join(str(f) for f in findings)


def test_registry_template_fails_no_checkov_check(run_script, tmp_path):
    path = tmp_path / "registry.json"
    path.write_text(build_registry_template(settings_for(build="examples/hello")).to_json())
    run = run_script(str(path), "--", "-o", "json")
    assert run.returncode == 0, test_checkov.describe(run)
    assert run.failed == [], test_checkov.describe(run)
    assert run.summary("passed") >= 3 and run.summary("skipped") == 1
    assert test_checkov.GUARD_MARK not in run.stderr
