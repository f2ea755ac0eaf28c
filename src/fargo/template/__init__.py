"""Render the CloudFormation template of one fargo service. Pure and offline: no boto3 here.

Modules add their resources in data-flow order and hand on what the next one needs:
network -> flow logs, DNS firewall -> security -> log groups -> endpoints -> access logs ->
hosted zone -> certificate -> load balancer -> WAF -> alarm topic and traffic alarms ->
service -> scaling -> domain record -> outputs -> service alarms, dashboard, settings record.
The image and the task counts are parameters (parameters module): `deploy --image` and
`scale` change no template. The description names no image for the same reason.

An environment with many services (a file with `[services.NAME]`) composes the same modules
into two kinds of stack: `environment.build_environment_template(app)` and
`env_service.build_service_template(app, name)` (not imported here: one service's synth does
not load them).
"""

from __future__ import annotations

from troposphere import Template

from fargo.config import Settings
from fargo.template import (
    access_logs,
    certificate,
    dns,
    dns_firewall,
    endpoints,
    flow_logs,
    load_balancer,
    log_groups,
    metrics,
    network,
    operations,
    outputs,
    scaling,
    security,
    service,
    waf,
)
from fargo.template.common import (
    CERTIFICATE_PARAMETER,
    DESIRED_COUNT_PARAMETER,
    S3_PREFIX_LIST_PARAMETER,
    apply_tags,
)

__all__ = [
    "CERTIFICATE_PARAMETER", "DESIRED_COUNT_PARAMETER", "S3_PREFIX_LIST_PARAMETER",
    "build_template", "render",
]


def build_template(settings: Settings) -> Template:
    template = Template(Description=(
        f"fargo service {settings.stack_name}: a container on ECS Fargate behind an "
        f"{'HTTPS' if settings.https else 'HTTP'} load balancer ({settings.network} network)"
    ))
    template.set_version("2010-09-09")
    net = network.add(template, settings)
    flow_logs.add(template, settings, net)
    dns_rules = dns_firewall.add(template, settings, net)
    groups = security.add(template, settings, net)
    logs = log_groups.add(template, settings)
    vpc_endpoints = endpoints.add(template, settings, net, groups.endpoint)
    logs_bucket = access_logs.add(template, settings)
    zone = dns.hosted_zone(template, settings)
    listener_certificate = certificate.add(template, settings, zone)
    balancing = load_balancer.add(template, settings, net, groups, logs_bucket,
                                  listener_certificate)
    waf.add(template, settings, balancing)
    network_ready = net.private_default_routes + vpc_endpoints + ([dns_rules] if dns_rules else [])
    traffic = metrics.of_load_balancer(balancing.load_balancer, [balancing.target_group])
    watch = operations.before_service(template, settings, traffic)
    svc = service.add(template, settings, net, groups, balancing, logs, network_ready,
                      watch.deployment_alarms())
    scaling.add(template, settings, svc, traffic)
    record = dns.add(template, settings, zone, balancing)
    outputs.add(template, settings, balancing, svc, logs_bucket, record)
    operations.after_service(template, settings, watch, svc)
    apply_tags(template, settings)
    return template


def render(settings: Settings, fmt: str = "json") -> str:
    template = build_template(settings)
    if fmt == "yaml":
        return template.to_yaml()
    return template.to_json(indent=2) + "\n"
