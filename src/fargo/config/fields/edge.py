"""The edge: the load balancer's listeners, TLS, domain, who may connect, logs and WAF."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from fargo.config.checks.network import parse_network
from fargo.config.checks.tls_policies import is_policy_name
from fargo.config.fields.base import FieldGroup
from fargo.config.problems import listed_twice, refuse

DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
DEFAULT_HSTS = "max-age=31536000"
CERTIFICATE_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):acm:(?P<region>[a-z0-9-]+):\d{12}:"
    r"certificate/[A-Za-z0-9-]{1,128}\Z"
)
# Labels of letters, digits and inner hyphens; the last one alphabetic or an IDN (xn--) label.
DNS_NAME = re.compile(
    r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z"
)
# ACM puts the domain into the certificate's Common Name, which RFC 5280 caps at 64 octets.
MAX_CERTIFICATE_DOMAIN = 64
_HSTS = re.compile(r"^max-age=[0-9]{1,10}(; ?includeSubDomains)?(; ?preload)?\Z")


class EdgeFields(FieldGroup):
    https: bool = Field(True, description="HTTPS listener with redirect from HTTP; false for the HTTP-only variant")
    certificate_arn: str | None = Field(None, description="ACM certificate for HTTPS, in the deployment region; without it and without domain, a self-signed one is generated")
    domain: str | None = Field(None, description="Serve at this domain: fargo creates its ACM certificate and a Route53 alias record (needs hosted_zone)")
    hosted_zone: str | None = Field(None, description="Route53 public hosted zone of this account that holds domain, e.g. example.com")
    tls_policy: str = Field(DEFAULT_TLS_POLICY, description="TLS policy of the HTTPS listener")
    http_redirect_code: Literal[301, 302] = Field(302, description="Status of the HTTP to HTTPS redirect (302 avoids browsers caching it)")
    allowed_cidrs: list[str] = Field(default_factory=lambda: ["0.0.0.0/0"], description="Source CIDRs allowed to reach the load balancer")
    access_logs: bool = Field(True, description="Write load balancer access logs to an encrypted S3 bucket")
    access_log_expiry_days: int = Field(30, ge=1, le=3650, description="Days before access logs expire")
    waf: bool = Field(False, description="AWS WAF on the load balancer: AWS managed rules and a per-IP rate limit (about US$9 a month plus requests)")
    waf_rate_limit: int = Field(1000, ge=10, le=2_000_000_000, description="Requests one IP address may send in 5 minutes before WAF blocks it")
    hsts: str = Field(DEFAULT_HSTS, description="Strict-Transport-Security header the HTTPS listener adds; \"off\" (or \"\") for none")
    ipv6: bool = Field(False, description="Dual-stack load balancer: public subnets get IPv6 ranges; ::/0 rules mirror the IPv4 ones")

    @field_validator("certificate_arn")
    @classmethod
    def _certificate_is_acm_arn(cls, value: str | None) -> str | None:
        if value is not None and not CERTIFICATE_ARN.match(value):
            raise ValueError(
                "not an ACM certificate ARN: expected arn:aws:acm:REGION:ACCOUNT:certificate/ID"
            )
        return value

    @field_validator("domain", "hosted_zone")
    @classmethod
    def _is_dns_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = value.lower().rstrip(".")
        if not DNS_NAME.match(value):
            raise ValueError("not a DNS name: use letters, digits and hyphens in dot-separated "
                             "labels, e.g. app.example.com")
        if info.field_name == "domain" and len(value) > MAX_CERTIFICATE_DOMAIN:
            raise ValueError(f"is {len(value)} characters long: ACM certificates take a domain of "
                             f"at most {MAX_CERTIFICATE_DOMAIN} characters")
        return value

    @field_validator("tls_policy")
    @classmethod
    def _tls_policy_is_a_policy_name(cls, value: str) -> str:
        if not is_policy_name(value):
            raise ValueError(f"not an ALB security policy name: use e.g. {DEFAULT_TLS_POLICY}")
        return value

    @field_validator("allowed_cidrs")
    @classmethod
    def _allowed_cidrs_are_networks(cls, values: list[str]) -> list[str]:
        keys = [str(parse_network(value, allow_v6=True)) for value in values]
        return refuse(listed_twice(keys, values), values)

    @field_validator("hsts")
    @classmethod
    def _hsts_is_a_header_value(cls, value: str) -> str:
        if value.strip().lower() in ("off", "none"):  # an empty flag means "the default"
            return ""
        if value and not _HSTS.match(value):
            raise ValueError("use max-age=SECONDS, optionally with ; includeSubDomains and "
                             "; preload, or \"off\" for no header")
        return value
