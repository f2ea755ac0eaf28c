"""Templates too large to send inline go through S3, as CloudFormation requires.

CloudFormation takes at most 51,200 bytes in TemplateBody and up to 1 MB from an S3 object
(TemplateURL). A service with many allowed CIDRs, schedules and every control on passes the
first limit. Such templates are put in a staging bucket of fargo's own in the account and
region, `fargo-templates-ACCOUNT-REGION`: private, encrypted, TLS only, objects expire after
a day. Every write names the expected bucket owner, so a bucket of that name in someone
else's account is never written to. `fargo destroy` deletes the stack's templates, and the
bucket once it is empty.
"""

from __future__ import annotations

import hashlib
import json

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code, translate
from fargo.errors import AwsError

INLINE_LIMIT = 51_200
URL_LIMIT = 1_048_576
EXPIRY_DAYS = 1


def template_argument(aws: AwsContext, stack_name: str, body: str) -> dict[str, str]:
    """TemplateBody when it fits inline, else TemplateURL of the uploaded body."""
    size = len(body.encode())
    if size <= INLINE_LIMIT:
        return {"TemplateBody": body}
    if size > URL_LIMIT:
        raise AwsError(
            f"error: the template of {stack_name} is {size} bytes, over CloudFormation's "
            f"{URL_LIMIT}-byte limit even from S3: turn off settings you do not need, and "
            "report it")
    return {"TemplateURL": upload(aws, stack_name, body)}


def account_id(aws: AwsContext) -> str:
    with aws_call("reading the account ID (sts:GetCallerIdentity)"):
        return aws.client("sts").get_caller_identity()["Account"]


def bucket_name(account: str, region: str) -> str:
    return f"fargo-templates-{account}-{region}"


def upload(aws: AwsContext, stack_name: str, body: str) -> str:
    account = account_id(aws)
    bucket = bucket_name(account, aws.region)
    _ensure_bucket(aws, bucket, account)
    key = f"{stack_name}/{hashlib.sha256(body.encode()).hexdigest()[:16]}.json"
    with aws_call(f"uploading the template of {stack_name} to s3://{bucket}"):
        aws.client("s3").put_object(Bucket=bucket, Key=key, Body=body.encode(),
                                    ContentType="application/json",
                                    ExpectedBucketOwner=account)
    return f"https://{bucket}.s3.{aws.region}.amazonaws.com/{key}"


def _ensure_bucket(aws: AwsContext, bucket: str, account: str) -> None:
    from botocore.exceptions import ClientError

    s3 = aws.client("s3")
    try:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=account)
        return
    except ClientError as error:
        if error_code(error) in ("403", "AccessDenied"):
            raise AwsError(
                f"error: the template bucket {bucket} exists but is not this account's, or "
                f"cannot be read ({error_code(error)}): fargo will not upload there") from None
        if error_code(error) not in ("404", "NoSuchBucket", "NotFound"):
            raise translate(error, f"checking the template bucket {bucket}") from None
    with aws_call(f"creating the template bucket {bucket}"):
        location = {} if aws.region == "us-east-1" else {
            "CreateBucketConfiguration": {"LocationConstraint": aws.region}}
        try:
            s3.create_bucket(Bucket=bucket, **location)
        except ClientError as error:
            # A retried create whose first attempt went through: the bucket is ours.
            if error_code(error) != "BucketAlreadyOwnedByYou":
                raise
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True}, ExpectedBucketOwner=account)
        s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            ExpectedBucketOwner=account)
        s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
            {"ID": "ExpireTemplates", "Status": "Enabled", "Filter": {"Prefix": ""},
             "Expiration": {"Days": EXPIRY_DAYS}}]}, ExpectedBucketOwner=account)
        s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                "Action": "s3:*", "Resource": [f"arn:aws:s3:::{bucket}",
                                               f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
            ExpectedBucketOwner=account)
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [
            {"Key": "fargo:purpose", "Value": "templates too large to send inline"}]},
            ExpectedBucketOwner=account)


def remove_stack_templates(aws: AwsContext, stack_name: str) -> list[str]:
    """Delete the stack's uploaded templates, and the bucket once no stack has any; what was
    removed, by name. Nothing to do (and no call beyond a lookup) when none was uploaded."""
    from botocore.exceptions import ClientError

    account = account_id(aws)
    bucket = bucket_name(account, aws.region)
    s3 = aws.client("s3")
    removed = []
    try:
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, Prefix=f"{stack_name}/", ExpectedBucketOwner=account)
        keys = [o["Key"] for page in pages for o in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys]},
                              ExpectedBucketOwner=account)
            removed.append(f"{len(keys)} uploaded template(s) in s3://{bucket}")
        if not s3.list_objects_v2(Bucket=bucket, MaxKeys=1,
                                  ExpectedBucketOwner=account).get("KeyCount"):
            s3.delete_bucket(Bucket=bucket, ExpectedBucketOwner=account)
            removed.append(f"S3 bucket {bucket}")
    except ClientError as error:
        if error_code(error) in ("NoSuchBucket", "404", "NotFound", "AccessDenied"):
            return removed
        raise AwsError(f"error: cleaning the template bucket {bucket} failed: {error}") from None
    return removed
