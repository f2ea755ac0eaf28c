"""`fargo deploy`: change set, confirmation, live progress, health check, outputs; with
`--local`, on the embedded emulator, torn down afterwards unless `--keep-running`."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import (
    JSON_NEEDS_YES_OPTION,
    YES_OPTION,
    Invocation,
    command,
    print_advisories,
    require_consent,
    require_yes_for_json,
)
from fargo.cli.services import ENV_OPTION, SERVICES_ARGUMENT
from fargo.errors import ConfigError

EXAMPLES = examples(
    "fargo deploy --local --yes              # deploy on the embedded emulator, then tear down",
    "fargo deploy --local --yes --keep-running",
    "fargo deploy --region eu-west-1 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:7",
    "fargo deploy --build examples/hello --port 8080",
    "fargo deploy web api --env prod         # services of a file with [services] tables",
)


def deploy(
    invocation: Invocation,
    services: list[str] | None = SERVICES_ARGUMENT,
    env: str | None = ENV_OPTION,
    yes: bool = YES_OPTION,
    wait: bool = typer.Option(
        False, "--wait", help="If another operation is running, wait for it, then deploy"),
    keep_running: bool = typer.Option(
        False, "--keep-running",
        help="With --local: keep the emulator running in the foreground instead of tearing down"),
    timeout: float = typer.Option(
        60.0, "--timeout", metavar="FLOAT",
        help="Minutes to follow the stack before giving up (the operation goes on in AWS)"),
    as_json: bool = JSON_NEEDS_YES_OPTION,
) -> None:
    """Deploy the service: the settings that differ from the deployed ones, the change set,
    confirmation, live progress with the rollout, health check, outputs."""
    from fargo.cli.render import (
        RichReporter,
        change_table,
        console,
        print_checks,
        print_outputs,
        print_settings_diff,
    )
    from fargo.commands.app_session import check_single_service
    from fargo.commands.deploy import CallbackHooks, check_build_inputs, deploy_service
    from fargo.commands.plan import SettingsDiff, redact, settings_diff
    from fargo.commands.rollout import with_rollout
    from fargo.commands.session import follow_timing, open_session
    from fargo.results import DeployOutcome

    if keep_running and not invocation.local:
        raise ConfigError("error: --keep-running goes with --local: add --local or drop it")
    require_yes_for_json(as_json, yes, "deploy")
    if as_json and keep_running:
        raise ConfigError("error: --json and --keep-running exclude each other: drop one")
    require_consent(yes, "deploy")
    timing = follow_timing(timeout)
    if _deployed_as_services(invocation, services, env, yes, wait, timing, keep_running,
                             as_json):
        return
    with open_session(invocation) as session:
        settings, aws = session.settings, session.aws
        check_single_service(services, settings.name, env)
        print_advisories(session.advisories())
        if session.local is not None:
            console.print(f"[bold magenta]LOCAL EMULATOR[/] {session.local.url} — "
                          f"{session.local.what_does_not_run}")
            for note in session.notes:
                console.print(f"[dim]{note}[/]")
        check_build_inputs(settings, aws.emulated)
        console.print(f"deploying [bold]{settings.stack_name}[/] to {aws.region}")

        seen = {"settings": SettingsDiff()}
        with RichReporter() as reporter:

            def confirm(change_set) -> bool:
                with reporter.paused():
                    if change_set.stack_name == settings.stack_name:
                        seen["settings"] = settings_diff(aws, settings, session.origin)
                        print_settings_diff(seen["settings"])
                        change_set = redact(change_set, settings)
                    console.print(change_table(change_set))
                    from fargo.commands.cost import plan_cost

                    for line in plan_cost(aws, settings, change_set.creates_stack):
                        console.print(line, markup=False, highlight=False)
                    return yes or typer.confirm(
                        f"Apply these changes to {change_set.stack_name}?")

            def confirm_recreate(state) -> bool:
                with reporter.paused():
                    console.print(f"[yellow]stack {state.name} is ROLLBACK_COMPLETE: its first "
                                  "create failed and it can only be deleted[/]")
                    return yes or typer.confirm(f"Delete {state.name} and create it again?")

            hooks = CallbackHooks(with_rollout(reporter, aws, settings), confirm,
                                  confirm_recreate)
            result, prepared = deploy_service(aws, settings, hooks, timing,
                                              wait_for_running=wait)
        for note in prepared.notes:
            console.print(f"  {note}")
        if as_json:
            from fargo.cli.json_output import print_json
            from fargo.cli.plan_view import deploy_document

            print_json(deploy_document(result, seen["settings"], aws.region,
                                       local=session.local is not None))
        if result.outcome == DeployOutcome.NO_CHANGES:
            console.print(f"{settings.stack_name}: no changes")
            if not as_json:
                print_outputs(result.outputs)
            return
        if result.outcome == DeployOutcome.CANCELLED:
            console.print("cancelled: nothing was changed")
            return
        console.print(f"[green]deployed[/] {settings.stack_name} in {result.elapsed_seconds:.0f} s")
        print_checks(result.checks)
        from fargo.commands.service_target import image_flag_lasting

        for line in image_flag_lasting(invocation):
            console.print(line, markup=False)
        if not as_json:
            print_outputs(result.outputs)
        if session.local is not None:
            _finish_local(session, result, keep_running)
            return
        url = result.outputs.get("DomainUrl") or result.outputs.get("ServiceUrl", "the URL above")
        console.print(f"next: `fargo status` to watch the service; open {url}")


def _deployed_as_services(invocation, services, env, yes, wait, timing,
                          keep_running, as_json) -> bool:
    """A file with [services]: each service on its own stack (fargo.cli.services)."""
    from fargo.commands.app_session import is_app_file

    if not is_app_file(invocation):
        return False
    from fargo.cli.environment_deploy import deploy_services

    deploy_services(invocation, services, env, yes, wait, timing, keep_running, as_json)
    return True


def _finish_local(session, result, keep_running: bool) -> None:
    """After a local deploy: what the emulator skipped, then serve or tear down."""
    from fargo.cli.local_finish import serve_or_tear_down
    from fargo.cli.render import console
    from fargo.commands.local import tear_down, unmodelled_resources

    missing = unmodelled_resources(result.template_body, result.stack_resources)
    if missing:
        console.print(f"[yellow]the emulator did not create {len(missing)} resource(s)[/] "
                      "(moto's CloudFormation does not model them; real AWS does):")
        for resource in missing:
            console.print(f"  - {resource.logical_id} ({resource.resource_type})")
    settings, url = session.settings, session.local.url
    serve_or_tear_down(url, keep_running, [
        f"fargo status --endpoint-url {url} --region {settings.region} --name {settings.name}"
        f" --environment {settings.environment}",
        f"fargo destroy --endpoint-url {url} --region {settings.region} --yes",
    ], lambda reporter: tear_down(session, reporter))


def register(app: typer.Typer) -> None:
    app.command(short_help="Deploy the service and check it answers.", epilog=EXAMPLES)(
        command(aws=True, local=True)(deploy))
