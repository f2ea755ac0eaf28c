"""The S3 buckets a stack retains: found by tag, emptied and deleted.

The access-log bucket has DeletionPolicy Retain (the load balancer writes into it until the
load balancer is gone, so a rollback or a stack deletion could not delete it anyway). It
outlives a rolled-back first create, a removal from the template, and the stack itself; each
of those paths hands its buckets here, so no retry of a failed create leaves one more behind.

Buckets are found by the tag fargo puts on them (`fargo:stack`) or the one CloudFormation
adds (`aws:cloudformation:stack-name`), through the Resource Groups Tagging API; where that is
not allowed, by listing the account's buckets and reading the tags of those whose name
starts like the stack's (CloudFormation derives generated bucket names from the stack name).
"""

from __future__ import annotations

from fargo.contract import STACK_TAG
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code
from fargo.engine.progress import Reporter

CLOUDFORMATION_STACK_TAG = "aws:cloudformation:stack-name"
_PREFIX_LENGTH = 10  # CloudFormation keeps at least this much of a stack name in bucket names


def stack_buckets(aws: AwsContext, stack_name: str) -> set[str]:
    """Names of every bucket in the region tagged as belonging to the stack."""
    from botocore.exceptions import ClientError

    try:
        return _tagged_by_api(aws, stack_name)
    except ClientError as error:
        if error_code(error) not in ("AccessDenied", "AccessDeniedException",
                                     "UnauthorizedOperation"):
            raise _translated(error) from None
    return _tagged_by_listing(aws, stack_name)


def _translated(error):
    from fargo.engine.aws_errors import translate

    return translate(error, "finding the stack's S3 buckets (tag:GetResources)")


def _tagged_by_api(aws: AwsContext, stack_name: str) -> set[str]:
    tagging = aws.client("resourcegroupstaggingapi")
    found: set[str] = set()
    for key in (STACK_TAG, CLOUDFORMATION_STACK_TAG):
        pages = tagging.get_paginator("get_resources").paginate(
            TagFilters=[{"Key": key, "Values": [stack_name]}], ResourceTypeFilters=["s3"])
        for page in pages:
            for mapping in page.get("ResourceTagMappingList", []):
                arn = mapping["ResourceARN"]
                if arn.startswith("arn:") and ":s3:::" in arn:
                    found.add(arn.split(":::", 1)[1].split("/", 1)[0])
    return found


def _tagged_by_listing(aws: AwsContext, stack_name: str) -> set[str]:
    from botocore.exceptions import ClientError

    s3 = aws.client("s3")
    prefix = stack_name.lower()[:_PREFIX_LENGTH]
    with aws_call("listing S3 buckets"):
        names = [b["Name"] for b in s3.list_buckets().get("Buckets", [])
                 if b["Name"].startswith(prefix)]
    found = set()
    for name in names:
        try:
            tags = s3.get_bucket_tagging(Bucket=name).get("TagSet", [])
        except ClientError:
            continue  # no tags, gone, or another account's region rules: not ours to judge
        values = {t["Key"]: t["Value"] for t in tags}
        if stack_name in (values.get(STACK_TAG), values.get(CLOUDFORMATION_STACK_TAG)):
            found.add(name)
    return found


def delete_bucket(aws: AwsContext, bucket: str, reporter: Reporter) -> bool:
    """Empty (every version) and delete; False when it was already gone."""
    from botocore.exceptions import ClientError

    s3 = aws.client("s3")
    count = 0
    try:
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            objects = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                       for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
                count += len(objects)
        s3.delete_bucket(Bucket=bucket)
    except ClientError as error:
        if error_code(error) == "NoSuchBucket":
            return False
        raise _delete_failed(error, bucket) from None
    if count:
        reporter.note(f"emptied {bucket} ({count} object(s))")
    return True


def _delete_failed(error, bucket: str):
    from fargo.engine.aws_errors import translate

    return translate(error, f"deleting S3 bucket {bucket}")


def remove_stack_buckets(aws: AwsContext, stack_name: str, reporter: Reporter,
                         also: set[str] = frozenset()) -> list[str]:
    """Delete the stack's retained buckets (and `also`); the names removed."""
    removed = []
    for bucket in sorted(stack_buckets(aws, stack_name) | set(also)):
        if delete_bucket(aws, bucket, reporter):
            removed.append(bucket)
    return removed
