"""The settings a stack was deployed with, as the record the stack keeps, and what differs.

Every service stack holds its effective settings in an SSM parameter (template/settings_record,
named by `fargo.contract.settings_record_name`), rewritten by each deploy that changes them,
so `plan` can say what a deploy would change in words of the settings ("image: a -> b")
before CloudFormation's resource view, and nobody reverts a teammate's image unseen.

No secret values: `secrets` hold only where ECS reads them (ARNs and parameter names), and a
`container_environment` value that looks like a credential (by its name, as the advisory
judges, or by its form: an AWS key, a private key, a token, a URL with a password) is replaced
by MASK. A masked value cannot be compared: a change to it shows only in the resource view.

The value is a small JSON envelope: the settings that a parameter-only update changes (image,
min_count, max_count, see `LIVE_SETTINGS`) as CloudFormation substitutes them from the stack's
parameters, and every other setting as zlib-compressed, base64 JSON. Compressed, the record of
any realistic fargo.toml fits SSM's 4 KB standard tier (free); the parameter's tier is
Intelligent-Tiering, so a larger one becomes an advanced parameter (8 KB, US$0.05 a month)
instead of failing the deploy, and beyond 8 KB the longest values are kept as digests.
Pure: no AWS, no troposphere; the engine reads the parameter, `decode` and `diff` do the rest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from dataclasses import dataclass
from typing import Any

from fargo import __version__
from fargo.config.checks.secrets import looks_secret
from fargo.config.checks.text import shown

RECORD_FORMAT = 1
LIVE_SETTINGS = ("image", "min_count", "max_count")  # filled from the stack's parameters
MASK = "(masked)"
NOT_RECORDED = "(not recorded)"
STANDARD_TIER_LIMIT = 4096  # SSM: characters of a standard parameter's value
ADVANCED_TIER_LIMIT = 8192
DIGEST_PREFIX = "sha256:"
_SECRET_VALUE = re.compile(
    r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}"  # AWS access key IDs
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|://[^/\s:@]+:[^/\s@]+@"  # a URL with user:password@
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\."  # a JWT
    r"|\b(?:gh[pousr]_|github_pat_|xox[abpors]-|sk_live_|sk-)[A-Za-z0-9_-]{16,}"
)


def value_looks_secret(value: str) -> bool:
    """A value in a credential's form, whatever its variable is called."""
    return bool(_SECRET_VALUE.search(value))


def record_of(settings: Any) -> dict[str, Any]:
    """Every setting (the model's fields, defaults included) as JSON values, secrets masked."""
    record = settings.model_dump(mode="json")
    environment = record.get("container_environment") or {}
    record["container_environment"] = {
        name: MASK if looks_secret(name) or value_looks_secret(value) else value
        for name, value in environment.items()
    }
    return record


def envelope(record: dict[str, Any], live: dict[str, str], limit: int = ADVANCED_TIER_LIMIT,
             live_room: int = 0) -> str:
    """The parameter's value: `live` holds the text CloudFormation substitutes for each of
    LIVE_SETTINGS (e.g. "${ImageUri}"); `live_room` is how much longer the substituted values
    may be than that text, so the value fits `limit` once substituted."""
    stored = {k: v for k, v in record.items() if k not in LIVE_SETTINGS}
    for key in _longest_first(stored):
        text = _envelope_text(stored, live)
        if len(text) + live_room <= limit:
            return text
        stored[key] = _digest(stored[key])
    return _envelope_text(stored, live)


def decode(value: str) -> dict[str, Any]:
    """The record of a parameter's value; ValueError when it is not one fargo wrote."""
    try:
        data = json.loads(value)
        if data.get("format") != RECORD_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {RECORD_FORMAT}")
        record = json.loads(zlib.decompress(base64.b64decode(data["settings"], validate=True)))
        for name, text in data.get("live", {}).items():
            record[name] = int(text) if name != "image" and text.isdigit() else text
    except (ValueError, KeyError, TypeError, AttributeError, zlib.error) as exc:
        raise ValueError(f"not a fargo settings record: {exc}") from None
    return record


def fargo_version(value: str) -> str | None:
    """The fargo version that wrote a record, or None."""
    try:
        return json.loads(value).get("fargo")
    except (ValueError, AttributeError):
        return None


@dataclass(frozen=True)
class SettingChange:
    """One setting (or one key of a table setting) that differs between two records."""

    setting: str  # the setting's name, e.g. "image" or "container_environment"
    key: str | None  # inside a table setting, e.g. "MODE"; None for the whole setting
    before: Any  # NOT_RECORDED when the deployed record lacks it
    after: Any  # NOT_RECORDED when the new settings lack it

    @property
    def name(self) -> str:
        return self.setting if self.key is None else f"{self.setting}[{shown(self.key)}]"

    def __str__(self) -> str:
        return f"{self.name}: {_text(self.before)} -> {_text(self.after)}"


def diff(deployed: dict[str, Any], proposed: dict[str, Any]) -> list[SettingChange]:
    """What differs, in the new settings' order (then any the new ones lack); tables by key.
    Masked values are not compared; a value kept as a digest is compared by its digest."""
    changes = []
    for setting in list(proposed) + [k for k in deployed if k not in proposed]:
        before = deployed.get(setting, NOT_RECORDED)
        after = proposed.get(setting, NOT_RECORDED)
        if isinstance(before, dict) and isinstance(after, dict):
            for key in list(after) + [k for k in before if k not in after]:
                old, new = before.get(key, NOT_RECORDED), after.get(key, NOT_RECORDED)
                if old != new and MASK not in (old, new):
                    changes.append(SettingChange(setting, key, old, new))
        elif not _same(before, after):
            changes.append(SettingChange(setting, None, before, after))
    return changes


def _envelope_text(stored: dict[str, Any], live: dict[str, str]) -> str:
    blob = zlib.compress(json.dumps(stored, separators=(",", ":"), sort_keys=True).encode(), 9)
    return json.dumps({"format": RECORD_FORMAT, "fargo": __version__, "live": live,
                       "settings": base64.b64encode(blob).decode()}, separators=(",", ":"))


def _longest_first(stored: dict[str, Any]) -> list[str]:
    return sorted(stored, key=lambda k: -len(json.dumps(stored[k])))


def _digest(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    return DIGEST_PREFIX + hashlib.sha256(text.encode()).hexdigest()


def _is_digest(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(DIGEST_PREFIX) and len(value) == 71


def _same(before: Any, after: Any) -> bool:
    if _is_digest(before) != _is_digest(after) and NOT_RECORDED not in (before, after):
        return (before if _is_digest(before) else _digest(before)) == (
            after if _is_digest(after) else _digest(after))
    return before == after


def _text(value: Any) -> str:
    if value == NOT_RECORDED or value == MASK:
        return value
    if isinstance(value, str):
        return shown(value)
    return json.dumps(value, separators=(", ", ": "))
