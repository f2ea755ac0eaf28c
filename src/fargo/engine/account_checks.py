"""Inputs only an AWS call can check, checked before any change set: one line each, exit 2.

CloudFormation would take these settings and fail minutes later (or, for a platform an
image lacks, the tasks would fail to start and the circuit breaker would roll back).
"""

from __future__ import annotations

import json
import re

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code

_PRIVATE_ECR = re.compile(
    r"(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?\Z")
_LIST_TYPES = (
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.index.v1+json",
)
_MANIFEST_TYPES = _LIST_TYPES + (
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
)
# Images whose platforms fargo knows without asking a registry.
KNOWN_PLATFORMS = {"amazon/amazon-ecs-sample": {"linux/amd64"},
                   "docker.io/amazon/amazon-ecs-sample": {"linux/amd64"}}


def available_zones(aws: AwsContext) -> list[str]:
    """The region's availability zones this account can use now (opt-in Local and
    Wavelength zones excluded: CloudFormation's Fn::GetAZs does not return them)."""
    with aws_call("listing availability zones (ec2:DescribeAvailabilityZones)"):
        zones = aws.client("ec2").describe_availability_zones(Filters=[
            {"Name": "state", "Values": ["available"]},
            {"Name": "zone-type", "Values": ["availability-zone"]},
        ])["AvailabilityZones"]
    return sorted(z["ZoneName"] for z in zones)


def image_platforms(aws: AwsContext, image: str) -> set[str] | None:
    """The platforms (os/arch) an image offers, where fargo can know them: the sample image,
    and a multi-platform image in this account's ECR in this region. None: unknown."""
    repository = image.split("@")[0].rsplit(":", 1)[0] if "/" in image else image
    if repository in KNOWN_PLATFORMS or image in KNOWN_PLATFORMS:
        return KNOWN_PLATFORMS.get(repository) or KNOWN_PLATFORMS[image]
    match = _PRIVATE_ECR.match(image)
    if not match or match["region"] != aws.region:
        return None
    from botocore.exceptions import ClientError

    reference = ({"imageDigest": match["digest"]} if match["digest"]
                 else {"imageTag": match["tag"] or "latest"})
    try:
        images = aws.client("ecr").batch_get_image(
            registryId=match["account"], repositoryName=match["repository"],
            imageIds=[reference], acceptedMediaTypes=list(_MANIFEST_TYPES))["images"]
    except ClientError as error:
        if error_code(error) in ("RepositoryNotFoundException", "AccessDeniedException"):
            return None
        raise
    if not images:
        return None
    try:
        manifest = json.loads(images[0].get("imageManifest") or "{}")
    except ValueError:
        return None
    if manifest.get("mediaType") not in _LIST_TYPES and "manifests" not in manifest:
        return None  # one platform, named only in the config blob: not worth a download here
    return {f"{m['platform']['os']}/{m['platform']['architecture']}"
            for m in manifest.get("manifests", []) if m.get("platform")}
