"""What runs: an image, or a directory fargo builds and pushes to the service's own ECR."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from fargo.config.checks.images import SAMPLE_IMAGE, image_problem
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import refuse


class ImageFields(FieldGroup):
    image: str = Field(SAMPLE_IMAGE, description="Container image to run")
    build: str | None = Field(None, min_length=1, description="Build the image from this directory (with its Dockerfile) and push it to the service's own ECR repository")
    keep_images: int = Field(10, ge=1, le=1000, description="Images the service's ECR repository keeps; older ones expire")
    platform: Literal["linux/amd64", "linux/arm64"] = Field("linux/amd64", description="Task CPU architecture")

    @field_validator("image")
    @classmethod
    def _image_is_a_reference(cls, value: str) -> str:
        return refuse(image_problem(value), value)
