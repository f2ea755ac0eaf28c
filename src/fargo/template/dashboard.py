"""The service's CloudWatch dashboard: the alarms' metrics and their states on one page.

Requests and 5xx, p50/p99 response time, healthy and unhealthy tasks (per target group), the
service's CPU and memory against their alarm thresholds and the CPU scaling target, and the
alarms' states (running and desired counts are `fargo status`'s). Dashboards are global to an
account, so its name holds the region (`fargo.contract.dashboard_name`); `fargo status`
prints its URL (`fargo.contract.dashboard_url`). The first three dashboards of an account
are free, each further one US$3 a month.
"""

from __future__ import annotations

import json

from troposphere import AWSHelperFn, GetAtt, Sub, Template
from troposphere import cloudwatch as cw

from fargo import contract
from fargo.config import Settings
from fargo.template.metrics import ECS, ELB, PERIOD, Traffic

WIDTH, HEIGHT = 12, 6


def add(template: Template, settings: Settings, traffic: Traffic, cluster: AWSHelperFn,
        service, alarms: list[cw.Alarm]) -> cw.Dashboard:
    groups = [f"TargetGroup{i}" for i in range(len(traffic.target_groups))]
    variables = {group: value for group, value in zip(groups, traffic.target_groups,
                                                      strict=True)}
    variables.update(LoadBalancer=traffic.load_balancer, Cluster=cluster,
                     Service=GetAtt(service, "Name"))
    arn = "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:"
    alarm_arns = [arn + alarm.AlarmName for alarm in alarms]  # by name: no wait for them
    body = {"widgets": _place([
        _widget("Requests and 5xx answers", _elb(groups, ("RequestCount", "Sum", "requests"),
                                                 ("HTTPCode_Target_5XX_Count", "Sum", "5xx"))),
        _widget("Response time (s)", _elb(groups, ("TargetResponseTime", "p50", "p50"),
                                          (".", "p99", "p99")),
                [("p99 alarm", settings.alarm_p99_seconds)]),
        _widget("Healthy and unhealthy tasks", _elb(
            groups, ("HealthyHostCount", "Minimum", "healthy"),
            ("UnHealthyHostCount", "Maximum", "unhealthy"))),
        _widget("CPU and memory (%)", _service(ECS, ("CPUUtilization", "CPU"),
                                               ("MemoryUtilization", "memory")),
                [("CPU alarm", settings.alarm_cpu_percent),
                 ("memory alarm", settings.alarm_memory_percent),
                 ("CPU target", settings.scaling_cpu_target)]),
        {"type": "alarm", "properties": {
            "title": "Alarms", "alarms": alarm_arns}},
    ])}
    text = json.dumps(body, separators=(",", ":"))
    return template.add_resource(cw.Dashboard(
        contract.DASHBOARD_RESOURCE,
        DashboardName=Sub(contract.dashboard_name(settings.stack_name, "${AWS::Region}")),
        DashboardBody=Sub(text, variables),
    ))


def _elb(groups: list[str], *series: tuple[str, str, str]) -> list[list]:
    """Each (metric, stat, label) per target group; a repeated field is "." (the
    dashboard's shorthand for the row above's)."""
    rows = []
    for group in groups:
        suffix = "" if group == "TargetGroup0" else " (alternate)"
        first = [ELB, series[0][0], "TargetGroup", f"${{{group}}}", "LoadBalancer",
                 "${LoadBalancer}"]
        for index, (metric, stat, label) in enumerate(series):
            row = first if index == 0 else [".", metric, ".", ".", ".", "."]
            rows.append([*row, {"stat": stat, "label": label + suffix}])
    return rows


def _service(namespace: str, *series: tuple[str, str]) -> list[list]:
    rows = []
    for index, (metric, label) in enumerate(series):
        row = ([namespace, metric, "ClusterName", "${Cluster}", "ServiceName", "${Service}"]
               if index == 0 else [".", metric, ".", ".", ".", "."])
        rows.append([*row, {"stat": "Average", "label": label}])
    return rows


def _widget(title: str, metrics: list, lines: list[tuple[str, float | None]] = ()) -> dict:
    properties = {"title": title, "region": "${AWS::Region}", "period": PERIOD,
                  "metrics": metrics}
    shown = [{"label": label, "value": value} for label, value in lines if value is not None]
    if shown:
        properties["annotations"] = {"horizontal": shown}
    return {"type": "metric", "properties": properties}


def _place(widgets: list[dict]) -> list[dict]:
    """Two widgets a row, each half the dashboard's 24 columns wide; an odd last one whole."""
    for index, widget in enumerate(widgets):
        alone = index == len(widgets) - 1 and index % 2 == 0
        widget.update(x=WIDTH * (index % 2), y=HEIGHT * (index // 2),
                      width=2 * WIDTH if alone else WIDTH, height=HEIGHT)
    return widgets
