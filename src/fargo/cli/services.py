"""`fargo deploy|plan|status|destroy [SERVICE...]` for a file with `[services.NAME]`: each
service of the environment on its own stack. Parse and print only; the work is in
`fargo.commands.app_service` and `fargo.commands.environment`."""

from __future__ import annotations

import typer

from fargo.commands.invocation import Invocation

SERVICES_ARGUMENT = typer.Argument(
    None, metavar="SERVICE", show_default=False,
    help="Services of a file with [services] tables (default: all of them); a single-service "
         "file takes none, or its own name")
SERVICE_ARGUMENT = typer.Argument(
    None, metavar="SERVICE", show_default=False,
    help="A service of a file with [services] tables (default: all of them); a "
         "single-service file takes none, or its own name")
# Day-two commands act on one service: the only one of the file when it has no [services].
ONE_SERVICE_ARGUMENT = typer.Argument(None, metavar="SERVICE",
                                      help="The service (default: the only one of fargo.toml)")
ENV_OPTION = typer.Option(None, "--env", metavar="NAME",
                          help="With [services] tables: the environment ([env.NAME] overrides)")


def prompt_hooks(reporter, yes: bool, session=None):
    """Hooks that show each change set (with an environment file's `session`: a service's
    settings diff before it and the bill under it) and ask (or take --yes for an answer)."""
    from fargo.cli.render import change_table, console
    from fargo.commands.deploy import CallbackHooks

    def confirm(change_set) -> bool:
        with reporter.paused():
            if session is not None:
                show_settings_diff(session, change_set)
            console.print(change_table(change_set))
            if session is not None:
                show_cost(session, change_set)
            return yes or typer.confirm(f"Apply these changes to {change_set.stack_name}?")

    def confirm_recreate(state) -> bool:
        with reporter.paused():
            console.print(f"[yellow]stack {state.name} is ROLLBACK_COMPLETE: its first create "
                          "failed and it can only be deleted[/]")
            return yes or typer.confirm(f"Delete {state.name} and create it again?")

    return CallbackHooks(reporter, confirm, confirm_recreate)


def service_of_stack(app, stack_name: str) -> str | None:
    return next((name for name, s in app.services.items() if s.stack_name == stack_name), None)


def settings_diff_of(session, change_set):
    """A service stack's settings diff (None for the environment's stack or a registry's)."""
    from fargo.commands.plan import settings_diff

    name = service_of_stack(session.app, change_set.stack_name)
    if name is None or change_set.empty:
        return None
    return settings_diff(session.aws, session.app.service(name), session.app.origins.get(name))


def show_settings_diff(session, change_set) -> None:
    from fargo.cli.render import print_settings_diff

    diff = settings_diff_of(session, change_set)
    if diff is not None:
        print_settings_diff(diff)


def show_cost(session, change_set) -> None:
    """The bill lines of a change set of this environment file's stacks."""
    from fargo.cli.render import console
    from fargo.commands.cost import plan_app_cost

    if change_set.stack_name != session.app.environment_stack_name and service_of_stack(
            session.app, change_set.stack_name) is None:
        return  # a registry stack: priced by `fargo cost`, not here
    for line in plan_app_cost(session.aws, session.app, change_set.stack_name,
                              change_set.creates_stack):
        console.print(line, markup=False, highlight=False)


def print_deployed(result, what: str, outputs: bool = True) -> None:
    """The outcome on stderr; the outputs on stdout (not with --json, whose stdout is the
    one object)."""
    from fargo.cli.render import console, print_checks, print_outputs
    from fargo.results import DeployOutcome

    if result.outcome == DeployOutcome.NO_CHANGES:
        console.print(f"{result.stack_name}: no changes")
    elif result.outcome == DeployOutcome.CANCELLED:
        console.print(f"{result.stack_name}: cancelled, nothing was changed")
        return
    else:
        console.print(f"[green]deployed[/] {what} {result.stack_name} in "
                      f"{result.elapsed_seconds:.0f} s")
        print_checks(result.checks)
    if outputs:
        print_outputs(result.outputs)


def deploy_services(invocation: Invocation, services: list[str] | None, env: str | None,
                    yes: bool, wait: bool, timing, keep_running: bool = False,
                    as_json: bool = False) -> None:
    """Each chosen service; with --local, the environment first (the emulator starts empty),
    and afterwards everything torn down, or served until Ctrl-C."""
    from fargo.cli.options import print_advisories
    from fargo.cli.render import RichReporter, console
    from fargo.commands.app_service import deploy_app_service
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        print_advisories(session.advisories())
        chosen = chosen_services(session.app, services)
        results = []
        if session.emulator is not None:
            results.append(_deploy_local_environment(session, yes, timing, as_json))
        for name in chosen:
            console.print(f"deploying service [bold]{name}[/] of "
                          f"{session.app.environment_stack_name} to {session.aws.region}")
            with RichReporter() as reporter:
                result, prepared = deploy_app_service(session.aws, session.app, name,
                                                      prompt_hooks(reporter, yes, session),
                                                      timing, wait_for_running=wait)
            for note in prepared.notes:
                console.print(f"  {note}", markup=False)
            print_deployed(result, "service", outputs=not as_json)
            results.append(result)
        if as_json:
            from fargo.cli.json_output import print_json

            print_json(deploy_services_document(results, session.aws.region,
                                                local=session.emulator is not None))
        if session.emulator is not None:
            _say_unmodelled(results)
            _finish_local(session, keep_running)
            return
    console.print("next: `fargo status` to see every service of the environment")


def _say_unmodelled(results) -> None:
    """Per stack, what the emulator's CloudFormation did not create (real AWS does)."""
    from fargo.cli.render import console
    from fargo.commands.local import unmodelled_resources

    for result in results:
        missing = unmodelled_resources(result.template_body, result.stack_resources)
        if missing:
            console.print(f"[yellow]in {result.stack_name} the emulator did not create "
                          f"{len(missing)} resource(s)[/] (moto's CloudFormation does not "
                          "model them; real AWS does): " + ", ".join(
                              f"{r.logical_id} ({r.resource_type})" for r in missing))


def deploy_services_document(results, region: str, local: bool) -> dict:
    """`fargo deploy --json` of a file with [services]: one part per stack deployed, each as
    the single service's document has it (no settings diff: services keep none yet)."""
    from fargo.cli.json_output import json_document
    from fargo.cli.plan_view import deploy_document
    from fargo.commands.plan import SettingsDiff

    parts = []
    for result in results:
        document = deploy_document(result, SettingsDiff(), region, local)
        parts.append({k: v for k, v in document.items()
                      if k not in ("command", "schema", "region", "local", "settings")})
    return json_document("deploy", region=region, local=local, stacks=parts)


def _deploy_local_environment(session, yes: bool, timing, as_json: bool = False):
    from fargo.cli.render import console
    from fargo.emulator.server import WHAT_DOES_NOT_RUN

    console.print(f"[bold magenta]LOCAL EMULATOR[/] {session.emulator.url} — "
                  f"{WHAT_DOES_NOT_RUN}")
    return deploy_environment_step(session, yes, timing, outputs=not as_json)


def deploy_environment_step(session, yes: bool, timing, wait: bool = False,
                            outputs: bool = True):
    """`fargo env deploy` after its checks: notes, the change set with its bill, progress,
    the outcome (and the outputs on stdout, unless a --json document takes it)."""
    from fargo.cli.render import RichReporter, console
    from fargo.commands.environment import deploy_environment

    for note in session.notes:
        console.print(note, style="dim", markup=False)
    console.print(f"deploying environment [bold]{session.app.environment_stack_name}[/] "
                  f"to {session.aws.region}")
    with RichReporter() as reporter:
        result = deploy_environment(session.aws, session.app,
                                    prompt_hooks(reporter, yes, session), timing,
                                    wait_for_running=wait)
    print_deployed(result, "environment", outputs=outputs)
    return result


def _finish_local(session, keep_running: bool) -> None:
    """Serve until Ctrl-C, or tear the environment and its services down."""
    from fargo.cli.local_finish import serve_or_tear_down
    from fargo.commands.environment import destroy_environment
    from fargo.commands.local import TEARDOWN_TIMING

    url = session.emulator.url
    serve_or_tear_down(url, keep_running, [
        f"fargo status --endpoint-url {url}",
        f"fargo env destroy --all --endpoint-url {url} --yes",
    ], lambda reporter: destroy_environment(session.aws, session.app, reporter, all=True,
                                            timing=TEARDOWN_TIMING))


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


def status_services(invocation: Invocation, services: list[str] | None, env: str | None,
                    as_json: bool = False):
    """The environment's stack, then each service's (all of them unless named); returns the
    verdict over those shown (the exit code: 3 not deployed, 4 unhealthy)."""
    from fargo.cli.render import out
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        shown = chosen_services(session.app, services) if services else None
        report = _environment_report(session)
    if as_json:
        from fargo.cli.json_output import print_json

        print_json(environment_document(report, shown))
    else:
        print_environment_report(report, shown, out)
    return report.verdict(shown)


def watch_services(invocation: Invocation, services: list[str] | None, env: str | None,
                   interval: float) -> None:
    """Redraw the environment's report every `interval` seconds; Ctrl-C ends it (exit 0)."""
    import time

    from fargo.cli.render import console, out
    from fargo.commands.app_session import chosen_services, open_app_session

    with open_app_session(invocation, env) as session:
        shown = chosen_services(session.app, services) if services else None
        try:
            while True:
                report = _environment_report(session)
                out.clear()
                print_environment_report(report, shown, out)
                out.print(f"[dim]refreshed {time.strftime('%H:%M:%S')}; every {interval:g} s; "
                          "Ctrl-C ends[/]")
                time.sleep(interval)
        except KeyboardInterrupt:
            console.print("stopped watching")


def _environment_report(session):
    from fargo.commands.environment import environment_status

    return environment_status(session.aws, session.app)


def print_environment_report(report, shown: list[str] | None, out) -> None:
    from fargo.cli.status_view import print_report, print_status

    print_status(report.environment.service, out)
    if report.environment.problems:
        out.print("[red]unhealthy:[/] " + "; ".join(report.environment.problems))
    for name, service in report.services.items():
        if not shown or name in shown:
            out.print("")
            print_report(service, out)
    verdict = report.verdict(shown)
    if verdict == "not-deployed":
        from fargo.cli.render import console

        console.print("next: `fargo env deploy`, then `fargo deploy`")


def environment_document(report, shown: list[str] | None) -> dict:
    """`fargo status --json` of a file with [services]: the verdict over what is shown, the
    environment's stack and each service's, each as the single service's document has it."""
    from fargo.cli.json_output import json_document
    from fargo.cli.status_view import status_document

    def part(one) -> dict:
        document = status_document(one)
        return {k: v for k, v in document.items() if k not in ("command", "schema")}

    return json_document(
        "status", verdict=report.verdict(shown), environment=part(report.environment),
        services={name: part(service) for name, service in report.services.items()
                  if not shown or name in shown})


def destroy_services(invocation: Invocation, services: list[str] | None, env: str | None,
                     yes: bool, keep_registry: bool, timing, as_json: bool = False) -> None:
    from fargo.cli.render import RichReporter, console, print_destroy
    from fargo.commands.app_service import destroy_app_service
    from fargo.commands.app_session import open_app_session
    from fargo.errors import ConfigError

    if not services:
        raise ConfigError("error: name the service(s) to destroy (`fargo destroy SERVICE`), or "
                          "destroy the environment with all its services (`fargo env destroy "
                          "--all`)")
    with open_app_session(invocation, env) as session:
        app = session.app
        for name in services:
            stack = f"{app.app}-{app.env_name}-{name}"
            if not yes and not typer.confirm(f"Delete service stack {stack} in "
                                             f"{session.aws.region}, its logs, and its image "
                                             "repository? This cannot be undone"):
                console.print("cancelled: nothing was deleted")
                return
            with RichReporter() as reporter:
                result = destroy_app_service(session.aws, app, name, reporter, keep_registry,
                                             timing)
            if as_json:
                from fargo.cli.json_output import print_json
                from fargo.cli.plan_view import destroy_document

                print_json(destroy_document(result, session.aws.region))
            print_destroy(result)
