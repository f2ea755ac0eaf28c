"""Whether the certificates an HTTPS listener serves name a host.

A service of an environment routes by host on the environment's listener, but the
certificate is the environment's: a new host is added to it by `fargo env deploy`. Deployed
before that, the service answers with a certificate that does not name it, and every client
refuses the connection. Nothing in CloudFormation notices, so fargo asks ACM first.
"""

from __future__ import annotations

from dataclasses import dataclass

from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call
from fargo.engine.lookups import ssm_value


def name_matches(host: str, certificate_name: str) -> bool:
    """As TLS clients match: case-insensitive, and a wildcard stands for exactly one label."""
    host, name = host.lower().rstrip("."), certificate_name.lower().rstrip(".")
    if name.startswith("*."):
        label, _, rest = host.partition(".")
        return bool(label) and rest == name[2:]
    return host == name


@dataclass(frozen=True)
class ListenerCertificates:
    """Every name on the certificates a listener serves (the default and any others)."""

    names: tuple[str, ...]

    def cover(self, host: str) -> bool:
        return any(name_matches(host, name) for name in self.names)


def listener_certificates(aws: AwsContext, listener_arn: str) -> ListenerCertificates:
    elbv2, acm = aws.client("elbv2"), aws.client("acm")
    arns: list[str] = []
    marker: dict[str, str] = {}
    with aws_call(f"listing the certificates of listener {listener_arn} "
                  "(elasticloadbalancing:DescribeListenerCertificates)"):
        while True:
            page = elbv2.describe_listener_certificates(ListenerArn=listener_arn, **marker)
            arns += [c["CertificateArn"] for c in page.get("Certificates", [])]
            if not page.get("NextMarker"):
                break
            marker = {"Marker": page["NextMarker"]}
    names: list[str] = []
    for arn in dict.fromkeys(arns):
        with aws_call(f"reading certificate {arn} (acm:DescribeCertificate)"):
            certificate = acm.describe_certificate(CertificateArn=arn)["Certificate"]
        names += [certificate.get("DomainName", ""),
                  *certificate.get("SubjectAlternativeNames", [])]
    return ListenerCertificates(tuple(dict.fromkeys(n for n in names if n)))


def published_listener(aws: AwsContext, parameter_name: str) -> str | None:
    """The listener ARN an environment published in SSM; None if it published none."""
    return ssm_value(aws, parameter_name, f"SSM parameter {parameter_name}")
