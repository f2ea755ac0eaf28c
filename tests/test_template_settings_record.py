"""The settings record in the template (issue 12): an SSM parameter the stack rewrites when
its settings (or the image and count parameters) change, with no secret values."""

from __future__ import annotations

import json

from template_assertions import Template, app_for, outputs, service_of, settings_for

from fargo import contract
from fargo.config import settings_record as record
from fargo.template import render


def value_of(template: Template) -> str:
    return template.properties(contract.SETTINGS_RECORD_RESOURCE)["Value"]["Fn::Sub"]


def deployed(template: Template, image="nginx:1.27", low="1", high="2") -> dict:
    text = value_of(template)
    for name, value in ((contract.IMAGE_PARAMETER, image), (contract.MIN_COUNT_PARAMETER, low),
                        (contract.MAX_COUNT_PARAMETER, high)):
        text = text.replace(f"${{{name}}}", value)
    assert "${" not in text
    return record.decode(text)


def test_the_record_is_an_ssm_parameter_named_for_the_stack():
    template = Template.of()
    properties = template.properties(contract.SETTINGS_RECORD_RESOURCE)
    assert properties["Name"] == "/fargo/l42-dev/settings" == contract.settings_record_name(
        "l42-dev")
    assert (properties["Type"], properties["Tier"]) == ("String", "Intelligent-Tiering")
    assert outputs(template)[contract.OUTPUT_SETTINGS_RECORD]["Value"] == {
        "Ref": contract.SETTINGS_RECORD_RESOURCE}


def test_the_record_takes_image_and_counts_from_the_parameters():
    settings = settings_for(max_count=3)
    found = deployed(Template.of(max_count=3), image="nginx:1.27", low="2", high="5")
    assert found == {**record.record_of(settings), "image": "nginx:1.27", "min_count": 2,
                     "max_count": 5}


def test_the_record_holds_no_secret_value_anywhere_in_the_template():
    text = render(settings_for(container_environment={"DB_PASSWORD": "s3cr3t-value"},
                               secrets={"API_KEY": "ssm:/l42/api-key"}))
    document = json.loads(text)
    record_value = document["Resources"][contract.SETTINGS_RECORD_RESOURCE]
    assert "s3cr3t-value" not in json.dumps(record_value)
    found = deployed(Template(document))
    assert found["container_environment"]["DB_PASSWORD"] == record.MASK
    assert found["secrets"] == {"API_KEY": "ssm:/l42/api-key"}


def test_the_default_record_fits_the_standard_tier_with_room_to_spare():
    assert len(value_of(Template.of())) < record.STANDARD_TIER_LIMIT / 2


def test_an_environments_service_records_its_own_settings():
    app = app_for(services={"web": {"host": "app.example.com", "port": 8080}})
    template = service_of(app, "web")
    assert template.properties(contract.SETTINGS_RECORD_RESOURCE)["Name"] == (
        "/fargo/shop-dev-web/settings")
    found = deployed(template)
    assert (found["service_name"], found["port"], found["host"]) == (
        "web", 8080, "app.example.com")
