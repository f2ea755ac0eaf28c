"""What the service's alarms watch and whom they tell (template/alarms.py).

Five CloudWatch alarms go to the service's SNS topic: the targets' 5xx rate, unhealthy tasks,
p99 response time, CPU and memory. Only the first two (errors) are deployment alarms, which
roll a deployment back: a bad image rolls back on errors, a busy good one does not. CPU and
memory thresholds sit above the scaling targets (70 % and 80 %), so they say that scaling has
reached max_count or cannot keep up, not that it is working.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from fargo.config.fields.base import FieldGroup

# What SNS accepts as an email endpoint, without pretending to check deliverability.
EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z")
MAX_EMAIL = 254


class AlarmFields(FieldGroup):
    alarm_email: str | None = Field(None, description="Send the alarms to this address (SNS asks it to confirm once)")
    alarm_5xx_percent: float = Field(5.0, gt=0, le=100, description="Alarm (and roll a deployment back) when this % of requests get a 5xx from the tasks")
    alarm_p99_seconds: float = Field(2.0, gt=0, le=3600, description="Alarm when the tasks' p99 response time exceeds this many seconds")
    alarm_cpu_percent: float = Field(90.0, gt=0, le=100, description="Alarm when average CPU stays above this % for 5 minutes")
    alarm_memory_percent: float = Field(90.0, gt=0, le=100, description="Alarm when average memory stays above this % for 5 minutes")

    @field_validator("alarm_email")
    @classmethod
    def _email_is_an_address(cls, value: str | None) -> str | None:
        if value is not None and (len(value) > MAX_EMAIL or not EMAIL.match(value)):
            raise ValueError("not an email address: use e.g. ops@example.com")
        return value
