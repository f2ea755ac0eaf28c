"""Typed outcomes that both the library (`fargo.commands`) and the CLI may import.

A `StrEnum`, so an outcome still reads as its word in messages and logs ("no-changes").
"""

from __future__ import annotations

from enum import StrEnum


class DeployOutcome(StrEnum):
    """How a deploy of one stack ended (a failure raises instead)."""

    DEPLOYED = "deployed"
    NO_CHANGES = "no-changes"  # the template and parameters match what is deployed
    CANCELLED = "cancelled"  # the change set was shown and not confirmed: nothing changed
