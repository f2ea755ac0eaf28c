"""`fargo plan [SERVICE]` for a file with `[services.NAME]`: each service's settings diff,
change set and bill; `--json` and `--exit-code` as for a single service."""

from __future__ import annotations

from fargo.cli.services import settings_diff_of, show_cost
from fargo.commands.invocation import Invocation


def plan_services(invocation: Invocation, services: list[str] | None, env: str | None,
                  keep: bool, as_json: bool = False) -> bool:
    """Each chosen service's change set; returns whether any would change something."""
    from fargo.cli.render import change_table, console, print_settings_diff
    from fargo.commands.app_service import plan_app_service
    from fargo.commands.app_session import chosen_services, open_app_session

    planned = []
    with open_app_session(invocation, env) as session:
        for name in chosen_services(session.app, services):
            with console.status(f"computing the change set of {name}"):
                change_set, notes = plan_app_service(session.aws, session.app, name, keep=keep)
            diff = settings_diff_of(session, change_set)
            planned.append((change_set, notes, diff))
            if as_json:
                continue
            if diff is not None:
                print_settings_diff(diff)
            for note in notes:
                console.print(note, style="dim", markup=False)
            if change_set.empty:
                console.print(f"{change_set.stack_name}: no changes")
            else:
                console.print(change_table(change_set))
                show_cost(session, change_set)
    if as_json:
        from fargo.cli.json_output import print_json

        print_json(plan_services_document(planned, session.aws.region, keep))
    return any(not change_set.empty for change_set, _, _ in planned)


def plan_services_document(planned, region: str, kept: bool) -> dict:
    """`fargo plan --json` of a file with [services]: one part per service stack."""
    from fargo.cli.json_output import json_document
    from fargo.cli.plan_view import resources_part, settings_part
    from fargo.commands.plan import SettingsDiff

    return json_document(
        "plan", region=region,
        has_changes=any(not change_set.empty for change_set, _, _ in planned),
        stacks=[{"stack_name": change_set.stack_name, "has_changes": not change_set.empty,
                 "creates_stack": change_set.creates_stack,
                 "change_set": change_set.name if kept and not change_set.empty else None,
                 "settings": settings_part(diff or SettingsDiff()),
                 "resources": resources_part(change_set.changes), "notes": notes}
                for change_set, notes, diff in planned])
