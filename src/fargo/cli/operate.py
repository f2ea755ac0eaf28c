"""The commands that talk to AWS: plan, deploy, status, destroy."""

import json
import math
import time

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import IDENTITY, Invocation, command, print_advisories
from fargo.errors import ConfigError

PLAN_EXAMPLES = examples(
    "fargo plan --region eu-west-1",
    "fargo plan --endpoint-url http://127.0.0.1:5000 --region us-east-1"
    "   # against `fargo deploy --local --keep-running`",
)
DEPLOY_EXAMPLES = examples(
    "fargo deploy --local --yes              # deploy on the embedded emulator, then tear down",
    "fargo deploy --local --yes --keep-running",
    "fargo deploy --region eu-west-1 --image 123456789012.dkr.ecr.eu-west-1.amazonaws.com/l42:7",
    "fargo deploy --build examples/hello --port 8080",
)
STATUS_EXAMPLES = examples(
    "fargo status",
    "fargo status --endpoint-url http://127.0.0.1:5000 --region us-east-1",
)
DESTROY_EXAMPLES = examples(
    "fargo destroy",
    "fargo destroy --yes --region eu-west-1",
)


def _target(invocation: Invocation):
    from fargo.commands.session import Target

    return Target(config=invocation.config, flags=invocation.flags, profile=invocation.profile,
                  endpoint_url=invocation.endpoint_url, local=invocation.local)


def _timing(timeout_minutes: float, poll_seconds: float | None = None):
    from fargo.engine.progress import Timing

    if not math.isfinite(timeout_minutes) or timeout_minutes <= 0:
        raise ConfigError(f"error: --timeout ({timeout_minutes}) must be a number of minutes "
                          "above 0: e.g. --timeout 30")
    return Timing(stack_timeout_seconds=timeout_minutes * 60,
                  **({"poll_seconds": poll_seconds} if poll_seconds is not None else {}))


def _print_advisories(session) -> None:
    from fargo.config import sources

    print_advisories(sources.advisories(session.settings, session.origin))


def _require_consent(yes: bool, what: str) -> None:
    """Validate before any AWS call: without a terminal, only --yes can say yes."""
    from fargo.cli.render import is_interactive

    if not yes and not is_interactive():
        raise ConfigError(f"error: {what} needs confirmation and there is no terminal: "
                          "pass --yes to proceed without a prompt")


def plan(
    invocation: Invocation,
    keep: bool = typer.Option(False, "--keep", help="Keep the change set for review in AWS"),
) -> None:
    """Show what a deploy would add, modify, replace or remove (a CloudFormation change set)."""
    from fargo.cli.render import change_table, console
    from fargo.commands.deploy import plan_service
    from fargo.commands.session import open_session

    with open_session(_target(invocation)) as session:
        _print_advisories(session)
        for note in session.notes:
            console.print(f"[dim]{note}[/]")
        with console.status("computing the change set"):
            change_set, notes = plan_service(session.aws, session.settings, keep=keep)
        for note in notes:
            console.print(f"[dim]{note}[/]")
        if change_set.empty:
            console.print(f"{change_set.stack_name}: no changes")
            return
        console.print(change_table(change_set))
        if keep:
            console.print(f"kept change set {change_set.name}: review it in the CloudFormation "
                          "console; `fargo deploy` creates its own")
        console.print("next: `fargo deploy` to apply these changes")


def deploy(
    invocation: Invocation,
    yes: bool = typer.Option(False, "--yes", "-y", help="Apply without asking"),
    wait: bool = typer.Option(
        False, "--wait", help="If another operation is running, wait for it, then deploy"),
    keep_running: bool = typer.Option(
        False, "--keep-running",
        help="With --local: keep the emulator running in the foreground instead of tearing down"),
    timeout: float = typer.Option(
        60.0, "--timeout", metavar="FLOAT",
        help="Minutes to follow the stack before giving up (the operation goes on in AWS)"),
) -> None:
    """Deploy the service: change set, confirmation, live progress, health check, outputs."""
    from fargo.cli.render import RichReporter, change_table, console, print_checks, print_outputs
    from fargo.commands.deploy import check_build_inputs, deploy_service
    from fargo.commands.session import open_session

    if keep_running and not invocation.local:
        raise ConfigError("error: --keep-running goes with --local: add --local or drop it")
    _require_consent(yes, "deploy")
    timing = _timing(timeout)
    with open_session(_target(invocation)) as session:
        settings, aws = session.settings, session.aws
        _print_advisories(session)
        if session.emulator is not None:
            from fargo.emulator.server import WHAT_DOES_NOT_RUN

            console.print(f"[bold magenta]LOCAL EMULATOR[/] {session.emulator.url} — "
                          f"{WHAT_DOES_NOT_RUN}")
            for note in session.notes[1:]:
                console.print(f"[dim]{note}[/]")
        check_build_inputs(settings, aws.emulated)
        console.print(f"deploying [bold]{settings.stack_name}[/] to {aws.region}")

        with RichReporter() as reporter:

            def confirm(change_set) -> bool:
                with reporter.paused():
                    console.print(change_table(change_set))
                    return yes or typer.confirm(
                        f"Apply these changes to {change_set.stack_name}?")

            def confirm_recreate(state) -> bool:
                with reporter.paused():
                    console.print(f"[yellow]stack {state.name} is ROLLBACK_COMPLETE: its first "
                                  "create failed and it can only be deleted[/]")
                    return yes or typer.confirm(f"Delete {state.name} and create it again?")

            result, prepared = deploy_service(aws, settings, reporter, confirm, confirm_recreate,
                                              timing, wait_for_running=wait)
        for note in prepared.notes:
            console.print(f"  {note}")
        if result.outcome == "no-changes":
            console.print(f"{settings.stack_name}: no changes")
            print_outputs(result.outputs)
            return
        if result.outcome == "cancelled":
            console.print("cancelled: nothing was changed")
            return
        console.print(f"[green]deployed[/] {settings.stack_name} in {result.elapsed_seconds:.0f} s")
        print_checks(result.checks)
        print_outputs(result.outputs)
        if session.emulator is not None:
            _report_emulator_gaps(result.template_body, result.stack_resources)
            if keep_running:
                _serve_until_interrupted(session, settings)
            else:
                _teardown(session, settings)
            return
        url = result.outputs.get("DomainUrl") or result.outputs.get("ServiceUrl", "the URL above")
        console.print(f"next: `fargo status` to watch the service; open {url}")


def _report_emulator_gaps(template_body: str, created: dict) -> None:
    from fargo.cli.render import console

    declared = json.loads(template_body)["Resources"]
    missing = sorted((k, v["Type"]) for k, v in declared.items() if k not in created)
    if missing:
        console.print(f"[yellow]the emulator did not create {len(missing)} resource(s)[/] "
                      "(moto's CloudFormation does not model them; real AWS does):")
        for logical_id, resource_type in missing:
            console.print(f"  - {logical_id} ({resource_type})")


def _serve_until_interrupted(session, settings) -> None:
    from fargo.cli.render import console

    url = session.emulator.url
    console.print(f"\nemulator running at [bold]{url}[/] — try, from another terminal:\n"
                  f"  fargo status --endpoint-url {url} --region {settings.region}"
                  f" --name {settings.name} --environment {settings.environment}\n"
                  f"  fargo destroy --endpoint-url {url} --region {settings.region} --yes\n"
                  "press Ctrl-C to stop it (its state is lost)")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        console.print("stopping the emulator")


def _teardown(session, settings) -> None:
    from fargo.cli.render import RichReporter, console
    from fargo.commands.destroy import destroy_service

    console.print("tearing the local deploy down (use --keep-running to keep it)")
    with RichReporter() as reporter:
        result = destroy_service(session.aws, settings, reporter, timing=_timing(60.0))
    _print_destroy(result)


def _print_destroy(result) -> None:
    """What went, what stays on purpose, what failed and what is left; exit 1 unless all of
    it is gone (a destroy that failed half-way must not look done)."""
    from fargo.cli.render import console
    from fargo.errors import ExitCode

    for item in result.removed:
        console.print(f"  removed {item}")
    for item in result.kept:
        console.print(f"  kept on purpose: {item}")
    for line in result.failed:
        console.print(line if line.startswith("error:") else f"error: {line}",
                      markup=False, highlight=False)
    if result.left:
        console.print(f"[yellow]still there after destroy ({len(result.left)}):[/]")
        for item in result.left:
            console.print(f"  - {item}")
    if result.complete:
        console.print(f"[green]nothing of {result.stack_name} is left[/]")
        return
    console.print("destroy did not finish: fix what is named above and run `fargo destroy` "
                  "again (it picks up where this one stopped)")
    raise typer.Exit(ExitCode.FAILED)


def status(invocation: Invocation) -> None:
    """Show the stack, the service's tasks and rollouts, target health, scaling and the URL."""
    from fargo.cli.render import console, out
    from fargo.commands.session import open_session
    from fargo.engine.status import gather_status

    with open_session(_target(invocation), identity_only=True) as session:
        report = gather_status(session.aws, session.settings.stack_name)
    _print_status(report, out, console)


def _print_status(report, out, console) -> None:
    from rich.table import Table

    if report.stack is None:
        out.print(f"{report.stack_name}: not deployed in {report.region}")
        console.print("next: `fargo deploy`")
        return
    out.print(f"[bold]{report.stack_name}[/] ({report.region}): stack {report.stack.status}"
              + (f" — {report.stack.reason}" if report.stack.reason else ""))
    if report.desired is not None:
        out.print(f"tasks: desired {report.desired}, running {report.running}, "
                  f"pending {report.pending}")
    if report.rollouts:
        table = Table(title="deployments", title_justify="left")
        for column in ("id", "status", "rollout", "task definition", "desired", "running",
                       "pending", "failed"):
            table.add_column(column)
        for r in report.rollouts:
            table.add_row(r.deployment_id, r.status, r.rollout_state, r.task_definition,
                          str(r.desired), str(r.running), str(r.pending), str(r.failed))
        out.print(table)
    if report.targets:
        table = Table(title="targets", title_justify="left")
        for column in ("target", "state", "reason"):
            table.add_column(column)
        for t in report.targets:
            table.add_row(f"{t.target_id}:{t.port}", t.state, t.description or t.reason)
        out.print(table)
    if report.scaling:
        s = report.scaling
        out.print(f"scaling: {s['min']}..{s['max']} tasks; policies: "
                  f"{', '.join(s['policies']) or 'none'}; schedules: "
                  f"{', '.join(s['schedules']) or 'none'}")
    for when, message in report.events:
        out.print(f"  {when:%Y-%m-%d %H:%M:%S} {message}")
    for note in report.notes:
        out.print(f"[dim]{note}[/]")
    if report.url:
        out.print(f"url: {report.url}")


def destroy(
    invocation: Invocation,
    yes: bool = typer.Option(False, "--yes", "-y", help="Delete without asking"),
    keep_registry: bool = typer.Option(
        False, "--keep-registry",
        help="Keep the image repository (registry stack) and its images"),
    timeout: float = typer.Option(60.0, "--timeout", metavar="FLOAT",
                                  help="Minutes to follow the deletion"),
) -> None:
    """Delete the service's stack and what it retains (access logs, Container Insights logs),
    fargo's self-signed certificate, and the image repository unless --keep-registry."""
    from fargo.cli.render import RichReporter, console
    from fargo.commands.destroy import destroy_scope, destroy_service
    from fargo.commands.session import open_session

    _require_consent(yes, "destroy")
    timing = _timing(timeout)
    with open_session(_target(invocation), identity_only=True) as session:
        settings, aws = session.settings, session.aws
        scope = destroy_scope(aws, settings, keep_registry)
        if not yes and not typer.confirm(scope.question()):
            console.print("cancelled: nothing was deleted")
            return
        with RichReporter() as reporter:
            result = destroy_service(aws, settings, reporter, keep_registry, timing)
    if not result.stack_existed and not result.removed:
        console.print(f"{settings.stack_name}: nothing to destroy in {aws.region}")
    _print_destroy(result)


def register(app: typer.Typer) -> None:
    app.command(short_help="Show what a deploy would change.", epilog=PLAN_EXAMPLES)(
        command(aws=True)(plan))
    app.command(short_help="Deploy the service and check it answers.", epilog=DEPLOY_EXAMPLES)(
        command(aws=True, local=True)(deploy))
    app.command(short_help="Show how the deployed service is doing.", epilog=STATUS_EXAMPLES)(
        command(settings=IDENTITY, aws=True)(status))
    app.command(short_help="Take the service down.", epilog=DESTROY_EXAMPLES)(
        command(settings=IDENTITY, aws=True)(destroy))
