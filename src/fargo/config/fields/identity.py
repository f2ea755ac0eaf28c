"""Who the service is and where it runs: name, environment, region, tags."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from fargo.config.checks.network import REGION
from fargo.config.checks.tags import tags_problem
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import refuse

_NAME = re.compile(r"^[a-z][a-z0-9-]*\Z")


class IdentityFields(FieldGroup):
    name: str = Field("l42", min_length=1, max_length=24, description="Service name; with environment it names the stack")
    environment: str = Field("dev", min_length=1, max_length=16, description="Environment name, e.g. dev or prod")
    region: str | None = Field(None, description="AWS region to deploy to (required), e.g. eu-west-1")
    tags: dict[str, str] = Field(default_factory=dict, description="Extra tags on every resource (Name and Environment are always set)")

    @field_validator("name", "environment")
    @classmethod
    def _is_dns_label(cls, value: str) -> str:
        if not _NAME.match(value) or value.endswith("-") or "--" in value:
            raise ValueError(
                "use lowercase letters, digits and single hyphens, starting with a letter"
            )
        return value

    @field_validator("region")
    @classmethod
    def _region_looks_real(cls, value: str | None) -> str | None:
        if value is not None and not REGION.match(value):
            raise ValueError("not an AWS region name: use one such as eu-west-1 or ap-southeast-2")
        return value

    @field_validator("tags")
    @classmethod
    def _tags_are_valid(cls, values: dict[str, str]) -> dict[str, str]:
        return refuse(tags_problem(values), values)
