"""One service of an environment (APP-ENV-SERVICE), deployed, planned and destroyed alone.

A service stack reads its environment through SSM parameters, so the environment must be
deployed first; with `build`, its registry stack (APP-ENV-SERVICE-registry) and the image come
before it, as for a single service.
"""

from __future__ import annotations

import dataclasses

from fargo import names
from fargo.commands.deploy import (
    Prepared,
    abandon_unused,
    build_warnings,
    check_against_account,
    check_build_inputs,
    prepare_image,
)
from fargo.commands.destroy import destroy_registry
from fargo.commands.plan import redact
from fargo.config.app import AppConfig, ServiceSettings, environment_of
from fargo.engine import deploy as engine
from fargo.engine import destroy as teardown
from fargo.engine.aws import AwsContext
from fargo.engine.certificate_coverage import listener_certificates, published_listener
from fargo.engine.change_set_calls import ChangeSet
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import Hooks, LocatedStack
from fargo.engine.stack import describe_stack
from fargo.errors import AwsError, ConfigError
from fargo.results import DeployOutcome
from fargo.stacks import EnvServiceStack, NamedStack, RegistryStack
from fargo.stacks.env_service import LocatedService, service_tags


def with_service(app: AppConfig, service: ServiceSettings) -> AppConfig:
    """The app with this service's settings changed (a built image, say)."""
    services = {**app.services, service.service_name: service}
    return dataclasses.replace(app, environment=environment_of(list(services.values())),
                               services=services)


def require_environment(aws: AwsContext, app: AppConfig) -> None:
    """A service stack reads what its environment published: refuse before any change set
    when the environment stack is not deployed (or its create failed)."""
    state = describe_stack(aws, app.environment_stack_name)
    if state is None or not state.has_resources or state.status in (
            "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED", "CREATE_FAILED"):
        shown = "does not exist" if state is None or not state.has_resources else (
            f"is {state.status}")
        raise AwsError(f"error: environment stack {app.environment_stack_name} {shown} in "
                       f"{aws.region}: run `fargo env deploy` first, then deploy the service")


def host_problem(aws: AwsContext, app: AppConfig, name: str) -> str | None:
    """The service's host, when the environment's listener serves no certificate naming it
    (a host added to the file since the last `fargo env deploy`). A self-signed environment
    names no host anyway: nothing to say there."""
    service, env = app.service(name), app.environment
    if not service.host or not env.https or env.uses_self_signed_certificate:
        return None
    listener = published_listener(aws, app.ssm_name(names.EnvironmentKey.LISTENER_ARN))
    if listener is None:
        return None
    served = listener_certificates(aws, listener)
    if served.cover(service.host):
        return None
    fix = (f"set certificate_arn to a certificate that names {service.host} and run "
           "`fargo env deploy`" if env.certificate_arn else
           "run `fargo env deploy` first: it adds the host to the environment's certificate")
    return (f"host {service.host} of service {name} is not on the environment's certificate "
            f"(it names {', '.join(served.names) or 'nothing'}): {fix}")


def service_stack(aws: AwsContext, app: AppConfig, name: str) -> EnvServiceStack:
    """The service's stack; its health check does not verify a self-signed certificate."""
    from fargo.engine.certificates import find_self_signed

    self_signed = bool(app.environment.uses_self_signed_certificate
                       and find_self_signed(aws, app.environment_stack_name))
    return EnvServiceStack(app, name, self_signed=self_signed)


def deploy_app_service(
    aws: AwsContext, app: AppConfig, name: str, hooks: Hooks, timing: Timing = Timing(),
    wait_for_running: bool = False, docker: str = "docker",
) -> tuple[engine.DeployResult, Prepared]:
    """Everything `fargo deploy SERVICE` does in an environment, callable from Python."""
    service = app.service(name)
    aws.limit_calls_to(timing.stack_timeout_seconds)
    check_build_inputs(service, aws.emulated, docker)
    for warning in build_warnings(service):
        hooks.reporter.warn(warning)
    check_against_account(aws, service)
    require_environment(aws, app)
    if problem := host_problem(aws, app, name):
        raise ConfigError(f"error: {problem}")
    registry = RegistryStack(service, tags=service_tags(app, name))
    prepared = prepare_image(aws, service, hooks, timing, docker, registry_stack=registry)
    if prepared.registry is not None and prepared.registry.outcome == DeployOutcome.CANCELLED:
        return prepared.registry, prepared
    if prepared.settings is not service:
        app = with_service(app, prepared.settings)
    try:
        result = engine.deploy(aws, service_stack(aws, app, name),
                               redacting(hooks, app.service(name)), timing,
                               wait_for_running=wait_for_running)
    except BaseException:
        abandon_unused(aws, service.stack_name)
        raise
    if result.outcome == DeployOutcome.CANCELLED:
        abandon_unused(aws, service.stack_name)
    return result, prepared


def plan_app_service(aws: AwsContext, app: AppConfig, name: str, keep: bool = False,
                     timing: Timing = Timing()) -> tuple[ChangeSet, list[str]]:
    """The service stack's change set; with `build`, the image now deployed stands in."""
    service = app.service(name)
    notes = [f"warning: {w}" for w in build_warnings(service)]
    check_against_account(aws, service)
    require_environment(aws, app)
    if problem := host_problem(aws, app, name):
        notes.append(f"warning: {problem}")
    if service.build:
        from fargo.engine.status import deployed_image

        current = deployed_image(aws, LocatedService(service.stack_name))
        placeholder = f"{service.registry_stack_name}:built-at-deploy"
        app = with_service(app, service.model_copy(update={"image": current or placeholder}))
        notes.append("build: the image is built and pushed at deploy, which also replaces the "
                     "task definition; this plan shows the rest")
    stack = service_stack(aws, app, name)
    return redact(engine.plan(aws, stack, keep=keep, timing=timing), service), notes


def redacting(hooks: Hooks, service: ServiceSettings) -> Hooks:
    """The hooks, shown each change set with the service's secret values withheld (the
    deploy's result then holds the withheld view too)."""
    from fargo.engine.protocol import CallbackHooks

    return CallbackHooks(hooks.reporter,
                         lambda change_set: hooks.confirm(redact(change_set, service)),
                         hooks.confirm_recreate)


def destroy_app_service(aws: AwsContext, app: AppConfig, name: str, reporter: Reporter,
                        keep_registry: bool = False,
                        timing: Timing = Timing()) -> teardown.DestroyResult:
    """The service's stack and what it retains, and its registry unless kept. The
    environment and every other service stay as they are."""
    aws.limit_calls_to(timing.stack_timeout_seconds)
    stack_name = names.service_stack_name(app.app, app.env_name, name)
    return destroy_service_stack(aws, LocatedService(stack_name), reporter, keep_registry, timing)


def destroy_service_stack(aws: AwsContext, stack: LocatedStack, reporter: Reporter,
                          keep_registry: bool, timing: Timing) -> teardown.DestroyResult:
    """Every step runs, whatever failed before it; `result.complete` says whether all is gone."""
    probe = teardown.DestroyResult(stack.stack_name, stack_existed=False)
    result = probe.attempt(teardown.destroy, aws, stack, reporter, timing) or probe
    registry = NamedStack(names.registry_stack_name(stack.stack_name))
    destroy_registry(aws, registry, result, reporter, keep_registry, timing)
    return result
