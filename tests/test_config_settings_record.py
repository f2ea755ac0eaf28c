"""The settings record (fargo.config.settings_record): what the stack keeps of the settings it
was deployed with, without secret values, and what differs from new settings."""

from __future__ import annotations

import json

import pytest
from template_assertions import ECR_IMAGE, settings_for

from fargo import __version__
from fargo.config import settings_record as record
from fargo.template.settings_record import LIVE

SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:l42/db-AbCdEf"
LONGEST_IMAGE = "r.example.com/" + "a" * 241 + "@sha256:" + "0" * 64


def substituted(text: str, image: str = ECR_IMAGE, low: int = 1, high: int = 2) -> str:
    """What CloudFormation's Fn::Sub makes of the record's value."""
    return (text.replace(LIVE["image"], image).replace(LIVE["min_count"], str(low))
            .replace(LIVE["max_count"], str(high)))


def stored(settings, **live) -> dict:
    return record.decode(substituted(record.envelope(record.record_of(settings), LIVE),
                                     **live))


def test_the_record_holds_every_setting():
    settings = settings_for()
    assert set(record.record_of(settings)) == set(type(settings).model_fields)


def test_credential_looking_variables_are_masked_by_name_and_by_form():
    settings = settings_for(container_environment={
        "DB_PASSWORD": "hunter2", "API_KEY": "k", "MODE": "prod",
        "UPSTREAM": "https://user:pa55@db.example.com/x", "AWS_ID": "AKIAIOSFODNN7EXAMPLE",
        "CERT": "-----BEGIN RSA PRIVATE KEY-----\nabc", "GITHUB": "ghp_" + "a" * 36,
        "PAGE": "https://example.com/a:b"})
    environment = record.record_of(settings)["container_environment"]
    assert environment == {
        "DB_PASSWORD": record.MASK, "API_KEY": record.MASK, "MODE": "prod",
        "UPSTREAM": record.MASK, "AWS_ID": record.MASK, "CERT": record.MASK,
        "GITHUB": record.MASK, "PAGE": "https://example.com/a:b"}


def test_no_masked_value_appears_anywhere_in_the_stored_value():
    settings = settings_for(container_environment={"DB_PASSWORD": "hunter2-secret-value"})
    value = record.envelope(record.record_of(settings), LIVE)
    assert "hunter2" not in json.dumps(record.decode(substituted(value)))


def test_secrets_are_recorded_as_where_they_are_read_not_what_they_hold():
    settings = settings_for(secrets={"DB_PASSWORD": SECRET_ARN})
    assert stored(settings)["secrets"] == {"DB_PASSWORD": SECRET_ARN}


def test_the_record_round_trips_with_the_live_values_from_the_parameters():
    settings = settings_for(max_count=3, alarm_email="ops@example.com")
    deployed = stored(settings, image="nginx:1.27", low=2, high=5)
    expected = {**record.record_of(settings), "image": "nginx:1.27", "min_count": 2,
                "max_count": 5}
    assert deployed == expected


def test_the_image_and_counts_are_not_in_the_compressed_part():
    """So a new image or scale leaves the template unchanged (parameters only)."""
    one = record.envelope(record.record_of(settings_for(image=ECR_IMAGE)), LIVE)
    other = record.envelope(record.record_of(settings_for(image="nginx:1.27", max_count=4,
                                                          min_count=2, desired_count=2)), LIVE)
    assert json.loads(one)["settings"] != json.loads(other)["settings"]  # desired_count
    same = record.envelope(record.record_of(settings_for(image="nginx:1.27")), LIVE)
    assert json.loads(same)["settings"] == json.loads(
        record.envelope(record.record_of(settings_for(image=ECR_IMAGE)), LIVE))["settings"]


def test_the_value_says_which_fargo_wrote_it():
    value = record.envelope(record.record_of(settings_for()), LIVE)
    assert record.fargo_version(value) == __version__


@pytest.mark.parametrize("junk", ["", "{}", "[1]", '{"format":1,"settings":"!!"}',
                                  '{"format":2,"settings":""}'])
def test_a_value_fargo_did_not_write_is_a_value_error(junk):
    with pytest.raises(ValueError, match="not a fargo settings record"):
        record.decode(junk)


def test_a_heavy_record_fits_the_free_standard_tier_even_with_the_longest_image():
    heavy = settings_for(
        network="isolated", image=ECR_IMAGE, az_count=3, user="1000:1000", port=8080,
        allowed_cidrs=[f"10.{i}.0.0/16" for i in range(20)],
        task_egress=[f"10.{i}.0.0/16:443" for i in range(20)],
        secrets={f"SECRET_{i}": f"{SECRET_ARN}{i}" for i in range(10)},
        tags={f"team{i}": "x" * 40 for i in range(10)},
        schedules=[{"schedule": f"cron(0 {h} ? * MON-FRI *)", "min_count": 1, "max_count": 2}
                   for h in range(10)],
        container_environment={f"VAR_{i}": "value " * 8 for i in range(20)})
    value = substituted(record.envelope(record.record_of(heavy), LIVE), image=LONGEST_IMAGE,
                        low=1000, high=1000)
    assert len(value) <= record.STANDARD_TIER_LIMIT


def test_a_record_too_large_even_compressed_keeps_its_longest_values_as_digests():
    import random

    rng = random.Random(4)
    noisy = {f"VAR_{i}": "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=200))
             for i in range(60)}
    settings = settings_for(container_environment=noisy)
    value = record.envelope(record.record_of(settings), LIVE, live_room=400)
    assert len(value) + 400 <= record.ADVANCED_TIER_LIMIT
    deployed = record.decode(substituted(value, image=settings.image))
    assert deployed["container_environment"].startswith(record.DIGEST_PREFIX)
    assert record.diff(deployed, record.record_of(settings)) == [], "a digest compares equal"
    changed = settings_for(container_environment={**noisy, "VAR_0": "other"})
    (change,) = record.diff(deployed, record.record_of(changed))
    assert change.setting == "container_environment"


def test_diff_names_each_changed_setting_in_the_settings_order():
    deployed = stored(settings_for(), image="nginx:1.27")
    proposed = {**record.record_of(settings_for(port=8080, health_check_interval=10)),
                "image": ECR_IMAGE}
    changes = record.diff(deployed, proposed)
    assert [c.setting for c in changes] == ["image", "port", "health_check_interval"]
    assert str(changes[0]) == f"image: 'nginx:1.27' -> '{ECR_IMAGE}'"
    assert str(changes[1]) == "port: 80 -> 8080"


def test_diff_of_the_same_settings_is_empty():
    settings = settings_for(container_environment={"DB_PASSWORD": "x", "MODE": "a"})
    assert record.diff(stored(settings), record.record_of(settings)
                       | {"image": ECR_IMAGE, "min_count": 1, "max_count": 2}) == []


def test_diff_goes_into_tables_key_by_key_and_never_compares_masked_values():
    before = record.record_of(settings_for(container_environment={
        "MODE": "a", "OLD": "x", "DB_PASSWORD": "one"}))
    after = record.record_of(settings_for(container_environment={
        "MODE": "b", "NEW": "y", "DB_PASSWORD": "two"}))
    changes = {c.name: (c.before, c.after) for c in record.diff(before, after)}
    assert changes == {"container_environment['MODE']": ("a", "b"),
                       "container_environment['NEW']": (record.NOT_RECORDED, "y"),
                       "container_environment['OLD']": ("x", record.NOT_RECORDED)}


def test_diff_says_when_the_deployed_record_predates_a_setting():
    deployed = record.record_of(settings_for())
    del deployed["capacity"]
    (change,) = record.diff(deployed, record.record_of(settings_for()))
    assert str(change) == "capacity: (not recorded) -> 'on-demand'"


def test_diff_of_a_list_setting_shows_both_lists():
    before = record.record_of(settings_for(allowed_cidrs=["0.0.0.0/0"]))
    after = record.record_of(settings_for(allowed_cidrs=["203.0.113.0/24"]))
    (change,) = record.diff(before, after)
    assert str(change) == 'allowed_cidrs: ["0.0.0.0/0"] -> ["203.0.113.0/24"]'
