"""The load balancer's access-log bucket: encrypted, private, TLS-only, expiring.

Who may write ALB logs depends on the region's age: regions older than August 2022 name a
regional Elastic Load Balancing account; newer ones the log-delivery service principal. The
template carries that as a mapping of the deployment region (the full table without one), read
at deploy time.
The bucket is retained by CloudFormation (the load balancer writes to it until it is gone);
`fargo destroy` empties and deletes it after the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import Equals, FindInMap, GetAtt, If, Ref, Sub, Template, s3

from fargo.config import Settings
from fargo.template.common import justify

ELB_ACCOUNTS = {
    "us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
    "us-west-2": "797873946194", "af-south-1": "098369216593", "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580", "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331", "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864", "ca-central-1": "985666609251",
    "eu-central-1": "054676820928", "eu-west-1": "156460612806", "eu-west-2": "652711504416",
    "eu-south-1": "635631232127", "eu-west-3": "009996457667", "eu-north-1": "897822967062",
    "me-south-1": "076674570225", "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
}
LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
MAPPING = "ElbLogDelivery"
BY_ACCOUNT = "ElbLogDeliveryByAccount"
LOG_PREFIX = "alb"


@dataclass(frozen=True)
class AccessLogs:
    bucket: s3.Bucket
    policy: s3.BucketPolicy
    prefix: str = LOG_PREFIX


def add(template: Template, settings: Settings) -> AccessLogs | None:
    if not settings.access_logs:
        return None
    _add_delivery_mapping(template, settings)
    bucket = template.add_resource(s3.Bucket(
        "AccessLogBucket",
        DeletionPolicy="Retain", UpdateReplacePolicy="Retain",
        BucketEncryption=s3.BucketEncryption(ServerSideEncryptionConfiguration=[
            s3.ServerSideEncryptionRule(
                ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(SSEAlgorithm="AES256"),
            ),
        ]),
        PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
            BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True,
            RestrictPublicBuckets=True,
        ),
        OwnershipControls=s3.OwnershipControls(
            Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")],
        ),
        LifecycleConfiguration=s3.LifecycleConfiguration(Rules=[s3.LifecycleRule(
            Id="ExpireAccessLogs", Status="Enabled",
            ExpirationInDays=settings.access_log_expiry_days,
            AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(DaysAfterInitiation=1),
        )]),
    ))
    justify(bucket, {
        "CKV_AWS_18": "This bucket is the access-log destination; logging it would recurse",
        "CKV_AWS_21": "Access logs are write-once and expire; versions would only keep them longer",
    })
    policy = template.add_resource(s3.BucketPolicy(
        "AccessLogBucketPolicy", Bucket=Ref(bucket), PolicyDocument=_policy(bucket),
    ))
    return AccessLogs(bucket, policy)


def _add_delivery_mapping(template: Template, settings: Settings) -> None:
    regions = {
        region: {"PrincipalType": "AWS",
                 "Principal": f"arn:{_partition(region)}:iam::{account}:root"}
        for region, account in ELB_ACCOUNTS.items()
    }
    if settings.region:
        # fargo deploys to settings.region only: one entry keeps the template compact.
        regions = {settings.region: regions.get(settings.region, {
            "PrincipalType": "Service", "Principal": LOG_DELIVERY_SERVICE})}
    template.add_mapping(MAPPING, regions)
    template.add_condition(BY_ACCOUNT, Equals(
        FindInMap(MAPPING, Ref("AWS::Region"), "PrincipalType"), "AWS",
    ))


def _policy(bucket: s3.Bucket) -> dict:
    """A plain dict: the delivery principal is an Fn::If, which awacs' typed Principal refuses.

    Object ARNs are Fn::Sub, not Fn::Join with an empty delimiter (cfn-lint I1022).
    """
    arn = GetAtt(bucket, "Arn")
    bucket_arn = f"${{{bucket.title}.Arn}}"
    principal = FindInMap(MAPPING, Ref("AWS::Region"), "Principal")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",
                "Action": "s3:*", "Resource": [arn, Sub(f"{bucket_arn}/*")],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "LoadBalancerLogDelivery", "Effect": "Allow",
                "Principal": If(BY_ACCOUNT, {"AWS": principal}, {"Service": principal}),
                "Action": "s3:PutObject",
                "Resource": Sub(f"{bucket_arn}/{LOG_PREFIX}/AWSLogs/${{AWS::AccountId}}/*"),
            },
        ],
    }


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    return "aws-us-gov" if region.startswith("us-gov-") else "aws"
