"""Names the template and the engine share: parameters the deploy fills, outputs it reads.

Kept apart so the engine can use them without importing troposphere; renaming one is a
breaking change for deployed stacks.
"""

CERTIFICATE_PARAMETER = "CertificateArn"
S3_PREFIX_LIST_PARAMETER = "S3PrefixListId"
DESIRED_COUNT_PARAMETER = "DesiredCount"
KEEP_RUNNING_COUNT = ""  # DesiredCount value that leaves the running count as it is

OUTPUT_ALB_DNS = "AlbDns"
OUTPUT_URL = "ServiceUrl"
OUTPUT_CLUSTER = "ClusterName"
OUTPUT_SERVICE = "ServiceName"
OUTPUT_LOG_GROUP = "LogGroupName"
OUTPUT_TARGET_GROUP = "TargetGroupArn"
OUTPUT_ACCESS_LOG_BUCKET = "AccessLogBucket"

SERVICE_RESOURCE = "Service"
CLUSTER_RESOURCE = "Cluster"
TARGET_GROUP_RESOURCE = "TargetGroup"

# HTTPS and DNS (issue: automate the manual steps)
HOSTED_ZONE_PARAMETER = "HostedZoneId"
CERTIFICATE_RESOURCE = "Certificate"
DOMAIN_RECORD_RESOURCE = "DomainRecord"
OUTPUT_DOMAIN_URL = "DomainUrl"
STACK_TAG = "fargo:stack"  # on resources that outlive their stack (retained buckets): stack name
SELF_SIGNED_TAG = "fargo:self-signed-for"  # tag on an imported self-signed certificate: stack

# The registry stack (NAME-ENV-registry): the service's own ECR repository
REPOSITORY_RESOURCE = "Repository"
OUTPUT_REPOSITORY_URI = "RepositoryUri"
OUTPUT_REPOSITORY_NAME = "RepositoryName"
