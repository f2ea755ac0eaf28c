"""Fargate Spot and ARM (issue 13): capacity on-demand, spot or mixed through the cluster's
capacity providers and the service's strategy, and then no LaunchType (ECS refuses both;
cfn-lint does not notice)."""

from __future__ import annotations

import pytest
from template_assertions import Template, app_for, environment_of, service_of

SPOT = {"CapacityProvider": "FARGATE_SPOT", "Weight": 1}


def service(template: Template) -> dict:
    return template.properties("Service")


def test_on_demand_runs_on_the_fargate_launch_type_without_a_strategy():
    properties = service(Template.of())
    assert properties["LaunchType"] == "FARGATE"
    assert "CapacityProviderStrategy" not in properties


def test_spot_puts_every_task_on_fargate_spot_and_drops_the_launch_type():
    properties = service(Template.of(capacity="spot"))
    assert properties["CapacityProviderStrategy"] == [SPOT]
    assert "LaunchType" not in properties


def test_mixed_keeps_a_base_on_demand_with_weight_0_and_the_rest_on_spot():
    properties = service(Template.of(capacity="mixed", max_count=3))
    assert properties["CapacityProviderStrategy"] == [
        {"CapacityProvider": "FARGATE", "Base": 1, "Weight": 0}, SPOT]
    assert "LaunchType" not in properties


def test_mixed_base_follows_capacity_base():
    strategy = service(Template.of(capacity="mixed", capacity_base=3, max_count=6))[
        "CapacityProviderStrategy"]
    assert strategy[0]["Base"] == 3


@pytest.mark.parametrize("capacity", ["on-demand", "spot", "mixed"])
def test_the_cluster_always_offers_both_fargate_capacity_providers(capacity):
    cluster = Template.of(capacity=capacity, max_count=3).properties("Cluster")
    assert cluster["CapacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


def test_arm_runs_on_spot():
    template = Template.of(capacity="spot", platform="linux/arm64", cpu=512, memory=1024)
    assert template.properties("TaskDefinition")["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    assert service(template)["CapacityProviderStrategy"] == [SPOT]
    assert service(template)["PlatformVersion"] == "LATEST"  # Spot on ARM needs 1.4.0


def test_switching_on_demand_and_spot_removes_the_launch_type_which_replaces_the_service():
    """CloudFormation replaces an ECS service whose LaunchType changes; between spot and mixed
    only the strategy changes (an in-place update)."""
    on_demand, spot, mixed = (service(Template.of(capacity=c, max_count=3))
                              for c in ("on-demand", "spot", "mixed"))
    assert "LaunchType" in on_demand and "LaunchType" not in spot
    assert "LaunchType" not in mixed and spot["CapacityProviderStrategy"] != mixed[
        "CapacityProviderStrategy"]


def test_the_spot_defaults_fit_the_two_minute_warning_in_the_template():
    template = Template.of(capacity="spot")
    stop = template.properties("TaskDefinition")["ContainerDefinitions"][0]["StopTimeout"]
    (drain,) = [int(a["Value"]) for a in template.properties("TargetGroup")[
        "TargetGroupAttributes"] if a["Key"] == "deregistration_delay.timeout_seconds"]
    assert drain + stop <= 120 and stop >= drain


def test_an_environments_cluster_offers_both_providers_for_its_services():
    cluster = environment_of(app_for()).properties("Cluster")
    assert cluster["CapacityProviders"] == ["FARGATE", "FARGATE_SPOT"]


def test_an_environments_service_takes_its_own_capacity():
    app = app_for(services={"web": {"host": "app.example.com", "capacity": "spot"},
                            "api": {"path": "/api/*"}})
    assert service(service_of(app, "web"))["CapacityProviderStrategy"] == [SPOT]
    assert "LaunchType" not in service(service_of(app, "web"))
    assert service(service_of(app, "api"))["LaunchType"] == "FARGATE"
