"""CloudFormation's validation of a CreateChangeSet request, which moto skips.

Each rule answers with the error code and message AWS documents or returns, so a test sees
what a user would: the parameters (undeclared keys, missing values, AllowedPattern,
AllowedValues, MinLength/MaxLength, Number with MinValue/MaxValue, hosted-zone IDs and SSM
parameters that do not exist), the template (at most 51,200 bytes inline and 1 MB from S3,
alphanumeric logical and output names, at least one resource), the stack tags (at most 50),
and the states in which a stack takes no change set. moto also creates a second stack for a CREATE
change set on a stack that is still REVIEW_IN_PROGRESS; AWS reuses it (see `change_sets`).
"""

from __future__ import annotations

import json
import re
from typing import Any

TEMPLATE_BODY_LIMIT = 51_200  # inline (TemplateBody)
TEMPLATE_URL_LIMIT = 1_048_576  # from S3 (TemplateURL)
STACK_TAG_LIMIT = 50
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+\Z")
# States in which CloudFormation refuses an UPDATE change set.
NOT_UPDATABLE = {
    "CREATE_IN_PROGRESS", "CREATE_FAILED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED",
    "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED", "DELETE_COMPLETE",
    "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_FAILED", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
    "REVIEW_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_ROLLBACK_IN_PROGRESS",
    "IMPORT_ROLLBACK_FAILED",
}


class Refused(Exception):
    """A request CloudFormation refuses: its error code and message."""

    def __init__(self, message: str, code: str = "ValidationError") -> None:
        super().__init__(message)
        self.code, self.message = code, message


def install() -> None:
    from moto.cloudformation.exceptions import CloudFormationError
    from moto.cloudformation.responses import CloudFormationResponse

    original = CloudFormationResponse.create_change_set

    def create_change_set_checked(self):
        body = self._get_param("TemplateBody")
        url = self._get_param("TemplateURL")
        try:
            if url and not body:
                body = self._get_stack_from_s3_url(url)
                if len(body.encode()) > TEMPLATE_URL_LIMIT:
                    raise Refused(f"Template may not exceed {TEMPLATE_URL_LIMIT} bytes in size.")
                body_checked = False
            else:
                body_checked = True
            check_create_change_set(
                backend=self.cloudformation_backend,
                stack_name=self._get_param("StackName"),
                change_set_type=self._get_param("ChangeSetType", "CREATE"),
                body=body, size_checked=not body_checked,
                parameters=self._get_param("Parameters", []),
                tags=self._get_param("Tags", []),
            )
        except Refused as refused:
            error = CloudFormationError(refused.message)
            error.code = refused.code
            raise error from None
        return original(self)

    CloudFormationResponse.create_change_set = create_change_set_checked


def check_create_change_set(backend: Any, stack_name: str, change_set_type: str,
                            body: str | None, parameters: list[dict], tags: list[dict],
                            size_checked: bool = False) -> None:
    if body is not None and not size_checked:
        check_template_size(body)
    if len(tags) > STACK_TAG_LIMIT:
        raise Refused(
            f"1 validation error detected: Value '{tags}' at 'tags' failed to satisfy "
            f"constraint: Member must have length less than or equal to {STACK_TAG_LIMIT}")
    stack = live_stack(backend, stack_name)
    check_stack_state(stack, stack_name, change_set_type)
    if body is None:
        return
    template = parse_template(body)
    check_names(template)
    previous = stack.stack_parameters if stack is not None else {}
    check_parameters(template.get("Parameters") or {}, parameters, previous, backend)


def check_template_size(body: str) -> None:
    size = len(body.encode())
    if size > TEMPLATE_BODY_LIMIT:
        raise Refused(
            "1 validation error detected: Value at 'templateBody' failed to satisfy "
            f"constraint: Member must have length less than or equal to {TEMPLATE_BODY_LIMIT}"
            f" (it has {size} bytes)")


def parse_template(body: str) -> dict:
    try:
        template = json.loads(body)
    except ValueError:
        import yaml

        try:
            template = yaml.safe_load(body)
        except yaml.YAMLError:
            raise Refused("Template format error: JSON not well-formed.") from None
    if not isinstance(template, dict):
        raise Refused("Template format error: unsupported structure.")
    return template


def check_names(template: dict) -> None:
    resources = template.get("Resources") or {}
    if not resources:
        raise Refused("Template format error: At least one Resources member must be defined.")
    for name in resources:
        if not _ALPHANUMERIC.match(name):
            raise Refused(f"Template format error: Resource name {name} is non alphanumeric.")
    for name in template.get("Outputs") or {}:
        if not _ALPHANUMERIC.match(name):
            raise Refused(f"Template format error: Outputs name '{name}' is non alphanumeric.")
    for name in template.get("Parameters") or {}:
        if not _ALPHANUMERIC.match(name):
            raise Refused(f"Template format error: Parameter name {name} is non alphanumeric.")


def live_stack(backend: Any, name: str) -> Any | None:
    """The stack of that name or ID that is not deleted, as AWS resolves StackName."""
    for stack in backend.stacks.values():
        if name in (stack.name, stack.stack_id) and stack.status != "DELETE_COMPLETE":
            return stack
    return None


def check_stack_state(stack: Any | None, name: str, change_set_type: str) -> None:
    if change_set_type == "CREATE":
        if stack is not None and stack.status != "REVIEW_IN_PROGRESS":
            raise Refused(f"Stack [{name}] already exists and cannot be created again with "
                          "the changeSet", "AlreadyExistsException")
        return
    if stack is None:
        raise Refused(f"Stack [{name}] does not exist")
    if stack.status in NOT_UPDATABLE:
        raise Refused(f"Stack:{stack.stack_id} is in {stack.status} state and can not be "
                      "updated.")


def check_parameters(declared: dict[str, dict], given: list[dict], previous: dict[str, Any],
                     backend: Any = None) -> dict[str, str]:
    """The parameter values CloudFormation would resolve, or Refused with its message."""
    if given and not declared:
        raise Refused("Parameter values specified for a template which does not require them.")
    undeclared = [p["ParameterKey"] for p in given if p["ParameterKey"] not in declared]
    if undeclared:
        raise Refused(f"Parameters: [{', '.join(undeclared)}] do not exist in the template")
    values: dict[str, str] = {}
    for parameter in given:
        key = parameter["ParameterKey"]
        if parameter.get("UsePreviousValue") in (True, "true"):
            if key not in previous:
                raise Refused(f"Invalid input for parameter key {key}. Cannot specify "
                              "usePreviousValue as true for a parameter key not in the "
                              "previous template")
            values[key] = _text(previous[key])
        elif "ParameterValue" in parameter:
            values[key] = str(parameter["ParameterValue"])
    for key, slot in declared.items():
        if key not in values and "Default" in slot:
            values[key] = _text(slot["Default"])
    missing = [key for key in declared if key not in values]
    if missing:
        raise Refused(f"Parameters: [{', '.join(missing)}] must have values")
    for key, slot in declared.items():
        check_value(key, slot, values[key], backend)
    return values


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def check_value(key: str, slot: dict, value: str, backend: Any = None) -> None:
    kind = slot.get("Type", "String")
    if kind == "Number":
        try:
            number = float(value)
        except ValueError:
            raise Refused(f"Parameter '{key}' must be a number.") from None
        if "MinValue" in slot and number < float(slot["MinValue"]):
            raise Refused(f"Parameter '{key}' must be a number not less than {slot['MinValue']}")
        if "MaxValue" in slot and number > float(slot["MaxValue"]):
            raise Refused(
                f"Parameter '{key}' must be a number not greater than {slot['MaxValue']}")
    if "AllowedValues" in slot and value not in [_text(v) for v in slot["AllowedValues"]]:
        raise Refused(f"Parameter '{key}' must be one of AllowedValues")
    if "AllowedPattern" in slot and not re.fullmatch(slot["AllowedPattern"], value):
        raise Refused(f"Parameter '{key}' must match pattern {slot['AllowedPattern']}")
    if "MinLength" in slot and len(value) < int(slot["MinLength"]):
        raise Refused(f"Parameter '{key}' must contain at least {slot['MinLength']} characters")
    if "MaxLength" in slot and len(value) > int(slot["MaxLength"]):
        raise Refused(f"Parameter '{key}' must contain at most {slot['MaxLength']} characters")
    if kind == "AWS::Route53::HostedZone::Id" and backend is not None:
        _check_hosted_zone(key, value, backend)
    if kind.startswith("AWS::SSM::Parameter::Value<") and backend is not None:
        _check_ssm_parameter(value, backend)


def _check_hosted_zone(key: str, value: str, backend: Any) -> None:
    from moto.route53.models import route53_backends
    from moto.utilities.utils import get_partition

    zones = route53_backends[backend.account_id][get_partition(backend.region_name)]
    if value not in zones.zones:
        raise Refused(f"Parameter value {value} for parameter name {key} does not exist.")


def _check_ssm_parameter(name: str, backend: Any) -> None:
    """A parameter of type AWS::SSM::Parameter::Value<...> names a parameter that must exist
    (a service stack reads its environment's this way: the environment must be deployed)."""
    from moto.ssm.models import ssm_backends

    if ssm_backends[backend.account_id][backend.region_name].get_parameter(name) is None:
        raise Refused(f"Unable to fetch parameters [{name}] from parameter store for this "
                      "account.")
