"""An environment with two services on the emulator: `web` on host app.example.com and `api`
on path /api/*, deployed into one environment, planned, updated and destroyed one at a time;
afterwards nothing of them is left in the account."""

from __future__ import annotations

import pytest
from engine_support import FAST, answers
from template_assertions import app_for

from fargo.commands.app_service import deploy_app_service, destroy_app_service, plan_app_service
from fargo.commands.environment import (
    deploy_environment,
    destroy_environment,
    environment_status,
    plan_environment,
)
from fargo.emulator.server import ensure_hosted_zone
from fargo.engine.certificate_coverage import name_matches
from fargo.engine.progress import RecordingReporter
from fargo.engine.stack import describe_stack
from fargo.errors import AwsError, ConfigError
from fargo.results import DeployOutcome

APP, ENV = "shop", "dev"


def inventory(aws) -> dict[str, list]:
    """Everything of the app the account still holds, by kind (empty lists: nothing)."""
    cfn, ssm, elbv2 = aws.client("cloudformation"), aws.client("ssm"), aws.client("elbv2")
    ec2, logs, ecs = aws.client("ec2"), aws.client("logs"), aws.client("ecs")
    clusters = ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"]
    return {
        "stacks": [s["StackName"] for s in cfn.describe_stacks()["Stacks"]
                   if s["StackStatus"] != "DELETE_COMPLETE"],
        "parameters": [p["Name"] for p in ssm.get_parameters_by_path(
            Path="/fargo", Recursive=True)["Parameters"]],
        "load balancers": [lb["LoadBalancerName"]
                           for lb in elbv2.describe_load_balancers()["LoadBalancers"]],
        "target groups": [tg["TargetGroupName"]
                          for tg in elbv2.describe_target_groups()["TargetGroups"]],
        "clusters": [c["clusterName"] for c in clusters if c["status"] == "ACTIVE"],
        "vpcs": [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if not v.get("IsDefault")],
        "buckets": [b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]],
        "log groups": [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]],
        "certificates": [c["CertificateArn"] for c in aws.client("acm").list_certificates()[
            "CertificateSummaryList"]],
    }


def nothing_left(aws) -> None:
    assert {kind: found for kind, found in inventory(aws).items() if found} == {}


@pytest.fixture
def app(aws):
    ensure_hosted_zone(aws.client("route53"), "example.com")
    return app_for()


@pytest.fixture
def deployed(aws, app):
    assert deploy_environment(aws, app, answers(), FAST).outcome == DeployOutcome.DEPLOYED
    for name in ("web", "api"):
        result, _ = deploy_app_service(aws, app, name, answers(), FAST)
        assert result.outcome == DeployOutcome.DEPLOYED
    return app


def listener_rules(aws) -> list[dict]:
    elbv2 = aws.client("elbv2")
    (balancer,) = elbv2.describe_load_balancers()["LoadBalancers"]
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])
    https = next(li for li in listeners["Listeners"] if li["Port"] == 443)
    return [r for r in elbv2.describe_rules(ListenerArn=https["ListenerArn"])["Rules"]
            if not r["IsDefault"]]


def test_two_services_share_one_load_balancer_by_host_and_path(aws, deployed):
    rules = {r["Priority"]: r["Conditions"][0] for r in listener_rules(aws)}
    assert rules["10"]["Field"] == "host-header"
    assert rules["10"]["HostHeaderConfig"]["Values"] == ["app.example.com"]
    assert rules["20"]["Field"] == "path-pattern"
    assert rules["20"]["PathPatternConfig"]["Values"] == ["/api/*"]
    found = inventory(aws)
    assert len(found["load balancers"]) == 1 and len(found["clusters"]) == 1
    assert len(found["target groups"]) == 2
    assert f"/fargo/{APP}/{ENV}/listener-arn" in found["parameters"]


def test_nothing_changes_after_a_deploy(aws, deployed):
    assert plan_environment(aws, deployed, timing=FAST).empty
    for name in ("web", "api"):
        change_set, _ = plan_app_service(aws, deployed, name, timing=FAST)
        assert change_set.empty, name
    again, _ = deploy_app_service(aws, deployed, "web", answers(), FAST)
    assert again.outcome == DeployOutcome.NO_CHANGES


def test_updating_one_service_leaves_the_other_untouched(aws, deployed):
    api_before = describe_stack(aws, "shop-dev-api")
    events_before = len(aws.client("cloudformation").describe_stack_events(
        StackName="shop-dev-api")["StackEvents"])
    changed = app_for(services={"web": {"host": "app.example.com", "image": "nginx:1.27"},
                                "api": {"path": "/api/*"}})
    result, _ = deploy_app_service(aws, changed, "web", answers(), FAST)
    assert result.outcome == DeployOutcome.DEPLOYED
    assert {c.logical_id for c in result.changes} >= {"TaskDefinition"}
    assert describe_stack(aws, "shop-dev-api") == api_before
    assert len(aws.client("cloudformation").describe_stack_events(
        StackName="shop-dev-api")["StackEvents"]) == events_before
    change_set, _ = plan_app_service(aws, changed, "api", timing=FAST)
    assert change_set.empty


def test_status_shows_the_environment_and_each_service(aws, deployed):
    status = environment_status(aws, deployed)
    assert status.environment.service.stack.status == "CREATE_COMPLETE"
    assert list(status.services) == ["web", "api"]
    web, api = status.services["web"].service, status.services["api"].service
    assert web.url == "https://app.example.com"
    assert api.url.endswith("/api/")
    assert api.desired is not None
    # the emulator runs no task, which is not judged there: all are well
    assert status.verdict() == "healthy"
    assert status.services["api"].deployment.image  # from the service's settings record


def test_the_verdict_counts_the_services_asked_about(aws, deployed):
    destroy_app_service(aws, deployed, "api", RecordingReporter(), timing=FAST)
    status = environment_status(aws, deployed)
    assert status.verdict() == "not-deployed"
    assert status.verdict(["api"]) == "not-deployed"
    assert status.verdict(["web"]) == "healthy"


def test_services_and_then_the_environment_are_destroyed_one_at_a_time(aws, deployed):
    with pytest.raises(AwsError, match="still has service stack"):
        destroy_environment(aws, deployed, RecordingReporter(), timing=FAST)
    assert describe_stack(aws, "shop-dev-env") is not None  # refused: nothing deleted
    web = destroy_app_service(aws, deployed, "web", RecordingReporter(), timing=FAST)
    assert web.complete, (web.failed, web.left)
    assert describe_stack(aws, "shop-dev-web") is None
    assert describe_stack(aws, "shop-dev-api").status == "CREATE_COMPLETE"
    assert [r["Priority"] for r in listener_rules(aws)] == ["20"]
    api = destroy_app_service(aws, deployed, "api", RecordingReporter(), timing=FAST)
    assert api.complete, (api.failed, api.left)
    environment = destroy_environment(aws, deployed, RecordingReporter(), timing=FAST)
    assert environment.complete, (environment.failed, environment.left)
    nothing_left(aws)


def test_a_service_needs_its_environment_first(aws, app):
    with pytest.raises(AwsError, match="fargo env deploy"):
        deploy_app_service(aws, app, "web", answers(), FAST)
    assert inventory(aws)["stacks"] == []


def test_destroy_all_takes_the_services_with_the_environment(aws):
    """A self-signed environment (HTTPS, no domain): its certificate goes with it."""
    app = app_for({"domain": None, "hosted_zone": None},
                  services={"api": {"path": "/api/*"}, "admin": {"path": "/admin/*"}})
    deploy_environment(aws, app, answers(), FAST)
    assert len(inventory(aws)["certificates"]) == 1
    for name in app.services:
        deploy_app_service(aws, app, name, answers(), FAST)
    result = destroy_environment(aws, app, RecordingReporter(), all=True, timing=FAST)
    assert result.complete, (result.failed, result.left)
    assert "stack shop-dev-api" in result.removed and "stack shop-dev-env" in result.removed
    nothing_left(aws)


def test_a_host_added_since_the_environment_was_deployed_waits_for_env_deploy(aws, deployed):
    """The environment's certificate names app.example.com; a new service on
    shop.example.com would answer with it, and every client would refuse: deploy says so
    before any change, plan warns, and after `fargo env deploy` the service deploys."""
    grown = app_for(services={"web": {"host": "app.example.com"}, "api": {"path": "/api/*"},
                              "shop": {"host": "shop.example.com"}})
    with pytest.raises(ConfigError, match=r"host shop\.example\.com of service shop is not on "
                       r"the environment's certificate \(it names example\.com, "
                       r"app\.example\.com\): run `fargo env deploy` first"):
        deploy_app_service(aws, grown, "shop", answers(), FAST)
    assert describe_stack(aws, "shop-dev-shop") is None
    _, notes = plan_app_service(aws, grown, "shop", timing=FAST)
    assert any(note.startswith("warning: host shop.example.com of service shop is not on")
               for note in notes), notes

    assert deploy_environment(aws, grown, answers(), FAST).outcome == DeployOutcome.DEPLOYED
    result, _ = deploy_app_service(aws, grown, "shop", answers(), FAST)
    assert result.outcome == DeployOutcome.DEPLOYED
    _, notes = plan_app_service(aws, grown, "shop", timing=FAST)
    assert not any("certificate" in note for note in notes), notes


@pytest.mark.parametrize(("host", "name", "matches"), [
    ("app.example.com", "app.example.com", True),
    ("APP.example.com.", "app.EXAMPLE.com", True),
    ("app.example.com", "*.example.com", True),
    ("a.app.example.com", "*.example.com", False),  # a wildcard is one label
    ("example.com", "*.example.com", False),
    ("app.example.com", "example.com", False),
    ("appexample.com", "*.example.com", False),
])
def test_a_certificate_name_matches_a_host_as_tls_clients_match(host, name, matches):
    assert name_matches(host, name) is matches


def test_name_matching_holds_for_any_dns_names():
    """A name matches itself in any case; a wildcard matches one more label, never two, and
    never the bare parent."""
    from hypothesis import given
    from hypothesis import strategies as st

    label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?", fullmatch=True)
    names = st.lists(label, min_size=1, max_size=4).map(".".join)

    @given(names, label, label)
    def check(parent, first, second):
        assert name_matches(parent.upper(), parent)
        assert name_matches(f"{first}.{parent}", f"*.{parent}")
        assert not name_matches(f"{second}.{first}.{parent}", f"*.{parent}")
        assert not name_matches(parent, f"*.{parent}")

    check()
