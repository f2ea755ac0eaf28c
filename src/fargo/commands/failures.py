"""AWS failures as fargo's errors, for the CLI's one error funnel (which names no AWS type)."""

from __future__ import annotations

from fargo.errors import FargoError


def aws_failure(error: BaseException) -> FargoError | None:
    """A botocore error (or an unreadable answer inside a botocore call) as fargo's error;
    None for anything else."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    from fargo.engine.aws_errors import api_call_of, translate

    call = api_call_of(error)
    if isinstance(error, (BotoCoreError, ClientError, ResponseParserError)):
        return translate(error, call or "setting up the AWS call")
    if call is not None and isinstance(error, ValueError):  # e.g. a body that is not UTF-8
        flat = " ".join(str(error).split())
        return translate(ResponseParserError(flat if len(flat) <= 80 else flat[:77] + "..."),
                         call)
    return None
