"""The result types the commands return and the CLI renders, in one place the CLI imports
(so the CLI names no engine module). They are defined where they are made."""

from __future__ import annotations

from fargo.commands.plan import PlanResult, SettingDifference, SettingsDiff
from fargo.commands.status import StatusReport, Verdict
from fargo.engine.change_set_calls import ChangeSet, PlannedChange
from fargo.engine.deploy import DeployResult
from fargo.engine.destroy import DestroyResult
from fargo.engine.health import CheckResult
from fargo.engine.progress import TaskUpdate
from fargo.engine.stack import StackEvent, StackState
from fargo.engine.status import ServiceStatus
from fargo.results import DeployOutcome

__all__ = ["ChangeSet", "CheckResult", "DeployOutcome", "DeployResult", "DestroyResult",
           "PlanResult", "PlannedChange", "ServiceStatus", "SettingDifference", "SettingsDiff",
           "StackEvent", "StackState", "StatusReport", "TaskUpdate", "Verdict"]
