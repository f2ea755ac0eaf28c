"""Shared pieces for engine tests: an emulated AWS in-process, a settings-to-request helper."""

from __future__ import annotations

from template_assertions import settings_for

from fargo.commands.deploy import deploy_request
from fargo.engine.aws import AwsContext
from fargo.engine.progress import Timing

FAST = Timing(poll_seconds=0.0, stack_timeout_seconds=30, health_timeout_seconds=1,
              change_set_timeout_seconds=5, in_use_retry_seconds=(0, 0, 0))
REGION = "eu-west-1"


def import_self_signed_certificate(acm_client, domain: str = "fargo.localhost") -> str:
    """A throwaway certificate in the emulator's ACM, for tests that need one to exist."""
    from fargo.engine.certificates import generate_self_signed

    certificate, key = generate_self_signed(domain, [domain])
    response = acm_client.import_certificate(
        Certificate=certificate, PrivateKey=key,
        Tags=[{"Key": "fargo", "Value": "local-self-signed"}],
    )
    return response["CertificateArn"]


def emulated_context() -> AwsContext:
    """Clients for moto's in-process mock (the caller holds mock_aws active)."""
    return AwsContext(region=REGION, emulated=True)


def request_for(aws: AwsContext, **overrides):
    """A deploy request for settings with a certificate the emulator's ACM holds."""
    if overrides.get("https", True) and "certificate_arn" not in overrides:
        overrides["certificate_arn"] = import_self_signed_certificate(aws.client("acm"))
    settings = settings_for(**overrides)
    return settings, deploy_request(settings, aws)


def always(answer: bool):
    return lambda *_: answer


def answers(confirm: bool = True, recreate: bool = False, reporter=None):
    """Hooks that answer every question the same way, reporting to `reporter` (a new
    RecordingReporter by default)."""
    from fargo.engine.progress import RecordingReporter
    from fargo.engine.protocol import CallbackHooks

    return CallbackHooks(reporter if reporter is not None else RecordingReporter(),
                         always(confirm), always(recreate))
