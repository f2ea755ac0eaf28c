"""The shared `--json` helper: one object, command and schema first, plain JSON values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fargo.cli.json_output import SCHEMA, json_document, print_json
from fargo.results import DeployOutcome


@dataclass(frozen=True)
class Row:
    when: datetime
    outcome: DeployOutcome


def test_documents_start_with_command_and_schema_and_hold_plain_values(capsys):
    document = json_document("history", rows=[Row(datetime(2026, 1, 2, 3, tzinfo=UTC),
                                                  DeployOutcome.NO_CHANGES)],
                             path=Path("fargo.toml"), tags={"b", "a"})
    print_json(document)
    out = capsys.readouterr().out
    assert out.endswith("}\n")
    assert json.loads(out) == {
        "command": "history", "schema": SCHEMA,
        "rows": [{"when": "2026-01-02T03:00:00+00:00", "outcome": "no-changes"}],
        "path": "fargo.toml", "tags": ["a", "b"]}
    assert list(json.loads(out))[:2] == ["command", "schema"]
