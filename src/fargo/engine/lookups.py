"""Values the template takes as parameters because they are only known in the account."""

from __future__ import annotations

from fargo.engine.aws import AwsContext, aws_call
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
