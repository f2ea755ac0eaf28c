"""The shipped price table: dated, every entry citing its AWS price page and how it was
obtained, derived entries saying their rule; shipped as package data; read offline. And the
layers: the cost and diagram packages read template dicts and import no AWS SDK."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from fargo.cost import prices

ROOT = Path(__file__).parents[1]
TABLE = ROOT / "src" / "fargo" / "data" / "prices"
FULL_REGIONS = {"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "ap-southeast-2"}


def documents():
    return {p.stem: json.loads(p.read_text()) for p in sorted(TABLE.glob("*.json"))}


def test_the_table_covers_the_regions_it_was_sourced_for():
    assert set(prices.regions()) == set(documents())
    assert FULL_REGIONS <= set(prices.regions())
    for region in FULL_REGIONS:
        assert prices.load(region).missing == [], region


@pytest.mark.parametrize("region", sorted(p.stem for p in TABLE.glob("*.json")))
def test_every_entry_cites_an_aws_price_page_and_its_basis(region):
    document = documents()[region]
    assert document["region"] == region
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", document["date"])
    assert document["missing"] == [k for k in prices.KEYS if k not in document["entries"]]
    for key, entry in document["entries"].items():
        assert entry["page"].startswith("https://aws.amazon.com/"), key
        assert entry["unit"] == prices.KEYS[key], key
        assert entry["basis"] in prices.BASES, key
        assert entry["note"], f"{key} says nothing of where its price came from"
        assert 0 <= entry["price"] < 10, key


def test_derived_entries_say_their_rule():
    derived = [(region, key, entry["note"]) for region, document in documents().items()
               for key, entry in document["entries"].items() if entry["basis"] == "derived"]
    assert derived, "the table says which entries are derived"
    for region, key, note in derived:
        assert len(note) > 20, (region, key)


def test_arm_is_twenty_percent_below_x86_where_both_were_read():
    table = prices.load("us-east-1")
    assert table.get("fargate.arm.vcpu_hour").price == pytest.approx(
        table.get("fargate.x86.vcpu_hour").price * 0.8, abs=1e-5)


def test_the_originals_region_reproduces_its_fargate_and_alb_lines_at_720_hours():
    """shared/seed: Fargate US$43 (1 vCPU / 2 GB) and ALB US$18 in ap-southeast-2."""
    table = prices.load("ap-southeast-2")
    fargate = (table.get("fargate.x86.vcpu_hour").price + 2 * table.get("fargate.x86.gb_hour")
               .price) * 720
    assert round(fargate) == 43
    assert round(table.get("alb.hour").price * 720) == 18


def test_an_unknown_region_is_refused_with_what_to_do():
    with pytest.raises(prices.PriceTableError, match="update_prices.py --region xx-east-9"):
        prices.load("xx-east-9")


@pytest.mark.parametrize("change, message", [
    ({"currency": "EUR"}, "USD"),
    ({"entries": {"nat.hours": {"price": 1}}}, "unknown price key"),
    ({"entries": {"nat.hour": {"price": -1, "basis": "aws-page",
                               "page": "https://aws.amazon.com/vpc/pricing/"}}}, "no price"),
    ({"entries": {"nat.hour": {"price": 1, "basis": "guess",
                               "page": "https://aws.amazon.com/vpc/pricing/"}}}, "basis"),
    ({"entries": {"nat.hour": {"price": 1, "basis": "aws-page",
                               "page": "https://example.com/"}}}, "AWS price page"),
])
def test_a_table_of_the_wrong_shape_is_refused(change, message):
    document = {"region": "r", "date": "2026-01-01", "currency": "USD", "entries": {}}
    document.update(change)
    with pytest.raises(prices.PriceTableError, match=message):
        prices.parse(document)


def test_pyproject_ships_the_table_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["fargo"]
    shipped = {p for pattern in patterns for p in (ROOT / "src" / "fargo").glob(pattern)}
    assert set(TABLE.glob("*.json")) <= shipped


FORBIDDEN = ("boto3", "botocore", "troposphere", "awacs", "fargo.engine", "fargo.cli",
             "fargo.commands", "fargo.template", "fargo.config")
# The README generators render fargo's own template to describe it: they (only) may reach
# the settings and template layers, lazily.
README_GENERATORS = {"readme.py"}


@pytest.mark.parametrize("package", ["cost", "diagram"])
def test_cost_and_diagram_read_template_dicts_without_aws_or_troposphere(package):
    for path in (ROOT / "src" / "fargo" / package).glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                allowed = path.name in README_GENERATORS and name in (
                    "fargo.config", "fargo.template")
                assert allowed or not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
