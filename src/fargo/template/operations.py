"""What operators use beside the service (issue 12): alarms and their topic, the dashboard,
the settings record and the outputs that name them. A single service's stack and an
environment's service stack compose them alike: `before_service` (the traffic alarms, which
the service names as its deployment alarms), then `after_service` (what names the service).
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Join, Output, Ref, Template, ecs

from fargo import contract
from fargo.config import Settings
from fargo.template import alarms, dashboard, settings_record
from fargo.template.metrics import Traffic
from fargo.template.service import Service


@dataclass(frozen=True)
class Watch:
    traffic: Traffic
    topic: alarms.Topic
    traffic_alarms: alarms.TrafficAlarms

    def deployment_alarms(self) -> ecs.DeploymentAlarms:
        """The error alarms, with rollback: a failing deployment returns to the last one."""
        return ecs.DeploymentAlarms(
            AlarmNames=alarms.deployment_alarm_names(self.traffic_alarms), Enable=True,
            Rollback=True)


def before_service(template: Template, settings: Settings, traffic: Traffic) -> Watch:
    topic = alarms.add_topic(template, settings)
    return Watch(traffic, topic, alarms.add_traffic_alarms(template, settings, traffic, topic))


def after_service(template: Template, settings: Settings, watch: Watch, svc: Service) -> None:
    every = watch.traffic_alarms.all + alarms.add_service_alarms(
        template, settings, svc.cluster, svc.service, watch.topic)
    board = dashboard.add(template, settings, watch.traffic, svc.cluster, svc.service, every)
    record = settings_record.add(template, settings)
    for output in (
        Output(contract.OUTPUT_ALARM_TOPIC, Value=Ref(watch.topic.topic)),
        Output(contract.OUTPUT_ALARMS, Value=Join(",", [Ref(alarm) for alarm in every])),
        Output(contract.OUTPUT_DEPLOYMENT_ALARMS, Description="They roll a deployment back",
               Value=Join(",", alarms.deployment_alarm_names(watch.traffic_alarms))),
        Output(contract.OUTPUT_DASHBOARD, Value=Ref(board)),
        Output(contract.OUTPUT_SETTINGS_RECORD, Description="The settings of the last deploy",
               Value=Ref(record)),
    ):
        template.add_output(output)
