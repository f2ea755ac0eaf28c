"""`fargo cost`: what the synthesised template(s) cost a month, offline, and the bill lines of
`plan` and `deploy`.

Glue between the settings, the template layer and `fargo.cost`: it renders the template(s) the
settings describe (a single service, or an environment with its services), states the usage
assumptions as a `Usage`, and returns typed estimates. No AWS call is made here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fargo.cost import text as estimate_text  # noqa: F401 (the text form the CLI prints)
from fargo.cost.comparison import Row, Variant
from fargo.cost.document import comparison_document as comparison_document
from fargo.cost.document import estimate_document as estimate_document
from fargo.cost.estimator import Estimate, Stack, estimate, estimate_stacks
from fargo.cost.prices import PriceTableError
from fargo.cost.usage import Usage
from fargo.errors import ConfigError

# The assumptions a user may state, by Usage field, with their flag (`fargo cost --nat-gb 50`).
ASSUMPTION_FLAGS: dict[str, str] = {
    "lcu": "--lcu", "nat_gb": "--nat-gb", "endpoint_gb": "--endpoint-gb", "log_gb": "--log-gb",
    "flow_log_gb": "--flow-log-gb", "waf_log_gb": "--waf-log-gb",
    "waf_million_requests": "--waf-requests", "dns_million_queries": "--dns-queries",
    "access_log_gb": "--access-log-gb", "image_gb": "--image-gb",
}
DEFAULT_REGION = "us-east-1"  # the region a template without one is priced in (as `synth`)


@dataclass(frozen=True)
class Comparison:
    """Rows of `--compare`, and the variants these settings cannot take, with the reason."""

    rows: tuple[Row, ...]
    skipped: tuple[tuple[str, str], ...] = field(default=())


def usage_for(region: str, assumptions: Mapping[str, float | None] | None = None) -> Usage:
    """The usage an estimate assumes: the defaults, with the stated assumptions over them."""
    given = {k: v for k, v in (assumptions or {}).items() if v is not None}
    for name, value in given.items():
        if name not in ASSUMPTION_FLAGS:
            raise ConfigError(f"error: unknown usage assumption {name!r}: use one of "
                              f"{', '.join(ASSUMPTION_FLAGS)}")
        if not _amount(value):
            flag = ASSUMPTION_FLAGS[name]
            shown = f"{value:g}" if isinstance(value, float) else repr(value)
            raise ConfigError(f"error: {flag} {shown} is not a number >= 0: e.g. {flag} 10")
    return Usage(region=region, **given)


def region_of(settings: Any) -> str:
    return getattr(settings, "region", None) or DEFAULT_REGION


def estimate_service(settings: Any, assumptions: Mapping[str, float | None] | None = None,
                     ) -> Estimate:
    """The monthly estimate of a single service's template, in its region; with `build`, its
    image repository's stack beside it."""
    stacks = [Stack(settings.stack_name, _render(settings))]
    if settings.build:
        from fargo.template.registry import build_registry_template

        stacks.append(Stack(settings.registry_stack_name,
                            json.loads(build_registry_template(settings).to_json())))
    return _priced(lambda usage: estimate_stacks(stacks, usage),
                   usage_for(region_of(settings), assumptions))


def estimate_app(app: Any, assumptions: Mapping[str, float | None] | None = None) -> Estimate:
    """An environment and its services: the environment once, each service's share."""
    from fargo.template.env_service import build_service_template
    from fargo.template.environment import build_environment_template

    stacks = [Stack(app.environment_stack_name,
                    json.loads(build_environment_template(app).to_json()))]
    for name, service in app.services.items():
        stacks.append(Stack(service.stack_name,
                            json.loads(build_service_template(app, name).to_json())))
    usage = usage_for(app.environment.region or DEFAULT_REGION, assumptions)
    return _priced(lambda u: estimate_stacks(stacks, u), usage)


def estimate_config(config: Path | None, flags: Mapping[str, Any], env: str | None = None,
                    assumptions: Mapping[str, float | None] | None = None) -> Estimate:
    """The estimate of whatever the settings file describes: one service or an environment."""
    from fargo.config import is_app_config, load_app_config, load_settings

    if is_app_config(config):
        return estimate_app(load_app_config(config, env, flags), assumptions)
    if env is not None:
        raise ConfigError("error: --env chooses an environment of a file with [services] "
                          "tables: drop it, or use --environment NAME for a single service")
    return estimate_service(load_settings(config, flags), assumptions)


def variants_for(settings: Any) -> tuple[Variant, ...]:
    """`--compare`: the service as configured, under each network profile, and with ARM,
    Spot and both on its own network."""
    here = settings.network
    return (
        Variant(f"as configured ({_describe(settings)})"),
        Variant("nat, one NAT gateway", {"network": "nat", "nat_per_az": False}),
        Variant("nat, a NAT gateway per AZ", {"network": "nat", "nat_per_az": True}),
        Variant("isolated", {"network": "isolated"}),
        Variant("public", {"network": "public"}),
        Variant(f"{here}, ARM", {"platform": "linux/arm64", "capacity": "on-demand"}),
        Variant(f"{here}, Spot", {"platform": "linux/amd64", "capacity": "spot"}),
        Variant(f"{here}, mixed (on-demand base, rest Spot)",
                {"platform": "linux/amd64", "capacity": "mixed"}),
        Variant(f"{here}, ARM on Spot", {"platform": "linux/arm64", "capacity": "spot"}),
    )


def compare_config(config: Path | None, flags: Mapping[str, Any],
                   assumptions: Mapping[str, float | None] | None = None) -> Comparison:
    """The same service under each variant, side by side; a variant its settings refuse
    (e.g. isolated with a public image) is skipped with the reason."""
    from fargo.config import is_app_config
    from fargo.config.sources import load_values, validate

    if is_app_config(config):
        raise ConfigError("error: --compare prices one service: it takes a single-service "
                          "fargo.toml, not a file with [services] tables (run `fargo cost` "
                          "for the environment's estimate)")
    values, origin = load_values(config, flags)
    settings = validate(values, origin)
    usage = usage_for(region_of(settings), assumptions)
    rows, skipped = [], []
    for variant in variants_for(settings):
        try:
            changed = validate({**values, **variant.overrides}, origin)
        except ConfigError as error:
            skipped.append((variant.name, _reason(error)))
            continue
        template = _render(changed)
        rows.append(Row(variant, _priced(lambda u, t=template: estimate(t, u), usage)))
    return Comparison(tuple(rows), tuple(skipped))


def plan_cost_lines(old_template: Mapping[str, Any] | str | None,
                    new_template: Mapping[str, Any] | str, region: str) -> list[str]:
    """What `plan` and `deploy` print about the bill: the new monthly total and, for an
    update, the delta with the lines that changed ("+US$32.85/month: NAT gateway: hours
    (...)"). `old_template`: the deployed stack's (GetTemplate), None for a first create.

    Never raises for a region without prices: the plan must not fail over an estimate."""
    from fargo.cost.deltas import delta_of
    from fargo.cost.money import signed_usd
    from fargo.cost.text import total_line

    usage = Usage(region=region or DEFAULT_REGION)
    try:
        after = estimate(_as_dict(new_template), usage)
        before = estimate(_as_dict(old_template), usage) if old_template is not None else None
    except PriceTableError as error:
        return [f"cost: not estimated ({error})"]
    lines = [f"cost: {_lower_first(total_line(after))} (prices of {after.price_date}; "
             "`fargo cost` for every line)"]
    if before is None:
        return lines
    change = delta_of(before, after)
    low, high = change.monthly
    if not change.changes and abs(low) < 0.005 and abs(high) < 0.005:
        return lines + ["cost: no change to the monthly estimate"]
    lines.append(f"cost: {change.summary}")
    lines.extend(f"  {item}" for item in change.changes)
    if abs(high - low) >= 0.005:
        lines.append(f"  {signed_usd(high)}/month at the maximum task count")
    return lines


def deployed_template(aws: Any, stack_name: str) -> dict[str, Any] | None:
    """The template the stack runs now (GetTemplate, original stage), or None when there is no
    such stack. Read-only; AWS failures raise as every engine call does."""
    from botocore.exceptions import BotoCoreError, ClientError

    from fargo.engine.aws_errors import error_code, error_message, translate

    try:
        body = aws.client("cloudformation").get_template(
            StackName=stack_name, TemplateStage="Original")["TemplateBody"]
    except ClientError as error:
        if error_code(error) == "ValidationError" and "does not exist" in error_message(error):
            return None
        raise translate(error, f"reading the template of {stack_name}") from None
    except BotoCoreError as error:
        raise translate(error, f"reading the template of {stack_name}") from None
    return json.loads(body) if isinstance(body, str) else dict(body)


def plan_cost(aws: Any, settings: Any, creates_stack: bool = False) -> list[str]:
    """`plan_cost_lines` for the settings against the stack deployed now: what `plan` and
    `deploy` print under the change set. `creates_stack` (the change set creates the stack):
    there is nothing to read, and no AWS call is made. A failure to read the old template is
    a line, not an error: the plan goes on."""
    return _against_deployed(aws, settings.stack_name, _render(settings), creates_stack)


def plan_app_cost(aws: Any, app: Any, stack_name: str, creates_stack: bool = False) -> list[str]:
    """`plan_cost` for one stack of an environment file: the environment's own
    (`app.environment_stack_name`) or a service's, each priced on its own (`fargo cost`
    shows the environment with its services' shares)."""
    from fargo.template.env_service import build_service_template
    from fargo.template.environment import build_environment_template

    if stack_name == app.environment_stack_name:
        template = build_environment_template(app)
    else:
        (name,) = [n for n, s in app.services.items() if s.stack_name == stack_name]
        template = build_service_template(app, name)
    return _against_deployed(aws, stack_name, json.loads(template.to_json()), creates_stack)


def _against_deployed(aws: Any, stack_name: str, new: dict[str, Any],
                      creates_stack: bool) -> list[str]:
    from fargo.errors import FargoError

    if creates_stack:
        return plan_cost_lines(None, new, aws.region)
    try:
        old = deployed_template(aws, stack_name)
    except FargoError as error:
        reason = error.problems[0] if error.problems else str(error)
        return plan_cost_lines(None, new, aws.region) + [f"cost: no delta ({reason})"]
    return plan_cost_lines(old, new, aws.region)


def _amount(value: Any) -> bool:
    """A finite number >= 0 (not a bool, not NaN)."""
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and 0 <= value < float("inf")


def _render(settings: Any) -> dict[str, Any]:
    from fargo.template import render

    return json.loads(render(settings))


def _priced(make, usage: Usage) -> Estimate:
    """An estimate; a region fargo ships no price table for is bad input (exit 2)."""
    try:
        return make(usage)
    except PriceTableError as error:
        raise ConfigError(f"error: {error}, or price a region fargo has a table for "
                          "(--region)") from None


def _as_dict(template: Mapping[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(template, str):
        return json.loads(template)
    return template


def _describe(settings: Any) -> str:
    arch = "ARM" if settings.platform == "linux/arm64" else "x86"
    return f"{settings.network}, {arch}, {settings.capacity}"


def _reason(error: ConfigError) -> str:
    text = error.problems[0] if error.problems else str(error)
    return text.removeprefix("error: ")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
