"""The dated price table shipped with fargo: one JSON file per region, read without a network.

Each entry names the AWS price page it belongs to and how it was obtained (`basis`): the
number is in the page's text (`aws-page`), an AWS Price List record or bill line
(`price-list`), the page's regional table as copied by a third party (`transcription`),
computed by the rule in its note (`derived`), or fetched by scripts/update_prices.py from the
Price List API (`price-list-api`). A region's file lists the keys it has no price for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# Every key the estimator may ask for, and its unit.
KEYS: dict[str, str] = {
    "fargate.x86.vcpu_hour": "vCPU-hour", "fargate.x86.gb_hour": "GB-hour",
    "fargate.arm.vcpu_hour": "vCPU-hour", "fargate.arm.gb_hour": "GB-hour",
    "fargate_spot.x86.vcpu_hour": "vCPU-hour", "fargate_spot.x86.gb_hour": "GB-hour",
    "fargate_spot.arm.vcpu_hour": "vCPU-hour", "fargate_spot.arm.gb_hour": "GB-hour",
    "fargate.ephemeral_gb_hour": "GB-hour",
    "alb.hour": "hour", "alb.lcu_hour": "LCU-hour",
    "nat.hour": "hour", "nat.gb": "GB",
    "endpoint.hour": "endpoint-AZ-hour", "endpoint.gb": "GB",
    "ipv4.hour": "address-hour",
    "logs.ingest_gb": "GB", "logs.vended_gb": "GB", "logs.storage_gb_month": "GB-month",
    "cloudwatch.metric_month": "metric-month", "cloudwatch.alarm_month": "alarm-month",
    "cloudwatch.dashboard_month": "dashboard-month",
    "waf.web_acl_month": "web-ACL-month", "waf.rule_month": "rule-month",
    "waf.million_requests": "million requests",
    "dns_firewall.domain_month": "domain-month", "dns_firewall.million_queries": "million queries",
    "s3.gb_month": "GB-month", "s3.put_1000": "1,000 PUT requests",
    "ecr.gb_month": "GB-month",
    "kms.key_month": "key-month",
}
BASES = ("aws-page", "price-list", "transcription", "derived", "price-list-api")
# Package data beside the code (pyproject ships data/prices/*.json); a plain path, because
# importlib.resources alone costs ~20 ms to import on the synth path.
FOLDER = Path(__file__).resolve().parents[1] / "data" / "prices"


class PriceTableError(ValueError):
    """No table for a region, or a table that does not have the shape fargo writes."""


@dataclass(frozen=True)
class Price:
    key: str
    price: float
    unit: str
    page: str
    basis: str
    note: str = ""

    @property
    def derived(self) -> bool:
        return self.basis == "derived"


@dataclass(frozen=True)
class PriceTable:
    region: str
    name: str
    date: str
    currency: str
    entries: dict[str, Price]

    def get(self, key: str) -> Price | None:
        return self.entries.get(key)

    @property
    def missing(self) -> list[str]:
        return [k for k in KEYS if k not in self.entries]


def regions() -> list[str]:
    """The regions the shipped table covers."""
    return sorted(p.stem for p in FOLDER.glob("*.json"))


@cache
def load(region: str) -> PriceTable:
    path = FOLDER / f"{region}.json"
    if not path.is_file() or "/" in region or region.startswith("."):
        raise PriceTableError(
            f"no price table for region {region!r} (fargo ships {', '.join(regions())}): "
            "run scripts/update_prices.py --region " + region)
    return parse(json.loads(path.read_text()), source=f"{region}.json")


def parse(document: Any, source: str = "price table") -> PriceTable:
    """A table from its JSON document; wrong shapes are refused with what is wrong."""
    if not isinstance(document, dict):
        raise PriceTableError(f"{source}: not a JSON object")
    for field in ("region", "date", "currency", "entries"):
        if field not in document:
            raise PriceTableError(f"{source}: no {field!r}")
    if document["currency"] != "USD":
        raise PriceTableError(f"{source}: prices in {document['currency']}, fargo reads USD")
    entries = {}
    for key, entry in document["entries"].items():
        if key not in KEYS:
            raise PriceTableError(f"{source}: unknown price key {key!r}")
        price = entry.get("price") if isinstance(entry, dict) else None
        if not isinstance(price, int | float) or isinstance(price, bool) or price < 0:
            raise PriceTableError(f"{source}: {key} has no price (a number >= 0)")
        if entry.get("basis") not in BASES:
            raise PriceTableError(f"{source}: {key} has basis {entry.get('basis')!r}, "
                                  f"one of {', '.join(BASES)} expected")
        if not str(entry.get("page", "")).startswith("https://aws.amazon.com/"):
            raise PriceTableError(f"{source}: {key} does not cite an AWS price page")
        entries[key] = Price(key, float(price), KEYS[key], entry["page"], entry["basis"],
                             entry.get("note", ""))
    return PriceTable(document["region"], document.get("name", document["region"]),
                      document["date"], "USD", entries)
