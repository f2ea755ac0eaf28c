"""Glue from settings to the engine: render the template, fill its parameters, deploy."""

from __future__ import annotations

import json

from fargo import contract
from fargo.config import Settings
from fargo.engine import deploy as engine
from fargo.engine.aws import AwsContext
from fargo.engine.lookups import s3_prefix_list_id


def deploy_request(settings: Settings, aws: AwsContext) -> engine.DeployRequest:
    from fargo.template import render

    body = json.dumps(json.loads(render(settings)), separators=(",", ":"))
    parameters = {contract.DESIRED_COUNT_PARAMETER: str(settings.desired_count)}
    if settings.https and settings.certificate_arn:
        parameters[contract.CERTIFICATE_PARAMETER] = settings.certificate_arn
    if settings.network != "public":
        parameters[contract.S3_PREFIX_LIST_PARAMETER] = s3_prefix_list_id(aws)
    return engine.DeployRequest(
        stack_name=settings.stack_name, template_body=body, parameters=parameters,
        tags={"Environment": settings.environment, "fargo:service": settings.name,
              **settings.tags},
        health_path=settings.health_check_path or "/health", https=settings.https,
    )
