"""The target group's health check: a path an ALB accepts and the HTTP codes it may match.

An ALB takes a URI path with an optional query (`/path?query`), at most 1,024 characters:
RFC 3986's unreserved and reserved characters and %-escapes, no spaces, no fragment. Its
matcher takes codes 200-499, as a comma-separated list of codes and ranges (`200,202`,
`200-299`).
"""

from __future__ import annotations

import re

MAX_PATH_LENGTH = 1024
LOWEST_CODE, HIGHEST_CODE = 200, 499
_PATH = re.compile(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")
_MATCHER_ITEM = re.compile(r"(?P<low>[0-9]{3})(?:-(?P<high>[0-9]{3}))?")


def path_problem(path: str) -> str | None:
    """Why an ALB would refuse this health check path, or None."""
    if not path.startswith("/"):
        return "must start with /, e.g. /health"
    if len(path) > MAX_PATH_LENGTH:
        return f"is {len(path)} characters long: an ALB takes at most {MAX_PATH_LENGTH}"
    if not _PATH.fullmatch(path):
        bad = next((c for c in path if not _PATH.fullmatch("/" + c)), "%")
        what = "a space" if bad == " " else ("a bare %" if bad == "%" else repr(bad))
        return (f"holds {what}, which a URL path cannot: use letters, digits, - . _ ~ / and "
                "%-escapes (e.g. %20), plus ?query")
    return None


def matcher_problem(matcher: str) -> str | None:
    """Why an ALB would refuse these success codes, or None."""
    for item in matcher.split(","):
        match = _MATCHER_ITEM.fullmatch(item)
        if not match:
            return (f"{item!r} is not a code or a range: use e.g. 200, 200,202 or 200-299 "
                    "(no spaces)")
        low = int(match["low"])
        high = int(match["high"] or low)
        if not LOWEST_CODE <= low <= HIGHEST_CODE or not LOWEST_CODE <= high <= HIGHEST_CODE:
            return (f"{item!r} is outside {LOWEST_CODE}-{HIGHEST_CODE}, the codes an ALB "
                    "health check can match")
        if match["high"] and low >= high:
            return f"range {item!r} must go from a lower to a higher code, e.g. 200-299"
    return None
