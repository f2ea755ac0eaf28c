"""The README's cost paragraphs and the check against the original's own estimate are
generated from `compare` (`python -m fargo.cost.readme README.md`), so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from fargo.cost import Usage, estimate
from fargo.cost.readme import (
    COMPARISON,
    ORIGINAL,
    ORIGINAL_REGION,
    ORIGINAL_SETTINGS,
    ORIGINAL_TOTAL,
    default_render,
    refresh,
)

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_cost_paragraphs_match_the_estimator():
    readme = README.read_text()
    for start, end in (COMPARISON, ORIGINAL):
        assert start in readme and end in readme
    assert refresh(readme) == readme, (
        "the README's cost paragraphs are out of date: run "
        "`python -m fargo.cost.readme README.md`")


def test_the_originals_shape_comes_within_ten_percent_of_its_estimate():
    """shared/seed: about US$258 a month (Fargate 43, ALB 18, NAT 85, VPC endpoints 112)."""
    template = default_render(ORIGINAL_REGION)(ORIGINAL_SETTINGS)
    est = estimate(template, Usage(region=ORIGINAL_REGION))
    endpoints = [line for line in est.lines if line.component == "VPC endpoints"][0]
    assert "6 endpoint(s) x 2 AZs" == endpoints.detail
    assert est.complete
    assert abs(est.total[0] - ORIGINAL_TOTAL) / ORIGINAL_TOTAL < 0.10
