"""Values only the account knows: what the template takes as parameters, and SSM values."""

from __future__ import annotations

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code
from fargo.errors import AwsError


def s3_prefix_list_id(aws: AwsContext) -> str:
    """The region's managed prefix list for S3 (its pl- ID differs per region)."""
    name = f"com.amazonaws.{aws.region}.s3"
    with aws_call("looking up the S3 prefix list"):
        lists = aws.client("ec2").describe_managed_prefix_lists(
            Filters=[{"Name": "prefix-list-name", "Values": [name]}])["PrefixLists"]
    if not lists:
        raise AwsError(f"error: region {aws.region} has no prefix list {name}: "
                       "network = \"isolated\" needs it; choose network = \"nat\" here")
    return lists[0]["PrefixListId"]


def hosted_zone_id(aws: AwsContext, zone_name: str) -> str:
    """The ID (Z...) of this account's public Route53 zone named zone_name.

    Private zones do not count: a record or DNS validation there is invisible to the internet,
    so ACM would wait for validation until it gives up (72 hours). Two public zones of one
    name are refused too: only the one the registrar delegates to answers, and fargo cannot
    tell which that is.
    """
    name = zone_name.lower().rstrip(".") + "."
    route53 = aws.client("route53")
    public, private = [], []
    request: dict[str, str] = {"DNSName": name}
    with aws_call(f"looking up the Route53 hosted zone {zone_name}"):
        while True:
            page = route53.list_hosted_zones_by_name(**request)
            zones = page.get("HostedZones", [])
            for zone in zones:
                if zone["Name"].lower() != name:
                    continue
                is_private = zone.get("Config", {}).get("PrivateZone", False)
                (private if is_private else public).append(zone["Id"].rsplit("/", 1)[-1])
            # Zones come sorted by name from DNSName on: stop once past it.
            past = any(z["Name"].lower() != name for z in zones)
            if past or not page.get("IsTruncated") or page.get("NextDNSName", "").lower() != name:
                break
            request = {"DNSName": page["NextDNSName"], "HostedZoneId": page["NextHostedZoneId"]}
    if len(public) == 1:
        return public[0]
    if len(public) > 1:
        raise AwsError(
            f"error: Route53 has {len(public)} public hosted zones named {zone_name} "
            f"({', '.join(public)}): delete the one the domain's registrar does not use"
        )
    if private:
        raise AwsError(
            f"error: hosted_zone {zone_name} is a private Route53 zone (seen only inside its "
            "VPCs): create a public hosted zone of that name or fix hosted_zone in fargo.toml"
        )
    raise AwsError(
        f"error: no Route53 hosted zone {zone_name} in this account: create it or fix "
        "hosted_zone in fargo.toml (a new zone answers once the domain is delegated to it)"
    )


def ssm_value(aws: AwsContext, name: str, what: str) -> str | None:
    """An SSM parameter's value; None when there is no such parameter. `what` names it in
    the error line of any other failure."""
    from botocore.exceptions import ClientError

    with aws_call(f"reading {what}"):
        try:
            return aws.client("ssm").get_parameter(Name=name)["Parameter"]["Value"]
        except ClientError as error:
            if error_code(error) == "ParameterNotFound":
                return None
            raise
