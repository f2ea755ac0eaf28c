"""Which stacks exist: to find an environment's services, deployed or left behind."""

from __future__ import annotations

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call


def live_stacks(aws: AwsContext, prefix: str, tags: dict[str, str]) -> dict[str, str]:
    """Name -> status of every stack (not deleted) whose name starts with `prefix` and that
    carries all of `tags` (a key with an empty value: the key, whatever its value)."""
    found = {}
    with aws_call("listing stacks"):
        pages = aws.client("cloudformation").get_paginator("describe_stacks").paginate()
        for page in pages:
            for stack in page["Stacks"]:
                name, status = stack["StackName"], stack["StackStatus"]
                if not name.startswith(prefix) or status == "DELETE_COMPLETE":
                    continue
                held = {t["Key"]: t["Value"] for t in stack.get("Tags") or []}
                if all(k in held and (not v or held[k] == v) for k, v in tags.items()):
                    found[name] = status
    return found
