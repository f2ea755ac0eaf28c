"""Problems as values: which setting, what is wrong, what to do. Rules return them; the
sources layer turns them into lines naming where each setting came from."""

from __future__ import annotations

from typing import Any, NamedTuple

from fargo.config.checks.text import shown


class Problem(NamedTuple):
    """One invalid (or questionable) setting: which one, what is wrong, and what to do."""

    setting: str
    text: str
    fix: str
    related: tuple[str, ...] = ()


class SettingsProblems(Exception):
    """Raised (not a ValueError, so pydantic lets it through) with every cross-setting problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text for p in problems))


def refuse(problem: str | None, value: Any) -> Any:
    """A field validator's end: raise the problem (pydantic reports it) or pass the value."""
    if problem:
        raise ValueError(problem)
    return value


def listed_twice(keys: list[str], shown_as: list[str] | None = None) -> str | None:
    """"X is listed twice" for the first repeated key (AWS refuses duplicate rules)."""
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            value = (shown_as or keys)[index]
            return f"{shown(value)} is listed twice (or once more in another form): keep one"
        seen.add(key)
    return None
