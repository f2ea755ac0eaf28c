"""`fargo deploy [SERVICE...]` and `fargo destroy SERVICE` for a file with `[services.NAME]`
(and `fargo env deploy`'s step): parse and print only; the work is in
`fargo.commands.app_service` and `fargo.commands.environment`. With `--local`, the environment
first (the emulator starts empty), then the services, then the teardown or --keep-running."""

from __future__ import annotations

import typer

from fargo.cli.services import print_deployed, prompt_hooks
from fargo.commands.invocation import Invocation


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
