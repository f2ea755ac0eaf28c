"""Glue from settings to the engine: the original's manual steps, in order, then the stack.

A deploy is: (with `build`) the registry stack, then the image built, pushed and pinned by
digest; the certificate (a given one, one for the domain, or a generated self-signed one);
the hosted zone looked up; the service stack; the health check through the load balancer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fargo import contract
from fargo.config import Settings
from fargo.engine import deploy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.change_set_calls import ChangeSet
from fargo.engine.lookups import hosted_zone_id, s3_prefix_list_id
from fargo.engine.progress import Timing
from fargo.engine.protocol import CallbackHooks, Hooks
from fargo.results import DeployOutcome
from fargo.stacks import AccountValues, LegacyServiceStack, RegistryStack
from fargo.stacks.service import stack_tags

__all__ = ["CallbackHooks", "deploy_request", "deploy_service", "plan_service",
           "registry_request", "stack_tags"]

# A syntactically valid ARN for `plan` before any self-signed certificate was imported:
# planning must not import one, and the change set is deleted again anyway.
PLANNED_SELF_SIGNED = "arn:aws:acm:{region}:000000000000:certificate/to-be-generated-by-fargo"
UNBUILT_TAG = "not-built-under-emulator"


@dataclass
class Prepared:
    """What a deploy resolved before the service stack: the image and the certificate."""

    settings: Settings
    registry: engine.DeployResult | None = None
    notes: list[str] = field(default_factory=list)


def account_values(settings, aws: AwsContext, certificate_arn: str | None = None,
                   ) -> AccountValues:
    """What only the account knows and the settings need: looked up before the stack."""
    return AccountValues(
        s3_prefix_list_id=s3_prefix_list_id(aws) if settings.network != "public" else None,
        hosted_zone_id=hosted_zone_id(aws, settings.hosted_zone) if settings.domain else None,
        certificate_arn=certificate_arn)


def deploy_request(
    settings: Settings, aws: AwsContext, certificate_arn: str | None = None,
    self_signed: bool = False,
) -> LegacyServiceStack:
    """The service stack: rendered, with every parameter filled."""
    return LegacyServiceStack(settings, account_values(settings, aws, certificate_arn),
                              self_signed)


def registry_request(settings: Settings) -> RegistryStack:
    return RegistryStack(settings)


def check_build_inputs(settings: Settings, emulated: bool = False,
                       docker: str = "docker") -> None:
    """Before any AWS call: a Dockerfile in the context, and (unless nothing will be built,
    under an emulator) docker present and running."""
    if settings.build:
        from fargo.engine.build_context import check_build_context
        from fargo.engine.image import check_docker

        check_build_context(settings.build)
        if not emulated:
            check_docker(docker)


def check_against_account(aws: AwsContext, settings: Settings) -> None:
    """What only the account can tell, before any change set: ConfigError, exit 2."""
    from fargo.engine.account_checks import image_platforms
    from fargo.errors import ConfigError

    problems = zone_problems(aws, settings.az_count)
    if not settings.build:
        platforms = image_platforms(aws, settings.image)
        if platforms is not None and settings.platform not in platforms:
            problems.append(
                f"error: image {settings.image} has no {settings.platform} variant (it has "
                f"{', '.join(sorted(platforms)) or 'none'}): set platform to one it has, or "
                "push an image built for it")
    if problems:
        raise ConfigError(*problems)


def zone_problems(aws: AwsContext, az_count: int) -> list[str]:
    """az_count against the zones the account has in the region (none: nothing to say)."""
    from fargo.engine.account_checks import available_zones

    zones = available_zones(aws)
    if zones and az_count > len(zones):
        return [f"error: az_count ({az_count}) is more than the {len(zones)} availability "
                f"zones {aws.region} offers this account ({', '.join(zones)}): lower az_count"]
    return []


def build_warnings(settings: Settings) -> list[str]:
    """A build that will not run as configured, where the Dockerfile tells: a non-root USER
    cannot bind a port below 1024 on Fargate."""
    if not settings.build or settings.port >= 1024:
        return []
    from fargo.engine.build_context import dockerfile_user, runs_as_root

    user = dockerfile_user(settings.build)
    if runs_as_root(user):
        return []
    return [f"{settings.build}'s Dockerfile runs as USER {user}, which cannot listen on port "
            f"{settings.port} on Fargate (ports below 1024 need root): set port to 8080 "
            "(--port 8080 or port = 8080 in fargo.toml) and have the app listen there"]


def prepare_image(
    aws: AwsContext, settings: Settings, hooks: Hooks, timing: Timing, docker: str = "docker",
    registry_stack: RegistryStack | None = None,
) -> Prepared:
    """With `build`: the registry stack, then the image pushed and pinned by its digest."""
    if not settings.build:
        return Prepared(settings)
    from fargo.engine.image import build_and_push

    registry_stack = registry_stack or registry_request(settings)
    reporter = hooks.reporter
    reporter.step(f"preparing the image repository ({registry_stack.stack_name})")
    registry = engine.deploy(aws, registry_stack, hooks, timing)
    if registry.outcome == DeployOutcome.CANCELLED:
        return Prepared(settings, registry)
    repository = registry.outputs[contract.OUTPUT_REPOSITORY_URI]
    if aws.emulated:
        # An emulator's registry host is not one docker can push to; say so, build nothing.
        image = f"{repository}:{UNBUILT_TAG}"
        reporter.warn(f"the emulator cannot receive a docker push: {settings.build} is not "
                      f"built; the task definition names {image}")
        return Prepared(settings.model_copy(update={"image": image}), registry,
                        [f"image {image} (not built: emulator)"])
    image = build_and_push(aws, settings.build, repository, settings.platform, reporter,
                           docker=docker)
    return Prepared(settings.model_copy(update={"image": image}), registry,
                    [f"image {image}"])


@dataclass(frozen=True)
class CertificateChoice:
    arn: str | None  # None: the template's own (certificate_arn default, or the domain's)
    self_signed: bool = False
    newly_imported: bool = False


def certificate_for(aws: AwsContext, settings: Settings, planning: bool) -> CertificateChoice:
    if not settings.uses_self_signed_certificate:
        return CertificateChoice(None)
    from fargo.engine.certificates import ensure_self_signed, find_self_signed

    if planning:
        existing = find_self_signed(aws, settings.stack_name)
        return CertificateChoice(existing or PLANNED_SELF_SIGNED.format(region=aws.region), True)
    arn, new = ensure_self_signed(aws, settings.stack_name, aws.region)
    return CertificateChoice(arn, True, new)


def deploy_service(
    aws: AwsContext, settings: Settings, hooks: Hooks, timing: Timing = Timing(),
    wait_for_running: bool = False, docker: str = "docker",
) -> tuple[engine.DeployResult, Prepared]:
    """Everything `fargo deploy` does, callable from Python."""
    aws.limit_calls_to(timing.stack_timeout_seconds)
    reporter = hooks.reporter
    check_build_inputs(settings, aws.emulated, docker)
    for warning in build_warnings(settings):
        reporter.warn(warning)
    check_against_account(aws, settings)
    prepared = prepare_image(aws, settings, hooks, timing, docker)
    if prepared.registry is not None and prepared.registry.outcome == DeployOutcome.CANCELLED:
        return prepared.registry, prepared
    settings = prepared.settings
    try:
        certificate = certificate_for(aws, settings, planning=False)
        if certificate.newly_imported:
            reporter.warn("no certificate_arn and no domain: HTTPS uses a self-signed "
                          "certificate (imported into ACM), so browsers will show a warning; "
                          "set domain and hosted_zone for a trusted one")
        elif certificate.self_signed:
            reporter.note("HTTPS uses fargo's self-signed certificate (browsers warn)")
        request = deploy_request(settings, aws, certificate.arn, certificate.self_signed)
        result = engine.deploy(aws, request, hooks, timing, wait_for_running=wait_for_running)
    except BaseException:
        abandon_unused(aws, settings.stack_name)
        raise
    if result.outcome == DeployOutcome.CANCELLED:
        abandon_unused(aws, settings.stack_name)  # "nothing was changed" must hold
    return result, prepared


def abandon_unused(aws: AwsContext, stack_name: str) -> None:
    """After a deploy failed or was interrupted before its stack got resources (no stack, or
    only CloudFormation's holder of a change set), nothing uses the self-signed certificate
    or the staged template fargo made for it: delete them. Best effort on a path that is
    already failing; the first error is the one to show."""
    from fargo.engine.certificates import delete_self_signed
    from fargo.engine.stack import describe_stack
    from fargo.engine.template_store import remove_stack_templates

    try:
        state = describe_stack(aws, stack_name)
        if state is not None and state.has_resources:
            return
        delete_self_signed(aws, stack_name, retry_seconds=())
        remove_stack_templates(aws, stack_name)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        pass


def plan_service(aws: AwsContext, settings: Settings, keep: bool = False,
                 timing: Timing = Timing()) -> tuple[ChangeSet, list[str]]:
    """The service stack's change set, and notes on what it cannot show.

    Planning changes nothing: with `build`, no image is built (the plan keeps the image now
    deployed; the deploy adds a new task definition for the new image), and no self-signed
    certificate is imported.
    """
    notes = [f"warning: {w}" for w in build_warnings(settings)]
    check_against_account(aws, settings)
    if settings.build:
        from fargo.engine.status import deployed_image

        current = deployed_image(aws, LegacyServiceStack(settings))
        placeholder = f"{settings.registry_stack_name}:built-at-deploy"
        settings = settings.model_copy(update={"image": current or placeholder})
        notes.append("build: the image is built and pushed at deploy, which also replaces the "
                     "task definition; this plan shows the rest")
    certificate = certificate_for(aws, settings, planning=True)
    request = deploy_request(settings, aws, certificate.arn, certificate.self_signed)
    return engine.plan(aws, request, keep=keep, timing=timing), notes


def service_status(aws: AwsContext, settings: Settings):
    """`fargo status` of the single service: its stack, tasks, rollouts, targets, scaling."""
    from fargo.engine.status import gather_status

    return gather_status(aws, LegacyServiceStack(settings))
