"""The ALB security policies fargo knows by name.

AWS adds policies from time to time, so a name of AWS's form that is not listed here is
only a warning (the deploy would tell); a name of another form is refused.
"""

from __future__ import annotations

import re

POLICY_FORM = re.compile(r"ELBSecurityPolicy-[A-Za-z0-9][A-Za-z0-9-]{0,100}")
_TLS13 = "ELBSecurityPolicy-TLS13-"
KNOWN_POLICIES = frozenset({
    "ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-2015-05",
    "ELBSecurityPolicy-TLS-1-0-2015-04", "ELBSecurityPolicy-TLS-1-1-2017-01",
    "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-2018-06", "ELBSecurityPolicy-FS-1-1-2019-08",
    "ELBSecurityPolicy-FS-1-2-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    *(_TLS13 + suffix for suffix in (
        "1-0-2021-06", "1-1-2021-06", "1-2-2021-06", "1-2-Res-2021-06", "1-2-Ext1-2021-06",
        "1-2-Ext2-2021-06", "1-3-2021-06",
        "1-0-FIPS-2023-04", "1-1-FIPS-2023-04", "1-2-FIPS-2023-04", "1-2-Res-FIPS-2023-04",
        "1-2-Ext0-FIPS-2023-04", "1-2-Ext1-FIPS-2023-04", "1-2-Ext2-FIPS-2023-04",
        "1-3-FIPS-2023-04",
        "1-0-PQ-2025-09", "1-1-PQ-2025-09", "1-2-PQ-2025-09", "1-2-Res-PQ-2025-09",
        "1-2-Ext1-PQ-2025-09", "1-2-Ext2-PQ-2025-09", "1-3-PQ-2025-09",
        "1-2-FIPS-PQ-2025-09", "1-2-Res-FIPS-PQ-2025-09", "1-2-Ext0-FIPS-PQ-2025-09",
        "1-2-Ext1-FIPS-PQ-2025-09", "1-2-Ext2-FIPS-PQ-2025-09", "1-3-FIPS-PQ-2025-09",
    )),
})


def is_policy_name(name: str) -> bool:
    """Of AWS's form: ELBSecurityPolicy- followed by letters, digits and dashes."""
    return POLICY_FORM.fullmatch(name) is not None
