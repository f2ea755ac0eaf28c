"""ACM refuses to delete a certificate that a load balancer's listener still serves.

moto deletes it anyway. On AWS the refusal (ResourceInUseException) also outlasts the
listener's deletion by some seconds, which is why `fargo destroy` retries it: `in_use_lag`
lets a test hold a certificate "in use" for a few more calls after its listener is gone.
"""

from __future__ import annotations

in_use_lag: dict[str, int] = {}  # certificate ARN -> delete attempts still refused


def install() -> None:
    from moto.acm.models import AWSCertificateManagerBackend
    from moto.core.exceptions import AWSError

    original_delete = AWSCertificateManagerBackend.delete_certificate

    def delete_unless_in_use(self, arn: str) -> None:
        users = listeners_using(self.account_id, self.region_name, arn)
        if users or in_use_lag.get(arn, 0) > 0:
            if not users:
                in_use_lag[arn] -= 1
            raise AWSError(f"Certificate {arn} in account {self.account_id} is in use.",
                           "ResourceInUseException")
        original_delete(self, arn)

    AWSCertificateManagerBackend.delete_certificate = delete_unless_in_use


def listeners_using(account_id: str, region_name: str, arn: str) -> list[str]:
    from moto.elbv2.models import elbv2_backends

    backend = elbv2_backends[account_id][region_name]
    users = []
    for balancer in backend.load_balancers.values():
        for listener in balancer.listeners.values():
            if arn in (listener.certificates or []) or listener.certificate == arn:
                users.append(listener.arn)
    return users
