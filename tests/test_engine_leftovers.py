"""Nothing of a stack is left behind: retained buckets after a failed first create, a removed
access-log bucket, the holder of an interrupted plan, and every step of a destroy."""

from __future__ import annotations

import pytest
from engine_support import FAST, always, answers, request_for
from template_assertions import Template, settings_for

from fargo.commands.destroy import destroy_service
from fargo.emulator import strict_acm
from fargo.engine import deploy as engine
from fargo.engine.buckets import stack_buckets
from fargo.engine.destroy import destroy
from fargo.engine.progress import RecordingReporter
from fargo.engine.protocol import CallbackHooks
from fargo.engine.stack import describe_stack


def buckets(aws) -> list[str]:
    return [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]


@pytest.fixture
def failing_service(monkeypatch):
    """The ECS service fails to create, as a bad image or quota would make it fail."""
    from moto.ecs.models import Service

    def fail(*args, **kwargs):
        raise RuntimeError("Service creation failed: quota exceeded")

    monkeypatch.setattr(Service, "create_from_cloudformation_json", classmethod(fail))
    return monkeypatch


def test_a_failed_first_create_rolls_back_and_keeps_only_its_retained_bucket(aws, failing_service):
    _, request = request_for(aws)
    with pytest.raises(Exception, match="Service .*CREATE_FAILED.*quota exceeded"):
        engine.deploy(aws, request, answers(), FAST)
    assert describe_stack(aws, request.stack_name).status == "ROLLBACK_COMPLETE"
    assert len(buckets(aws)) == 1
    assert stack_buckets(aws, request.stack_name) == set(buckets(aws))


def test_recreating_after_failed_creates_leaves_one_bucket_not_one_per_try(aws, failing_service):
    _, request = request_for(aws)
    for _ in range(2):
        with pytest.raises(Exception, match="quota exceeded"):
            engine.deploy(aws, request, answers(recreate=True), FAST)
    assert len(buckets(aws)) == 1  # the second try removed the first try's bucket
    failing_service.undo()
    result = engine.deploy(aws, request, answers(recreate=True), FAST)
    assert buckets(aws) == [result.outputs["AccessLogBucket"]]


def test_destroy_after_a_failed_create_finds_the_retained_bucket_by_its_tag(aws, failing_service):
    _, request = request_for(aws)
    with pytest.raises(Exception, match="quota exceeded"):
        engine.deploy(aws, request, answers(), FAST)
    result = destroy(aws, request, RecordingReporter(), FAST)
    assert buckets(aws) == [] and result.complete


def test_the_access_log_bucket_carries_the_stack_tag():
    tags = Template.of().properties("AccessLogBucket")["Tags"]
    assert {"Key": "fargo:stack", "Value": "l42-dev"} in tags


def test_access_logs_off_turns_them_off_on_the_load_balancer_explicitly():
    attributes = Template.of(access_logs=False).properties("LoadBalancer")[
        "LoadBalancerAttributes"]
    assert {"Key": "access_logs.s3.enabled", "Value": "false"} in attributes


def test_turning_access_logs_off_deletes_the_bucket_they_went_to(aws):
    settings, request = request_for(aws)
    first = engine.deploy(aws, request, answers(), FAST)
    _, without = request_for(aws, certificate_arn=settings.certificate_arn, access_logs=False)
    reporter = RecordingReporter()
    engine.deploy(aws, without, answers(reporter=reporter), FAST)
    assert buckets(aws) == []
    assert first.outputs["AccessLogBucket"] in reporter.text()


def test_an_interrupted_plan_leaves_no_holder_stack(aws, monkeypatch):
    from fargo.engine import change_set_calls

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(change_set_calls, "_collect_changes", interrupt)
    _, request = request_for(aws)
    with pytest.raises(KeyboardInterrupt):
        engine.plan(aws, request, timing=FAST)
    assert describe_stack(aws, request.stack_name) is None


def test_ctrl_c_at_the_confirmation_leaves_no_change_set_and_no_holder(aws):
    def interrupt(change_set):
        raise KeyboardInterrupt

    _, request = request_for(aws)
    with pytest.raises(KeyboardInterrupt):
        engine.deploy(aws, request,
                      CallbackHooks(RecordingReporter(), interrupt, always(False)), FAST)
    assert describe_stack(aws, request.stack_name) is None


def test_destroy_finds_a_holder_stack_left_by_an_interrupted_create(aws, monkeypatch):
    _, request = request_for(aws)
    engine.plan(aws, request, keep=True, timing=FAST)
    result = destroy(aws, request, RecordingReporter(), FAST)
    assert describe_stack(aws, request.stack_name) is None
    assert result.complete and f"stack {request.stack_name}" in result.removed


def test_destroy_retries_a_certificate_acm_still_calls_in_use(aws):
    from fargo.commands.deploy import deploy_service

    settings = settings_for(certificate_arn=None)
    deploy_service(aws, settings, answers(), FAST)
    arn = aws.client("acm").list_certificates()["CertificateSummaryList"][0]["CertificateArn"]
    strict_acm.in_use_lag[arn] = 2  # refused twice more after the listener is gone
    result = destroy_service(aws, settings, RecordingReporter(), timing=FAST)
    assert result.complete, result.failed
    assert f"self-signed certificate {arn}" in result.removed


def test_destroy_does_every_step_even_when_one_fails_and_says_what_is_left(aws, tmp_path):
    from fargo.commands.deploy import deploy_service

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM scratch\n")
    settings = settings_for(certificate_arn=None, build=str(tmp_path / "app"), port=8080)
    deploy_service(aws, settings, answers(), FAST)
    arn = aws.client("acm").list_certificates()["CertificateSummaryList"][0]["CertificateArn"]
    strict_acm.in_use_lag[arn] = 100  # never freed
    try:
        result = destroy_service(aws, settings, RecordingReporter(), timing=FAST)
    finally:
        strict_acm.in_use_lag.pop(arn, None)
    assert not result.complete
    assert any("still in use" in line for line in result.failed)
    assert describe_stack(aws, settings.registry_stack_name) is None  # later steps still ran
    assert describe_stack(aws, settings.stack_name) is None
