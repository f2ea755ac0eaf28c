"""Parameters that day-two commands change without a new template (issue 12).

`fargo deploy --image X` passes `ImageUri`; `fargo scale --min --max --desired` passes
`MinCount`, `MaxCount` and `DesiredCount` (service module). Each defaults to the settings'
value, so a deploy that passes none of them deploys what the file says; the settings record
(settings_record module) holds the values in effect, so the next plan shows what it reverts.

An image is a parameter-only change when the rest of the template does not depend on it:
the execution role, the endpoint policies and the DNS firewall name the image's repository or
registry (not its tag or digest), and the health path depends on whether it is the sample
image (tests/test_template_parameters.py renders both and compares).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from troposphere import Parameter, Template

from fargo.config.checks.images import MAX_IMAGE_LENGTH
from fargo.contract import IMAGE_PARAMETER, MAX_COUNT_PARAMETER, MIN_COUNT_PARAMETER

if TYPE_CHECKING:
    from fargo.config import Settings

MAX_IMAGE_PARAMETER = MAX_IMAGE_LENGTH + len("@sha256:") + 64
MAX_TASKS = 1000  # the settings' own bound on min_count and max_count


def image(template: Template, settings: Settings) -> Parameter:
    return template.add_parameter(Parameter(
        IMAGE_PARAMETER, Type="String", Default=settings.image, MinLength=1,
        MaxLength=MAX_IMAGE_PARAMETER, AllowedPattern=r"^\S+$",
        Description="Container image (fargo deploy --image)",
    ))


def task_counts(template: Template, settings: Settings) -> tuple[Parameter, Parameter]:
    """MinCount and MaxCount: autoscaling's bounds, which fargo scale passes."""
    low = template.add_parameter(Parameter(
        MIN_COUNT_PARAMETER, Type="Number", Default=settings.min_count, MinValue=1,
        MaxValue=MAX_TASKS, Description="Fewest tasks (fargo scale --min)",
    ))
    high = template.add_parameter(Parameter(
        MAX_COUNT_PARAMETER, Type="Number", Default=settings.max_count, MinValue=1,
        MaxValue=MAX_TASKS, Description="Most tasks (fargo scale --max)",
    ))
    return low, high


def values(settings: Settings) -> dict[str, str]:
    """The values of the file's settings for these parameters, as a deploy from the file
    passes them (`deploy --image` and `scale` pass theirs instead)."""
    return {IMAGE_PARAMETER: settings.image, MIN_COUNT_PARAMETER: str(settings.min_count),
            MAX_COUNT_PARAMETER: str(settings.max_count)}
