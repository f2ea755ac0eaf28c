"""rollback, scale, history and deploy --image on moto: parameter-only updates of the deployed
stack, and the revisions read from the settings record's SSM versions.

moto's limits, stated: its CloudFormation replaces the settings record on update instead of
writing a new version (real SSM keeps each version), and its SSM says LastModifiedUser "N/A";
where a test needs earlier versions it writes them with PutParameter, as CloudFormation does
on AWS, and "who" is tested with a recorded GetParameterHistory answer (Stubber).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from engine_support import FAST, answers
from template_assertions import settings_for

from fargo import contract
from fargo.commands.deploy import deploy_service
from fargo.commands.history import service_history
from fargo.commands.rollback import rollback_revision, rollback_service
from fargo.commands.scale import check_counts, scale_service
from fargo.commands.service_target import ServiceTarget, setting_line
from fargo.engine.revisions import read_revisions
from fargo.errors import AwsError, ConfigError
from fargo.results import DeployOutcome
from fargo.stacks import LegacyServiceStack

OLD, NEW = "public.ecr.aws/nginx/nginx:1.26", "public.ecr.aws/nginx/nginx:1.27"


def deployed(aws, image: str = OLD, tmp: Path | None = None):
    settings = settings_for(https=False, certificate_arn=None, image=image)
    result, _ = deploy_service(aws, settings, answers(), FAST)
    assert result.outcome == DeployOutcome.DEPLOYED
    target = ServiceTarget(settings.name, settings.stack_name,
                           LegacyServiceStack(settings).watched, (tmp or Path(".")) / "fargo.toml")
    return settings, target


def parameters(aws, stack: str) -> dict[str, str]:
    found = aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    return {p["ParameterKey"]: p["ParameterValue"] for p in found["Parameters"]}


def template_of(aws, stack: str) -> dict:
    return aws.client("cloudformation").get_template(StackName=stack)["TemplateBody"]


def running_image(aws, stack: str) -> str:
    found = aws.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found["Outputs"]}
    ecs = aws.client("ecs")
    service = ecs.describe_services(cluster=outputs[contract.OUTPUT_CLUSTER],
                                    services=[outputs[contract.OUTPUT_SERVICE]])["services"][0]
    described = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])
    return described["taskDefinition"]["containerDefinitions"][0]["image"]


def record_value(aws, stack: str) -> str:
    name = contract.settings_record_name(stack)
    return aws.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]


def test_scale_updates_only_the_counts_keeps_the_template_and_says_which_line(aws, tmp_path):
    (tmp_path / "fargo.toml").write_text('name = "l42"\nmin_count = 1\nmax_count = 2\n')
    settings, target = deployed(aws, tmp=tmp_path)
    before = template_of(aws, settings.stack_name)
    result = scale_service(aws, target, 2, 5, None, answers(), FAST)
    assert result.deploy.outcome == DeployOutcome.DEPLOYED
    changed = {c.logical_id for c in result.deploy.changes}
    assert changed <= {"ScalableTarget", "Service", contract.SETTINGS_RECORD_RESOURCE}
    assert "ScalableTarget" in changed
    now = parameters(aws, settings.stack_name)
    assert (now["MinCount"], now["MaxCount"], now["ImageUri"]) == ("2", "5", OLD)
    assert template_of(aws, settings.stack_name) == before  # parameter-only
    (scalable,) = aws.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="ecs")["ScalableTargets"]
    assert (scalable["MinCapacity"], scalable["MaxCapacity"]) == (2, 5)
    assert result.before == {"MinCount": "1", "MaxCount": "2"}
    assert result.lasting == [
        "fargo.toml line 2: change `min_count = 1` to `min_count = 2`",
        "fargo.toml line 3: change `max_count = 2` to `max_count = 5`"]
    live = json.loads(record_value(aws, settings.stack_name))["live"]
    assert live == {"image": OLD, "min_count": "2", "max_count": "5"}


def test_scale_refuses_counts_that_cannot_hold_before_any_update(aws):
    settings, target = deployed(aws)
    with pytest.raises(ConfigError, match=r"min 3 would be more than max 2"):
        scale_service(aws, target, 3, None, None, answers(), FAST)
    with pytest.raises(ConfigError, match=r"--desired 9 is outside min 1 \.\. max 2"):
        scale_service(aws, target, None, None, 9, answers(), FAST)
    assert parameters(aws, settings.stack_name)["MinCount"] == "1"


@pytest.mark.parametrize("counts, message", [
    ((None, None, None), "needs --min, --max or --desired"),
    ((0, 2, None), "--min 0 is out of range"),
    ((3, 2, None), "--min 3 is more than --max 2"),
    ((1, 1001, None), "--max 1001 is out of range"),
])
def test_scale_flags_are_checked_offline(counts, message):
    with pytest.raises(ConfigError, match=message):
        check_counts(*counts)


def test_a_new_image_from_the_file_changes_only_the_task_definition_and_service(aws):
    settings, _ = deployed(aws)
    new = settings.model_copy(update={"image": NEW})
    result, _ = deploy_service(aws, new, answers(), FAST)
    changed = {c.logical_id for c in result.changes}
    assert contract.TASK_DEFINITION_RESOURCE in changed
    assert changed <= {contract.TASK_DEFINITION_RESOURCE, contract.SERVICE_RESOURCE,
                       contract.SETTINGS_RECORD_RESOURCE}
    assert running_image(aws, settings.stack_name) == NEW


def test_rollback_redeploys_the_previous_image_through_the_stack(aws, tmp_path):
    (tmp_path / "fargo.toml").write_text(f'name = "l42"\nimage = "{NEW}"\n')
    settings, target = deployed(aws, OLD, tmp_path)
    deploy_service(aws, settings.model_copy(update={"image": NEW}), answers(), FAST)
    # Each update is a new version of the settings record (the emulator versions it as AWS
    # does: fargo.emulator.ssm_versions): 1 OLD, 2 NEW.
    before = template_of(aws, settings.stack_name)

    current, chosen = rollback_revision(aws, target)
    assert (current.number, current.image, chosen.number, chosen.image) == (2, NEW, 1, OLD)
    result = rollback_service(aws, target, chosen, answers(), FAST)
    assert result.deploy.outcome == DeployOutcome.DEPLOYED
    assert parameters(aws, settings.stack_name)["ImageUri"] == OLD
    assert running_image(aws, settings.stack_name) == OLD
    assert template_of(aws, settings.stack_name) == before  # parameter-only: no drift
    assert result.lasting == [f'fargo.toml line 2: change `image = "{NEW}"` to `image = "{OLD}"`']


def test_rollback_without_an_earlier_image_or_to_an_unknown_revision_is_refused(aws):
    _, target = deployed(aws)
    with pytest.raises(ConfigError, match=r"has run only .*no earlier image"):
        rollback_revision(aws, target)
    with pytest.raises(ConfigError, match=r"--to 7 is not a revision of l42 \(recent ones: 1\)"):
        rollback_revision(aws, target, to=7)
    with pytest.raises(ConfigError, match=r"revision 1 runs .* as the service does now"):
        rollback_revision(aws, target, to=1)


def test_day_two_commands_on_a_stack_never_deployed_exit_2(aws):
    settings = settings_for(https=False, certificate_arn=None)
    target = ServiceTarget("l42", settings.stack_name, LegacyServiceStack(settings).watched,
                           Path("fargo.toml"))
    for call in (lambda: service_history(aws, target), lambda: rollback_revision(aws, target),
                 lambda: scale_service(aws, target, 2, 3, None, answers(), FAST)):
        with pytest.raises(ConfigError, match=r"l42-dev is not deployed in eu-west-1"):
            call()


def test_an_injected_aws_failure_of_the_update_is_one_line_and_changes_nothing(aws, monkeypatch):
    settings, target = deployed(aws)
    from botocore.exceptions import ClientError

    client = aws.client("cloudformation")

    def refuse(**_):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}},
                          "CreateChangeSet")

    monkeypatch.setattr(client, "create_change_set", refuse)
    with pytest.raises(AwsError) as failure:
        scale_service(aws, target, 2, 4, None, answers(), FAST)
    (line,) = failure.value.problems
    assert line.startswith("error:") and "AccessDenied" in line
    assert parameters(aws, settings.stack_name)["MaxCount"] == "2"


def test_history_lists_each_version_with_image_digest_and_counts(aws):
    settings, target = deployed(aws)
    ssm, name = aws.client("ssm"), contract.settings_record_name(settings.stack_name)
    pinned = f"{OLD.split(':')[0]}@sha256:{'b' * 64}"
    record = json.loads(record_value(aws, settings.stack_name))
    record["live"] = {"image": pinned, "min_count": "2", "max_count": "4"}
    ssm.put_parameter(Name=name, Value=json.dumps(record), Type="String", Overwrite=True)
    history = service_history(aws, target).as_json()
    assert history["stack"] == "l42-dev" and history["region"] == "eu-west-1"
    newest, first = history["revisions"]
    assert newest == {**newest, "revision": 2, "image": pinned, "digest": "sha256:" + "b" * 64,
                      "min_count": 2, "max_count": 4, "current": True}
    assert first == {**first, "revision": 1, "image": OLD, "digest": None, "current": False,
                     "deployed_by": None}  # moto: LastModifiedUser "N/A"
    assert datetime.fromisoformat(newest["deployed_at"])


def test_history_reads_who_deployed_from_last_modified_user_and_ecr_digests(aws):
    from botocore.stub import Stubber

    ecr = aws.client("ecr")
    ecr.create_repository(repositoryName="web")
    manifest = json.dumps({"schemaVersion": 2, "config": {"digest": "sha256:" + "c" * 64}})
    digest = ecr.put_image(repositoryName="web", imageManifest=manifest,
                           imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json",
                           imageTag="7")["image"]["imageId"]["imageDigest"]
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:7"
    value = json.dumps({"format": 1, "live": {"image": image, "min_count": "1",
                                              "max_count": "2"}, "settings": ""})
    when = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
    ssm = aws.client("ssm")
    with Stubber(ssm) as stub:
        stub.add_response("get_parameter_history", {"Parameters": [
            {"Name": "/fargo/l42-dev/settings", "Version": 4, "Value": value,
             "LastModifiedDate": when,
             "LastModifiedUser": "arn:aws:sts::123456789012:assumed-role/Deployer/alice"}]})
        (revision,) = read_revisions(aws, "l42-dev")
    assert revision.deployed_by == "arn:aws:sts::123456789012:assumed-role/Deployer/alice"
    assert (revision.number, revision.digest, revision.deployed_at) == (4, digest, when)


def test_setting_line_names_the_line_or_the_table_to_add_it_to(tmp_path):
    path = tmp_path / "fargo.toml"
    path.write_text('[environment]\nname = "shop"\n\n[services.web]\nimage = "a:1"\n'
                    '[services.api]\nport = 80\n')
    assert setting_line(path, "image", "a:2", "services.web") == (
        'fargo.toml line 5: change `image = "a:1"` to `image = "a:2"`')
    assert setting_line(path, "image", "b:2", "services.api") == (
        'add `image = "b:2"` to fargo.toml (in [services.api])')
    assert setting_line(tmp_path / "none.toml", "ecs_exec", True) == (
        "add `ecs_exec = true` to none.toml (at the top, before any [table])")


def test_plan_of_a_new_image_shows_image_old_to_new_from_the_settings_record(aws):
    from fargo.commands.plan import plan

    settings, _ = deployed(aws)
    result = plan(aws, settings.model_copy(update={"image": NEW}), {"image": "--image"})
    (difference,) = [d for d in result.settings.differences if d.setting == "image"]
    assert (difference.before, difference.after, difference.source) == (OLD, NEW, "--image")
    assert {c.logical_id for c in result.change_set.changes} <= {
        contract.TASK_DEFINITION_RESOURCE, contract.SERVICE_RESOURCE,
        contract.SETTINGS_RECORD_RESOURCE}


def test_deploy_with_an_image_flag_says_which_line_keeps_it(tmp_path):
    from fargo.commands.invocation import Invocation
    from fargo.commands.service_target import image_flag_lasting

    config = tmp_path / "fargo.toml"
    config.write_text(f'name = "l42"\nimage = "{OLD}"\n')
    assert image_flag_lasting(Invocation(config=config, flags={"image": NEW})) == [
        "this image runs until the next deploy from the file; to keep it:",
        f'  fargo.toml line 2: change `image = "{OLD}"` to `image = "{NEW}"`']
    assert image_flag_lasting(Invocation(config=config, flags={"image": None})) == []
