"""Where the HTTPS listener's certificate comes from: one of three sources, per the settings.

- `certificate_arn`: the user's own certificate, as the CertificateArn parameter whose default
  is the setting (so the synthesised template also deploys on its own).
- `domain` (with `hosted_zone`): an ACM certificate for the domain, validated by DNS in the
  zone. CloudFormation writes the validation record into the zone and waits until ACM has
  issued the certificate, so the listener never refers to an unusable one. Nothing about it
  is named: changing the domain replaces the certificate (DomainName cannot be updated in
  place), which CloudFormation does by creating the new one, moving the listener to it and
  deleting the old one, an ordinary deploy.
- neither (`uses_self_signed_certificate`): the CertificateArn parameter without a default;
  fargo deploy generates a self-signed certificate, imports it into ACM and passes its ARN.

HTTP-only mode has no certificate at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from troposphere import AWSHelperFn, Parameter, Ref, Template
from troposphere import certificatemanager as acm

from fargo.config import Settings
from fargo.contract import CERTIFICATE_PARAMETER, CERTIFICATE_RESOURCE

ACM_ARN_PATTERN = r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$"


@dataclass(frozen=True)
class CertificateSource:
    """The listener's certificate ARN (a Ref), and what it refers to."""

    arn: AWSHelperFn
    mode: str  # "given", "domain" or "self-signed"
    certificate: acm.Certificate | None = None
    parameter: Parameter | None = None


def add(template: Template, settings: Settings, zone: Parameter | None,
        alternative_names: tuple[str, ...] = ()) -> CertificateSource | None:
    """The listener's certificate; a domain certificate also covers `alternative_names`
    (an environment's: its services' hosts), each validated in the same zone."""
    if not settings.https:
        return None
    if settings.certificate_arn:
        parameter = _parameter(template, "ACM certificate of the HTTPS listener (certificate_arn)",
                               default=settings.certificate_arn)
        return CertificateSource(Ref(parameter), "given", parameter=parameter)
    if settings.domain:
        if zone is None:
            raise ValueError("a domain certificate needs the hosted zone parameter")
        certificate = template.add_resource(acm.Certificate(
            CERTIFICATE_RESOURCE, DomainName=settings.domain, ValidationMethod="DNS",
            DomainValidationOptions=[acm.DomainValidationOption(
                DomainName=name, HostedZoneId=Ref(zone),
            ) for name in (settings.domain, *alternative_names)],
        ))
        if alternative_names:
            certificate.SubjectAlternativeNames = list(alternative_names)
        return CertificateSource(Ref(certificate), "domain", certificate=certificate)
    parameter = _parameter(template, "ACM certificate of the HTTPS listener: the self-signed "
                           "one fargo deploy imports and fills in")
    return CertificateSource(Ref(parameter), "self-signed", parameter=parameter)


def _parameter(template: Template, description: str, default: str | None = None) -> Parameter:
    return template.add_parameter(Parameter(
        CERTIFICATE_PARAMETER, Type="String", AllowedPattern=ACM_ARN_PATTERN,
        Description=description, **({"Default": default} if default else {}),
    ))
