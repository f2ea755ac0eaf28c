"""Write a commented fargo.toml: every setting, its meaning and its default."""

from __future__ import annotations

from typing import Any

from fargo.config.settings import Settings

_SECTIONS = {
    "name": "Identity and placement",
    "image": "Container",
    "desired_count": "Task count and scaling",
    "https": "Load balancer and health",
    "network": "Network",
    "user": "Untrusted code and edge protection",
    "alarm_email": "Alarms",
}
# Shown, commented out, for settings without a default value.
_EXAMPLES = {
    "region": "eu-west-1", "certificate_arn": "arn:aws:acm:REGION:ACCOUNT:certificate/ID",
    "health_check_path": "/health", "build": ".", "domain": "app.example.com",
    "hosted_zone": "example.com",
    # Untrusted code: derived defaults, shown as their isolated-profile value
    "user": "1000:1000", "drop_capabilities": ["ALL"], "ecs_exec": False, "dns_firewall": True,
    "flow_logs": True, "secrets_kms_key": "arn:aws:kms:REGION:ACCOUNT:key/ID",
    # Day two
    "capacity_base": 1, "alarm_email": "ops@example.com",
}
_EXAMPLE_SCHEDULES = """\
# Time-based scaling (times in the schedule's timezone), e.g. more tasks on weekday mornings:
# [[schedules]]
# schedule = "cron(0 8 ? * MON-FRI *)"
# min_count = 2
# max_count = 4
# timezone = "Europe/Berlin"
"""


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{_toml_string(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_string(text: str) -> str:
    """A TOML basic string. (JSON's escapes differ: it writes characters beyond the BMP as
    surrogate pairs, which TOML refuses.)"""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char in _SHORT_ESCAPES:
            escaped.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def render_config_file(chosen: dict[str, Any]) -> str:
    """The file `fargo init` writes: chosen values active, all others as commented defaults."""
    lines = [
        "# fargo.toml: settings of one fargo service.",
        "# Every setting can be overridden by an environment variable FARGO_<SETTING> or a flag",
        "# --<setting> (precedence: flag > environment > this file > default).",
        "",
    ]
    for field_name, field in Settings.model_fields.items():
        if field_name == "schedules":
            continue  # an array of tables must follow every plain key: written last
        if field_name in _SECTIONS:
            lines += ["", f"## {_SECTIONS[field_name]}", ""]
        lines.append(f"# {field.description}")
        if field_name in chosen:
            lines.append(f"{field_name} = {toml_value(chosen[field_name])}")
            continue
        default = field.get_default(call_default_factory=True)
        if default is None:
            example = _EXAMPLES.get(field_name, "")
            lines.append(f"# {field_name} = {toml_value(example)}")
        else:
            lines.append(f"# {field_name} = {toml_value(default)}")
    lines += ["", _schedules_block(chosen.get("schedules"))]
    return "\n".join(lines).rstrip() + "\n"


def _schedules_block(schedules: list[dict[str, Any]] | None) -> str:
    """The chosen schedules as TOML tables (after every plain key), or the commented example."""
    if not schedules:
        return _EXAMPLE_SCHEDULES
    lines = [f"# {Settings.model_fields['schedules'].description}"]
    for schedule in schedules:
        lines.append("[[schedules]]")
        lines += [f"{key} = {toml_value(value)}" for key, value in schedule.items()]
        lines.append("")
    return "\n".join(lines)
