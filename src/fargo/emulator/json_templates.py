"""A JSON template is read as JSON.

moto reads every template body with PyYAML's pure-Python loader first (JSON is YAML), and
only falls back to `json.loads` when that fails. fargo's templates are JSON of 20-50 KB, and
moto reads each several times per change set: profiled, YAML parsing was over 40% of an
emulated deploy, in the tests and under `--local` alike. Here a body that parses as a JSON
object is taken as parsed; anything else (YAML templates, short-form tags) goes to moto's
loader unchanged, so the result is the one moto would have produced.
"""

from __future__ import annotations

import json
import types
from typing import Any


def _json_first_yaml() -> types.ModuleType:
    """A stand-in for the `yaml` module in moto's CloudFormation modules whose `load` tries
    JSON first; every other name is PyYAML's own."""
    import yaml

    class JsonFirstYaml(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            return getattr(yaml, name)

        @staticmethod
        def load(stream: Any, Loader: Any = None) -> Any:  # noqa: N803 (PyYAML's name)
            if isinstance(stream, (str, bytes)) and stream.lstrip()[:1] in ("{", b"{"):
                try:
                    parsed = json.loads(stream)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict):
                    return parsed
            return yaml.load(stream, Loader=Loader)

    return JsonFirstYaml("yaml")


def install() -> None:
    from moto.cloudformation import models, responses

    stand_in = _json_first_yaml()
    models.yaml = stand_in
    responses.yaml = stand_in
