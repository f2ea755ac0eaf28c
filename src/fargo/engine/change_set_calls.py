"""CloudFormation's change-set calls: create one (or take over the one a lost answer
created), wait until it is computed, read its changes with property values, execute it,
delete it. No rendering, no UI."""

from __future__ import annotations

import time
from dataclasses import dataclass

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, aws_failures, error_code, error_message
from fargo.engine.plan_diff import PropertyChange, property_changes, replacement_reason
from fargo.errors import AwsError

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
# Both ways CloudFormation says an update changes nothing: a FAILED change set, or (from
# some endpoints) a ValidationError from CreateChangeSet itself.
NO_CHANGE_MARKERS = ("didn't contain changes", "No updates are to be performed")
CHANGE_SET_GONE = ("ChangeSetNotFound", "ChangeSetNotFoundException")


@dataclass(frozen=True)
class PlannedChange:
    logical_id: str
    resource_type: str
    action: str  # add, modify, remove, replace
    reason: str = ""
    # before -> after per property, where the endpoint gives values (engine/plan_diff)
    properties: tuple[PropertyChange, ...] = ()


@dataclass
class ChangeSet:
    stack_name: str
    name: str
    change_set_id: str
    creates_stack: bool
    changes: list[PlannedChange]

    @property
    def empty(self) -> bool:
        return not self.changes


def create_change_set(
    aws: AwsContext, stack_name: str, template_body: str, parameters: dict[str, str],
    creates_stack: bool, tags: dict[str, str], poll_seconds: float = 2.0,
    timeout_seconds: float = 600,
) -> ChangeSet:
    """Create a change set and wait until CloudFormation has computed it.

    If anything fails or is interrupted once CreateChangeSet was sent, the change set is
    deleted again by its name (unique to this call): an update's stack would otherwise keep
    it, unknown to fargo. A retried CreateChangeSet whose first attempt went through is
    answered AlreadyExistsException: that change set is this call's own, and is used.
    """
    from fargo.engine.template_store import template_argument

    template = template_argument(aws, stack_name, template_body)
    name = change_set_name()
    try:
        change_set_id = _create(aws, stack_name, name, template, parameters, creates_stack, tags)
        if change_set_id is None:
            return ChangeSet(stack_name, name, "", creates_stack, [])
        return _computed(aws, ChangeSet(stack_name, name, change_set_id, creates_stack, []),
                         poll_seconds, timeout_seconds)
    except BaseException:
        _delete_named_quietly(aws, stack_name, name)
        raise


def _create(aws, stack_name, name, template, parameters, creates_stack, tags) -> str | None:
    """The new change set's ID; None when CloudFormation refused it as "no changes"."""
    from botocore.exceptions import ClientError

    cfn = aws.client("cloudformation")
    with aws_call(f"creating change set for {stack_name}"):
        try:
            return cfn.create_change_set(
                StackName=stack_name, ChangeSetName=name, **template,
                ChangeSetType="CREATE" if creates_stack else "UPDATE",
                Parameters=[{"ParameterKey": k, "ParameterValue": v}
                            for k, v in parameters.items()],
                Capabilities=CAPABILITIES,
                Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
                Description="fargo deploy",
            )["Id"]
        except ClientError as error:
            if any(m in error_message(error) for m in NO_CHANGE_MARKERS):
                return None
            own = (_existing_id(aws, stack_name, name)
                   if error_code(error) == "AlreadyExistsException" else None)
            if own is None:
                raise
            return own


def _existing_id(aws: AwsContext, stack_name: str, name: str) -> str | None:
    """The ID of the change set of that name, if the stack has one."""
    try:
        return aws.client("cloudformation").describe_change_set(
            ChangeSetName=name, StackName=stack_name)["ChangeSetId"]
    except aws_failures():
        return None


def _computed(aws: AwsContext, change_set: ChangeSet, poll_seconds: float,
              timeout_seconds: float) -> ChangeSet:
    """The change set once CloudFormation has computed it, with its changes."""
    cfn = aws.client("cloudformation")
    name, stack_name = change_set.name, change_set.stack_name
    deadline = time.monotonic() + timeout_seconds
    while True:
        with aws_call(f"reading change set {name}"):
            described = cfn.describe_change_set(ChangeSetName=change_set.change_set_id,
                                                StackName=stack_name, IncludePropertyValues=True)
        status = described["Status"]
        if status == "CREATE_COMPLETE":
            break
        if status == "FAILED":
            reason = described.get("StatusReason", "")
            if any(marker in reason for marker in NO_CHANGE_MARKERS):
                return change_set
            raise AwsError(f"error: change set for {stack_name} failed: {reason}")
        if time.monotonic() > deadline:
            raise AwsError(f"error: change set {name} was not ready after {timeout_seconds:.0f} s")
        time.sleep(poll_seconds)
    change_set.changes = _collect_changes(cfn, stack_name, change_set.change_set_id, described)
    return change_set


def _delete_named_quietly(aws: AwsContext, stack_name: str, name: str) -> None:
    """Best effort, on a path that is already failing: the first error is the one to show."""
    try:
        aws.client("cloudformation").delete_change_set(ChangeSetName=name, StackName=stack_name)
    except (Exception, KeyboardInterrupt):  # noqa: BLE001
        pass


def change_set_name() -> str:
    """Unique per call, not per second: two deploys started together must not collide."""
    import secrets

    return "fargo-" + time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)


def _collect_changes(cfn, stack_name, change_set_id, first_page) -> list[PlannedChange]:
    pages = [first_page]
    while pages[-1].get("NextToken"):
        with aws_call("reading change set"):
            pages.append(cfn.describe_change_set(
                ChangeSetName=change_set_id, StackName=stack_name, NextToken=pages[-1]["NextToken"],
                IncludePropertyValues=True,
            ))
    return [planned_change(c["ResourceChange"])
            for page in pages for c in page.get("Changes", []) if c.get("Type") == "Resource"]


def planned_change(resource_change: dict) -> PlannedChange:
    """One row of a plan; a replacement says which properties force it."""
    action = resource_change["Action"].lower()
    reason = ""
    replacement = resource_change.get("Replacement")
    if action == "modify" and replacement in ("True", "Conditional"):
        action = "replace"
        forcing = sorted({
            detail["Target"].get("Name") or detail["Target"].get("Attribute", "")
            for detail in resource_change.get("Details", [])
            if detail.get("Target", {}).get("RequiresRecreation") in ("Always", "Conditionally")
        } - {""})
        reason = ("changing " + ", ".join(forcing) if forcing else "a property change") + (
            " requires a new resource" if replacement == "True" else " may require a new resource"
        )
    elif action == "modify":
        names = sorted({d["Target"].get("Name", "") for d in resource_change.get("Details", [])
                        if d.get("Target", {}).get("Name")})
        reason = ", ".join(names)
    properties = property_changes(resource_change)
    if action == "replace":
        reason = replacement_reason(properties, replacement != "True") or reason
    return PlannedChange(resource_change["LogicalResourceId"], resource_change["ResourceType"],
                         action, reason, properties)


def delete_change_set(aws: AwsContext, change_set: ChangeSet) -> None:
    if not change_set.change_set_id:
        return  # CloudFormation refused it as "no changes": there is nothing to delete
    from botocore.exceptions import ClientError

    cfn = aws.client("cloudformation")
    with aws_call(f"deleting change set {change_set.name}"):
        try:
            cfn.delete_change_set(ChangeSetName=change_set.change_set_id,
                                  StackName=change_set.stack_name)
        except ClientError as error:
            if error_code(error) not in CHANGE_SET_GONE:
                raise  # gone already (a retried delete whose first attempt went through)


def execute_change_set(aws: AwsContext, change_set: ChangeSet) -> None:
    """Start the change set. A retried call whose first attempt went through is answered
    InvalidChangeSetStatus: the change set is then executing (or done), which is what was
    asked. A change set that another operation made obsolete (or deleted, as CloudFormation
    deletes a stack's other change sets once one runs) is reported as such."""
    from botocore.exceptions import ClientError

    refused = ""
    with aws_call(f"executing change set {change_set.name}"):
        try:
            aws.client("cloudformation").execute_change_set(
                ChangeSetName=change_set.change_set_id, StackName=change_set.stack_name)
            return
        except ClientError as error:
            if error_code(error) not in ("InvalidChangeSetStatus", *CHANGE_SET_GONE):
                raise
            refused = error_code(error)
    status = execution_status(aws, change_set)
    if status in ("EXECUTE_IN_PROGRESS", "EXECUTE_COMPLETE"):
        return
    raise AwsError(
        f"error: change set {change_set.name} of {change_set.stack_name} can no longer be "
        f"executed ({status or refused}): the stack changed since it was computed "
        "(another deploy ran at the same time?); nothing of this deploy was applied: run "
        "`fargo plan` and deploy again")


def execution_status(aws: AwsContext, change_set: ChangeSet) -> str:
    """EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, ... ("" when it cannot be read, or is gone)."""
    try:
        described = aws.client("cloudformation").describe_change_set(
            ChangeSetName=change_set.change_set_id, StackName=change_set.stack_name)
    except aws_failures():
        return ""
    return described.get("ExecutionStatus", "")
