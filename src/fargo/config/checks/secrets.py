"""References to secrets in Secrets Manager and SSM Parameter Store, as ECS takes them."""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

_SECRETS_MANAGER_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):secretsmanager:(?P<region>[a-z0-9-]+):"
    r"(?P<account>\d{12}):secret:(?P<name>[A-Za-z0-9/_+=.@-]{1,512})"
    r"(?P<selector>:[A-Za-z0-9/_+=.@-]*:[A-Za-z0-9_-]*:[A-Za-z0-9-]*)?\Z"
)
_SSM_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):ssm:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"parameter/(?P<name>[A-Za-z0-9_.\-/]{1,1011})\Z"
)
_SSM_NAME = re.compile(r"^ssm:(?P<name>/?[A-Za-z0-9_.\-][A-Za-z0-9_.\-/]{0,1010})\Z")
KMS_KEY_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov)?:kms:(?P<region>[a-z0-9-]+):\d{12}:key/[A-Za-z0-9-]{1,64}\Z"
)
# Name parts that mark an environment variable as a credential (DB_PASSWORD, API_KEY, ...).
SECRET_LOOKING_PARTS = frozenset({
    "PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS", "TOKEN", "KEY", "APIKEY", "CREDENTIAL",
    "CREDENTIALS",
})


class SecretReference(NamedTuple):
    """Where ECS reads one secret, and what the execution role may read for it.

    value_from and resources are CloudFormation Fn::Sub texts (they may name ${AWS::Region},
    ${AWS::AccountId}, ${AWS::Partition}); region is None for "the stack's region".
    """

    name: str
    service: Literal["secretsmanager", "ssm"]
    value_from: str
    resources: tuple[str, ...]
    region: str | None


def parse_secret_reference(name: str, reference: str) -> SecretReference:
    """Read a `secrets` entry; ValueError says what is wrong.

    Secrets Manager: the secret's ARN, optionally with ECS's `:json-key:version-stage:
    version-id` selector. The role may read the ARN as given and the ARN followed by AWS's
    random `-??????` suffix, so a partial ARN (without the suffix) works as well as a complete
    one. SSM Parameter Store: the parameter's ARN, or `ssm:/path` for one in this account and
    region.
    """
    secret = _SECRETS_MANAGER_ARN.match(reference)
    if secret:
        base = reference[: secret.start("selector")] if secret["selector"] else reference
        return SecretReference(name, "secretsmanager", reference, (base, base + "-??????"),
                               secret["region"])
    parameter = _SSM_ARN.match(reference)
    if parameter:
        return SecretReference(name, "ssm", reference, (reference,), parameter["region"])
    short = _SSM_NAME.match(reference)
    if short:
        arn = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/"
               + short["name"].removeprefix("/"))
        return SecretReference(name, "ssm", arn, (arn,), None)
    raise ValueError(
        f"{name} = {reference!r} is not a secret reference: use a Secrets Manager ARN "
        "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key::]), an SSM parameter "
        "ARN, or ssm:/parameter/path"
    )


def looks_secret(variable: str) -> bool:
    """DB_PASSWORD, API_KEY, GITHUB_TOKEN...: a name whose value is probably a credential."""
    parts = set(re.split(r"[_\W]+", variable.upper()))
    return bool(parts & SECRET_LOOKING_PARTS) or variable.upper().endswith(
        ("PASSWORD", "SECRET", "TOKEN", "APIKEY"))
