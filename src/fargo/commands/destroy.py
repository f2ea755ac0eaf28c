"""Everything `fargo destroy` removes: the service stack and what it retains, fargo's
self-signed certificate, and (unless kept) the registry stack with its images."""

from __future__ import annotations

from dataclasses import dataclass

from fargo import contract
from fargo.config import Settings
from fargo.engine import destroy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.progress import Reporter, Timing
from fargo.engine.protocol import LocatedStack
from fargo.engine.stack import describe_stack
from fargo.stacks import LegacyServiceStack, RegistryStack


@dataclass(frozen=True)
class DestroyScope:
    """What a destroy would remove, for the confirmation question."""

    stack_name: str
    region: str
    registry_stack: str | None  # None: no registry stack, or kept
    image_count: int = 0

    def question(self) -> str:
        text = f"Delete stack {self.stack_name} in {self.region}, its access logs and log groups"
        if self.registry_stack:
            text += (f", and the image repository ({self.registry_stack}) with its "
                     f"{self.image_count} image(s)")
        return text + "? This cannot be undone"


def destroy_scope(aws: AwsContext, settings: Settings, keep_registry: bool) -> DestroyScope:
    registry = None if keep_registry else describe_stack(aws, settings.registry_stack_name)
    count = 0
    if registry is not None:
        from fargo.engine.image import count_images

        name = registry.outputs.get(contract.OUTPUT_REPOSITORY_NAME)
        count = count_images(aws, name) if name else 0
    return DestroyScope(settings.stack_name, aws.region,
                        registry.name if registry is not None else None, count)


def destroy_service(
    aws: AwsContext, settings: Settings, reporter: Reporter, keep_registry: bool = False,
    timing: Timing = Timing(),
) -> engine.DestroyResult:
    """Every step runs, whatever failed before it; `result.complete` says whether all is gone."""
    aws.limit_calls_to(timing.stack_timeout_seconds)
    result = destroy_with_certificates(aws, LegacyServiceStack(settings), reporter, timing)
    destroy_registry(aws, RegistryStack(settings), result, reporter, keep_registry, timing)
    return result


def destroy_with_certificates(aws: AwsContext, stack: LocatedStack, reporter: Reporter,
                              timing: Timing) -> engine.DestroyResult:
    """The stack, then fargo's self-signed certificate of it; its domain certificate's
    validation records stay, on purpose (said in `kept`)."""
    from fargo.engine.certificates import delete_self_signed, self_signed_certificates

    stack_name = stack.stack_name
    probe = engine.DestroyResult(stack_name, stack_existed=False)
    validation = probe.attempt(_domain_validation_records, aws, stack) or []
    result = probe.attempt(engine.destroy, aws, stack, reporter, timing)
    if result is None:  # refused before it began (a running operation): nothing was deleted
        result = probe
    else:
        result.failed = probe.failed + result.failed
    result.kept += [f"DNS validation record {name} (ACM reuses it for any certificate of "
                    "that name in the account)" for name in validation]
    if result.stack_gone:
        deleted = result.attempt(delete_self_signed, aws, stack_name,
                                 timing.in_use_retry_seconds)
        result.removed += [f"self-signed certificate {arn}" for arn in deleted or []]
    else:  # the stack's listener may still serve it: it goes once the stack is gone
        in_use = result.attempt(self_signed_certificates, aws, stack_name) or []
        result.left += [f"self-signed certificate {arn} (deleted once the stack is gone)"
                        for arn in in_use]
    return result


def destroy_registry(aws: AwsContext, registry_stack: LocatedStack,
                     result: engine.DestroyResult, reporter: Reporter, keep_registry: bool,
                     timing: Timing) -> None:
    """The image repository's stack with its images, unless kept; merged into `result`."""
    registry = result.attempt(describe_stack, aws, registry_stack.stack_name)
    if registry is None:
        return
    if keep_registry:
        reporter.note(f"kept the image repository (stack {registry.name}): --keep-registry")
        return
    registry_result = result.attempt(engine.destroy, aws, registry_stack, reporter, timing)
    if registry_result is not None:
        result.merge(registry_result)


def _domain_validation_records(aws: AwsContext, stack: LocatedStack) -> list[str]:
    """The domain certificate's validation CNAMEs, read before the stack (and it) are gone:
    CloudFormation leaves them in the zone, and so does fargo, on purpose."""
    from fargo.engine.certificates import validation_records
    from fargo.engine.stack import stack_resources

    state = describe_stack(aws, stack.stack_name)
    if state is None or not state.has_resources:
        return []
    certificate = stack_resources(aws, state.stack_id).get(contract.CERTIFICATE_RESOURCE, {})
    arn = certificate.get("physical_id")
    return validation_records(aws, arn) if arn else []
