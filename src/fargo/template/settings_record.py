"""The settings record: an SSM parameter holding the settings the stack was deployed with.

Template Metadata cannot be read back per deploy nor updated on its own, so the record is a
resource: CloudFormation rewrites it whenever the settings change, and from the stack's
parameters whenever `deploy --image` or `scale` change those (CloudFormation substitutes
them into the value). `fargo.config.settings_record` builds, decodes and compares it; its
docstring says what is masked and why the value is compressed. Tier Intelligent-Tiering: the
standard (free) tier while the value fits 4 KB, which a compressed record does for any
realistic settings; above that SSM makes it advanced (8 KB) rather than failing the deploy.
"""

from __future__ import annotations

from troposphere import Sub, Template, ssm

from fargo import contract
from fargo.config import Settings
from fargo.config import settings_record as record
from fargo.template.parameters import MAX_IMAGE_PARAMETER

LIVE = {"image": f"${{{contract.IMAGE_PARAMETER}}}",
        "min_count": f"${{{contract.MIN_COUNT_PARAMETER}}}",
        "max_count": f"${{{contract.MAX_COUNT_PARAMETER}}}"}
# How much longer the substituted values can be than their ${...} text: an image of the
# longest kind; the counts (at most 4 digits) are shorter than their names.
LIVE_ROOM = MAX_IMAGE_PARAMETER - len(LIVE["image"])


def add(template: Template, settings: Settings) -> ssm.Parameter:
    value = record.envelope(record.record_of(settings), LIVE, live_room=LIVE_ROOM)
    return template.add_resource(ssm.Parameter(
        contract.SETTINGS_RECORD_RESOURCE, Name=contract.settings_record_name(settings.stack_name),
        Type="String", Tier="Intelligent-Tiering", Value=Sub(value),
        Description="fargo: the settings of the last deploy (no secret values)",
    ))
