"""`fargo plan` (and the start of `fargo deploy`): what a deploy would change, in two views.

First the settings that differ from the deployed ones (the stack's settings record) and where
each new value comes from (file, environment variable, flag, default), so nobody reverts a
teammate's `deploy --image` without seeing it; then CloudFormation's resource view, with
before -> after per changed property where the endpoint gives values. Secret values are never
shown: `secrets` are ARNs in both views; a `container_environment` value the settings record
masks is withheld from the property view too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from fargo.commands import deploy as deploy_commands
from fargo.config import Settings
from fargo.config import settings_record as record
from fargo.config.checks.secrets import looks_secret
from fargo.engine.aws import AwsContext
from fargo.engine.change_set_calls import ChangeSet
from fargo.engine.plan_diff import redacted
from fargo.engine.settings_record import read_settings_record

DEFAULT_SOURCE = "default"
# Settings a plan does not compare: with `build` the image is only known after the build.
BUILT_AT_DEPLOY = "(built at deploy)"


@dataclass(frozen=True)
class SettingDifference:
    """One setting that a deploy would change, and where its new value comes from."""

    name: str  # "image", or "container_environment[MODE]"
    setting: str
    before: Any
    after: Any
    source: str  # "fargo.toml", "FARGO_IMAGE", "--image", or "default"
    text: str  # "image: a -> b", shortened and escaped for a terminal


@dataclass
class SettingsDiff:
    differences: list[SettingDifference] = field(default_factory=list)
    recorded: bool = False  # False: no record deployed (first deploy, or an older fargo's)
    note: str = ""  # why the diff could not be made, when it could not


@dataclass
class PlanResult:
    change_set: ChangeSet
    settings: SettingsDiff
    notes: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return not self.change_set.empty


def settings_diff(aws: AwsContext, settings: Settings,
                  origin: dict[str, str] | None = None) -> SettingsDiff:
    """What differs between the deployed settings record and `settings`, with sources."""
    value = read_settings_record(aws, settings.stack_name)
    if value is None:
        return SettingsDiff()
    try:
        deployed = record.decode(value)
    except ValueError:
        return SettingsDiff(recorded=True, note="the deployed settings record is not one this "
                            f"fargo reads (written by fargo {record.fargo_version(value)})")
    proposed = record.record_of(settings)
    if settings.build:
        proposed["image"] = deployed.get("image", BUILT_AT_DEPLOY)
    origin = origin or {}
    return SettingsDiff([
        SettingDifference(change.name, change.setting, change.before, change.after,
                          origin.get(change.setting, DEFAULT_SOURCE), str(change))
        for change in record.diff(deployed, proposed)
    ], recorded=True)


def plan(aws: AwsContext, settings: Settings, origin: dict[str, str] | None = None,
         keep: bool = False) -> PlanResult:
    """Both views of what `fargo deploy` would change; changes nothing (see plan_service).
    No change set change, no settings change: the record is a resource of the stack."""
    change_set, notes = deploy_commands.plan_service(aws, settings, keep=keep)
    difference = SettingsDiff() if change_set.empty else settings_diff(aws, settings, origin)
    return PlanResult(redact(change_set, settings), difference, list(notes))


def redact(change_set: ChangeSet, settings: Settings) -> ChangeSet:
    """The change set with every secret value of its property view withheld."""
    if change_set.empty:
        return change_set
    masked = {name for name, value in record.record_of(settings)["container_environment"]
              .items() if value == record.MASK}

    def is_secret(name: str, value: str | None) -> bool:
        if name in masked or (name and looks_secret(name)) or (not name and masked):
            return True  # a masked variable, or one of unknown name where some are masked
        return value is not None and record.value_looks_secret(value)

    change_set.changes = [replace(c, properties=redacted(c.properties, is_secret))
                          if c.properties else c for c in change_set.changes]
    return change_set
