"""`fargo env deploy|status|destroy`: the environment stack its services share (VPC, load
balancer, cluster), for a fargo.toml with `[environment]` and `[services.NAME]` tables."""

from __future__ import annotations

import typer

from fargo.cli.app_help import examples
from fargo.cli.environment_deploy import deploy_environment_step
from fargo.cli.options import (
    JSON_OPTION,
    YES_OPTION,
    Invocation,
    command,
    print_advisories,
    require_consent,
)
from fargo.cli.services import ENV_OPTION
from fargo.errors import ConfigError

DEPLOY_EXAMPLES = examples(
    "fargo env deploy                      # the file's own environment",
    "fargo env deploy --env prod --yes     # with the [env.prod] overrides",
    "fargo env deploy && fargo deploy web api",
)
STATUS_EXAMPLES = examples(
    "fargo env status",
    "fargo env status --env prod --endpoint-url http://127.0.0.1:5000",
)
DESTROY_EXAMPLES = examples(
    "fargo destroy web && fargo destroy api && fargo env destroy",
    "fargo env destroy --all --yes         # every service stack first, then the environment",
)
REGION = ("region",)  # the only setting flag: service settings live in their tables


def _app_file_only(invocation: Invocation) -> None:
    from fargo.commands.app_session import is_app_file

    if not is_app_file(invocation):
        raise ConfigError("error: `fargo env` needs a file with [environment] and "
                          "[services.NAME] tables: a single-service file has no environment "
                          "stack of its own (use `fargo deploy`)")


def deploy(
    invocation: Invocation,
    env: str | None = ENV_OPTION,
    yes: bool = YES_OPTION,
    wait: bool = typer.Option(
        False, "--wait", help="If another operation is running, wait for it, then deploy"),
    timeout: float = typer.Option(60.0, "--timeout", metavar="FLOAT",
                                  help="Minutes to follow the stack before giving up"),
) -> None:
    """Create or update the environment: VPC, load balancer, certificate, cluster, and the
    SSM parameters its services read."""
    from fargo.cli.render import console
    from fargo.commands.app_session import open_app_session
    from fargo.commands.session import follow_timing

    require_consent(yes, "env deploy")
    timing = follow_timing(timeout)
    _app_file_only(invocation)
    with open_app_session(invocation, env) as session:
        print_advisories(session.advisories())
        deploy_environment_step(session, yes, timing, wait=wait)
    console.print("next: `fargo deploy` to deploy its services")


def status(invocation: Invocation, env: str | None = ENV_OPTION,
           as_json: bool = JSON_OPTION) -> None:
    """Show the environment's stack and every service stack of it. Exits 3 when one of
    them is not deployed, 4 when one is unhealthy."""
    from fargo.cli.commands.status import EXIT_CODES
    from fargo.cli.environment_status import status_services

    _app_file_only(invocation)
    raise typer.Exit(EXIT_CODES[status_services(invocation, None, env, as_json)])


def destroy(
    invocation: Invocation,
    env: str | None = ENV_OPTION,
    all_services: bool = typer.Option(
        False, "--all", help="Destroy every service stack of the environment first"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Delete without asking"),
    keep_registry: bool = typer.Option(
        False, "--keep-registry", help="With --all: keep the services' image repositories"),
    timeout: float = typer.Option(60.0, "--timeout", metavar="FLOAT",
                                  help="Minutes to follow each deletion"),
) -> None:
    """Delete the environment's stack and what it retains. Refused while a service stack of
    it remains, unless --all."""
    from fargo.cli.render import RichReporter, console, print_destroy
    from fargo.commands.app_session import open_app_session
    from fargo.commands.environment import destroy_environment
    from fargo.commands.session import follow_timing

    require_consent(yes, "env destroy")
    timing = follow_timing(timeout)
    _app_file_only(invocation)
    with open_app_session(invocation, env) as session:
        what = session.app.environment_stack_name + (" and every service stack of it"
                                                     if all_services else "")
        if not yes and not typer.confirm(f"Delete {what} in {session.aws.region}? This cannot "
                                         "be undone"):
            console.print("cancelled: nothing was deleted")
            return
        with RichReporter() as reporter:
            result = destroy_environment(session.aws, session.app, reporter, all=all_services,
                                         keep_registry=keep_registry, timing=timing)
    print_destroy(result)


def register(app: typer.Typer) -> None:
    group = typer.Typer(name="env", no_args_is_help=True, rich_markup_mode=None,
                        help="The environment its services share (files with [services]).")
    group.command(short_help="Deploy the environment's stack.", epilog=DEPLOY_EXAMPLES)(
        command(settings=REGION, aws=True)(deploy))
    group.command(short_help="Show the environment and its services.",
                  epilog=STATUS_EXAMPLES)(command(settings=REGION, aws=True)(status))
    group.command(short_help="Take the environment down.", epilog=DESTROY_EXAMPLES)(
        command(settings=REGION, aws=True)(destroy))
    app.add_typer(group, name="env")
