"""Bucket-policy conditions as IAM evaluates them, with requests made over TLS.

moto evaluates S3 bucket policies, but it ignores Bool conditions (so they always match), a
statement whose condition does not match counts as an explicit deny (in IAM it simply does
not apply), and it knows no aws:SecureTransport. So the usual "deny insecure transport"
statement denied every request to such a bucket. Here Bool is evaluated, a non-matching
condition leaves the statement out, and requests count as TLS, as the SDK's to AWS are.
"""

from __future__ import annotations


def install() -> None:
    from moto.iam import policy_conditions
    from moto.iam.access_control import IAMPolicyStatement, PermissionResult

    def bool_equals(expected, actual) -> bool:
        wanted = expected if isinstance(expected, list) else [expected]
        return str(actual).lower() in [str(w).lower() for w in wanted]

    policy_conditions.CONDITION_OPERATIONS.setdefault("Bool", bool_equals)

    check_conditions = IAMPolicyStatement._check_conditions
    original = IAMPolicyStatement.is_action_permitted

    def is_action_permitted(self, action, resource="*", principal=None,
                            incoming_condition_values=None):
        values = dict(incoming_condition_values or {})
        values.setdefault("aws:SecureTransport", "true")
        if self._statement.get("Condition") and not check_conditions(self, values):
            return PermissionResult.NEUTRAL
        return original(self, action, resource, principal, values)

    IAMPolicyStatement.is_action_permitted = is_action_permitted
