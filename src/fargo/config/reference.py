"""The settings table of the README, generated from the model so it cannot drift."""

from __future__ import annotations

from fargo.config.init_file import toml_value
from fargo.config.settings import Settings
from fargo.config.sources import env_var, flag_name

START = "<!-- settings-table:start -->"
END = "<!-- settings-table:end -->"


def settings_table() -> str:
    rows = ["| setting | default | environment / flag | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        shown = "(derived)" if default is None else toml_value(default)
        if name in ("region", "certificate_arn"):
            shown = "(required)" if name == "region" else "(required for HTTPS)"
        shown = shown.replace("|", "\\|")
        flag = flag_name(name)
        if field.annotation is bool:
            flag = f"{flag}/--no-{flag[2:]}"
        rows.append(f"| `{name}` | `{shown}` | `{env_var(name)}` `{flag}` "
                    f"| {field.description} |")
    return "\n".join(rows)


def replace_table(readme: str) -> str:
    head, _, rest = readme.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{settings_table()}\n{END}{tail}"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(replace_table(path.read_text()))
    print(f"updated the settings table in {path}")
