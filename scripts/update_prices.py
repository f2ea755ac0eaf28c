"""Regenerate fargo's price table from the AWS Price List API, for users who have access.

    python scripts/update_prices.py --region eu-west-1 [--region ...] [--profile NAME]
                                    [--out src/fargo/data/prices]

Asks the Price List API (the `pricing` client, whose endpoint is in us-east-1; the caller
needs `pricing:GetProducts`) for every price fargo's estimates read, in each region, and
rewrites that region's JSON file. An entry the API does not answer keeps its previous value
and says so in its note; the file's date becomes today's. Estimating never calls this: it
reads the files offline.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fargo.cost.prices import KEYS

PRICING_REGION = "us-east-1"  # the Price List API's endpoint
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "fargo" / "data" / "prices"
HOURS_PER_MONTH = 730


@dataclass(frozen=True)
class Rule:
    key: str
    service_code: str
    usage_type: str  # matched exactly or after a region prefix ("EU-", "USE1-", ...)
    page: str
    scale: float = 1.0  # API unit -> the table's unit (e.g. per request -> per million)
    family: str | None = None  # productFamily filter, where it narrows the answer


FARGATE = "https://aws.amazon.com/fargate/pricing/"
ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/"
VPC = "https://aws.amazon.com/vpc/pricing/"
PRIVATELINK = "https://aws.amazon.com/privatelink/pricing/"
CLOUDWATCH = "https://aws.amazon.com/cloudwatch/pricing/"
WAF = "https://aws.amazon.com/waf/pricing/"
ROUTE53 = "https://aws.amazon.com/route53/pricing/"
S3 = "https://aws.amazon.com/s3/pricing/"
ECR = "https://aws.amazon.com/ecr/pricing/"
KMS = "https://aws.amazon.com/kms/pricing/"

RULES: tuple[Rule, ...] = (
    Rule("fargate.x86.vcpu_hour", "AmazonECS", "Fargate-vCPU-Hours:perCPU", FARGATE),
    Rule("fargate.x86.gb_hour", "AmazonECS", "Fargate-GB-Hours", FARGATE),
    Rule("fargate.arm.vcpu_hour", "AmazonECS", "Fargate-ARM-vCPU-Hours:perCPU", FARGATE),
    Rule("fargate.arm.gb_hour", "AmazonECS", "Fargate-ARM-GB-Hours", FARGATE),
    Rule("fargate_spot.x86.vcpu_hour", "AmazonECS", "SpotUsage:Fargate-vCPU-Hours:perCPU",
         FARGATE),
    Rule("fargate_spot.x86.gb_hour", "AmazonECS", "SpotUsage:Fargate-GB-Hours", FARGATE),
    Rule("fargate_spot.arm.vcpu_hour", "AmazonECS", "SpotUsage:Fargate-ARM-vCPU-Hours:perCPU",
         FARGATE),
    Rule("fargate_spot.arm.gb_hour", "AmazonECS", "SpotUsage:Fargate-ARM-GB-Hours", FARGATE),
    Rule("fargate.ephemeral_gb_hour", "AmazonECS", "Fargate-EphemeralStorage-GB-Hours", FARGATE),
    Rule("alb.hour", "AWSELB", "LoadBalancerUsage", ELB, family="Load Balancer-Application"),
    Rule("alb.lcu_hour", "AWSELB", "LCUUsage", ELB, family="Load Balancer-Application"),
    Rule("nat.hour", "AmazonEC2", "NatGateway-Hours", VPC, family="NAT Gateway"),
    Rule("nat.gb", "AmazonEC2", "NatGateway-Bytes", VPC, family="NAT Gateway"),
    Rule("endpoint.hour", "AmazonVPC", "VpcEndpoint-Hours", PRIVATELINK),
    Rule("endpoint.gb", "AmazonVPC", "VpcEndpoint-Bytes", PRIVATELINK),
    Rule("ipv4.hour", "AmazonVPC", "PublicIPv4:InUseAddress", VPC),
    Rule("logs.ingest_gb", "AmazonCloudWatch", "DataProcessing-Bytes", CLOUDWATCH),
    Rule("logs.vended_gb", "AmazonCloudWatch", "VendedLog-Bytes", CLOUDWATCH),
    Rule("logs.storage_gb_month", "AmazonCloudWatch", "TimedStorage-ByteHrs", CLOUDWATCH),
    Rule("cloudwatch.metric_month", "AmazonCloudWatch", "CW:MetricMonitorUsage", CLOUDWATCH),
    Rule("cloudwatch.alarm_month", "AmazonCloudWatch", "CW:AlarmMonitorUsage", CLOUDWATCH),
    Rule("cloudwatch.dashboard_month", "AmazonCloudWatch", "DashboardsUsageHour-Basic",
         CLOUDWATCH, scale=HOURS_PER_MONTH),
    Rule("waf.web_acl_month", "awswaf", "WebACL", WAF),
    Rule("waf.rule_month", "awswaf", "Rule", WAF),
    Rule("waf.million_requests", "awswaf", "Request", WAF, scale=1_000_000),
    Rule("dns_firewall.domain_month", "AmazonRoute53", "DNS-Firewall-Domains", ROUTE53),
    Rule("dns_firewall.million_queries", "AmazonRoute53", "DNS-Firewall-Queries", ROUTE53,
         scale=1_000_000),
    Rule("s3.gb_month", "AmazonS3", "TimedStorage-ByteHrs", S3),
    Rule("s3.put_1000", "AmazonS3", "Requests-Tier1", S3, scale=1000),
    Rule("ecr.gb_month", "AmazonECR", "TimedStorage-ByteHrs", ECR),
    Rule("kms.key_month", "awskms", "KMS-Keys", KMS),
)


@dataclass(frozen=True)
class Found:
    price: float
    usage_type: str
    publication: str


def matches(usage_type: str, wanted: str) -> bool:
    return usage_type == wanted or usage_type.endswith("-" + wanted)


def first_tier_price(product: dict) -> float | None:
    """The USD price of the lowest paid tier of a product's on-demand terms."""
    tiers = []
    for term in product.get("terms", {}).get("OnDemand", {}).values():
        for dimension in term.get("priceDimensions", {}).values():
            usd = dimension.get("pricePerUnit", {}).get("USD")
            if usd is None:
                continue
            begin = float(dimension.get("beginRange", "0") or 0)
            tiers.append((begin, float(usd)))
    paid = sorted(t for t in tiers if t[1] > 0)
    if paid:
        return paid[0][1]
    return 0.0 if tiers else None


def products(client, service_code: str, region: str, family: str | None) -> Iterable[dict]:
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    if family:
        filters.append({"Type": "TERM_MATCH", "Field": "productFamily", "Value": family})
    token = None
    while True:
        request = {"ServiceCode": service_code, "Filters": filters, "FormatVersion": "aws_v1",
                   "MaxResults": 100}
        if token:
            request["NextToken"] = token
        answer = client.get_products(**request)
        for item in answer.get("PriceList", []):
            yield json.loads(item) if isinstance(item, str) else item
        token = answer.get("NextToken")
        if not token:
            return


def fetch(client, region: str, rules: Iterable[Rule] = RULES) -> dict[str, Found]:
    """Every rule's price in the region, as the Price List API answers it."""
    found: dict[str, Found] = {}
    by_query: dict[tuple[str, str | None], list[Rule]] = {}
    for rule in rules:
        by_query.setdefault((rule.service_code, rule.family), []).append(rule)
    for (service_code, family), wanted in by_query.items():
        for product in products(client, service_code, region, family):
            usage_type = product.get("product", {}).get("attributes", {}).get("usagetype", "")
            for rule in wanted:
                if rule.key in found or not matches(usage_type, rule.usage_type):
                    continue
                price = first_tier_price(product)
                if price is not None:
                    found[rule.key] = Found(price * rule.scale, usage_type,
                                            product.get("publicationDate", ""))
    return found


def document(region: str, found: dict[str, Found], previous: dict | None,
             today: str) -> dict:
    """The region's table: fetched entries, and previous ones the API did not answer."""
    pages = {rule.key: rule.page for rule in RULES}
    services = {rule.key: rule.service_code for rule in RULES}
    entries = {}
    old = (previous or {}).get("entries", {})
    for key in KEYS:
        if key in found:
            hit = found[key]
            entries[key] = {
                "price": round(hit.price, 10), "unit": KEYS[key], "page": pages[key],
                "basis": "price-list-api",
                "note": f"AWS Price List API {services[key]} {hit.usage_type}"
                        + (f", published {hit.publication}" if hit.publication else ""),
            }
        elif key in old:
            entries[key] = dict(old[key])
            entries[key]["note"] = (f"kept from the table of {previous.get('date')}: the Price "
                                    f"List API had no answer; {old[key].get('note', '')}").strip()
    return {
        "region": region, "name": (previous or {}).get("name", region), "date": today,
        "currency": "USD",
        "compiled": "by scripts/update_prices.py from the AWS Price List API"
                    + (", with entries it did not answer kept from the previous table"
                       if len(found) < len(entries) else ""),
        "missing": [k for k in KEYS if k not in entries],
        "entries": entries,
    }


def update(client, regions: Iterable[str], out: Path, today: str | None = None) -> list[str]:
    today = today or datetime.date.today().isoformat()
    report = []
    for region in regions:
        path = out / f"{region}.json"
        previous = json.loads(path.read_text()) if path.exists() else None
        found = fetch(client, region)
        table = document(region, found, previous, today)
        path.write_text(json.dumps(table, indent=1) + "\n")
        report.append(f"{region}: {len(found)} of {len(KEYS)} prices from the Price List API"
                      + (f", missing {', '.join(table['missing'])}" if table["missing"] else ""))
    return report


def main(argv: list[str] | None = None, client=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--region", action="append", required=True,
                        help="region to refresh (repeat for several)")
    parser.add_argument("--profile", help="AWS profile to use")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the price table folder")
    args = parser.parse_args(argv)
    if client is None:
        import boto3

        session = boto3.Session(profile_name=args.profile)
        client = session.client("pricing", region_name=PRICING_REGION)
    for line in update(client, args.region, args.out):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
