"""The environment stack (APP-ENV-env): what every service of an environment shares.

VPC, subnets and NAT, VPC endpoints whose policies admit every service of the environment, DNS
firewall, flow logs, the load balancer (its listeners answer 404 until a service's listener
rule matches; HTTP redirects to HTTPS), its certificate (the domain and every service's host),
access logs, WAF and the ECS cluster (Container Insights; Exec sessions of every service
logged to the environment's Exec log group). It publishes what the services need as SSM
parameters (publish); each service stack (env_service) adds its own security group, target
group(s), listener rule, task definition, service and DNS record.

The same modules as a single service's stack render each concern; only the composition and
the logical IDs of the published parameters are the environment's own.
"""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Sub, Template
from troposphere import elasticloadbalancingv2 as elb

from fargo import contract
from fargo.config.app import AppConfig
from fargo.names import EnvironmentKey
from fargo.template import (
    access_logs,
    certificate,
    dns,
    dns_firewall,
    endpoint_policies,
    endpoints,
    flow_logs,
    load_balancer,
    network,
    publish,
    security,
    waf,
)
from fargo.template.common import apply_tags
from fargo.template.log_groups import log_group
from fargo.template.service import cluster_resource

NOT_FOUND = elb.Action(Type="fixed-response", FixedResponseConfig=elb.FixedResponseConfig(
    StatusCode="404", ContentType="text/plain", MessageBody="Not found"))


def build_environment_template(app: AppConfig) -> Template:
    env = app.environment
    template = Template(Description=(
        f"fargo environment {env.stack_name}: VPC, {'HTTPS' if env.https else 'HTTP'} load "
        f"balancer and ECS cluster its services share ({env.network} network)"
    ))
    template.set_version("2010-09-09")
    net = network.add(template, env)
    flow_logs.add(template, env, net)
    dns_firewall.add(template, env, net, firewall_domains(app))
    alb_group = security.load_balancer_group(template, env, Ref(net.vpc))
    endpoint_group = None
    if net.private_subnets:
        endpoint_group = security.endpoint_group(template, env, Ref(net.vpc))
    endpoints.add(template, env, net, endpoint_group, endpoint_policies.environment_policy)
    exec_group = template.add_resource(log_group("ExecLogGroup", env.exec_log_group_name, env))
    cluster = template.add_resource(cluster_resource(Ref(exec_group)))
    logs_bucket = access_logs.add(template, env)
    zone = dns.hosted_zone(template, env)
    listener_certificate = certificate.add(template, env, zone, certificate_names(app))
    balancer = load_balancer.load_balancer_resource(template, env, net, alb_group, logs_bucket)
    listeners = load_balancer.add_listeners(template, env, balancer, [NOT_FOUND],
                                            listener_certificate)
    waf.add(template, env, load_balancer.LoadBalancing(balancer, None, listeners))
    values = {
        EnvironmentKey.VPC_ID: Ref(net.vpc),
        EnvironmentKey.PUBLIC_SUBNET_IDS: [Ref(s) for s in net.public_subnets],
        EnvironmentKey.TASK_SUBNET_IDS: [Ref(s) for s in net.task_subnets],
        EnvironmentKey.LISTENER_ARN: Ref(listeners[0]),
        EnvironmentKey.LOAD_BALANCER_SECURITY_GROUP: Ref(alb_group),
        EnvironmentKey.CLUSTER_NAME: Ref(cluster),
        EnvironmentKey.CLUSTER_ARN: GetAtt(cluster, "Arn"),
        EnvironmentKey.LOAD_BALANCER_DNS_NAME: GetAtt(balancer, "DNSName"),
        EnvironmentKey.LOAD_BALANCER_ZONE_ID: GetAtt(balancer, "CanonicalHostedZoneID"),
    }
    if net.private_subnets:
        values[EnvironmentKey.PRIVATE_SUBNET_IDS] = [Ref(s) for s in net.private_subnets]
        values[EnvironmentKey.ENDPOINT_SECURITY_GROUP] = Ref(endpoint_group)
        values[EnvironmentKey.S3_PREFIX_LIST_ID] = Ref(security.prefix_list_parameter(template))
    if zone is not None:
        values[EnvironmentKey.HOSTED_ZONE_ID] = Ref(zone)
    publish.add(template, app.app, app.env_name, values)
    _outputs(template, env, balancer, cluster, logs_bucket)
    apply_tags(template, env)
    return template


def certificate_names(app: AppConfig) -> tuple[str, ...]:
    """Besides the domain, every service's host: named, not a wildcard (a key that serves
    every name under the domain is worth more to steal), so a service with a new host needs
    `fargo env deploy` first (which replaces the certificate: created, then swapped)."""
    domain = app.environment.domain
    if not domain:
        return ()
    return tuple(sorted({s.host for s in app.services.values() if s.host and s.host != domain}))


def firewall_domains(app: AppConfig) -> list[str]:
    """Every name some service's tasks need (their images' registries, endpoints, secrets)."""
    return list(dict.fromkeys(name for s in app.services.values()
                              for name in dns_firewall.allowed_domains(s)))


def _outputs(template: Template, env, balancer, cluster, logs_bucket) -> None:
    scheme = "https" if env.https else "http"
    template.add_output(Output(contract.OUTPUT_ALB_DNS, Description="The load balancer's DNS "
                               "name", Value=GetAtt(balancer, "DNSName")))
    template.add_output(Output(contract.OUTPUT_URL, Description="The load balancer's URL (404 "
                               "where no service's rule matches)",
                               Value=Sub(f"{scheme}://${{{balancer.title}.DNSName}}")))
    template.add_output(Output(contract.OUTPUT_CLUSTER, Value=Ref(cluster)))
    if logs_bucket:
        template.add_output(Output(contract.OUTPUT_ACCESS_LOG_BUCKET, Description="Retained at "
                                   "stack deletion; fargo destroy empties and deletes it",
                                   Value=Ref(logs_bucket.bucket)))
