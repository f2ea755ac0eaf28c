"""`fargo plan --json`, `fargo deploy --json` and `fargo destroy --json`: stable keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fargo.cli.json_output import json_document, to_json_value

if TYPE_CHECKING:
    from fargo.commands.results import DeployResult, PlannedChange, PlanResult, SettingsDiff


def plan_document(result: PlanResult, region: str, kept: bool) -> dict[str, Any]:
    change_set = result.change_set
    return json_document(
        "plan", stack_name=change_set.stack_name, region=region,
        has_changes=result.has_changes, creates_stack=change_set.creates_stack,
        change_set=change_set.name if kept and not change_set.empty else None,
        settings=settings_part(result.settings), resources=resources_part(change_set.changes),
        notes=result.notes)


def deploy_document(result: DeployResult, settings: SettingsDiff, region: str,
                    local: bool) -> dict[str, Any]:
    """`fargo deploy --json`: the outcome, what changed, the checks and the outputs."""
    return json_document(
        "deploy", stack_name=result.stack_name, region=region, outcome=result.outcome,
        local=local, elapsed_seconds=round(result.elapsed_seconds, 1),
        settings=settings_part(settings), resources=resources_part(result.changes),
        checks=[{"name": c.name, "outcome": c.outcome, "detail": c.detail}
                for c in result.checks],
        outputs=result.outputs, warnings=result.warnings)


def destroy_document(result, region: str) -> dict[str, Any]:
    """`fargo destroy --json`: what went, what stays on purpose, what failed, what is left."""
    return json_document(
        "destroy", stack_name=result.stack_name, region=region, existed=result.stack_existed,
        complete=result.complete, removed=result.removed, kept=result.kept,
        failed=result.failed, left=result.left)


def settings_part(diff: SettingsDiff) -> dict[str, Any]:
    return {"recorded": diff.recorded, "note": diff.note or None,
            "changes": [{"name": d.name, "setting": d.setting, "before": to_json_value(d.before),
                         "after": to_json_value(d.after), "source": d.source}
                        for d in diff.differences]}


def resources_part(changes: list[PlannedChange]) -> list[dict[str, Any]]:
    return [{"logical_id": c.logical_id, "type": c.resource_type, "action": c.action,
             "reason": c.reason,
             "properties": [{"path": p.path, "change": p.change, "before": p.before,
                             "after": p.after, "requires_recreation": p.recreation,
                             "cause": p.cause} for p in c.properties]}
            for c in changes]
