"""Schedule expressions as Application Auto Scaling accepts them, field by field.

- `at(yyyy-mm-ddThh:mm:ss)`: one moment (a real date and time);
- `rate(N unit)`: N a positive integer, unit minute(s), hour(s) or day(s) (singular for 1);
- `cron(minutes hours day-of-month month day-of-week year)`, each field per AWS's table:

  minutes 0-59 `, - * /`; hours 0-23 `, - * /`; day-of-month 1-31 `, - * ? / L W`;
  month 1-12 or JAN-DEC `, - * /`; day-of-week 1-7 or SUN-SAT `, - * ? L #`;
  year 1970-2199 `, - * /`; exactly one of day-of-month and day-of-week is `?`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

MAX_SCHEDULES = 200  # scheduled actions per scalable target
MAX_EXPRESSION_LENGTH = 1600
_AT = re.compile(r"at\((?P<moment>[^()]*)\)")
_RATE = re.compile(r"rate\((?P<body>[^()]*)\)")
_CRON = re.compile(r"cron\((?P<body>[^()]*)\)")
_RATE_BODY = re.compile(r"(?P<value>[0-9]+) (?P<unit>minute|minutes|hour|hours|day|days)")
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


class CronField(NamedTuple):
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    step: bool = True  # `/` allowed
    any: bool = False  # `?` allowed


_FIELDS = (
    CronField("minutes", 0, 59),
    CronField("hours", 0, 23),
    CronField("day-of-month", 1, 31, any=True),
    CronField("month", 1, 12, _MONTHS),
    CronField("day-of-week", 1, 7, _DAYS, step=False, any=True),
    CronField("year", 1970, 2199),
)


def schedule_problem(expression: str) -> str | None:
    """Why Application Auto Scaling would reject this schedule, or None."""
    if len(expression) > MAX_EXPRESSION_LENGTH:
        return f"is longer than {MAX_EXPRESSION_LENGTH} characters"
    if match := _AT.fullmatch(expression):
        return _at_problem(match["moment"])
    if match := _RATE.fullmatch(expression):
        return _rate_problem(match["body"])
    if match := _CRON.fullmatch(expression):
        return _cron_problem(match["body"])
    return "is not cron(...), rate(N unit) or at(yyyy-mm-ddThh:mm:ss)"


def _at_problem(moment: str) -> str | None:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", moment):
            raise ValueError
        datetime.strptime(moment, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return "at(...) needs a real date and time as yyyy-mm-ddThh:mm:ss"
    return None


def _rate_problem(body: str) -> str | None:
    match = _RATE_BODY.fullmatch(body)
    if not match:
        return "rate(...) needs a positive whole number and minute(s), hour(s) or day(s)"
    value, unit = int(match["value"]), match["unit"]
    if value < 1:
        return "rate(...) needs a value of at least 1"
    if (value == 1) == unit.endswith("s"):
        return f"rate({value} ...) takes the unit {'without' if value == 1 else 'with'} an s"
    return None


def _cron_problem(body: str) -> str | None:
    fields = body.split()
    if len(fields) != len(_FIELDS):
        return (f"cron(...) has {len(fields)} fields; it needs 6: "
                "minutes hours day-of-month month day-of-week year")
    for spec, text in zip(_FIELDS, fields, strict=True):
        problem = _field_problem(spec, text)
        if problem:
            return f"cron(...) {spec.name} field {text!r}: {problem}"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return "cron(...) needs ? in exactly one of day-of-month and day-of-week"
    return None


def _field_problem(spec: CronField, text: str) -> str | None:
    if text == "?":
        return None if spec.any else "? is allowed only in day-of-month and day-of-week"
    if text == "*":
        return None
    for item in text.split(","):
        problem = _item_problem(spec, item)
        if problem:
            return problem
    return None


def _item_problem(spec: CronField, item: str) -> str | None:
    if spec.name == "day-of-month" and (special := _day_of_month_special(item)) is not None:
        return special or None
    if spec.name == "day-of-week" and (special := _day_of_week_special(item)) is not None:
        return special or None
    base, slash, step = item.partition("/")
    if slash:
        if not spec.step:
            return "/ is not allowed in this field"
        if not step.isdigit() or int(step) < 1:
            return f"step {step!r} must be a whole number of at least 1"
    if base == "*":
        return None if slash else "* cannot be part of a list"
    low, dash, high = base.partition("-")
    for part in (low, high) if dash else (low,):
        problem = _value_problem(spec, part)
        if problem:
            return problem
    return None


def _value_problem(spec: CronField, text: str) -> str | None:
    value = _value(spec, text)
    if value is None:
        allowed = f"{spec.low}-{spec.high}"
        if spec.names:
            allowed += f" or {spec.names[0]}-{spec.names[-1]}"
        return f"{text!r} is not a value of {allowed}"
    return None


def _value(spec: CronField, text: str) -> int | None:
    if text.upper() in spec.names:
        return spec.names.index(text.upper()) + spec.low
    if text.isdigit() and text.isascii() and spec.low <= int(text) <= spec.high:
        return int(text)
    return None


def _day_of_month_special(item: str) -> str | None:
    """"" for a valid L/W form, a problem for a broken one, None when it is no such form."""
    if item in ("L", "LW"):
        return ""
    if item.endswith("W"):
        day = item[:-1]
        return "" if day.isdigit() and 1 <= int(day) <= 31 else "W needs a day 1-31, e.g. 15W"
    if "L" in item or "W" in item:
        return "L and W stand alone (L, LW) or follow a day (15W)"
    return None


def _day_of_week_special(item: str) -> str | None:
    """"" for a valid L/# form, a problem for a broken one, None when it is no such form."""
    spec = _FIELDS[4]
    if item == "L":
        return ""
    if item.endswith("L"):
        return "" if _value(spec, item[:-1]) is not None else "L needs a day 1-7, e.g. 6L"
    if "#" in item:
        day, _, nth = item.partition("#")
        if _value(spec, day) is None or not (nth.isdigit() and 1 <= int(nth) <= 5):
            return "# needs a day and a week 1-5, e.g. MON#2"
        return ""
    return None
