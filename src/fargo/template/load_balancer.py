"""Internet-facing Application Load Balancer, its target group and listeners.

HTTPS mode: 443 terminates TLS with a modern policy (CloudFormation's default allows TLS 1.0)
and the certificate the certificate module chose, adds the HSTS header (hsts), and forwards over
HTTP to the tasks; 80 only redirects to HTTPS. HTTP-only mode: 80 forwards. With ipv6 the load
balancer is dual-stack.
No physical names: ALB and target-group names are capped at 32 characters, and a replacement
would collide with the name still in use.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Ref, Template
from troposphere import elasticloadbalancingv2 as elb

from fargo.config import Settings
from fargo.template.access_logs import AccessLogs
from fargo.template.certificate import CertificateSource
from fargo.template.common import justify
from fargo.template.network import Network
from fargo.template.security import SecurityGroups


@dataclass(frozen=True)
class LoadBalancing:
    load_balancer: elb.LoadBalancer
    target_group: elb.TargetGroup | None  # None: an environment's, whose services own theirs
    listeners: list[elb.Listener]


def add(
    template: Template, settings: Settings, network: Network, groups: SecurityGroups,
    access_logs: AccessLogs | None, certificate: CertificateSource | None,
) -> LoadBalancing:
    load_balancer = load_balancer_resource(template, settings, network, groups.load_balancer,
                                           access_logs)
    target_group = template.add_resource(
        target_group_resource("TargetGroup", settings, Ref(network.vpc)))
    forward = [elb.Action(Type="forward", TargetGroupArn=Ref(target_group))]
    listeners = add_listeners(template, settings, load_balancer, forward, certificate)
    return LoadBalancing(load_balancer, target_group, listeners)


def load_balancer_resource(
    template: Template, settings: Settings, network: Network, security_group,
    access_logs: AccessLogs | None,
) -> elb.LoadBalancer:
    load_balancer = template.add_resource(elb.LoadBalancer(
        "LoadBalancer", Type="application", Scheme="internet-facing",
        IpAddressType="dualstack" if settings.ipv6 else "ipv4",
        Subnets=[Ref(s) for s in network.public_subnets],
        SecurityGroups=[Ref(security_group)],
        LoadBalancerAttributes=_attributes(access_logs),
        DependsOn=[network.gateway_attachment.title]
        + ([access_logs.policy.title] if access_logs else [])
        + [r.title for r in network.public_ipv6_ranges],
    ))
    justify(load_balancer, {
        "CKV_AWS_150": "fargo destroy must be able to delete the stack; "
        "CloudFormation itself guards against accidental deletes",
    })
    if not settings.waf:
        justify(load_balancer, {"CKV2_AWS_28": "WAF costs about US$9 a month plus requests; "
                                "turned on with waf = true"})
    if not settings.access_logs:
        justify(load_balancer, {"CKV_AWS_91": "Access logs were turned off in the settings"})
    return load_balancer


def target_group_resource(logical_id: str, settings: Settings, vpc) -> elb.TargetGroup:
    """The tasks' target group, health-checked on the service's health path."""
    return elb.TargetGroup(
        logical_id, TargetType="ip", Protocol="HTTP", Port=settings.port, VpcId=vpc,
        HealthCheckEnabled=True, HealthCheckProtocol="HTTP",
        HealthCheckPath=settings.health_path,
        HealthCheckIntervalSeconds=settings.health_check_interval,
        HealthCheckTimeoutSeconds=settings.health_check_timeout,
        HealthyThresholdCount=settings.healthy_threshold,
        UnhealthyThresholdCount=settings.unhealthy_threshold,
        Matcher=elb.Matcher(HttpCode=settings.health_check_matcher),
        TargetGroupAttributes=[elb.TargetGroupAttribute(
            Key="deregistration_delay.timeout_seconds", Value=str(settings.deregistration_delay),
        )],
    )


def add_listeners(
    template: Template, settings: Settings, load_balancer: elb.LoadBalancer,
    default_actions: list[elb.Action], certificate: CertificateSource | None,
) -> list[elb.Listener]:
    """HTTPS with `default_actions` and HTTP redirecting to it; or HTTP-only with them. The
    listener that serves comes first."""
    if settings.https:
        if certificate is None:
            raise ValueError("HTTPS mode needs a certificate source")
        return _https_listeners(template, settings, load_balancer, default_actions, certificate)
    http = template.add_resource(elb.Listener(
        "HttpListener", LoadBalancerArn=Ref(load_balancer), Port=80, Protocol="HTTP",
        DefaultActions=default_actions,
    ))
    justify(http, {"CKV_AWS_2": "HTTP-only mode was chosen in the settings (https = false)",
                   "CKV_AWS_103": "HTTP-only mode has no TLS to configure"})
    return [http]


def _attributes(access_logs: AccessLogs | None) -> list[elb.LoadBalancerAttributes]:
    # access_logs.s3.enabled is always said: removing an attribute from the template does not
    # reset it on the load balancer, so turning access logs off must set it to false.
    attributes = {"routing.http.drop_invalid_header_fields.enabled": "true",
                  "access_logs.s3.enabled": "true" if access_logs else "false"}
    if access_logs:
        attributes["access_logs.s3.prefix"] = access_logs.prefix
    items = [elb.LoadBalancerAttributes(Key=k, Value=v) for k, v in attributes.items()]
    if access_logs:
        items.append(elb.LoadBalancerAttributes(
            Key="access_logs.s3.bucket", Value=Ref(access_logs.bucket),
        ))
    return items


def _https_listeners(
    template: Template, settings: Settings, load_balancer: elb.LoadBalancer,
    forward: list[elb.Action], certificate: CertificateSource,
) -> list[elb.Listener]:
    https = template.add_resource(elb.Listener(
        "HttpsListener", LoadBalancerArn=Ref(load_balancer), Port=443, Protocol="HTTPS",
        SslPolicy=settings.tls_policy,
        Certificates=[elb.Certificate(CertificateArn=certificate.arn)],
        DefaultActions=forward,
    ))
    if settings.hsts:  # browsers then never try plain HTTP for the name again
        https.ListenerAttributes = [elb.ListenerAttribute(
            Key="routing.http.response.strict_transport_security.header_value",
            Value=settings.hsts,
        )]
    redirect = template.add_resource(elb.Listener(
        "HttpListener", LoadBalancerArn=Ref(load_balancer), Port=80, Protocol="HTTP",
        DefaultActions=[elb.Action(Type="redirect", RedirectConfig=elb.RedirectConfig(
            Protocol="HTTPS", Port="443", StatusCode=f"HTTP_{settings.http_redirect_code}",
        ))],
    ))
    return [https, redirect]
