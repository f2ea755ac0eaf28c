"""Stack outputs: what the user (and fargo's engine) reads after a deploy."""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Sub, Template, route53

from fargo.config import Settings
from fargo.contract import OUTPUT_DOMAIN_URL
from fargo.template.access_logs import AccessLogs
from fargo.template.load_balancer import LoadBalancing
from fargo.template.service import Service


def add(
    template: Template, settings: Settings, load_balancing: LoadBalancing, service: Service,
    access_logs: AccessLogs | None, domain_record: route53.RecordSetType | None = None,
) -> None:
    scheme = "https" if settings.https else "http"
    lb = load_balancing.load_balancer
    template.add_output(Output("AlbDns", Description="The load balancer's DNS name",
                               Value=GetAtt(lb, "DNSName")))
    template.add_output(Output("ServiceUrl", Description="URL of the service",
                               Value=Sub(f"{scheme}://${{{lb.title}.DNSName}}")))
    template.add_output(Output("ClusterName", Value=service.cluster))
    template.add_output(Output("ServiceName", Value=GetAtt(service.service, "Name")))
    template.add_output(Output("LogGroupName", Value=service.log_group))
    template.add_output(Output("TargetGroupArn", Value=Ref(load_balancing.target_group)))
    if access_logs:
        template.add_output(Output("AccessLogBucket", Description="Retained at stack deletion; "
                                   "fargo destroy empties and deletes it",
                                   Value=Ref(access_logs.bucket)))
    if domain_record is not None:
        template.add_output(Output(OUTPUT_DOMAIN_URL, Description="URL of the service at its "
                                   "domain", Value=f"{scheme}://{settings.domain}"))
