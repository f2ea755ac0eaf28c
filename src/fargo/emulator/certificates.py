"""AWS::CertificateManager::Certificate, which moto's CloudFormation skips.

Modelled on moto's ACM: the certificate is requested for its domain and, since
CloudFormation waits for DNS validation, marked issued at once; its validation CNAME is
written to the zone named in DomainValidationOptions (an unknown zone fails the resource, as
on AWS) and left there when the certificate is deleted, as CloudFormation does. Changing
anything but tags replaces it; the listeners that referred to it follow through `updates`.
"""

from __future__ import annotations

from fargo.emulator.models import model_base, register


def _acm(account_id: str, region_name: str):
    from moto.acm.models import acm_backends

    return acm_backends[account_id][region_name]


def install() -> None:
    register(_certificate())


def _without_tags(properties: dict) -> dict:
    return {k: v for k, v in properties.items() if k != "Tags"}


def _certificate() -> type:
    from moto.route53.models import route53_backends
    from moto.utilities.utils import get_partition

    class LocalCertificate(model_base()):
        """Ref returns the certificate's ARN, as CloudFormation's own does."""

        def __init__(self, arn: str, properties: dict) -> None:
            self.arn, self.properties = arn, properties

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @staticmethod
        def cloudformation_type() -> str:
            return "AWS::CertificateManager::Certificate"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name, **kwargs):
            props = cloudformation_json["Properties"]
            zones = route53_backends[account_id][get_partition(region_name)]
            options = props.get("DomainValidationOptions") or []
            for option in options:  # an unknown zone fails here, as it does on AWS
                if option.get("HostedZoneId"):
                    zones.get_hosted_zone(option["HostedZoneId"])
            certificates = _acm(account_id, region_name)
            arn = certificates.request_certificate(
                props["DomainName"], idempotency_token=None,
                subject_alt_names=list(props.get("SubjectAlternativeNames") or []),
                tags=props.get("Tags") or [],
            )
            certificate = certificates.get_certificate(arn)
            certificate.status = "ISSUED"  # CloudFormation completes only once it is issued
            records = {v["DomainName"]: v["ResourceRecord"]
                       for v in certificate.describe()["Certificate"]["DomainValidationOptions"]}
            for option in options:
                record = records.get(option["DomainName"])
                if option.get("HostedZoneId") and record:
                    zones.get_hosted_zone(option["HostedZoneId"]).upsert_rrset({
                        "Name": record["Name"], "Type": record["Type"], "TTL": "60",
                        "ResourceRecords": [record["Value"]],
                    })
            return cls(arn, props)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name,
                                            cloudformation_json, account_id, region_name):
            props = cloudformation_json["Properties"]
            if _without_tags(props) == _without_tags(original_resource.properties):
                certificate = _acm(account_id, region_name).get_certificate(original_resource.arn)
                certificate.tags.clear()
                certificate.tags.add(props.get("Tags") or [])
                original_resource.properties = props
                return original_resource
            # Replaced: the new certificate now, the old one after the listeners moved
            # (CloudFormation deletes a replaced resource in its clean-up phase).
            replacement = cls.create_from_cloudformation_json(
                new_resource_name, cloudformation_json, account_id, region_name)
            replacement.replaced = original_resource
            return replacement

        def after_dependents_updated(self, account_id: str, region_name: str) -> None:
            """Called by `updates` once the resources referring to this one have followed."""
            old = getattr(self, "replaced", None)
            if old is not None:
                self.replaced = None
                old.delete(account_id, region_name)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                            region_name):
            certificates = _acm(account_id, region_name)
            if resource_name in certificates._certificates:
                certificates.delete_certificate(resource_name)

    return LocalCertificate
