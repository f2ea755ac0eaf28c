"""The registry stack (NAME-ENV-registry): the ECR repository that `build` pushes images to.

It is a stack of its own, deployed before the service stack, because the image must be in the
repository before the service's task definition can name it; and because its life differs from
the service's: the service stack may be replaced or rolled back while the images stay.
"""

from __future__ import annotations

import json

from troposphere import GetAtt, Output, Ref, Template, ecr

from fargo import contract
from fargo.config import Settings
from fargo.template.common import apply_tags, justify


def build_registry_template(settings: Settings) -> Template:
    template = Template(Description=(
        f"fargo registry {settings.registry_stack_name}: the ECR repository of "
        f"{settings.stack_name}'s images (keeps the last {settings.keep_images})"
    ))
    template.set_version("2010-09-09")
    repository = template.add_resource(ecr.Repository(
        contract.REPOSITORY_RESOURCE,
        # No RepositoryName: a generated name never collides with another stack's repository,
        # and a replacement (a new name) can be created before the old one is deleted.
        ImageScanningConfiguration=ecr.ImageScanningConfiguration(ScanOnPush=True),
        # fargo tags every build uniquely and pins the task to its digest; an immutable tag
        # means a tag in a deploy log always names the image that ran.
        ImageTagMutability="IMMUTABLE",
        EncryptionConfiguration=ecr.EncryptionConfiguration(EncryptionType="AES256"),
        LifecyclePolicy=ecr.LifecyclePolicy(LifecyclePolicyText=lifecycle_policy(settings)),
        # Destroying the service means its images too; without this, deleting a repository
        # that still holds images fails and leaves the stack in DELETE_FAILED.
        EmptyOnDelete=True,
    ))
    justify(repository, {
        "CKV_AWS_136": "Images are encrypted at rest with AES256; a customer KMS key would add "
                       "cost and key policy to manage without protecting anything more here",
    })
    template.add_output(Output(
        contract.OUTPUT_REPOSITORY_URI, Description="Where fargo pushes the service's images",
        Value=GetAtt(repository, "RepositoryUri"),
    ))
    template.add_output(Output(
        contract.OUTPUT_REPOSITORY_NAME, Description="The repository's generated name",
        Value=Ref(repository),
    ))
    apply_tags(template, settings)
    return template


def lifecycle_policy(settings: Settings) -> str:
    """Count every image, tagged or not: fargo's tags are unique, so each build is one image
    and "the last N" means the last N builds (rollback targets), whatever their tags."""
    return json.dumps({"rules": [{
        "rulePriority": 1,
        "description": f"Keep the last {settings.keep_images} images",
        "selection": {
            "tagStatus": "any",
            "countType": "imageCountMoreThan",
            "countNumber": settings.keep_images,
        },
        "action": {"type": "expire"},
    }]}, sort_keys=True)
