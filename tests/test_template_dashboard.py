"""The service's CloudWatch dashboard (issue 12): the alarms' metrics and states, named for
the stack and region, its URL in fargo.contract for `fargo status`."""

from __future__ import annotations

import json
import re

import pytest
from template_assertions import Template, app_for, outputs, service_of

from fargo import contract


def body(template: Template, region: str = "eu-west-1") -> dict:
    """The dashboard body as CloudFormation's Fn::Sub renders it (variables as markers)."""
    text, variables = template.properties(contract.DASHBOARD_RESOURCE)["DashboardBody"]["Fn::Sub"]
    for name in variables:
        text = text.replace(f"${{{name}}}", f"<{name}>")
    text = text.replace("${AWS::Region}", region).replace("${AWS::Partition}", "aws")
    text = text.replace("${AWS::AccountId}", "123456789012")
    assert "${" not in text
    return json.loads(text)


@pytest.fixture(scope="module")
def template() -> Template:
    return Template.of()


def test_one_dashboard_named_for_the_stack_and_the_region(template):
    template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    assert template.properties("Dashboard")["DashboardName"] == {
        "Fn::Sub": "l42-dev-${AWS::Region}"}
    assert outputs(template)[contract.OUTPUT_DASHBOARD]["Value"] == {"Ref": "Dashboard"}


def test_the_body_is_valid_json_once_substituted(template):
    widgets = body(template)["widgets"]
    assert [w["properties"]["title"] for w in widgets] == [
        "Requests and 5xx answers", "Response time (s)", "Healthy and unhealthy tasks",
        "CPU and memory (%)", "Alarms"]


def test_widgets_fill_two_columns_and_the_last_alone_spans_both(template):
    placed = [(w["x"], w["y"], w["width"]) for w in body(template)["widgets"]]
    assert placed == [(0, 0, 12), (12, 0, 12), (0, 6, 12), (12, 6, 12), (0, 12, 24)]


def test_the_metrics_are_the_alarms_metrics(template):
    names = {row[1] for w in body(template)["widgets"] if w["type"] == "metric"
             for row in w["properties"]["metrics"]}
    assert {"RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime",
            "UnHealthyHostCount", "CPUUtilization", "MemoryUtilization"} <= names


def test_the_alarm_widget_shows_every_alarm_by_its_arn(template):
    (alarms,) = [w for w in body(template)["widgets"] if w["type"] == "alarm"]
    assert alarms["properties"]["alarms"] == [
        f"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:l42-dev-{name}" for name in (
            "target-5xx-rate", "unhealthy-tasks", "p99-response-time", "cpu-high",
            "memory-high")]


def test_thresholds_show_as_lines_on_their_widgets():
    widgets = body(Template.of(alarm_cpu_percent=85))["widgets"]
    lines = {a["label"]: a["value"] for w in widgets
             for a in w["properties"].get("annotations", {}).get("horizontal", [])}
    assert lines == {"p99 alarm": 2.0, "CPU alarm": 85.0, "memory alarm": 90.0,
                     "CPU target": 70.0}


def test_metrics_name_the_load_balancer_target_group_cluster_and_service(template):
    variables = template.properties("Dashboard")["DashboardBody"]["Fn::Sub"][1]
    assert set(variables) == {"TargetGroup0", "LoadBalancer", "Cluster", "Service"}
    assert variables["Service"] == {"Fn::GetAtt": ["Service", "Name"]}


def test_a_blue_green_services_dashboard_shows_both_target_groups():
    app = app_for(services={"web": {"host": "app.example.com", "deployment": "blue-green"}})
    template = service_of(app, "web")
    variables = template.properties("Dashboard")["DashboardBody"]["Fn::Sub"][1]
    assert {"TargetGroup0", "TargetGroup1"} <= set(variables)
    labels = [row[-1]["label"] for w in body(template)["widgets"] if w["type"] == "metric"
              for row in w["properties"]["metrics"]]
    assert "requests (alternate)" in labels
    assert template.properties("Dashboard")["DashboardName"] == {
        "Fn::Sub": "shop-dev-web-${AWS::Region}"}


def test_the_dashboard_url_names_region_and_dashboard():
    url = contract.dashboard_url("eu-west-1", "l42-dev")
    assert url == ("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?"
                   "region=eu-west-1#dashboards:name=l42-dev-eu-west-1")
    assert contract.dashboard_url("cn-north-1", "a-b").startswith(
        "https://cn-north-1.console.amazonaws.cn/")


def test_dashboard_names_use_only_the_characters_cloudwatch_takes():
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,255}", contract.dashboard_name("l42-dev", "eu-west-1"))
