"""Rules that span settings: each returns every problem it finds, so all are said at once.

`problems` block (exit 2); `advisories` are valid but worth a warning (a quota that can be
raised, a policy name AWS may have added since, a weaker choice for untrusted code).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fargo.config.problems import Problem
from fargo.config.rules import advisories as _advisories
from fargo.config.rules import capacity, identity, network, untrusted

if TYPE_CHECKING:
    from fargo.config.settings import Settings


def problems(settings: Settings) -> list[Problem]:
    return (identity.problems(settings) + capacity.problems(settings)
            + network.problems(settings) + network.ipv6_problems(settings)
            + untrusted.problems(settings))


def advisories(settings: Settings) -> list[Problem]:
    return _advisories.input_advisories(settings) + _advisories.security_advisories(settings)
