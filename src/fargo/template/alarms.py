"""CloudWatch alarms of a service, and the encrypted SNS topic they go to (issue 12).

- target 5xx rate: % of the requests the tasks answered with a 5xx (metric math over the
  target group(s); no requests means no alarm), 2 of 3 minutes above alarm_5xx_percent;
- unhealthy tasks: a target unhealthy in every minute of a stretch longer than the health
  check grace period can hold (a new task's target counts as unhealthy while its app boots:
  a start of up to the grace period touches at most grace/60 + 1 one-minute periods, so the
  alarm needs grace/60 + 2 of them, 3 by default, and never rolls back a slow start);
- p99 response time above alarm_p99_seconds in 3 of 5 minutes;
- CPU and memory above their thresholds for 5 minutes running.

Only the error alarms (5xx, unhealthy) are the service's deployment alarms
(`DeploymentConfiguration.Alarms`, rollback on): a bad image rolls back on errors, a busy good
one does not roll back on load. ECS watches them for a bake time after the new tasks are
healthy, which it derives from their periods (a few minutes added to each rollout's end).

The topic is encrypted with a customer managed key: CloudWatch cannot publish to a topic
encrypted with AWS's managed SNS key (its key policy admits no service), so the key admits
CloudWatch for this stack's alarms only (source account and alarm ARN). The key costs US$1 a
month. `alarm_email` subscribes an address (SNS asks it to confirm).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from troposphere import AWSHelperFn, GetAtt, Ref, Sub, Template, kms, sns
from troposphere import cloudwatch as cw

from fargo import contract
from fargo.config import Settings
from fargo.template.metrics import PERIOD, Traffic, service_metric, target_group_metric

ERROR_RATE, UNHEALTHY, LATENCY = "target-5xx-rate", "unhealthy-tasks", "p99-response-time"
CPU, MEMORY = "cpu-high", "memory-high"
MAX_UNHEALTHY_MINUTES = 30


@dataclass(frozen=True)
class Topic:
    topic: sns.Topic
    key: kms.Key


@dataclass(frozen=True)
class TrafficAlarms:
    errors: list[cw.Alarm]  # the deployment alarms
    latency: cw.Alarm

    @property
    def all(self) -> list[cw.Alarm]:
        return [*self.errors, self.latency]


def add_topic(template: Template, settings: Settings) -> Topic:
    alarms = f"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:" \
             f"{contract.alarm_name(settings.stack_name, '*')}"
    from_our_alarms = {"StringEquals": {"aws:SourceAccount": Ref("AWS::AccountId")},
                       "ArnLike": {"aws:SourceArn": Sub(alarms)}}
    key = template.add_resource(kms.Key(
        "AlarmTopicKey", Description=f"{settings.stack_name} alarm topic",
        # It encrypts notifications in flight only: nothing to keep once the stack is gone
        # (KMS deletes it after the shortest waiting period, 7 days).
        DeletionPolicy="Delete", UpdateReplacePolicy="Delete",
        EnableKeyRotation=True, PendingWindowInDays=7, KeyPolicy={
            "Version": "2012-10-17", "Statement": [
                {"Sid": "AccountAdministersKey", "Effect": "Allow",
                 "Principal": {"AWS": Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                 "Action": "kms:*", "Resource": "*"},
                {"Sid": "CloudWatchPublishesThisStacksAlarms", "Effect": "Allow",
                 "Principal": {"Service": "cloudwatch.amazonaws.com"},
                 "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
                 "Condition": from_our_alarms},
            ]},
    ))
    topic = template.add_resource(sns.Topic(
        contract.ALARM_TOPIC_RESOURCE, DisplayName=f"fargo {settings.stack_name}"[:100],
        KmsMasterKeyId=Ref(key),
    ))
    template.add_resource(sns.TopicPolicy(
        "AlarmTopicPolicy", Topics=[Ref(topic)], PolicyDocument={
            "Version": "2012-10-17", "Statement": [
                {"Sid": "CloudWatchPublishesThisStacksAlarms", "Effect": "Allow",
                 "Principal": {"Service": "cloudwatch.amazonaws.com"},
                 "Action": "sns:Publish", "Resource": Ref(topic), "Condition": from_our_alarms},
                {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                 "Action": ["sns:Publish", "sns:Subscribe"], "Resource": Ref(topic),
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            ]},
    ))
    if settings.alarm_email:
        template.add_resource(sns.SubscriptionResource(
            "AlarmEmailSubscription", TopicArn=Ref(topic), Protocol="email",
            Endpoint=settings.alarm_email,
        ))
    return Topic(topic, key)


def add_traffic_alarms(template: Template, settings: Settings, traffic: Traffic,
                       topic: Topic) -> TrafficAlarms:
    """The alarms on the load balancer's view of the tasks (before the service, which names
    the error alarms as its deployment alarms)."""
    groups = range(len(traffic.target_groups))
    requests = [_query(f"r{i}", target_group_metric(traffic, i, "RequestCount"), "Sum")
                for i in groups]
    errors = [_query(f"e{i}", target_group_metric(traffic, i, "HTTPCode_Target_5XX_Count"),
                     "Sum") for i in groups]
    total_requests = "+".join(f"FILL(r{i},0)" for i in groups)
    total_errors = "+".join(f"FILL(e{i},0)" for i in groups)
    rate = cw.MetricDataQuery(
        Id="rate", ReturnData=True,
        Expression=f"IF(({total_requests})>0,100*({total_errors})/({total_requests}),0)")
    error_rate = _alarm(template, settings, "ErrorRateAlarm", ERROR_RATE, topic,
                        f"Over {settings.alarm_5xx_percent:g} % of requests get a 5xx from "
                        "the tasks (rolls a deployment back)",
                        settings.alarm_5xx_percent, 3, 2, Metrics=[rate, *requests, *errors])
    minutes = unhealthy_minutes(settings)
    unhealthy = _alarm(template, settings, "UnhealthyTasksAlarm", UNHEALTHY, topic,
                       f"A task fails its load balancer health checks for {minutes} minutes "
                       "(rolls a deployment back)", 1, minutes, minutes,
                       **_combined(traffic, "UnHealthyHostCount", "Maximum", "+"),
                       ComparisonOperator="GreaterThanOrEqualToThreshold")
    latency = _alarm(template, settings, "ResponseTimeAlarm", LATENCY, topic,
                     f"p99 response time over {settings.alarm_p99_seconds:g} s",
                     settings.alarm_p99_seconds, 5, 3,
                     **_combined(traffic, "TargetResponseTime", "p99", "MAX"))
    return TrafficAlarms([error_rate, unhealthy], latency)


def unhealthy_minutes(settings: Settings) -> int:
    """One-minute periods a target must be unhealthy in a row: more than a start within the
    grace period can fill (at most 30)."""
    return min(MAX_UNHEALTHY_MINUTES, math.ceil(settings.health_check_grace_period / PERIOD) + 2)


def add_service_alarms(template: Template, settings: Settings, cluster: AWSHelperFn,
                       service, topic: Topic) -> list[cw.Alarm]:
    """CPU and memory of the service's tasks (after the service: they name it)."""
    found = []
    for logical_id, alarm, metric, threshold in (
        ("CpuHighAlarm", CPU, "CPUUtilization", settings.alarm_cpu_percent),
        ("MemoryHighAlarm", MEMORY, "MemoryUtilization", settings.alarm_memory_percent),
    ):
        what = "CPU" if metric.startswith("CPU") else "memory"
        found.append(_alarm(
            template, settings, logical_id, alarm, topic,
            f"Average {what} over {threshold:g} % for 5 minutes: autoscaling is at its "
            "maximum or cannot keep up", threshold, 5, 5,
            **_plain(service_metric(cluster, service, metric), "Average")))
    return found


def _plain(metric: cw.Metric, stat: str) -> dict:
    """A single metric, in the alarm's own properties (shorter than a metric query)."""
    statistic = {"ExtendedStatistic": stat} if stat.startswith("p") else {"Statistic": stat}
    return dict(Namespace=metric.Namespace, MetricName=metric.MetricName,
                Dimensions=metric.Dimensions, Period=PERIOD, **statistic)


def _combined(traffic: Traffic, metric: str, stat: str, combine: str) -> dict:
    """One target group's metric as it is; two combined by metric math (+ or MAX)."""
    if len(traffic.target_groups) == 1:
        return _plain(target_group_metric(traffic, 0, metric), stat)
    queries = [_query(f"m{i}", target_group_metric(traffic, i, metric), stat, False)
               for i in range(len(traffic.target_groups))]
    ids = [q.Id for q in queries]
    expression = f"MAX([{','.join(ids)}])" if combine == "MAX" else "+".join(
        f"FILL({i},0)" for i in ids)
    return {"Metrics": [cw.MetricDataQuery(Id="all", Expression=expression, ReturnData=True,
                                           Label=metric), *queries]}


def _query(query_id: str, metric: cw.Metric, stat: str, returned: bool = False
           ) -> cw.MetricDataQuery:
    return cw.MetricDataQuery(Id=query_id, ReturnData=returned, MetricStat=cw.MetricStat(
        Metric=metric, Period=PERIOD, Stat=stat))


def _alarm(template: Template, settings: Settings, logical_id: str, alarm: str, topic: Topic,
           description: str, threshold: float, periods: int, datapoints: int,
           **properties) -> cw.Alarm:
    properties.setdefault("ComparisonOperator", "GreaterThanThreshold")
    return template.add_resource(cw.Alarm(
        logical_id, AlarmName=contract.alarm_name(settings.stack_name, alarm),
        AlarmDescription=description,
        Threshold=threshold, EvaluationPeriods=periods, DatapointsToAlarm=datapoints,
        TreatMissingData="notBreaching", ActionsEnabled=True,
        AlarmActions=[Ref(topic.topic)], OKActions=[Ref(topic.topic)], **properties,
    ))


def deployment_alarm_names(alarms: TrafficAlarms) -> list[Ref]:
    return [Ref(alarm) for alarm in alarms.errors]


def arns(alarms: list[cw.Alarm]) -> list[GetAtt]:
    return [GetAtt(alarm, "Arn") for alarm in alarms]
