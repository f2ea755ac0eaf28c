"""Moved to `fargo.emulator`; kept while callers move over."""

from fargo.emulator import MOTO_VERSION
from fargo.emulator import install as install_adaptations
from fargo.emulator.server import (
    LOCAL_CREDENTIALS,
    LOCAL_REGION,
    WHAT_DOES_NOT_RUN,
    LocalEmulator,
    ensure_hosted_zone,
)

__all__ = ["LOCAL_CREDENTIALS", "LOCAL_REGION", "MOTO_VERSION", "WHAT_DOES_NOT_RUN",
           "LocalEmulator", "ensure_hosted_zone", "install_adaptations"]
