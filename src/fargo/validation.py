"""Lint a rendered template with cfn-lint, AWS's own resource schemas, and say it plainly."""

from __future__ import annotations

from dataclasses import dataclass


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
