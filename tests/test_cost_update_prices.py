"""scripts/update_prices.py against Price List API answers in the API's own shape (botocore's
Stubber: no network). The product records follow the GetProducts format (a JSON string per
product: product.attributes.usagetype, terms.OnDemand...priceDimensions...pricePerUnit.USD)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import boto3
import pytest
from botocore.stub import Stubber

from fargo.cost import prices

SCRIPT = Path(__file__).parents[1] / "scripts" / "update_prices.py"
REGION = "eu-west-1"


def load_script():
    spec = importlib.util.spec_from_file_location("update_prices", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


update_prices = load_script()


def product(usage_type: str, *tiers: tuple[str, str], family: str = "Compute",
            unit: str = "Hrs") -> str:
    """One GetProducts record; tiers are (beginRange, USD price)."""
    sku = "SKU" + str(abs(hash(usage_type)) % 10**8)
    dimensions = {
        f"{sku}.JRTCKXETXF.{i}": {
            "unit": unit, "beginRange": begin, "endRange": "Inf", "appliesTo": [],
            "description": f"${usd} per {unit} for {usage_type}", "rateCode": f"{sku}.{i}",
            "pricePerUnit": {"USD": usd},
        } for i, (begin, usd) in enumerate(tiers)
    }
    return json.dumps({
        "product": {"productFamily": family, "sku": sku, "attributes": {
            "regionCode": REGION, "usagetype": usage_type, "servicecode": "X"}},
        "serviceCode": "X",
        "terms": {"OnDemand": {f"{sku}.JRTCKXETXF": {
            "priceDimensions": dimensions, "sku": sku, "offerTermCode": "JRTCKXETXF",
            "effectiveDate": "2026-11-01T00:00:00Z", "termAttributes": {}}}},
        "version": "20261101000000", "publicationDate": "2026-11-01T00:00:00Z",
    })


ANSWERS = {
    ("AmazonECS", None): [
        [product("EUW1-Fargate-vCPU-Hours:perCPU", ("0", "0.0404800000")),
         product("EUW1-Fargate-GB-Hours", ("0", "0.0044450000")),
         product("EUW1-Fargate-Windows-vCPU-Hours:perCPU", ("0", "0.0465520000")),
         product("EUW1-Fargate-ARM-vCPU-Hours:perCPU", ("0", "0.0323800000"))],
        [product("EUW1-Fargate-ARM-GB-Hours", ("0", "0.0035600000")),
         product("EUW1-SpotUsage:Fargate-vCPU-Hours:perCPU", ("0", "0.0125782500")),
         product("EUW1-SpotUsage:Fargate-GB-Hours", ("0", "0.0013811800"))],
    ],
    ("AWSELB", "Load Balancer-Application"): [
        [product("EU-LoadBalancerUsage", ("0", "0.0252000000")),
         product("EU-LCUUsage", ("0", "0.0080000000"), unit="LCU-Hrs")]],
    ("AmazonEC2", "NAT Gateway"): [
        [product("EU-NatGateway-Hours", ("0", "0.0480000000")),
         product("EU-NatGateway-Bytes", ("0", "0.0480000000"), unit="GB")]],
    ("AmazonVPC", None): [
        [product("EU-VpcEndpoint-Hours", ("0", "0.0110000000")),
         # tiered: the first PB at 0.01, then cheaper
         product("EU-VpcEndpoint-Bytes", ("5242880", "0.0040000000"), ("0", "0.0100000000"),
                 ("1048576", "0.0060000000"), unit="GB"),
         product("EU-PublicIPv4:InUseAddress", ("0", "0.0050000000"))]],
    ("AmazonCloudWatch", None): [
        [product("EU-DataProcessing-Bytes", ("0", "0.5700000000"), unit="GB"),
         # a free tier first: the first paid tier counts
         product("EU-CW:MetricMonitorUsage", ("0", "0.0000000000"), ("10", "0.3000000000"))]],
    ("awswaf", None): [
        [product("EU-Request", ("0", "0.0000006000"), unit="Request")]],
    ("AmazonRoute53", None): [[]],
    ("AmazonS3", None): [[]],
    ("AmazonECR", None): [[]],
    ("awskms", None): [
        [product("eu-west-1-KMS-Keys", ("0", "1.0000000000"), unit="Keys")]],
}


def stubbed_client():
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    stubber = Stubber(client)
    for (service_code, family), pages in ANSWERS.items():
        filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": REGION}]
        if family:
            filters.append({"Type": "TERM_MATCH", "Field": "productFamily", "Value": family})
        for index, page in enumerate(pages):
            params = {"ServiceCode": service_code, "Filters": filters, "FormatVersion": "aws_v1",
                      "MaxResults": 100}
            if index:
                params["NextToken"] = f"page{index}"
            answer = {"PriceList": page, "FormatVersion": "aws_v1"}
            if index + 1 < len(pages):
                answer["NextToken"] = f"page{index + 1}"
            stubber.add_response("get_products", answer, params)
    stubber.activate()
    return client, stubber


def test_fetch_reads_every_answered_price_through_the_pages():
    client, stubber = stubbed_client()
    found = update_prices.fetch(client, REGION)
    stubber.assert_no_pending_responses()
    assert {k: v.price for k, v in found.items()} == pytest.approx({
        "fargate.x86.vcpu_hour": 0.04048, "fargate.x86.gb_hour": 0.004445,
        "fargate.arm.vcpu_hour": 0.03238, "fargate.arm.gb_hour": 0.00356,
        "fargate_spot.x86.vcpu_hour": 0.01257825, "fargate_spot.x86.gb_hour": 0.00138118,
        "alb.hour": 0.0252, "alb.lcu_hour": 0.008, "nat.hour": 0.048, "nat.gb": 0.048,
        "endpoint.hour": 0.011, "endpoint.gb": 0.01, "ipv4.hour": 0.005,
        "logs.ingest_gb": 0.57, "cloudwatch.metric_month": 0.30,
        "waf.million_requests": 0.60, "kms.key_month": 1.0,
    })
    assert found["nat.hour"].usage_type == "EU-NatGateway-Hours"


def test_update_writes_a_table_fargo_reads_and_keeps_what_the_api_did_not_answer(tmp_path):
    shipped = prices.FOLDER / f"{REGION}.json"
    (tmp_path / f"{REGION}.json").write_text(shipped.read_text())
    client, _ = stubbed_client()
    report = update_prices.update(client, [REGION], tmp_path, today="2026-12-01")
    document = json.loads((tmp_path / f"{REGION}.json").read_text())
    table = prices.parse(document)
    assert table.date == "2026-12-01" and table.missing == []
    assert table.get("nat.hour").basis == "price-list-api"
    assert "EU-NatGateway-Hours" in table.get("nat.hour").note
    kept = table.get("s3.gb_month")
    assert kept.basis == "derived" and kept.note.startswith("kept from the table of 2026-11-27")
    assert report == [f"{REGION}: 17 of {len(prices.KEYS)} prices from the Price List API"]


def test_a_region_without_a_previous_table_lists_what_is_missing(tmp_path):
    client, _ = stubbed_client()
    update_prices.update(client, [REGION], tmp_path, today="2026-12-01")
    table = prices.parse(json.loads((tmp_path / f"{REGION}.json").read_text()))
    assert "s3.gb_month" in table.missing and "nat.hour" not in table.missing


def test_main_takes_regions_and_an_output_folder(tmp_path, capsys):
    client, _ = stubbed_client()
    assert update_prices.main(["--region", REGION, "--out", str(tmp_path)], client=client) == 0
    assert f"{REGION}: 17 of" in capsys.readouterr().out


@pytest.mark.parametrize("usage_type, wanted, expected", [
    ("NatGateway-Hours", "NatGateway-Hours", True),  # us-east-1 has no prefix
    ("EU-NatGateway-Hours", "NatGateway-Hours", True),
    ("USE1-SpotUsage:Fargate-vCPU-Hours:perCPU", "Fargate-vCPU-Hours:perCPU", False),
    ("USE1-Fargate-ARM-GB-Hours", "Fargate-GB-Hours", False),
    ("USE1-Fargate-EphemeralStorage-GB-Hours", "Fargate-GB-Hours", False),
])
def test_usage_types_match_with_or_without_a_region_prefix(usage_type, wanted, expected):
    assert update_prices.matches(usage_type, wanted) is expected


def test_every_price_key_has_a_rule():
    assert {rule.key for rule in update_prices.RULES} == set(prices.KEYS)
