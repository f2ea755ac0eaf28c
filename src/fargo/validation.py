"""Lint a rendered template with cfn-lint, AWS's own resource schemas, and say it plainly."""

from __future__ import annotations

from dataclasses import dataclass

from fargo.errors import ConfigError


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    where: str
    message: str
    line: int

    def __str__(self) -> str:
        return f"{self.severity} {self.rule} at {self.where} (line {self.line}): {self.message}"


def lint_template(template_text: str, region: str) -> list[Finding]:
    """Every cfn-lint error, warning and informational finding for this region."""
    from cfnlint.api import ManualArgs, lint  # heavy import: only when validating

    _check_region_known(region)
    matches = lint(template_text, config=ManualArgs(regions=[region], include_checks=["I"]))
    return [
        Finding(
            rule=match.rule.id,
            severity=match.rule.severity,
            where="/".join(str(part) for part in match.path) if match.path else "template",
            message=match.message,
            line=match.linenumber,
        )
        for match in matches
    ]


def _check_region_known(region: str) -> None:
    """cfn-lint raises for a region it has no schemas of: say so in one line (exit 2)."""
    import difflib

    from cfnlint.helpers import REGIONS

    if region in REGIONS:
        return
    close = difflib.get_close_matches(region, REGIONS, n=1)
    hint = f"did you mean {close[0]}?" if close else "check the region name"
    raise ConfigError(
        f"error: region {' '.join(region.split())[:80]!r} is not a region cfn-lint knows, so "
        f"it cannot check the template for it: {hint} (or update cfn-lint if the region is "
        "new)"
    )
