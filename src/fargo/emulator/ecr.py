"""AWS::ECR::Repository as CloudFormation makes it.

Without RepositoryName, moto generates a mixed-case name that its own ECR then refuses (AWS
generates lowercase names); and it ignores EmptyOnDelete, so a repository holding images
cannot be deleted with its stack.
"""

from __future__ import annotations


def install() -> None:
    from moto.ecr.models import Repository, ecr_backends

    original_create = Repository.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        repository = original_create(cls, resource_name.lower(), cloudformation_json,
                                     account_id, region_name, **kwargs)
        repository.fargo_empty_on_delete = bool(
            cloudformation_json["Properties"].get("EmptyOnDelete"))
        return repository

    def delete(self, account_id: str, region_name: str) -> None:
        force = getattr(self, "fargo_empty_on_delete", False)
        ecr_backends[account_id][region_name].delete_repository(self.name, force=force)

    Repository.create_from_cloudformation_json = classmethod(create)
    Repository.delete = delete
