"""The embedded local AWS emulator: moto's server on loopback, adapted in both directions.

fargo is written against moto 5.2.5 (pinned by the `local` extra). moto is lenient: it
accepts calls that CloudFormation refuses and skips work that CloudFormation does. Each
module here closes one gap, so the same code paths that run against AWS run here, and a
bug that AWS would refuse fails here first:

- `strict_cloudformation`: CloudFormation's own validation that moto skips (parameters,
  template size and names, stack tags, stack states, change-set status, "no changes").
- `change_sets`: a change set's and a stack operation's life: unique names, "no changes" as
  a FAILED change set, a diff that sees parameters, execution status, rollback on failure,
  DELETE_FAILED instead of a lost stack.
- `strict_acm`: ACM refuses to delete a certificate a listener still uses.
- `outputs`: a stack created or updated through a change set gets its outputs.
- `updates`: a resource moto cannot update keeps its identity, and resources that refer to
  one that changed are updated too (as CloudFormation's update does).
- `ecs`, `scaling`, `certificates`, `load_balancer`, `vpc`, `ecr`: resource models moto
  lacks or gets wrong.
- `secure_transport`: requests count as TLS in bucket policies (moto denies them all).
- `ssm`: SSM parameters created by a stack take CloudFormation's map of tags.
- `load_balancer_deletion`: a stack's listener rules and target groups go with it.
- `json_templates`: a JSON template is read as JSON (moto reads it as YAML, slowly).
- `ssm_typed_parameters`: a stack parameter read from SSM is compared by the value it
  resolves to (an unchanged environment is no change to the services reading it).

`install()` applies all of them once per process; the tests' in-process `mock_aws` and
`--local`'s server both use it. A canary test per module fails when the pinned moto
changes or fixes the gap, so an adaptation never outlives its reason.
"""

from __future__ import annotations

MOTO_VERSION = "5.2.5"

_installed = False


def install() -> None:
    """Patch moto once per process (idempotent)."""
    global _installed
    if _installed:
        return
    import logging
    import os
    import warnings

    import moto

    # fargo reports what the emulator skipped, per resource; moto's own notices are noise.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"moto\..*")
    logging.getLogger("moto").setLevel(logging.ERROR)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    # fargo starts no EC2 instances; moto's catalogue of default AMIs (each with a volume
    # and a snapshot) was a quarter of every emulated region's start.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    if moto.__version__ != MOTO_VERSION:
        raise RuntimeError(
            f"fargo's local emulator adapts moto {MOTO_VERSION}, found {moto.__version__}: "
            f"install fargo[local] to get the pinned version"
        )
    from fargo.emulator import (
        certificates,
        change_sets,
        ecr,
        ecs,
        json_templates,
        load_balancer,
        load_balancer_deletion,
        outputs,
        scaling,
        secure_transport,
        ssm,
        ssm_typed_parameters,
        ssm_versions,
        strict_acm,
        strict_cloudformation,
        updates,
        vpc,
    )

    for module in (json_templates, strict_cloudformation, change_sets, strict_acm, outputs,
                   updates, ecs, scaling, certificates, load_balancer, vpc, ecr,
                   secure_transport, ssm, ssm_typed_parameters, load_balancer_deletion,
                   ssm_versions):
        module.install()
    _installed = True
