"""A service stack of an environment (APP-ENV-SERVICE): one service on the shared cluster.

It reads the environment through SSM-typed parameters (env_inputs) and adds what is the
service's own: its task security group and every rule involving it (the load balancer's
egress to it and the endpoints' ingress from it are rules on the environment's groups, owned
by this stack, so they go with it), target group(s) and listener rule, log group, roles, task
definition, service, scaling, and the alias record for its host. Deployed, rolled back and
destroyed on its own; the same modules as a single service's stack render each part.
"""

from __future__ import annotations

from troposphere import GetAtt, Output, Ref, Sub, Template, ecs

from fargo import contract
from fargo.config.app import AppConfig, ServiceSettings
from fargo.template import (
    deployment,
    dns,
    env_inputs,
    listener_rule,
    log_groups,
    metrics,
    operations,
    scaling,
    security,
)
from fargo.template.common import apply_tags
from fargo.template.service import Service, Wiring, add_service

OUTPUT_ALTERNATE_TARGET_GROUP = "AlternateTargetGroupArn"


def build_service_template(app: AppConfig, service_name: str) -> Template:
    service = app.service(service_name)
    template = Template(Description=(
        f"fargo service {service.stack_name}: a container on ECS Fargate in "
        f"{service.environment_stack_name}, for {listener_rule.describe(service)} "
        f"({service.deployment} deployment)"
    ))
    template.set_version("2010-09-09")
    env = env_inputs.declare(template, app, service)
    task = security.task_group(template, service, Ref(env.vpc))
    security.task_rules(template, service, task, env.load_balancer_group)
    if env.endpoint_group is not None:
        security.task_endpoint_rules(template, task, env.endpoint_group)
    if env.s3_prefix_list is not None:
        security.s3_prefix_list_egress(template, task, env.s3_prefix_list)
    logs = _log_groups(template, service)
    routing = listener_rule.add(template, service, app.priority(service_name), env.listener,
                                env.vpc)
    groups = [routing.target_group] + ([routing.alternate] if routing.alternate else [])
    traffic = metrics.of_listener(Ref(env.listener), groups)
    watch = operations.before_service(template, service, traffic)
    svc = add_service(template, service, logs, Wiring(
        cluster=Ref(env.cluster), subnets=Ref(env.task_subnets), security_group=Ref(task),
        load_balancers=[_load_balancer(template, service, routing)],
        # Targets register only in a group a listener rule forwards to (a traffic-shifting
        # service names the rule itself).
        depends_on=[] if routing.alternate is not None else [routing.rule.title],
        deployment=deployment.with_alarms(
            deployment.configuration(service.deployment, service.bake_time,
                                     service.traffic_step), watch.deployment_alarms()),
        controller=deployment.controller(service.deployment),
    ))
    scaling.add(template, service, svc, traffic)
    record = None
    if env.hosted_zone is not None:
        record = dns.add_records(template, service, service.host, env.hosted_zone,
                                 dns.AliasTarget(Ref(env.load_balancer_dns),
                                                 Ref(env.load_balancer_zone)))
    _outputs(template, service, env, svc, routing, record is not None)
    operations.after_service(template, service, watch, svc)
    apply_tags(template, service)
    return template


def _log_groups(template: Template, service: ServiceSettings) -> log_groups.LogGroups:
    """The container's group is the service's; Exec's is the environment's (a cluster
    setting), known by its name."""
    app = template.add_resource(log_groups.log_group("LogGroup", service.log_group_name,
                                                     service))
    if not service.ecs_exec:
        return log_groups.LogGroups(Ref(app), GetAtt(app, "Arn"))
    return log_groups.LogGroups(Ref(app), GetAtt(app, "Arn"), service.exec_log_group_name,
                                log_groups.arn(service.exec_log_group_name))


def _load_balancer(template: Template, service: ServiceSettings,
                   routing: listener_rule.Routing) -> ecs.LoadBalancer:
    load_balancer = ecs.LoadBalancer(ContainerName=service.container_name,
                                     ContainerPort=service.port,
                                     TargetGroupArn=Ref(routing.target_group))
    if routing.alternate is not None:
        role = deployment.infrastructure_role(template)
        load_balancer.AdvancedConfiguration = ecs.AdvancedConfiguration(
            AlternateTargetGroupArn=Ref(routing.alternate),
            ProductionListenerRule=Ref(routing.rule), RoleArn=GetAtt(role, "Arn"))
    return load_balancer


def url(service: ServiceSettings, load_balancer_dns) -> Sub | str:
    """Where the service answers: its host, or the load balancer's name and its path's
    literal start (`/api/*` -> `/api/`)."""
    scheme = "https" if service.https else "http"
    if service.host:
        return f"{scheme}://{service.host}"
    prefix = (service.path or "/").split("*")[0].split("?")[0]
    return Sub(f"{scheme}://${{{load_balancer_dns.title}}}{prefix}")


def _outputs(template: Template, service: ServiceSettings, env: env_inputs.EnvironmentInputs,
             svc: Service, routing: listener_rule.Routing, has_record: bool) -> None:
    outputs = [
        Output(contract.OUTPUT_ALB_DNS, Description="The environment's load balancer",
               Value=Ref(env.load_balancer_dns)),
        Output(contract.OUTPUT_URL, Description="URL of the service",
               Value=url(service, env.load_balancer_dns)),
        Output(contract.OUTPUT_CLUSTER, Value=svc.cluster),
        Output(contract.OUTPUT_SERVICE, Value=GetAtt(svc.service, "Name")),
        Output(contract.OUTPUT_LOG_GROUP, Value=svc.log_group),
        Output(contract.OUTPUT_TARGET_GROUP, Value=Ref(routing.target_group)),
    ]
    if routing.alternate is not None:
        outputs.append(Output(OUTPUT_ALTERNATE_TARGET_GROUP, Value=Ref(routing.alternate)))
    if has_record:
        outputs.append(Output(contract.OUTPUT_DOMAIN_URL, Description="URL of the service at "
                              "its host", Value=url(service, env.load_balancer_dns)))
    for output in outputs:
        template.add_output(output)
