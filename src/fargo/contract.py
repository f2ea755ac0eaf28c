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
TASK_DEFINITION_RESOURCE = "TaskDefinition"

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

# Day two (issue 12): parameter-only updates, alarms, dashboard, the settings record.
# `fargo deploy --image X` passes IMAGE_PARAMETER; `fargo scale --min --max --desired` passes
# MIN_COUNT_PARAMETER, MAX_COUNT_PARAMETER and DESIRED_COUNT_PARAMETER. Each defaults to the
# settings' value, so a deploy that sends none of them deploys what the file says (and
# reverts an earlier --image or scale: the settings record shows it first).
IMAGE_PARAMETER = "ImageUri"
MIN_COUNT_PARAMETER = "MinCount"
MAX_COUNT_PARAMETER = "MaxCount"
OUTPUT_ALARM_TOPIC = "AlarmTopicArn"
OUTPUT_ALARMS = "AlarmNames"  # comma-separated: every alarm of the service
OUTPUT_DEPLOYMENT_ALARMS = "DeploymentAlarmNames"  # comma-separated: the ones that roll back
OUTPUT_DASHBOARD = "DashboardName"
OUTPUT_SETTINGS_RECORD = "SettingsRecordName"
ALARM_TOPIC_RESOURCE = "AlarmTopic"
DASHBOARD_RESOURCE = "Dashboard"
SETTINGS_RECORD_RESOURCE = "SettingsRecord"
SETTINGS_RECORD_PATTERN = "/fargo/{stack}/settings"  # an SSM parameter per service stack
# The console's dashboard page; aws-cn's console lives at console.amazonaws.cn.
DASHBOARD_URL_PATTERN = ("https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
                         "#dashboards:name={name}")


def settings_record_name(stack_name: str) -> str:
    """The SSM parameter holding the settings a service stack was deployed with."""
    return SETTINGS_RECORD_PATTERN.format(stack=stack_name)


def dashboard_name(stack_name: str, region: str) -> str:
    """The service's CloudWatch dashboard. Dashboards are global to an account, so the name
    holds the region: the same stack in two regions gets two dashboards."""
    return f"{stack_name}-{region}"


def dashboard_url(region: str, stack_name: str) -> str:
    url = DASHBOARD_URL_PATTERN.format(region=region, name=dashboard_name(stack_name, region))
    if region.startswith("cn-"):
        url = url.replace(".console.aws.amazon.com", ".console.amazonaws.cn")
    return url


def alarm_name(stack_name: str, alarm: str) -> str:
    """e.g. l42-dev-target-5xx-rate: named for the stack, so an alarm e-mail says whose."""
    return f"{stack_name}-{alarm}"
