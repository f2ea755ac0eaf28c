"""An environment with many services, callable from Python: `fargo env deploy|status|destroy`.

The environment stack (APP-ENV-env) goes first and last: its services read what it publishes
(SSM parameters), so `destroy_environment` refuses while any service stack of it remains,
unless `all`, which destroys them (and their registries) first. Services themselves are
deployed and destroyed one at a time (`fargo.commands.app_service`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo import names
from fargo.commands.deploy import account_values, certificate_for
from fargo.commands.destroy import destroy_with_certificates
from fargo.commands.status import StatusReport, Verdict, stack_report
from fargo.config.app import AppConfig
from fargo.engine import deploy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.change_set_calls import ChangeSet
from fargo.engine.destroy import DestroyResult
from fargo.engine.inventory import live_stacks
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import Hooks
from fargo.errors import AwsError
from fargo.stacks import EnvironmentStack
from fargo.stacks.env_service import LocatedService
from fargo.stacks.environment import APP_TAG, ENVIRONMENT_TAG, SERVICE_TAG


def environment_stack(aws: AwsContext, app: AppConfig, planning: bool = False,
                      reporter: Reporter | None = None) -> EnvironmentStack:
    """The environment's stack with what only the account knows filled in (a self-signed
    certificate imported, unless planning, when neither a certificate nor a domain is set)."""
    environment = app.environment
    certificate = certificate_for(aws, environment, planning)
    if certificate.newly_imported and reporter is not None:
        reporter.warn("no certificate_arn and no domain: HTTPS uses a self-signed certificate "
                      "(imported into ACM), so browsers will show a warning; set domain and "
                      "hosted_zone for a trusted one")
    return EnvironmentStack(app, account_values(environment, aws, certificate.arn))


def deploy_environment(aws: AwsContext, app: AppConfig, hooks: Hooks,
                       timing: Timing = Timing(),
                       wait_for_running: bool = False) -> engine.DeployResult:
    """Create or update the environment stack (VPC, load balancer, cluster, SSM values)."""
    from fargo.commands.deploy import abandon_unused, zone_problems
    from fargo.errors import ConfigError

    aws.limit_calls_to(timing.stack_timeout_seconds)
    problems = zone_problems(aws, app.environment.az_count)
    if problems:
        raise ConfigError(*problems)
    try:
        stack = environment_stack(aws, app, reporter=hooks.reporter)
        return engine.deploy(aws, stack, hooks, timing, wait_for_running=wait_for_running)
    except BaseException:
        abandon_unused(aws, app.environment_stack_name)
        raise


def plan_environment(aws: AwsContext, app: AppConfig, keep: bool = False,
                     timing: Timing = Timing()) -> ChangeSet:
    return engine.plan(aws, environment_stack(aws, app, planning=True), keep=keep, timing=timing)


@dataclass
class EnvironmentStatus:
    """The environment's stack, and every service stack of it (by service name), each with
    its verdict (fargo.commands.status)."""

    environment: StatusReport
    services: dict[str, StatusReport] = field(default_factory=dict)

    def verdict(self, services: list[str] | None = None) -> Verdict:
        """Of the environment and the services named (all by default): not deployed if one
        of them is not, unhealthy if one of them is."""
        reports = [self.environment, *(r for name, r in self.services.items()
                                       if not services or name in services)]
        verdicts = {r.verdict for r in reports}
        for verdict in (Verdict.NOT_DEPLOYED, Verdict.UNHEALTHY):
            if verdict in verdicts:
                return verdict
        return Verdict.HEALTHY


def service_stacks(aws: AwsContext, app: AppConfig) -> dict[str, str]:
    """Service name -> stack name of every service stack of the environment that exists,
    whether the file still names the service or not (registries not counted)."""
    prefix = names.service_stack_name(app.app, app.env_name, "")
    found = live_stacks(aws, prefix, {APP_TAG: app.app, ENVIRONMENT_TAG: app.env_name,
                                      SERVICE_TAG: ""})
    services = {name.removeprefix(prefix): name for name in found
                if name != app.environment_stack_name
                and not name.endswith(f"-{names.REGISTRY_STACK_SUFFIX}")}
    return dict(sorted(services.items()))


def environment_status(aws: AwsContext, app: AppConfig) -> EnvironmentStatus:
    status = EnvironmentStatus(stack_report(aws, EnvironmentStack(app)))
    deployed = service_stacks(aws, app)
    for name in dict.fromkeys([*app.services, *deployed]):
        stack_name = deployed.get(name) or app.service(name).stack_name
        status.services[name] = stack_report(aws, LocatedService(stack_name))
    return status


def destroy_environment(aws: AwsContext, app: AppConfig, reporter: Reporter,
                        all: bool = False, keep_registry: bool = False,
                        timing: Timing = Timing()) -> DestroyResult:
    """The environment stack and what it retains; refused (nothing deleted) while a service
    stack of it remains, unless `all`, which destroys each service first."""
    from fargo.commands.app_service import destroy_service_stack

    aws.limit_calls_to(timing.stack_timeout_seconds)
    remaining = service_stacks(aws, app)
    if remaining and not all:
        raise AwsError(
            f"error: environment {app.environment_stack_name} still has service stack(s) "
            f"{', '.join(remaining.values())}: destroy them first (`fargo destroy SERVICE`), "
            "or run `fargo env destroy --all` to destroy them with it")
    services = DestroyResult(app.environment_stack_name, stack_existed=False)
    for stack_name in remaining.values():
        done = destroy_service_stack(aws, LocatedService(stack_name), reporter, keep_registry,
                                     timing)
        services.merge(done)
    result = destroy_with_certificates(aws, EnvironmentStack(app), reporter, timing)
    result.merge(services)
    if services.failed or services.left:
        result.failed.append(f"error: service stacks of {app.environment_stack_name} were not "
                             "all destroyed: see above, then run `fargo env destroy --all` again")
    return result


__all__ = ["EnvironmentStatus", "deploy_environment", "destroy_environment",
           "environment_stack", "environment_status", "plan_environment",
           "service_stacks"]
