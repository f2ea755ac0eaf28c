"""Small helpers every template module shares: tags, justifications, parameter names."""

from __future__ import annotations

import re

from troposphere import AWSObject, Sub, Tags, Template

from fargo.config import Settings
from fargo.contract import (  # noqa: F401  (re-exported for the template modules)
    CERTIFICATE_PARAMETER,
    DESIRED_COUNT_PARAMETER,
    S3_PREFIX_LIST_PARAMETER,
    STACK_TAG,
)

# Alarms and the dashboard are named for the stack already and cost cents a month: the user's
# tags on each would only grow the template (about 700 bytes a resource with ten tags). The
# alarm topic's key goes untagged because moto 5.2.5 (the emulator) fails to create a KMS key
# with tags from a template (it reads TagKey/TagValue, not Key/Value).
UNTAGGED = frozenset({"AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::KMS::Key"})


def justify(resource: AWSObject, reasons: dict[str, str]) -> AWSObject:
    """Record why a scanner finding does not apply, in checkov's skip metadata."""
    metadata = dict(getattr(resource, "Metadata", {}) or {})
    skips = metadata.setdefault("checkov", {}).setdefault("skip", [])
    skips.extend({"id": check, "comment": why} for check, why in sorted(reasons.items()))
    resource.Metadata = metadata
    return resource


def apply_tags(template: Template, settings: Settings) -> None:
    """Tag every resource that takes tags: Name, Environment and the user's own. (`settings`:
    anything with stack_name, environment and tags, e.g. an environment's settings.)"""
    for logical_id, resource in template.resources.items():
        if "Tags" not in resource.props or resource.resource_type in UNTAGGED:
            continue
        tags = {"Name": f"{settings.stack_name}-{_kebab(logical_id)}",
                "Environment": settings.environment}
        tags.update(settings.tags)
        if resource.resource_type == "AWS::S3::Bucket":
            # Retained buckets outlive the stack: fargo finds them again by this tag.
            tags[STACK_TAG] = settings.stack_name
        if resource.resource_type == "AWS::SSM::Parameter":
            resource.Tags = tags  # a map of tags, not a list
        else:
            resource.Tags = Tags(**tags)


def _kebab(logical_id: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", logical_id).lower()


def region_text(settings: Settings, region: str | None) -> str:
    """A region inside Fn::Sub text: ${AWS::Region} for the stack's own (None or the same)."""
    return "${AWS::Region}" if region in (None, settings.region) else region


def sub(text: str) -> Sub | str:
    """Fn::Sub only where the text names a pseudo parameter (cfn-lint W1020 otherwise)."""
    return Sub(text) if "${" in text else text
