"""`fargo destroy`: take the service down, with what it retains."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import (
    IDENTITY,
    JSON_NEEDS_YES_OPTION,
    Invocation,
    command,
    require_consent,
    require_yes_for_json,
)
from fargo.cli.services import ENV_OPTION, SERVICE_ARGUMENT

EXAMPLES = examples(
    "fargo destroy",
    "fargo destroy --yes --region eu-west-1",
    "fargo destroy --yes --json | jq .complete",
    "fargo destroy api --env prod          # one service of a file with [services] tables",
)


def destroy(
    invocation: Invocation,
    service: str | None = SERVICE_ARGUMENT,
    env: str | None = ENV_OPTION,
    yes: bool = typer.Option(False, "--yes", "-y", help="Delete without asking"),
    keep_registry: bool = typer.Option(
        False, "--keep-registry",
        help="Keep the image repository (registry stack) and its images"),
    timeout: float = typer.Option(60.0, "--timeout", metavar="FLOAT",
                                  help="Minutes to follow the deletion"),
    as_json: bool = JSON_NEEDS_YES_OPTION,
) -> None:
    """Delete the service's stack and what it retains (access logs, Container Insights logs),
    fargo's self-signed certificate, and the image repository unless --keep-registry."""
    from fargo.cli.render import RichReporter, console, print_destroy
    from fargo.commands.app_session import check_single_service, is_app_file
    from fargo.commands.destroy import destroy_scope, destroy_service
    from fargo.commands.session import follow_timing, open_session

    require_yes_for_json(as_json, yes, "destroy")
    require_consent(yes, "destroy")
    timing = follow_timing(timeout)
    if is_app_file(invocation):
        from fargo.cli.environment_deploy import destroy_services

        destroy_services(invocation, [service] if service else None, env, yes, keep_registry,
                         timing, as_json)
        return
    with open_session(invocation, identity_only=True) as session:
        settings, aws = session.settings, session.aws
        check_single_service([service] if service else None, settings.name, env)
        scope = destroy_scope(aws, settings, keep_registry)
        if not yes and not typer.confirm(scope.question()):
            console.print("cancelled: nothing was deleted")
            return
        with RichReporter() as reporter:
            result = destroy_service(aws, settings, reporter, keep_registry, timing)
    if as_json:
        from fargo.cli.json_output import print_json
        from fargo.cli.plan_view import destroy_document

        print_json(destroy_document(result, aws.region))
    if not result.stack_existed and not result.removed:
        console.print(f"{settings.stack_name}: nothing to destroy in {aws.region}")
    print_destroy(result)


def register(app: typer.Typer) -> None:
    app.command(short_help="Take the service down.", epilog=EXAMPLES)(
        command(settings=IDENTITY, aws=True)(destroy))
