"""Resource tags as every service fargo tags accepts them.

AWS's common rules: at most 50 tags per resource, keys of 1-128 and values of 0-256 Unicode
characters, made of letters, digits, spaces and `_ . : / = + - @`; `aws:` (in any case) is
reserved for AWS. fargo adds its own tags to every resource (FARGO_TAG_KEYS, through the
template and the stack) and keeps the `fargo:` prefix for itself. IAM roles are tagged too, and
IAM treats keys that differ only in case as duplicates.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from fargo.config.checks.text import shown

MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
# Tags fargo puts on every resource: Name and Environment in the template, and the stack's
# tags (Environment, fargo:service), which CloudFormation propagates to each resource.
FARGO_TAG_KEYS = ("Name", "Environment", "fargo:service")
_RESERVED_PREFIXES = ("aws:", "fargo:")
_PUNCTUATION = "_.:/=+-@"


def tags_problem(tags: Mapping[str, str]) -> str | None:
    """Why AWS (or fargo's own tagging) would refuse these tags, or None."""
    for key, value in tags.items():
        problem = _key_problem(key) or _value_problem(key, value)
        if problem:
            return problem
    lowered: dict[str, str] = {}
    for key in (*FARGO_TAG_KEYS, *tags):
        other = lowered.setdefault(key.lower(), key)
        if other != key:
            return (f"keys {shown(other)} and {shown(key)} differ only in case, which IAM "
                    "counts as one key: keep one spelling")
    total = len(set(FARGO_TAG_KEYS) | set(tags))
    if total > MAX_TAGS:
        return (f"{len(tags)} tags plus the ones fargo adds ({', '.join(FARGO_TAG_KEYS)}) make "
                f"{total}: AWS allows {MAX_TAGS} per resource")
    return None


def _key_problem(key: str) -> str | None:
    if not key:
        return "has an empty key: every tag needs a key"
    if len(key) > MAX_KEY_LENGTH:
        return f"key {shown(key)} is {len(key)} characters long: AWS takes at most {MAX_KEY_LENGTH}"
    if key.lower().startswith(_RESERVED_PREFIXES):
        return (f"key {shown(key)} starts with aws: or fargo:, prefixes reserved for AWS and "
                "fargo: choose another key")
    bad = _bad_character(key)
    if bad:
        return f"key {shown(key)} holds {shown(bad)}: {_ALLOWED}"
    return None


def _value_problem(key: str, value: str) -> str | None:
    if not isinstance(value, str):
        return None  # the model reports the type
    if len(value) > MAX_VALUE_LENGTH:
        return (f"value of {shown(key)} is {len(value)} characters long: AWS takes at most "
                f"{MAX_VALUE_LENGTH}")
    if value.lower().startswith("aws:"):
        return f"value of {shown(key)} starts with aws:, which AWS reserves: choose another value"
    bad = _bad_character(value)
    if bad:
        return f"value of {shown(key)} holds {shown(bad)}: {_ALLOWED}"
    return None


_ALLOWED = "tags take letters, digits, spaces and _ . : / = + - @"


def _bad_character(text: str) -> str | None:
    for char in text:
        category = unicodedata.category(char)
        if category[0] not in "LN" and category != "Zs" and char not in _PUNCTUATION:
            return char
    return None
