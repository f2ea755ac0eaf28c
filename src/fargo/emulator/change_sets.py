"""The life of a change set and of a stack operation, as CloudFormation runs them.

moto raises a ValidationError for an update without changes where AWS ends the change set
FAILED ("didn't contain changes"); computes a change set's resource changes without its
parameters, so a new certificate ARN looked like "no changes"; starts a second stack for a
CREATE change set on a stack that is still REVIEW_IN_PROGRESS; executes a change set twice
and keeps the others of the stack (AWS deletes them once one is executed); and, when a
resource fails, raises out of the API call instead of rolling back. Here:

- names: a second change set of the same name on a stack is AlreadyExistsException;
- "no changes": the same template and the same resolved parameters end FAILED with AWS's
  reason, never raise;
- an update's unsent parameters take the new template's defaults (moto keeps old values);
- the diff counts resources that refer to a changed parameter;
- execution: only an AVAILABLE change set runs (else InvalidChangeSetStatus), the stack's
  other change sets are deleted, and a failing resource rolls the stack back with a
  `*_FAILED` event naming it: ROLLBACK_COMPLETE after a first create (retained resources
  stay, as on AWS), UPDATE_ROLLBACK_COMPLETE after an update;
- deletion: a resource that cannot be deleted leaves the stack DELETE_FAILED with an event,
  instead of losing the stack; a deleted stack's change sets go with it.
"""

from __future__ import annotations

from typing import Any

NO_CHANGES = ("The submitted information didn't contain changes. Submit different "
              "information to create a change set.")


class ResourceFailed(Exception):
    """A resource's create, update or delete failed inside moto."""

    def __init__(self, logical_id: str, resource_type: str, reason: str) -> None:
        super().__init__(f"{logical_id}: {reason}")
        self.logical_id, self.resource_type, self.reason = logical_id, resource_type, reason


def _error(code: str, message: str) -> Exception:
    from moto.cloudformation.exceptions import CloudFormationError

    error = CloudFormationError(message)
    error.code = code
    return error


def install() -> None:
    from moto.cloudformation import models, parsing
    from moto.cloudformation.responses import CloudFormationResponse

    CloudFormationResponse._validate_different_update = lambda self, *args, **kwargs: None
    _named_resource_failures(parsing)
    _diff_with_parameters(models)
    _create(models)
    _execute(models)
    _delete(models)


def _named_resource_failures(parsing: Any) -> None:
    original_create = parsing.parse_and_create_resource

    def create(logical_id, resource_json, resources_map, account_id, region_name):
        try:
            return original_create(logical_id, resource_json, resources_map, account_id,
                                   region_name)
        except ResourceFailed:
            raise
        except Exception as error:
            raise ResourceFailed(logical_id, resource_json.get("Type", ""),
                                 _reason(error)) from error

    parsing.parse_and_create_resource = create

    original_delete = parsing.ResourceMap._delete_resource

    def delete(self, parsed_resource, resource_json):
        try:
            original_delete(self, parsed_resource, resource_json)
        except Exception as error:
            self.fargo_failure = ResourceFailed(
                getattr(parsed_resource, "logical_resource_id", "?"),
                resource_json.get("Type", ""), _reason(error))
            raise

    parsing.ResourceMap._delete_resource = delete


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error)
    return message.strip() or type(error).__name__


def _diff_with_parameters(models: Any) -> None:
    from moto.cloudformation.parsing import ResourceMap

    def build_resource_diff(self, other_template: dict, parameters: dict | None = None) -> dict:
        from fargo.emulator.updates import references

        old = self._resource_json_map
        new = other_template["Resources"]
        diff = {"Add": [n for n in new if n not in old],
                "Modify": [n for n in new if n in old and _normal(new[n]) != _normal(old[n])],
                "Remove": [n for n in old if n not in new]}
        if parameters:
            changed = {k for k, v in parameters.items()
                       if _text(self.input_parameters.get(k)) != _text(v)}
            diff["Modify"] += [n for n in new if n in old and n not in diff["Modify"]
                               and references(new[n]) & changed]
        return diff

    ResourceMap.build_resource_diff = build_resource_diff

    def diff(self) -> list:
        resource_map = self.stack.resource_map
        template = self.template_dict
        actions = resource_map.build_resource_diff(template, self.parameters or None)
        old = resource_map._resource_json_map
        changes = []
        for action, names in actions.items():
            for name in names:
                source = old if action == "Remove" else template["Resources"]
                changes.append(models.Change(action, name, source[name]["Type"]))
        return changes

    models.ChangeSet.diff = diff


def _normal(resource: dict) -> dict:
    """moto adds an empty Properties to the resources it creates: compare without it."""
    return {**resource, "Properties": resource.get("Properties") or {}}


def _create(models: Any) -> None:
    backend_class = models.CloudFormationBackend
    original = backend_class.create_change_set

    def create_change_set(self, stack_name, change_set_name, template, parameters,
                          description, change_set_type, notification_arns=None, tags=None,
                          role_arn=None):
        from fargo.emulator.strict_cloudformation import live_stack

        stack = live_stack(self, stack_name)
        if stack is not None:
            for change_set in self.change_sets.values():
                if (change_set.stack_id == stack.stack_id
                        and change_set.change_set_name == change_set_name):
                    raise _error("AlreadyExistsException",
                                 f"ChangeSet {change_set_name} already exists")
        holder = stack if stack is not None and stack.status == "REVIEW_IN_PROGRESS" else None
        if holder is not None:
            # AWS reuses the stack that holds a change set under review.
            del self.stacks[holder.stack_id]
            real_generate = models.generate_stack_id
            models.generate_stack_id = lambda *args, **kwargs: holder.stack_id
        try:
            change_set_id, stack_id = original(
                self, stack_name, change_set_name, template, parameters, description,
                change_set_type, notification_arns, tags, role_arn)
        finally:
            if holder is not None:
                models.generate_stack_id = real_generate
        if holder is not None:
            fresh = self.stacks[stack_id]
            fresh.events = holder.events + fresh.events[1:]
            for change_set in self.change_sets.values():
                if change_set.stack_id == stack_id:
                    change_set.stack = fresh
        change_set = self.change_sets[change_set_id]
        if change_set_type == "UPDATE" and isinstance(change_set.parameters, dict):
            _default_unsent(change_set)
            change_set.changes = change_set.diff()
        unchanged = change_set_type == "UPDATE" and _same(change_set.stack, change_set)
        change_set.status = "FAILED" if unchanged else "CREATE_COMPLETE"
        change_set.execution_status = "UNAVAILABLE" if unchanged else "AVAILABLE"
        change_set.status_reason = NO_CHANGES if unchanged else None
        return change_set_id, stack_id

    backend_class.create_change_set = create_change_set


def _default_unsent(change_set: Any) -> None:
    """AWS gives a declared parameter that an update does not send its default in the new
    template (only an explicit UsePreviousValue keeps the old value); moto keeps the old
    value, so a default that changed (a new image as ImageUri's default) changed nothing."""
    declared = change_set.template_dict.get("Parameters") or {}
    for key, slot in declared.items():
        if key not in change_set.parameters and "Default" in slot:
            change_set.parameters[key] = _text(slot["Default"])


def _same(stack: Any, change_set: Any) -> bool:
    """The same template and the same resolved parameter values as the stack has now."""
    stack._parse_template()
    if stack.template_dict != change_set.template_dict:
        return False
    declared = change_set.template_dict.get("Parameters") or {}
    current = {k: _text(v) for k, v in stack.stack_parameters.items()}
    wanted = {k: _text(slot.get("Default")) for k, slot in declared.items()}
    wanted.update({k: _text(v) for k, v in (change_set.parameters or {}).items()})
    return current == wanted


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return "" if value is None else str(value)


def _execute(models: Any) -> None:
    backend_class = models.CloudFormationBackend

    def execute_change_set(self, change_set_name, stack_name=None):
        change_set = _find_change_set(self, change_set_name, stack_name)
        if change_set.execution_status != "AVAILABLE":
            raise _error(
                "InvalidChangeSetStatus",
                f"ChangeSet [{change_set.change_set_id}] cannot be executed in its current "
                f"execution status of [{change_set.execution_status}]")
        stack = self.stacks[change_set.stack_id]
        creating = change_set.change_set_type == "CREATE"
        verb = "CREATE" if creating else "UPDATE"
        previous = (stack.template, dict(stack.resource_map.input_parameters))
        stack._add_stack_event(f"{verb}_IN_PROGRESS", resource_status_reason="User Initiated")
        change_set.execution_status = "EXECUTE_IN_PROGRESS"
        try:
            change_set.apply()
        except Exception as error:
            _roll_back(stack, change_set, error, creating, previous)
        else:
            stack._add_stack_event(f"{verb}_COMPLETE")
            stack.status = f"{verb}_COMPLETE"
            stack.template = change_set.template
        change_set.execution_status = "EXECUTE_COMPLETE"
        for other_id in [k for k, c in self.change_sets.items()
                         if c.stack_id == stack.stack_id and c is not change_set]:
            del self.change_sets[other_id]

    backend_class.execute_change_set = execute_change_set


def _find_change_set(backend: Any, name: str, stack_name: str | None) -> Any:
    if name in backend.change_sets:
        return backend.change_sets[name]
    for change_set in backend.change_sets.values():
        if change_set.change_set_name == name and stack_name in (
                change_set.stack_name, change_set.stack_id, None):
            return change_set
    raise _error("ChangeSetNotFound", f"ChangeSet [{name}] does not exist")


def _roll_back(stack: Any, change_set: Any, error: Exception, creating: bool,
               previous: tuple) -> None:
    failure = error if isinstance(error, ResourceFailed) else ResourceFailed(
        "", "", _reason(error))
    _resource_event(stack, failure.logical_id, failure.resource_type,
                    "CREATE_FAILED" if creating else "UPDATE_FAILED", failure.reason)
    if creating:
        stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=(
            f"The following resource(s) failed to create: [{failure.logical_id}]. "
            "Rollback requested by user."))
        try:
            stack.resource_map.delete()  # Retain-policy resources stay, as on AWS
        except Exception:  # noqa: BLE001  a rollback that fails leaves what it could not delete
            stack._add_stack_event("ROLLBACK_FAILED")
            stack.status = "ROLLBACK_FAILED"
            return
        stack._add_stack_event("ROLLBACK_COMPLETE")
        stack.status = "ROLLBACK_COMPLETE"
        _forget_resources(stack)
        return
    stack._add_stack_event("UPDATE_ROLLBACK_IN_PROGRESS", resource_status_reason=(
        f"The following resource(s) failed to update: [{failure.logical_id}]."))
    template, parameters = previous
    try:
        stack.resource_map.update(stack.parse_template(template), parameters)
    except Exception:  # noqa: BLE001
        stack._add_stack_event("UPDATE_ROLLBACK_FAILED")
        stack.status = "UPDATE_ROLLBACK_FAILED"
        return
    stack.template = template
    stack._parse_template()
    stack.output_map = stack._create_output_map()
    stack._add_stack_event("UPDATE_ROLLBACK_COMPLETE")
    stack.status = "UPDATE_ROLLBACK_COMPLETE"


class _NoOutputs(dict):
    exports: list = []


def _forget_resources(stack: Any) -> None:
    """A rolled-back create holds no resources and shows no outputs (moto would otherwise
    create the resources lazily again when asked for them)."""
    resource_map = stack.resource_map
    for name in list(resource_map._resource_json_map):
        resource_map._parsed_resources.pop(name, None)
    resource_map._resource_json_map = {}
    stack.output_map = _NoOutputs()


def _resource_event(stack: Any, logical_id: str, resource_type: str, status: str,
                    reason: str) -> None:
    from moto.cloudformation.models import Event

    stack.events.append(Event(
        stack_id=stack.stack_id, stack_name=stack.name, logical_resource_id=logical_id,
        physical_resource_id="", resource_type=resource_type, resource_status=status,
        resource_status_reason=reason, resource_properties=None,
    ))


def _delete(models: Any) -> None:
    backend_class = models.CloudFormationBackend
    original = backend_class.delete_stack

    def delete_stack(self, name_or_stack_id: str) -> None:
        stack = next((s for s in self.stacks.values()
                      if name_or_stack_id in (s.name, s.stack_id)), None)
        if stack is None:
            return original(self, name_or_stack_id)
        try:
            original(self, stack.stack_id)
        except Exception as error:
            failure = getattr(stack.resource_map, "fargo_failure", None) or ResourceFailed(
                "", "", _reason(error))
            self.deleted_stacks.pop(stack.stack_id, None)
            self.stacks[stack.stack_id] = stack
            _resource_event(stack, failure.logical_id, failure.resource_type, "DELETE_FAILED",
                            failure.reason)
            stack._add_stack_event("DELETE_FAILED", resource_status_reason=(
                f"The following resource(s) failed to delete: [{failure.logical_id}]. "))
            stack.status = "DELETE_FAILED"
        for change_set_id in [k for k, c in self.change_sets.items()
                              if c.stack_id == stack.stack_id]:
            del self.change_sets[change_set_id]

    backend_class.delete_stack = delete_stack
