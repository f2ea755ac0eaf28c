"""`fargo cost`: the monthly estimate, line by line, of what `fargo synth` renders. Offline."""

from __future__ import annotations

import json

import typer

from fargo.cli.app_help import examples
from fargo.cli.options import JSON_OPTION, Invocation, command

ASSUMPTIONS_PANEL = "Usage assumptions (a month; what the template cannot say)"
EXAMPLES = examples(
    "fargo cost --region eu-west-1",
    "fargo cost --compare                     # each network profile, ARM and Spot side by side",
    "fargo cost --network isolated --nat-gb 50 --log-gb 20",
    "fargo cost --json | jq .total",
    "fargo cost --config app.toml --env prod  # an environment and each service's share",
)


def _assumption(default_help: str, flag: str):
    return typer.Option(None, flag, metavar="FLOAT", help=default_help, show_default=False,
                        rich_help_panel=ASSUMPTIONS_PANEL)


def cost(
    invocation: Invocation,
    compare: bool = typer.Option(
        False, "--compare", help="The service under each network profile and with ARM and "
        "Spot, side by side"),
    as_json: bool = JSON_OPTION,
    env: str | None = typer.Option(
        None, "--env", metavar="NAME",
        help="With a file of [services]: the environment to price (default: the file's)"),
    lcu: float | None = _assumption("Load balancer capacity units an hour (default 1)", "--lcu"),
    nat_gb: float | None = _assumption("GB through the NAT gateways (default 10)", "--nat-gb"),
    endpoint_gb: float | None = _assumption("GB through interface endpoints (default 5)",
                                            "--endpoint-gb"),
    log_gb: float | None = _assumption("GB of container logs (default 1)", "--log-gb"),
    flow_log_gb: float | None = _assumption("GB of VPC flow logs (default 1)", "--flow-log-gb"),
    waf_log_gb: float | None = _assumption("GB of WAF logs (default 0.5)", "--waf-log-gb"),
    waf_million_requests: float | None = _assumption(
        "Millions of requests WAF inspects (default 1)", "--waf-requests"),
    dns_million_queries: float | None = _assumption(
        "Millions of DNS queries the DNS firewall sees (default 1)", "--dns-queries"),
    access_log_gb: float | None = _assumption("GB of load balancer access logs (default 1)",
                                              "--access-log-gb"),
    image_gb: float | None = _assumption("GB kept in each ECR repository (default 1)",
                                         "--image-gb"),
) -> None:
    """Estimate what the service costs a month, line by line, from its template and fargo's
    dated price table. Works offline: no AWS call.

    Each line names what it counts and what it assumes; totals are at the minimum and the
    maximum task count. With a file of [services], the environment is counted once and each
    service's share is shown.
    """
    from fargo.commands.cost import (
        compare_config,
        comparison_document,
        estimate_config,
        estimate_document,
    )
    from fargo.commands.cost import estimate_text as text

    assumptions = {
        "lcu": lcu, "nat_gb": nat_gb, "endpoint_gb": endpoint_gb, "log_gb": log_gb,
        "flow_log_gb": flow_log_gb, "waf_log_gb": waf_log_gb,
        "waf_million_requests": waf_million_requests,
        "dns_million_queries": dns_million_queries, "access_log_gb": access_log_gb,
        "image_gb": image_gb,
    }
    flags = invocation.given_flags()
    if compare:
        if env is not None:
            from fargo.errors import ConfigError

            raise ConfigError("error: --compare prices one service and takes no --env: drop "
                              "one of them")
        result = compare_config(invocation.config, flags, assumptions)
        if as_json:
            _print_json(comparison_document(result.rows, result.skipped))
            return
        first = result.rows[0].estimate
        print(f"{text.heading(first)}; each cell: the month at the minimum task count, "
              "and at the maximum where that differs")
        print("\n".join(text.comparison_lines(result.rows, result.skipped)))
        print("next: set the variant you want in fargo.toml, then `fargo cost` for its lines")
        return
    estimate = estimate_config(invocation.config, flags, env, assumptions)
    if as_json:
        _print_json(estimate_document(estimate))
        return
    print("\n".join(text.lines(estimate)))


def _print_json(document: dict) -> None:
    print(json.dumps(document, indent=2))


def register(app: typer.Typer) -> None:
    app.command(short_help="Estimate the monthly bill (offline).", epilog=EXAMPLES)(
        command()(cost))
