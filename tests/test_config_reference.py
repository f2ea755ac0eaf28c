"""The README's settings table is generated from the model (`python -m fargo.config.reference
README.md`), so it cannot drift from the settings fargo really takes."""

from __future__ import annotations

from pathlib import Path

from fargo.config.reference import END, START, replace_table

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_settings_table_matches_the_settings_model():
    readme = README.read_text()
    assert START in readme and END in readme
    assert replace_table(readme) == readme, (
        "the README's settings table is out of date: run "
        "`python -m fargo.config.reference README.md`")
