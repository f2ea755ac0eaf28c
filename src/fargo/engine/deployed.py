"""What a stack runs now: its template as deployed, its parameter values and its tags.

A parameter-only update (rollback, scale) sends exactly this back with one or two values
changed, so nothing but what those parameters feed can change: the file is not rendered,
and a teammate's unapplied edit to it is not deployed on the side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fargo.engine import stack as cfn
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.errors import AwsError, ConfigError

MASKED = "****"  # DescribeStacks' value of a NoEcho parameter


@dataclass(frozen=True)
class DeployedStack:
    state: cfn.StackState
    template_body: str  # compact JSON
    parameters: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def declared(self) -> dict[str, dict]:
        return json.loads(self.template_body).get("Parameters") or {}


def require_deployed(aws: AwsContext, stack_name: str) -> cfn.StackState:
    """The stack's state; ConfigError (exit 2) when it was never deployed here."""
    state = cfn.describe_stack(aws, stack_name)
    if state is None or not state.has_resources:
        raise ConfigError(f"error: {stack_name} is not deployed in {aws.region}: deploy it "
                          "first with `fargo deploy` (or pass the stack's --region)")
    return state


def read_deployed(aws: AwsContext, stack_name: str) -> DeployedStack:
    state = require_deployed(aws, stack_name)
    client = aws.client("cloudformation")
    with aws_call(f"reading the deployed template of {stack_name}"):
        body = client.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"]
        described = client.describe_stacks(StackName=stack_name)["Stacks"][0]
    if not isinstance(body, str):  # boto3 parses a JSON body into a dict
        body = json.dumps(body)
    try:
        body = json.dumps(json.loads(body), separators=(",", ":"))
    except ValueError:
        raise AwsError(f"error: the deployed template of {stack_name} is not JSON: it was not "
                       "deployed by fargo; deploy it with `fargo deploy` first") from None
    masked = sorted(k for k, v in state.parameters.items() if v == MASKED)
    if masked:
        raise AwsError(f"error: {stack_name} has NoEcho parameter(s) {', '.join(masked)} whose "
                       "values cannot be read back: change it with `fargo deploy` instead")
    tags = {t["Key"]: t["Value"] for t in described.get("Tags") or []}
    return DeployedStack(state, body, dict(state.parameters), tags)
