"""The host check reads every certificate of the listener as AWS documents the calls (recorded
answers, botocore's Stubber: moto neither pages nor lists the default certificate twice):
DescribeListenerCertificates pages with Marker/NextMarker and lists the default certificate
twice when it is also in the certificate list; each certificate's names are its DomainName
and SubjectAlternativeNames."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from fargo.engine.certificate_coverage import listener_certificates

LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/1/2"
DEFAULT = "arn:aws:acm:eu-west-1:123456789012:certificate/default"
EXTRA = "arn:aws:acm:eu-west-1:123456789012:certificate/extra"


class StubbedAws:
    region = "eu-west-1"

    def __init__(self, **clients) -> None:
        self._clients = clients

    def client(self, name):
        return self._clients[name]


def client(service: str):
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="x",
                        aws_secret_access_key="x")


def test_every_page_and_every_certificate_is_read_once():
    elbv2, acm = client("elbv2"), client("acm")
    with Stubber(elbv2) as listeners, Stubber(acm) as certificates:
        listeners.add_response("describe_listener_certificates", {
            "Certificates": [{"CertificateArn": DEFAULT, "IsDefault": True}],
            "NextMarker": "page-2"}, {"ListenerArn": LISTENER})
        listeners.add_response("describe_listener_certificates", {
            "Certificates": [{"CertificateArn": DEFAULT, "IsDefault": False},
                             {"CertificateArn": EXTRA, "IsDefault": False}]},
            {"ListenerArn": LISTENER, "Marker": "page-2"})
        certificates.add_response("describe_certificate", {"Certificate": {
            "CertificateArn": DEFAULT, "DomainName": "example.com",
            "SubjectAlternativeNames": ["example.com", "app.example.com"]}},
            {"CertificateArn": DEFAULT})
        certificates.add_response("describe_certificate", {"Certificate": {
            "CertificateArn": EXTRA, "DomainName": "*.shop.example.com",
            "SubjectAlternativeNames": ["*.shop.example.com"]}}, {"CertificateArn": EXTRA})
        served = listener_certificates(StubbedAws(elbv2=elbv2, acm=acm), LISTENER)
        listeners.assert_no_pending_responses()
        certificates.assert_no_pending_responses()  # the default one described once
    assert served.names == ("example.com", "app.example.com", "*.shop.example.com")
    assert served.cover("app.example.com") and served.cover("api.shop.example.com")
    assert not served.cover("shop.example.com") and not served.cover("api.example.com")
