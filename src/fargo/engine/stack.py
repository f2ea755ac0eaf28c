"""CloudFormation primitives of a stack: its state, events, resources, waiting for it, and
deleting it (change sets: fargo.engine.change_set_calls). No rendering, no UI."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code, error_message, translate
from fargo.errors import AwsError

SUCCESS = {"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"}


@dataclass(frozen=True)
class StackState:
    name: str
    stack_id: str
    status: str
    reason: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    parameters: dict[str, str] = field(default_factory=dict)

    @property
    def in_progress(self) -> bool:
        return self.status.endswith("_IN_PROGRESS") and self.status != "REVIEW_IN_PROGRESS"

    @property
    def has_resources(self) -> bool:
        """False for a stack that only holds a change set (REVIEW_IN_PROGRESS)."""
        return self.status != "REVIEW_IN_PROGRESS"


@dataclass(frozen=True)
class StackEvent:
    event_id: str
    timestamp: datetime
    logical_id: str
    resource_type: str
    status: str
    reason: str

    @property
    def failed(self) -> bool:
        return self.status.endswith("_FAILED")


def describe_stack(aws: AwsContext, name: str) -> StackState | None:
    """The stack's state, or None when there is no such stack."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        stacks = aws.client("cloudformation").describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if error_code(error) == "ValidationError" and "does not exist" in error_message(error):
            return None
        raise translate(error, f"reading stack {name}") from None
    except BotoCoreError as error:  # an unparsable answer goes on to name its call
        raise translate(error, f"reading stack {name}") from None
    if not stacks:
        return None
    stack = stacks[0]
    return StackState(
        name=stack["StackName"], stack_id=stack["StackId"], status=stack["StackStatus"],
        reason=stack.get("StackStatusReason", ""),
        outputs={o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs") or []},
        parameters={p["ParameterKey"]: p.get("ParameterValue", "")
                    for p in stack.get("Parameters") or []},
    )


def delete_stack(aws: AwsContext, stack: StackState) -> None:
    with aws_call(f"deleting stack {stack.name}"):
        aws.client("cloudformation").delete_stack(StackName=stack.stack_id)


def stack_events(aws: AwsContext, stack_id: str, marker: str | None) -> list[StackEvent]:
    """Events newer than the `marker` event (all when None), oldest first."""
    cfn = aws.client("cloudformation")
    found: list[StackEvent] = []
    token = None
    while True:
        with aws_call("reading stack events"):
            page = cfn.describe_stack_events(
                StackName=stack_id, **({"NextToken": token} if token else {}))
        for raw in page["StackEvents"]:  # newest first
            if raw["EventId"] == marker:
                return list(reversed(found))
            found.append(StackEvent(
                event_id=raw["EventId"], timestamp=raw["Timestamp"],
                logical_id=raw.get("LogicalResourceId", ""),
                resource_type=raw.get("ResourceType", ""),
                status=raw.get("ResourceStatus", ""),
                reason=raw.get("ResourceStatusReason", "") or "",
            ))
        token = page.get("NextToken")
        if not token:
            return list(reversed(found))


def first_failure(events: list[StackEvent]) -> StackEvent | None:
    """The root cause: the earliest failure that is not a knock-on cancellation."""
    for event in events:
        if event.failed and "cancelled" not in event.reason.lower():
            return event
    return next((e for e in events if e.failed), None)


def stack_resources(aws: AwsContext, stack_id: str) -> dict[str, dict]:
    """Logical ID -> {type, physical_id, status} of what the stack holds now."""
    with aws_call("listing stack resources"):
        pages = aws.client("cloudformation").get_paginator("list_stack_resources").paginate(
            StackName=stack_id)
        return {
            r["LogicalResourceId"]: {"type": r["ResourceType"],
                                     "physical_id": r.get("PhysicalResourceId", ""),
                                     "status": r["ResourceStatus"]}
            for page in pages for r in page["StackResourceSummaries"]
        }


Watcher = Callable[[StackState, list[StackEvent]], None]


def wait_for_stack(
    aws: AwsContext, stack_id: str, marker: str | None, on_progress: Watcher,
    poll_seconds: float, timeout_seconds: float,
) -> tuple[StackState | None, list[StackEvent]]:
    """Poll until the stack leaves *_IN_PROGRESS; report new events as they come.

    Returns the final state (None once deleted) and every event newer than `marker`.
    """
    seen: set[str] = set()
    history: list[StackEvent] = []
    deadline = time.monotonic() + timeout_seconds
    while True:
        state = describe_stack(aws, stack_id)
        events = [e for e in stack_events(aws, stack_id, marker) if e.event_id not in seen]
        seen.update(e.event_id for e in events)
        history.extend(events)
        if state is not None:
            on_progress(state, events)
        if state is None or state.status == "DELETE_COMPLETE" or not state.in_progress:
            return (None if state is None or state.status == "DELETE_COMPLETE" else state), history
        if time.monotonic() > deadline:
            raise StackTimeout(state, history)
        time.sleep(poll_seconds)


class StackTimeout(AwsError):
    def __init__(self, state: StackState, history: list[StackEvent]) -> None:
        self.state = state
        self.history = history
        super().__init__(
            f"error: stack {state.name} is still {state.status} after the timeout: the "
            "operation goes on in AWS; follow it with `fargo status`"
        )
