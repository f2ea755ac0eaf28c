"""Self-signed HTTPS certificates for a service with neither a domain nor a certificate of its own.

HTTPS is on by default, and an HTTPS listener needs a certificate in ACM. Without a domain
there is no name a public CA would certify, so fargo generates one itself (the `cryptography`
package), imports it into ACM tagged with the stack's name, passes its ARN to the stack as
the CertificateArn parameter, and deletes it after the stack at destroy. The traffic is
encrypted; browsers warn that nobody vouches for the certificate, and say so once.

Which names? The service is reached at the load balancer's DNS name, which AWS gives as
`NAME-ID.REGION.elb.amazonaws.com` (`.amazonaws.com.cn` in China) and which is unknown until
the stack exists. A wildcard covers exactly one label, so `*.REGION.elb.amazonaws.com` matches
every ALB name in the region, also the one a replaced load balancer gets, and one certificate
serves the stack for its whole life. The stack's name goes into the subject's organization
and into the tag, so a person looking at ACM knows whose certificate it is.

Works the same against real AWS and the emulator; no troposphere here.
"""

from __future__ import annotations

import datetime
from typing import Any

from fargo import contract
from fargo.engine.aws import AwsContext
from fargo.engine.aws_errors import aws_call, error_code, translate
from fargo.errors import AwsError

VALID_DAYS = 365
RENEW_WITHIN_DAYS = 30  # an existing certificate this close to expiry is re-imported in place
# ListCertificates returns only RSA_2048 certificates unless told otherwise.
KEY_TYPES = ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1",
             "EC_secp521r1"]


def load_balancer_names(region: str) -> tuple[str, list[str]]:
    """(common name, subject alternative names) that match any ALB DNS name in the region."""
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    wildcard = f"*.{region}.elb.{suffix}"
    return wildcard, [wildcard]


def generate_self_signed(
    common_name: str, alt_names: list[str], organization: str | None = None,
    valid_days: int = VALID_DAYS,
) -> tuple[bytes, bytes]:
    """(certificate PEM, unencrypted PKCS#8 private key PEM), as ACM's import takes them.

    RSA 2048: an ALB serves ECDSA P-256 as well, but ACM's ListCertificates (and so the
    console's and the CLI's default listing) shows only RSA 2048 unless asked for more, and a
    certificate the user cannot find is one they cannot clean up. Clients match names only
    against the SAN, so it always holds at least the common name.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    names = list(dict.fromkeys([*alt_names] or [common_name]))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    subject = x509.Name(attributes)
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=valid_days))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, key_encipherment=True, content_commitment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return (
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
    )


def find_self_signed(aws: AwsContext, stack_name: str) -> str | None:
    """The ARN of the certificate fargo imported for this stack, or None."""
    found = _tagged_for(aws, stack_name)
    return found[0] if found else None


def self_signed_certificates(aws: AwsContext, stack_name: str) -> list[str]:
    """The ARNs of every certificate fargo imported for this stack."""
    return _tagged_for(aws, stack_name)


def ensure_self_signed(aws: AwsContext, stack_name: str, region: str) -> tuple[str, bool]:
    """(ARN, newly_imported): reuse the stack's certificate, or generate and import one.

    newly_imported is also true when a certificate near its expiry was re-imported under the
    same ARN (the listener then serves the new one without a stack change), so the caller can
    warn about self-signed certificates once per import rather than on every deploy.
    """
    acm = aws.client("acm")
    existing = find_self_signed(aws, stack_name)
    if existing and not _expires_soon(aws, existing):
        return existing, False
    common_name, alt_names = load_balancer_names(region)
    certificate, key = generate_self_signed(common_name, alt_names,
                                            organization=f"fargo self-signed for {stack_name}")
    if existing:
        # ACM refuses tags on a re-import; the certificate keeps the ones it has.
        with aws_call(f"re-importing self-signed certificate {existing}"):
            acm.import_certificate(CertificateArn=existing, Certificate=certificate,
                                   PrivateKey=key)
        return existing, True
    with aws_call("importing a self-signed certificate into ACM"):
        arn = acm.import_certificate(Certificate=certificate, PrivateKey=key, Tags=[
            {"Key": contract.SELF_SIGNED_TAG, "Value": stack_name},
            {"Key": "Name", "Value": f"{stack_name}-self-signed"},
        ])["CertificateArn"]
    return arn, True


def delete_self_signed(aws: AwsContext, stack_name: str,
                       retry_seconds: tuple[float, ...] = (2, 4, 8, 15, 30)) -> list[str]:
    """Delete the stack's self-signed certificate(s); the ARNs deleted.

    Call after the stack is gone. ACM refuses to delete a certificate a listener still uses,
    and keeps saying so for some seconds after the listener is deleted: that refusal is
    retried with growing waits before it is reported.
    """
    deleted = []
    for arn in _tagged_for(aws, stack_name):
        if _delete_when_free(aws, arn, stack_name, retry_seconds):
            deleted.append(arn)
    return deleted


def _delete_when_free(aws: AwsContext, arn: str, stack_name: str,
                      retry_seconds: tuple[float, ...]) -> bool:
    import time

    from botocore.exceptions import ClientError

    acm = aws.client("acm")
    for wait in (*retry_seconds, None):
        try:
            acm.delete_certificate(CertificateArn=arn)
            return True
        except ClientError as error:
            code = error_code(error)
            if code == "ResourceNotFoundException":
                return False
            if code != "ResourceInUseException":
                raise translate(error, f"deleting certificate {arn}") from None
        if wait is None:
            break
        time.sleep(wait)
    raise AwsError(
        f"error: self-signed certificate {arn} of {stack_name} is still in use after "
        f"{sum(retry_seconds):.0f} s: delete the stack that uses it (fargo destroy), then run "
        "destroy again")


def _tagged_for(aws: AwsContext, stack_name: str) -> list[str]:
    """Imported certificates carrying SELF_SIGNED_TAG = stack_name."""
    acm = aws.client("acm")
    found = []
    with aws_call("listing ACM certificates"):
        pages = acm.get_paginator("list_certificates").paginate(
            Includes={"keyTypes": KEY_TYPES})
        summaries = [s for page in pages for s in page.get("CertificateSummaryList", [])]
    for summary in summaries:
        if summary.get("Type", "IMPORTED") != "IMPORTED":
            continue
        arn = summary["CertificateArn"]
        if _tags(aws, arn).get(contract.SELF_SIGNED_TAG) == stack_name:
            found.append(arn)
    return found


def _tags(aws: AwsContext, arn: str) -> dict[str, str]:
    from botocore.exceptions import ClientError

    try:
        tags = aws.client("acm").list_tags_for_certificate(CertificateArn=arn).get("Tags", [])
    except ClientError as error:
        if error_code(error) == "ResourceNotFoundException":
            return {}  # deleted between listing and reading it
        raise translate(error, f"reading the tags of certificate {arn}") from None
    return {t["Key"]: t.get("Value", "") for t in tags}


def _expires_soon(aws: AwsContext, arn: str) -> bool:
    with aws_call(f"reading certificate {arn}"):
        certificate: dict[str, Any] = aws.client("acm").describe_certificate(
            CertificateArn=arn)["Certificate"]
    not_after = certificate.get("NotAfter")
    if not_after is None:
        return True
    if not_after.tzinfo is None:
        not_after = not_after.replace(tzinfo=datetime.UTC)
    margin = datetime.timedelta(days=RENEW_WITHIN_DAYS)
    return not_after - datetime.datetime.now(datetime.UTC) < margin


def validation_records(aws: AwsContext, certificate_arn: str) -> list[str]:
    """Names of the DNS validation CNAMEs of an ACM-issued certificate (a domain deploy's).

    CloudFormation writes them into the hosted zone but leaves them when it deletes the
    certificate (aws-cloudformation/cloudformation-coverage-roadmap#1603). ACM uses the same
    record for every certificate of that name in the account, so deleting it could stop
    another certificate from renewing: read them before the stack goes, and report them.
    """
    with aws_call(f"reading certificate {certificate_arn}"):
        certificate = aws.client("acm").describe_certificate(
            CertificateArn=certificate_arn)["Certificate"]
    names = [o["ResourceRecord"]["Name"] for o in certificate.get("DomainValidationOptions", [])
             if o.get("ResourceRecord")]
    return list(dict.fromkeys(names))
