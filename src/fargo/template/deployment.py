"""How ECS replaces a service's tasks with a new version: rolling, or by moving traffic.

- rolling (today's, and every single-service stack's): new tasks start before old ones stop
  (200 % / 100 %), and the circuit breaker rolls a failing deployment back.
- blue-green, linear, canary: ECS's own strategies (`DeploymentConfiguration.Strategy`, the ECS
  deployment controller). The new revision's tasks register in the alternate target group;
  ECS moves the listener rule's weights from the primary group to it (all at once, in equal
  steps, or a first share and then the rest), waits `bake_minutes` with both revisions
  running, and then stops the old one. It needs a second target group, the production listener
  rule, and a role it assumes to change them (`LoadBalancers[].AdvancedConfiguration`).
  The circuit breaker also covers blue-green; ECS takes it for no traffic-shifting strategy
  besides. The emulator does not model any of it: unproven until a real deploy.
"""

from __future__ import annotations

from troposphere import Sub, Template, ecs, iam

STRATEGIES = {"blue-green": "BLUE_GREEN", "linear": "LINEAR", "canary": "CANARY"}
INFRASTRUCTURE_ROLE = "LoadBalancerShiftRole"
LOAD_BALANCER_POLICY = "AmazonECSInfrastructureRolePolicyForLoadBalancers"


def rolling() -> ecs.DeploymentConfiguration:
    return ecs.DeploymentConfiguration(
        DeploymentCircuitBreaker=ecs.DeploymentCircuitBreaker(Enable=True, Rollback=True),
        MaximumPercent=200, MinimumHealthyPercent=100,
    )


def configuration(deployment: str, bake_minutes: int, step_percent: float
                  ) -> ecs.DeploymentConfiguration:
    """The service's DeploymentConfiguration for a strategy fargo names (`deployment`)."""
    if deployment == "rolling":
        return rolling()
    config = ecs.DeploymentConfiguration(Strategy=STRATEGIES[deployment],
                                         BakeTimeInMinutes=bake_minutes)
    if deployment == "blue-green":
        config.DeploymentCircuitBreaker = ecs.DeploymentCircuitBreaker(Enable=True,
                                                                       Rollback=True)
    elif deployment == "linear":
        config.LinearConfiguration = ecs.LinearConfiguration(
            StepPercent=step_percent, StepBakeTimeInMinutes=bake_minutes)
    else:
        config.CanaryConfiguration = ecs.CanaryConfiguration(
            CanaryPercent=step_percent, CanaryBakeTimeInMinutes=bake_minutes)
    return config


def with_alarms(config: ecs.DeploymentConfiguration, alarms: ecs.DeploymentAlarms | None
                ) -> ecs.DeploymentConfiguration:
    """The configuration with deployment alarms (operations module): ECS fails and rolls back
    a deployment during which one of them goes into ALARM, for every strategy."""
    if alarms is not None:
        config.Alarms = alarms
    return config


def controller(deployment: str) -> ecs.DeploymentController | None:
    """Said explicitly for the traffic-shifting strategies: only ECS's controller has them."""
    return None if deployment == "rolling" else ecs.DeploymentController(Type="ECS")


def infrastructure_role(template: Template) -> iam.Role:
    """The role ECS assumes to move the listener rule's weights and register targets.

    Trusted by ecs.amazonaws.com as AWS documents it (no source conditions: ECS's calls for
    load balancers do not document them), with AWS's managed policy for exactly this job:
    it names the ELB actions blue/green needs, and AWS keeps it current as ECS changes.
    """
    return template.add_resource(iam.Role(
        INFRASTRUCTURE_ROLE,
        AssumeRolePolicyDocument={"Version": "2012-10-17", "Statement": [{
            "Sid": "EcsShiftsLoadBalancerTraffic", "Effect": "Allow",
            "Principal": {"Service": "ecs.amazonaws.com"}, "Action": ["sts:AssumeRole"],
        }]},
        ManagedPolicyArns=[Sub(f"arn:${{AWS::Partition}}:iam::aws:policy/{LOAD_BALANCER_POLICY}")],
    ))
