"""The service's revisions: each version of its settings record, with who wrote it.

Where "who deployed" comes from: every service stack keeps its settings in an SSM parameter
(`/fargo/STACK/settings`, template/settings_record), which CloudFormation rewrites on each
deploy that changes a setting, the image or a count (rollback and scale included: their
parameters are substituted into it). SSM keeps the last 100 versions of a parameter, each
with `LastModifiedDate` and `LastModifiedUser`: the ARN of the IAM principal whose call
wrote it. CloudFormation writes a stack's resources with the credentials of whoever ran the
update (forward access), so that is the person or CI role that ran `fargo deploy`; a stack
given a CloudFormation service role shows that role instead. Nothing else is stored: no extra
parameter to keep, and no write outside the stack that `destroy` would have to find.

A revision's number is the record's SSM version; `rollback --to N` redeploys version N's
image. The digest is the image's own when the image names one (`repo@sha256:...`, as a
`build` deploy pins it), else ECR's for an ECR image whose tag still exists; else unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from fargo import contract
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code

_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[^:@]+)(?::(?P<tag>[^@]+))?$")
UNKNOWN_USER = ("", "N/A")


@dataclass(frozen=True)
class Revision:
    number: int  # the settings record's SSM version
    image: str | None
    digest: str | None
    min_count: int | None
    max_count: int | None
    deployed_at: datetime | None
    deployed_by: str | None  # an IAM ARN, or None when AWS did not say
    current: bool = False

    def as_json(self) -> dict:
        return {"revision": self.number, "image": self.image, "digest": self.digest,
                "min_count": self.min_count, "max_count": self.max_count,
                "deployed_at": self.deployed_at.isoformat() if self.deployed_at else None,
                "deployed_by": self.deployed_by, "current": self.current}


def read_revisions(aws: AwsContext, stack_name: str, digests: bool = True) -> list[Revision]:
    """Newest first; empty when the stack has no settings record (an older fargo's)."""
    from botocore.exceptions import ClientError

    name = contract.settings_record_name(stack_name)
    ssm = aws.client("ssm")
    versions: list[dict] = []
    token = None
    with aws_call(f"reading the history of {name}"):
        while True:
            try:
                page = ssm.get_parameter_history(
                    Name=name, MaxResults=50, **({"NextToken": token} if token else {}))
            except ClientError as error:
                if error_code(error) == "ParameterNotFound":
                    return []
                raise
            versions += page.get("Parameters") or []
            token = page.get("NextToken")
            if not token:
                break
    versions.sort(key=lambda v: v.get("Version", 0), reverse=True)
    lookup = _DigestLookup(aws) if digests else None
    revisions = []
    for index, version in enumerate(versions):
        live = live_values(version.get("Value", ""))
        image = live.get("image")
        user = version.get("LastModifiedUser") or ""
        revisions.append(Revision(
            number=int(version.get("Version", 0)), image=image,
            digest=lookup.digest(image) if lookup and image else None,
            min_count=_number(live.get("min_count")), max_count=_number(live.get("max_count")),
            deployed_at=version.get("LastModifiedDate"),
            deployed_by=None if user in UNKNOWN_USER else user, current=index == 0))
    return revisions


def live_values(value: str) -> dict[str, str]:
    """The image and counts a record version holds (its "live" part; {} if not a record)."""
    try:
        live = json.loads(value).get("live")
    except (ValueError, AttributeError):
        return {}
    return {k: str(v) for k, v in live.items()} if isinstance(live, dict) else {}


def digest_of(image: str) -> str | None:
    return image.rsplit("@", 1)[1] if "@sha256:" in image else None


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


class _DigestLookup:
    """ECR's digest of a tagged ECR image, asked once per image; None when not knowable."""

    def __init__(self, aws: AwsContext) -> None:
        self.aws = aws
        self.known: dict[str, str | None] = {}

    def digest(self, image: str) -> str | None:
        own = digest_of(image)
        if own:
            return own
        if image not in self.known:
            self.known[image] = self._ask(image)
        return self.known[image]

    def _ask(self, image: str) -> str | None:
        from fargo.engine.aws_errors import aws_failures

        match = _ECR_IMAGE.match(image)
        if not match or match["region"] != self.aws.region:
            return None
        try:
            found = self.aws.client("ecr").describe_images(
                registryId=match["account"], repositoryName=match["repository"],
                imageIds=[{"imageTag": match["tag"] or "latest"}])["imageDetails"]
        except aws_failures():  # deleted tag or repository, no permission: not knowable
            return None
        return found[0].get("imageDigest") if found else None
