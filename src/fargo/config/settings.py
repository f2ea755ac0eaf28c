"""The one model of a single fargo service: every group of settings, their rules, and the
values derived from them.

Defaults start from the original L42 Terraform deployment (shared/seed/settings.md), minus its
known weaknesses. Field descriptions feed `fargo init`'s commented file, the flags' help and
the README table. The groups are in `fields/`, the rules across settings in `rules/`, the
computed values in `derived.py`.
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from fargo.config import rules
from fargo.config.derived import DerivedValues, fill_derived_defaults
from fargo.config.fields.alarms import AlarmFields
from fargo.config.fields.capacity import CapacityFields, ScheduledScaling
from fargo.config.fields.container import ContainerFields
from fargo.config.fields.edge import EdgeFields
from fargo.config.fields.hardening import HardeningFields
from fargo.config.fields.health import HealthFields
from fargo.config.fields.identity import IdentityFields
from fargo.config.fields.image import ImageFields
from fargo.config.fields.network import NetworkFields
from fargo.config.problems import Problem, SettingsProblems

__all__ = ["Problem", "ScheduledScaling", "Settings", "SettingsProblems"]


# pydantic lists the fields of the last base first: identity, image, container, ..., alarms.
class Settings(DerivedValues, AlarmFields, NetworkFields, HealthFields, EdgeFields,
               CapacityFields, HardeningFields, ContainerFields, ImageFields, IdentityFields):
    """Everything fargo needs to render and deploy one service."""

    @model_validator(mode="before")
    @classmethod
    def _derive_defaults(cls, data: Any) -> Any:
        return fill_derived_defaults(data)

    @model_validator(mode="after")
    def _settings_agree(self) -> Settings:
        problems = self.problems()
        if problems:
            raise SettingsProblems(problems)
        return self

    def problems(self) -> list[Problem]:
        """Every rule that spans settings, so all of them are reported at once."""
        return rules.problems(self)

    def advisories(self) -> list[Problem]:
        """Valid but worth a warning: printed as `warning:` lines, never blocking."""
        return rules.advisories(self)
