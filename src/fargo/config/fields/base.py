"""What every group of settings shares: no unknown keys, and raw values checked first."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from fargo.config.checks import raw_values

# Text settings whose values may hold these control characters (a container variable may be
# a multi-line value); every other text refuses them all.
CONTROL_CHARACTERS_ALLOWED = {"container_environment": "\n\t"}


class FieldGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)

    @field_validator("*", mode="before")
    @classmethod
    def _raw_value_fits_its_type(cls, value: Any, info: ValidationInfo) -> Any:
        """Before pydantic coerces: no true as a number, no 80.5 as a port, no control
        characters in any text."""
        allowed = CONTROL_CHARACTERS_ALLOWED.get(info.field_name, "")
        return raw_values.checked(cls.model_fields[info.field_name].annotation, value, allowed)
