"""The image and the task counts as stack parameters (issue 12): `fargo deploy --image X` and
`fargo scale --min --max --desired` are parameter-only updates, the template unchanged."""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, Template, app_for, parameters, service_of, settings_for

from fargo import contract
from fargo.contract import IMAGE_PARAMETER
from fargo.template import render

OTHER_TAG = ECR_IMAGE.replace(":1", ":2")
DIGEST = ECR_IMAGE.split(":")[0] + "@sha256:" + "a" * 64


def image_change_is_parameter_only(settings, new_image: str, app=None) -> bool:
    """Whether running `new_image` instead of the settings' image changes only ImageUri.

    `app`: the environment `settings` (one of its services) belongs to; its environment
    template is compared too (the DNS firewall admits every service's image registry).
    """
    changed = settings.model_copy(update={"image": new_image})
    return _templates(settings, app) == _templates(changed, _with(app, changed))


def _templates(settings, app) -> list[dict]:
    if app is None:
        from fargo.template import build_template

        rendered = [build_template(settings)]
    else:
        from fargo.template.env_service import build_service_template
        from fargo.template.environment import build_environment_template

        rendered = [build_environment_template(app),
                    build_service_template(app, settings.service_name)]
    documents = [json.loads(t.to_json()) for t in rendered]
    for document in documents:
        document.get("Parameters", {}).get(IMAGE_PARAMETER, {}).pop("Default", None)
    return documents


def _with(app, service):
    """The app with this service changed (its environment rebuilt from the services)."""
    if app is None:
        return None
    import dataclasses

    from fargo.config.app import environment_of

    services = {**app.services, service.service_name: service}
    return dataclasses.replace(app, environment=environment_of(list(services.values())),
                               services=services)


def without_defaults(text: str) -> dict:
    document = json.loads(text)
    for name in (contract.IMAGE_PARAMETER, contract.MIN_COUNT_PARAMETER,
                 contract.MAX_COUNT_PARAMETER):
        document["Parameters"][name].pop("Default")
    return document


def test_the_image_parameter_defaults_to_the_settings_image():
    declared = parameters(Template.of(image=ECR_IMAGE))[contract.IMAGE_PARAMETER]
    assert declared == {"Type": "String", "Default": ECR_IMAGE, "MinLength": 1,
                        "MaxLength": 327, "AllowedPattern": r"^\S+$",
                        "Description": "Container image (fargo deploy --image)"}


def test_the_task_runs_the_image_parameter():
    definition = Template.of().properties("TaskDefinition")["ContainerDefinitions"][0]
    assert definition["Image"] == {"Ref": contract.IMAGE_PARAMETER}


def test_the_description_names_no_image():
    assert "amazon-ecs-sample" not in Template.of().data["Description"]


@pytest.mark.parametrize("image", [OTHER_TAG, DIGEST])
def test_a_new_tag_or_digest_of_the_same_repository_changes_only_the_image_default(image):
    before = without_defaults(render(settings_for(image=ECR_IMAGE)))
    after = without_defaults(render(settings_for(image=image)))
    assert before == after
    assert image_change_is_parameter_only(settings_for(image=ECR_IMAGE), image)


def test_a_parameter_only_image_holds_in_isolated_too():
    settings = settings_for(image=ECR_IMAGE, network="isolated", dns_firewall=True)
    assert image_change_is_parameter_only(settings, OTHER_TAG)


def test_an_image_from_another_repository_needs_a_template_change():
    """The execution role and the endpoint policies name the image's repository."""
    other = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/other:1"
    assert not image_change_is_parameter_only(settings_for(image=ECR_IMAGE), other)


def test_leaving_the_sample_image_needs_a_template_change():
    """The default health path is / for the sample image and /health for any other."""
    assert not image_change_is_parameter_only(settings_for(), "nginx:1.27")
    assert image_change_is_parameter_only(settings_for(image="nginx:1.27"), "nginx:1.28")


def test_new_task_counts_change_only_the_count_defaults():
    before = without_defaults(render(settings_for(desired_count=2)))
    after = without_defaults(render(settings_for(min_count=2, max_count=8, desired_count=2)))
    assert before == after


def test_the_counts_and_the_image_are_declared_for_the_engine_to_pass():
    declared = parameters(Template.of())
    assert {contract.IMAGE_PARAMETER, contract.MIN_COUNT_PARAMETER,
            contract.MAX_COUNT_PARAMETER, contract.DESIRED_COUNT_PARAMETER} <= set(declared)


def test_an_environments_service_takes_the_same_parameters():
    app = app_for(services={"web": {"host": "app.example.com", "image": ECR_IMAGE}})
    declared = parameters(service_of(app, "web"))
    assert declared[contract.IMAGE_PARAMETER]["Default"] == ECR_IMAGE
    assert {contract.MIN_COUNT_PARAMETER, contract.MAX_COUNT_PARAMETER} <= set(declared)
    assert image_change_is_parameter_only(app.service("web"), OTHER_TAG, app)


def test_an_environments_service_image_from_another_registry_changes_the_environment():
    """Its DNS firewall admits every service's image registry."""
    app = app_for({"dns_firewall": True}, services={"web": {"host": "app.example.com",
                                                            "image": "nginx:1.27"}})
    assert image_change_is_parameter_only(app.service("web"), "nginx:1.28", app)
    assert not image_change_is_parameter_only(app.service("web"), "ghcr.io/a/b:1", app)
