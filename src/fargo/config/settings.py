"""The one model of a fargo service: every setting, its default and its rules.

Defaults start from the original L42 Terraform deployment (shared/seed/settings.md), minus its
known weaknesses. Field descriptions feed `fargo init`'s commented file and the README table.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from fargo.config import health, quotas, raw_values
from fargo.config.container import environment_problem
from fargo.config.fargate import size_problem
from fargo.config.images import image_problem
from fargo.config.schedules import MAX_SCHEDULES, schedule_problem
from fargo.config.tags import tags_problem
from fargo.config.text import cut, shown
from fargo.config.tls_policies import KNOWN_POLICIES, is_policy_name

SAMPLE_IMAGE = "amazon/amazon-ecs-sample"
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06"
PLATFORM_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs")
KNOWN_ENDPOINTS = (
    "ecr.api", "ecr.dkr", "logs", "monitoring", "events", "sns", "sqs", "ssm", "ssmmessages",
    "secretsmanager", "kms", "sts", "xray",
)
LOG_RETENTION_DAYS = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
)
# Patterns end in \Z, not $: Python's $ also matches before a final newline ("l42\n").
# Every AWS region name is AREA-DIRECTION-N; naming the directions catches typos like eu-wst-1.
_REGION = re.compile(
    r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-"
    r"(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}\Z"
)
_NAME = re.compile(r"^[a-z][a-z0-9-]*\Z")
_CERT_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):acm:(?P<region>[a-z0-9-]+):\d{12}:"
    r"certificate/[A-Za-z0-9-]{1,128}\Z"
)
_PRIVATE_ECR = re.compile(
    r"^\d{12}\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/[a-z0-9._/-]+([:@].+)?\Z"
)
# Labels of letters, digits and inner hyphens; the last one alphabetic or an IDN (xn--) label.
_DNS_NAME = re.compile(
    r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})\Z"
)
# ACM puts the domain into the certificate's Common Name, which RFC 5280 caps at 64 octets.
MAX_CERTIFICATE_DOMAIN = 64

# Untrusted code and edge protection (issue 10)
DEFAULT_HSTS = "max-age=31536000"
LINUX_CAPABILITIES = (
    "ALL", "AUDIT_CONTROL", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
    "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE",
    "NET_BROADCAST", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT",
    "SYS_CHROOT", "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO",
    "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
)
ULIMIT_NAMES = (
    "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
    "rss", "rtprio", "rttime", "sigpending", "stack",
)
# Name parts that mark an environment variable as a credential (DB_PASSWORD, API_KEY, ...).
SECRET_LOOKING_PARTS = frozenset({
    "PASSWORD", "PASSWD", "PASS", "SECRET", "SECRETS", "TOKEN", "KEY", "APIKEY", "CREDENTIAL",
    "CREDENTIALS",
})
_USER_PART = r"([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})"  # a UID or a user (group) name
_USER = re.compile(rf"^{_USER_PART}(:{_USER_PART})?\Z")
_CONTAINER_PATH = re.compile(r"^/[A-Za-z0-9._@+=,/-]{1,254}\Z")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_KMS_KEY_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov)?:kms:(?P<region>[a-z0-9-]+):\d{12}:key/[A-Za-z0-9-]{1,64}\Z"
)
_HSTS = re.compile(r"^max-age=[0-9]{1,10}(; ?includeSubDomains)?(; ?preload)?\Z")
_SECRETS_MANAGER_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):secretsmanager:(?P<region>[a-z0-9-]+):"
    r"(?P<account>\d{12}):secret:(?P<name>[A-Za-z0-9/_+=.@-]{1,512})"
    r"(?P<selector>:[A-Za-z0-9/_+=.@-]*:[A-Za-z0-9_-]*:[A-Za-z0-9-]*)?\Z"
)
_SSM_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):ssm:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"parameter/(?P<name>[A-Za-z0-9_.\-/]{1,1011})\Z"
)
_SSM_NAME = re.compile(r"^ssm:(?P<name>/?[A-Za-z0-9_.\-][A-Za-z0-9_.\-/]{0,1010})\Z")
_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repository>[a-z0-9._/-]+?)(:[^@/]+)?(@.+)?\Z"
)


class Problem(NamedTuple):
    """One invalid setting: which one, what is wrong, and what to do."""

    setting: str
    text: str
    fix: str
    related: tuple[str, ...] = ()


class SettingsProblems(Exception):
    """Raised (not a ValueError, so pydantic lets it through) with every cross-setting problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.text for p in problems))


class ScheduledScaling(BaseModel):
    """A time-based capacity change (the original's autoscale-time.tf)."""

    model_config = ConfigDict(extra="forbid")

    schedule: str = Field(description="cron(min hour day-of-month month day-of-week year), rate(N unit) or at(...)")
    min_count: int = Field(ge=0, le=1000)
    max_count: int = Field(ge=0, le=1000)
    timezone: str = "UTC"
    name: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _raw_value_fits_its_type(cls, value: Any, info: ValidationInfo) -> Any:
        return raw_values.checked(cls.model_fields[info.field_name].annotation, value)

    @field_validator("schedule")
    @classmethod
    def _schedule_is_valid(cls, value: str) -> str:
        problem = schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("name")
    @classmethod
    def _name_is_an_action_name(cls, value: str | None) -> str | None:
        if value is not None and not _SCHEDULE_NAME.match(value):
            raise ValueError("use 1-200 letters, digits, _ and -")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:
        if value not in _time_zones():
            raise ValueError("unknown time zone: use an IANA name such as Europe/Berlin or UTC")
        return value


_SCHEDULE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,200}\Z")


@functools.cache
def _time_zones() -> frozenset[str]:
    """The IANA names this machine knows (Application Auto Scaling takes IANA names), less
    the tz database's own entries that are no zone."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones() - {"Factory", "localtime", "posixrules"}) | {"UTC"}


class Settings(BaseModel):
    """Everything fargo needs to render and deploy one service."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    # Identity and placement
    name: str = Field("l42", min_length=1, max_length=24, description="Service name; with environment it names the stack")
    environment: str = Field("dev", min_length=1, max_length=16, description="Environment name, e.g. dev or prod")
    region: str | None = Field(None, description="AWS region to deploy to (required), e.g. eu-west-1")
    tags: dict[str, str] = Field(default_factory=dict, description="Extra tags on every resource (Name and Environment are always set)")

    # Container
    image: str = Field(SAMPLE_IMAGE, description="Container image to run")
    build: str | None = Field(None, min_length=1, description="Build the image from this directory (with its Dockerfile) and push it to the service's own ECR repository")
    keep_images: int = Field(10, ge=1, le=1000, description="Images the service's ECR repository keeps; older ones expire")
    port: int = Field(80, ge=1, le=65535, description="Port the container listens on")
    cpu: int = Field(1024, description="Task CPU units (256, 512, 1024, 2048, 4096, 8192, 16384)")
    memory: int = Field(2048, description="Task memory in MiB; must fit the CPU size on Fargate")
    platform: Literal["linux/amd64", "linux/arm64"] = Field("linux/amd64", description="Task CPU architecture")
    container_environment: dict[str, str] = Field(default_factory=dict, description="Container environment variables, merged over PORT and ENVIRONMENT (credentials belong in secrets)")
    readonly_root_filesystem: bool = Field(False, description="Mount the container's root file system read-only (see writable_paths); turns ecs_exec off by default")
    ecs_exec: bool = Field(None, description="Allow `aws ecs execute-command` into tasks (adds an ssmmessages endpoint); default on, off in isolated or with a read-only root")  # type: ignore[assignment]
    log_retention_days: int = Field(90, description="Days CloudWatch keeps the container logs")

    # Task count and scaling
    desired_count: int = Field(1, ge=0, le=1000, description="Tasks at first deploy; later deploys keep the count autoscaling chose")
    min_count: int = Field(1, ge=1, le=1000, description="Fewest tasks autoscaling keeps")
    max_count: int = Field(2, ge=1, le=1000, description="Most tasks autoscaling starts")
    scaling_cpu_target: float = Field(70.0, gt=0, le=100, description="Average CPU % that target tracking holds")
    scale_in_cooldown: int = Field(300, ge=0, le=3600, description="Seconds between scale-in steps")
    scale_out_cooldown: int = Field(60, ge=0, le=3600, description="Seconds between scale-out steps")
    schedules: list[ScheduledScaling] = Field(default_factory=list, description="Time-based scaling: cron schedules with min/max counts")

    # Load balancer and health
    https: bool = Field(True, description="HTTPS listener with redirect from HTTP; false for the HTTP-only variant")
    certificate_arn: str | None = Field(None, description="ACM certificate for HTTPS, in the deployment region; without it and without domain, a self-signed one is generated")
    domain: str | None = Field(None, description="Serve at this domain: fargo creates its ACM certificate and a Route53 alias record (needs hosted_zone)")
    hosted_zone: str | None = Field(None, description="Route53 public hosted zone of this account that holds domain, e.g. example.com")
    tls_policy: str = Field(DEFAULT_TLS_POLICY, description="TLS policy of the HTTPS listener")
    http_redirect_code: Literal[301, 302] = Field(302, description="Status of the HTTP to HTTPS redirect (302 avoids browsers caching it)")
    allowed_cidrs: list[str] = Field(default_factory=lambda: ["0.0.0.0/0"], description="Source CIDRs allowed to reach the load balancer")
    health_check_path: str | None = Field(None, description="Health check path; default / for the sample image, else /health")
    health_check_interval: int = Field(60, ge=5, le=300, description="Seconds between health checks")
    health_check_timeout: int = Field(10, ge=2, le=120, description="Seconds before a health check fails")
    health_check_matcher: str = Field("200", description="HTTP codes that count as healthy: 200-499, e.g. 200, 200,202 or 200-299")
    healthy_threshold: int = Field(2, ge=2, le=10, description="Passed checks before a task is healthy")
    unhealthy_threshold: int = Field(2, ge=2, le=10, description="Failed checks before a task is unhealthy")
    health_check_grace_period: int = Field(10, ge=0, le=2147483647, description="Seconds ECS ignores failing health checks after a task starts")
    deregistration_delay: int = Field(30, ge=0, le=3600, description="Seconds the load balancer drains a stopping task")
    access_logs: bool = Field(True, description="Write load balancer access logs to an encrypted S3 bucket")
    access_log_expiry_days: int = Field(30, ge=1, le=3650, description="Days before access logs expire")

    # Network
    network: Literal["nat", "isolated", "public"] = Field("nat", description="nat (private tasks, NAT egress), isolated (no internet: endpoints only), public (tasks in public subnets)")
    nat_per_az: bool = Field(False, description="One NAT gateway per availability zone instead of one in total (network = nat)")
    az_count: int = Field(2, ge=1, le=3, description="Availability zones (and private subnets) the tasks run in")
    vpc_cidr: str = Field("10.0.0.0/16", description="VPC address range")
    public_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.0.0/24", "10.0.2.0/24", "10.0.4.0/24"], description="Public subnet ranges; the first max(2, az_count) are used")
    private_subnet_cidrs: list[str] = Field(default_factory=lambda: ["10.0.1.0/24", "10.0.3.0/24", "10.0.5.0/24"], description="Private subnet ranges; the first az_count are used")
    task_egress: list[str] = Field(default_factory=lambda: ["0.0.0.0/0:443"], description="Where tasks may connect (nat, public): CIDR:PORT or CIDR:FROM-TO, TCP")
    vpc_endpoints: list[str] = Field(default_factory=lambda: list(PLATFORM_ENDPOINTS), description="Interface endpoints (nat, isolated); S3 gateway is always added")

    # Untrusted code and edge protection (issue 10). A default of None is a derived value,
    # filled from the network profile and the other settings by _derive_untrusted_defaults
    # (the annotation stays bool or list, so flags and FARGO_* text parse as for any setting).
    user: str | None = Field(None, description="Run the container as this user: NAME, UID or UID:GID (default: the image's own user)")
    writable_paths: list[str] = Field(default_factory=list, description="Writable directories under a read-only root file system, each an empty task volume, e.g. [\"/tmp\"]")
    drop_capabilities: list[str] = Field(None, description="Linux capabilities to drop; default [\"ALL\"] in isolated for a non-root user on a port >= 1024, else none (Docker's default set)")  # type: ignore[assignment]
    stop_timeout: int = Field(30, ge=2, le=120, description="Seconds a stopping container gets between SIGTERM and SIGKILL (Fargate: at most 120)")
    ulimits: dict[str, int] = Field(default_factory=dict, description="Resource limits, soft = hard, e.g. { nofile = 4096, nproc = 512 }")
    secrets: dict[str, str] = Field(default_factory=dict, description="Environment variables read at task start from Secrets Manager or SSM: NAME = \"arn:aws:secretsmanager:...\" or \"ssm:/path\"")
    secrets_kms_key: str | None = Field(None, description="Customer managed KMS key (ARN) that encrypts the secrets; the execution role may decrypt with it")
    dns_firewall: bool = Field(None, description="Route 53 Resolver DNS Firewall: tasks resolve only the AWS names they need and dns_allowed_domains; default on in isolated")  # type: ignore[assignment]
    dns_allowed_domains: list[str] = Field(default_factory=list, description="More names the DNS firewall lets tasks resolve, e.g. [\"api.example.com\", \"*.example.org\"]")
    flow_logs: bool = Field(None, description="VPC flow logs (all traffic) to a CloudWatch log group; default on in isolated")  # type: ignore[assignment]
    waf: bool = Field(False, description="AWS WAF on the load balancer: AWS managed rules and a per-IP rate limit (about US$9 a month plus requests)")
    waf_rate_limit: int = Field(1000, ge=10, le=2_000_000_000, description="Requests one IP address may send in 5 minutes before WAF blocks it")
    hsts: str = Field(DEFAULT_HSTS, description="Strict-Transport-Security header the HTTPS listener adds; \"off\" (or \"\") for none")
    ipv6: bool = Field(False, description="Dual-stack load balancer: public subnets get IPv6 ranges; ::/0 rules mirror the IPv4 ones")

    @model_validator(mode="before")
    @classmethod
    def _derive_untrusted_defaults(cls, data: Any) -> Any:
        """Fill the derived defaults: what a profile for untrusted code turns on by itself."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        isolated = data.get("network") == "isolated"
        if data.get("ecs_exec") is None:
            # Exec's agent needs a writable root; in isolated its session-log rights would be
            # the only credentials code in the task could find.
            data["ecs_exec"] = not isolated and not _raw_true(data.get("readonly_root_filesystem"))
        for setting in ("dns_firewall", "flow_logs"):
            if data.get(setting) is None:
                data[setting] = isolated
        if data.get("drop_capabilities") is None:
            user, port = data.get("user"), _raw_int(data.get("port", 80))
            unprivileged = isinstance(user, str) and not _is_root_user(user)
            data["drop_capabilities"] = (
                ["ALL"] if isolated and unprivileged and port is not None and port >= 1024 else []
            )
        return data

    @field_validator("user")
    @classmethod
    def _user_is_name_or_ids(cls, value: str | None) -> str | None:
        if value is not None and not _USER.match(value):
            raise ValueError("use a user name, a UID, or UID:GID (e.g. 1000:1000)")
        return value

    @field_validator("writable_paths")
    @classmethod
    def _paths_are_absolute(cls, values: list[str]) -> list[str]:
        for value in values:
            if not _CONTAINER_PATH.match(value) or value == "/" or "//" in value or "/../" in (
                value + "/"
            ):
                raise ValueError(f"{value!r} is not an absolute directory path such as /tmp")
        if len(set(values)) != len(values):
            raise ValueError("a path is listed twice")
        return values

    @field_validator("drop_capabilities")
    @classmethod
    def _capabilities_are_known(cls, values: list[str]) -> list[str]:
        values = [v.upper().removeprefix("CAP_") for v in values]
        unknown = [v for v in values if v not in LINUX_CAPABILITIES]
        if unknown:
            raise ValueError(f"unknown capability {', '.join(unknown)}: use ALL or names such "
                             "as NET_RAW (see capabilities(7))")
        return list(dict.fromkeys(values))

    @field_validator("ulimits")
    @classmethod
    def _ulimits_are_known(cls, values: dict[str, int]) -> dict[str, int]:
        for name, limit in values.items():
            if name not in ULIMIT_NAMES:
                raise ValueError(f"unknown ulimit {name!r}: use {', '.join(ULIMIT_NAMES)}")
            if not 0 <= limit <= 2**31 - 1:
                raise ValueError(f"ulimit {name} = {limit} is outside 0..2147483647")
        return values

    @field_validator("secrets")
    @classmethod
    def _secrets_are_references(cls, values: dict[str, str]) -> dict[str, str]:
        for name, reference in values.items():
            if not _ENV_NAME.match(name):
                raise ValueError(f"{name!r} is not a valid environment variable name")
            parse_secret_reference(name, reference)
        return values

    @field_validator("secrets_kms_key")
    @classmethod
    def _kms_key_is_key_arn(cls, value: str | None) -> str | None:
        if value is not None and not _KMS_KEY_ARN.match(value):
            raise ValueError("not a KMS key ARN: expected arn:aws:kms:REGION:ACCOUNT:key/ID "
                             "(IAM grants on key ARNs, not aliases)")
        return value

    @field_validator("dns_allowed_domains")
    @classmethod
    def _domains_are_dns_names(cls, values: list[str]) -> list[str]:
        names = [v.lower().rstrip(".") for v in values]
        for name in names:
            if not _DNS_NAME.match(name.removeprefix("*.")):
                raise ValueError(f"{name!r} is not a DNS name (a leading *. is allowed), "
                                 "e.g. api.example.com")
        return list(dict.fromkeys(names))

    @field_validator("hsts")
    @classmethod
    def _hsts_is_a_header_value(cls, value: str) -> str:
        if value.strip().lower() in ("off", "none"):  # an empty flag means "the default"
            return ""
        if value and not _HSTS.match(value):
            raise ValueError("use max-age=SECONDS, optionally with ; includeSubDomains and "
                             "; preload, or \"off\" for no header")
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _raw_value_fits_its_type(cls, value: Any, info: ValidationInfo) -> Any:
        """Before pydantic coerces: no true as a number, no 80.5 as a port, no control
        characters in any text (a container environment value may hold newlines and tabs)."""
        allowed = "\n\t" if info.field_name == "container_environment" else ""
        return raw_values.checked(cls.model_fields[info.field_name].annotation, value, allowed)

    @field_validator("name", "environment")
    @classmethod
    def _is_dns_label(cls, value: str) -> str:
        if not _NAME.match(value) or value.endswith("-") or "--" in value:
            raise ValueError(
                "use lowercase letters, digits and single hyphens, starting with a letter"
            )
        return value

    @field_validator("region")
    @classmethod
    def _region_looks_real(cls, value: str | None) -> str | None:
        if value is not None and not _REGION.match(value):
            raise ValueError("not an AWS region name: use one such as eu-west-1 or ap-southeast-2")
        return value

    @field_validator("tags")
    @classmethod
    def _tags_are_valid(cls, values: dict[str, str]) -> dict[str, str]:
        return _refuse(tags_problem(values), values)

    @field_validator("image")
    @classmethod
    def _image_is_a_reference(cls, value: str) -> str:
        return _refuse(image_problem(value), value)

    @field_validator("certificate_arn")
    @classmethod
    def _certificate_is_acm_arn(cls, value: str | None) -> str | None:
        if value is not None and not _CERT_ARN.match(value):
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
        if not _DNS_NAME.match(value):
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

    @field_validator("health_check_path")
    @classmethod
    def _path_is_a_url_path(cls, value: str | None) -> str | None:
        return value if value is None else _refuse(health.path_problem(value), value)

    @field_validator("health_check_matcher")
    @classmethod
    def _matcher_is_alb_codes(cls, value: str) -> str:
        return _refuse(health.matcher_problem(value), value)

    @field_validator("log_retention_days")
    @classmethod
    def _retention_is_allowed(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(
                "CloudWatch accepts only " + ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            )
        return value

    @field_validator("schedules")
    @classmethod
    def _schedules_fit_the_target(cls, values: list[ScheduledScaling]) -> list[ScheduledScaling]:
        if len(values) > MAX_SCHEDULES:
            raise ValueError(f"has {len(values)} schedules: Application Auto Scaling takes at "
                             f"most {MAX_SCHEDULES} per service")
        return values

    @field_validator("vpc_cidr")
    @classmethod
    def _vpc_cidr_is_network(cls, value: str) -> str:
        network = _parse_network(value)
        if not 16 <= network.prefixlen <= 28:
            raise ValueError("a VPC range must be between /16 and /28")
        return value

    @field_validator("public_subnet_cidrs", "private_subnet_cidrs", "allowed_cidrs")
    @classmethod
    def _cidrs_are_networks(cls, values: list[str]) -> list[str]:
        keys = [str(_parse_network(value, allow_v6=True)) for value in values]
        return _refuse(_twice(keys, values), values)

    @field_validator("task_egress")
    @classmethod
    def _egress_rules_parse(cls, values: list[str]) -> list[str]:
        rules = [parse_egress_rule(value) for value in values]
        keys = [f"{ipaddress.ip_network(r.cidr)}:{r.from_port}-{r.to_port}" for r in rules]
        return _refuse(_twice(keys, values), values)

    @field_validator("vpc_endpoints")
    @classmethod
    def _endpoints_are_known(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in KNOWN_ENDPOINTS]
        if unknown:
            raise ValueError(
                f"unknown endpoint {cut(unknown[0])}: choose from {', '.join(KNOWN_ENDPOINTS)}"
            )
        return list(dict.fromkeys(values))

    @field_validator("container_environment")
    @classmethod
    def _environment_fits_a_task(cls, values: dict[str, str]) -> dict[str, str]:
        return _refuse(environment_problem(values), values)

    @model_validator(mode="after")
    def _settings_agree(self) -> Settings:
        if self.health_check_path is None:
            self.health_check_path = "/" if self.uses_sample_image else "/health"
        problems = self.problems()
        if problems:
            raise SettingsProblems(problems)
        return self

    # Derived values the template and engine share.

    @property
    def uses_sample_image(self) -> bool:
        if self.build:
            return False
        return self.image.split(":")[0] in (SAMPLE_IMAGE, f"docker.io/{SAMPLE_IMAGE}")

    @property
    def uses_self_signed_certificate(self) -> bool:
        """HTTPS with neither a certificate nor a domain: fargo generates and imports one."""
        return self.https and not self.certificate_arn and not self.domain

    @property
    def registry_stack_name(self) -> str:
        return f"{self.stack_name}-registry"

    @property
    def stack_name(self) -> str:
        return f"{self.name}-{self.environment}"

    @property
    def container_name(self) -> str:
        return self.name

    @property
    def public_subnet_count(self) -> int:
        return max(2, self.az_count)

    @property
    def used_public_cidrs(self) -> list[str]:
        return self.public_subnet_cidrs[: self.public_subnet_count]

    @property
    def used_private_cidrs(self) -> list[str]:
        return [] if self.network == "public" else self.private_subnet_cidrs[: self.az_count]

    @property
    def interface_endpoints(self) -> list[str]:
        """Interface endpoints the template creates: none without private subnets."""
        if self.network == "public":
            return []
        endpoints = list(self.vpc_endpoints)
        if self.ecs_exec and "ssmmessages" not in endpoints:
            endpoints.append("ssmmessages")
        if self.network == "isolated":  # secrets are read through the task's network
            endpoints += [s for s in self.secret_services if s not in endpoints]
        return endpoints

    @property
    def container_variables(self) -> dict[str, str]:
        """PORT and ENVIRONMENT, overridden and extended by container_environment.

        (The original's L42-specific HEALTHCHECK, ENABLE_LOGGING and PRODUCT live in
        examples/l42/fargo.toml.)"""
        merged = {"PORT": str(self.port), "ENVIRONMENT": self.environment}
        merged.update(self.container_environment)
        return merged

    # Derived values of the untrusted-code settings (issue 10).

    @property
    def secret_references(self) -> list[SecretReference]:
        return [parse_secret_reference(n, r) for n, r in sorted(self.secrets.items())]

    @property
    def secret_services(self) -> list[str]:
        """The services ECS reads the secrets from: secretsmanager and/or ssm."""
        return sorted({r.service for r in self.secret_references})

    @property
    def image_repository(self) -> EcrRepository | None:
        return ecr_repository(self.image)

    @property
    def exec_log_group_name(self) -> str:
        return f"/fargate/service/{self.stack_name}/exec"

    @property
    def log_group_name(self) -> str:
        return f"/fargate/service/{self.stack_name}"

    @property
    def cpu_architecture(self) -> str:
        return "ARM64" if self.platform == "linux/arm64" else "X86_64"

    def advisories(self) -> list[Problem]:
        """Valid but worth a warning (a quota that can be raised, a policy name AWS may have
        added since, an insecure choice): printed as `warning:` lines, never blocking."""
        return self._input_advisories() + self._security_advisories()

    def _input_advisories(self) -> list[Problem]:
        """Valid input that may still fail: a quota AWS raises on request, a name AWS may
        have added since fargo's list was written."""
        found = []
        egress_cidrs = [parse_egress_rule(rule).cidr for rule in self.task_egress]
        rule_sets = quotas.security_group_rule_sets(
            self.allowed_cidrs, 2 if self.https else 1, egress_cidrs, self.network != "public")
        for rule_set in rule_sets:
            if rule_set.count > quotas.SECURITY_GROUP_RULE_QUOTA:
                found.append(Problem(
                    rule_set.settings[0],
                    f"the {rule_set.group} security group gets {rule_set.count} "
                    f"{rule_set.direction} IPv{rule_set.version} rules ({rule_set.why}), over "
                    f"the default quota of {quotas.SECURITY_GROUP_RULE_QUOTA} per group",
                    "ask AWS to raise the quota \"Inbound or outbound rules per security group\" "
                    "(Service Quotas, Amazon VPC) or list fewer ranges", rule_set.settings[1:],
                ))
        found += self._subnet_capacity_advisories()
        if self.https and self.tls_policy not in KNOWN_POLICIES:
            found.append(Problem(
                "tls_policy", f"tls_policy {shown(self.tls_policy)} is not a policy fargo knows",
                f"check the name against AWS's list (e.g. {DEFAULT_TLS_POLICY}); "
                "the deploy fails if ELB does not know it",
            ))
        return found

    def _security_advisories(self) -> list[Problem]:
        """Untrusted code and edge protection (issue 10): valid, but weaker than it could be."""
        found = []
        for variable in sorted(self.container_environment):
            if looks_secret(variable):
                found.append(Problem(
                    "container_environment", f"container_environment {variable} looks like a "
                    "credential: its value is readable by anyone who can describe the task "
                    "definition", f"move it to secrets ({variable} = \"arn:aws:secretsmanager:"
                    "...\" or \"ssm:/path\"): ECS then reads it at task start"))
        isolated = self.network == "isolated"
        if isolated and is_root_user(self.user) is not False:
            found.append(Problem(
                "user", "network isolated runs untrusted code as root" if self.user else
                "network isolated runs untrusted code as the image's own user (root for most "
                "images)", "set user to an unprivileged UID:GID the image supports, e.g. "
                "\"1000:1000\"", ("network",)))
        if isolated and self.ecs_exec:
            found.append(Problem(
                "ecs_exec", "ecs_exec is on in network isolated: code in the task can use the "
                "task role's credentials (Exec channels, writes to the Exec session log group)",
                "turn it on only while debugging; CloudTrail's ExecuteCommand records stay the "
                "audit trail", ("network",)))
        if "ALL" in self.drop_capabilities and (
            is_root_user(self.user) is not False or self.port < 1024
        ):
            found.append(Problem(
                "drop_capabilities", "drop_capabilities removes ALL while the container "
                + ("listens on a port below 1024" if self.port < 1024 else
                   "may start as root"), "if it fails to start, set user to an unprivileged "
                "UID and port >= 1024, or drop fewer capabilities", ("user", "port")))
        if self.writable_paths and not self.readonly_root_filesystem:
            found.append(Problem(
                "writable_paths", "writable_paths is set but the root file system is writable "
                "anyway", "set readonly_root_filesystem = true, or remove writable_paths",
                ("readonly_root_filesystem",)))
        if self.secrets_kms_key and not self.secrets:
            found.append(Problem("secrets_kms_key", "secrets_kms_key is set but secrets is empty",
                                 "remove it, or add the secrets it encrypts", ("secrets",)))
        if self.dns_firewall and not isolated and not self.dns_allowed_domains:
            found.append(Problem(
                "dns_firewall", f"dns_firewall is on in network {self.network}: tasks resolve "
                "only AWS's own names and the image's registry", "list every other name your "
                "code calls in dns_allowed_domains", ("dns_allowed_domains",)))
        return found

    def problems(self) -> list[Problem]:
        """Every rule that spans settings, so all of them are reported at once."""
        found: list[Problem] = []
        found += self._identity_problems()
        found += self._capacity_problems()
        found += self._network_problems()
        found += self._ipv6_problems()
        found += self._untrusted_code_problems()
        return found

    def _untrusted_code_problems(self) -> list[Problem]:
        """Untrusted code and edge protection (issue 10): combinations AWS would refuse."""
        found = []
        if self.readonly_root_filesystem and self.ecs_exec:
            found.append(Problem(
                "ecs_exec", "ecs_exec and readonly_root_filesystem are both on: ECS Exec's agent "
                "needs a writable root file system (AWS does not support the combination)",
                "turn ecs_exec off (it is off by default with a read-only root)",
                ("readonly_root_filesystem",)))
        clashes = sorted(set(self.secrets) & set(self.container_variables))
        if clashes:
            found.append(Problem(
                "secrets", f"secrets and container_environment both set {', '.join(clashes)}",
                "keep each variable in one of them", ("container_environment",)))
        if self.network == "isolated" and self.region:
            for reference in self.secret_references:
                if reference.region not in (None, self.region):
                    found.append(Problem(
                        "secrets", f"secret {reference.name} is in {reference.region} but "
                        f"network isolated reaches only {self.region}'s endpoints",
                        f"replicate the secret to {self.region} and name that ARN", ("network",)))
        return found

    def _identity_problems(self) -> list[Problem]:
        found = []
        if self.region is None:
            found.append(Problem("region", "region is not set",
                                 "set region in fargo.toml, FARGO_REGION or --region"))
        found += self._dns_problems()
        if self.build and not self.uses_default_image:
            found.append(Problem(
                "build", f"build and image ({cut(self.image)}) are both set",
                "remove image (build pushes its own image) or remove build", ("image",),
            ))
        if self.certificate_arn and self.region:
            certificate = _CERT_ARN.match(self.certificate_arn)
            cert_region, partition = certificate["region"], certificate["partition"]
            if partition != region_partition(self.region):
                found.append(Problem(
                    "certificate_arn", f"certificate_arn is in partition {partition} but region "
                    f"{self.region} is in {region_partition(self.region)}",
                    f"use a certificate issued in {self.region}", ("region",),
                ))
            elif cert_region != self.region:
                found.append(Problem(
                    "certificate_arn",
                    f"certificate_arn is in {cert_region} but region is {self.region}",
                    f"use a certificate issued in {self.region} (ALB certificates are regional)",
                    ("region",),
                ))
        if (self.health_check_timeout >= self.health_check_interval):
            found.append(Problem(
                "health_check_timeout",
                f"health_check_timeout ({self.health_check_timeout}) is not below "
                f"health_check_interval ({self.health_check_interval})",
                "lower the timeout or raise the interval", ("health_check_interval",),
            ))
        return found

    @property
    def uses_default_image(self) -> bool:
        return self.image == SAMPLE_IMAGE

    def _dns_problems(self) -> list[Problem]:
        if self.domain and not self.hosted_zone:
            return [Problem("domain", "domain is set but hosted_zone is not",
                            "set hosted_zone to the Route53 public zone that holds the domain")]
        if self.hosted_zone and not self.domain:
            return [Problem("hosted_zone", "hosted_zone is set but domain is not",
                            "set domain to the name to serve, inside that zone")]
        if self.domain and self.hosted_zone and not (
            self.domain == self.hosted_zone or self.domain.endswith("." + self.hosted_zone)
        ):
            return [Problem("domain", f"domain {self.domain} is not inside hosted_zone "
                            f"{self.hosted_zone}", "use a domain that ends with the zone's name",
                            ("hosted_zone",))]
        return []

    def _capacity_problems(self) -> list[Problem]:
        found = []
        size = size_problem(self.cpu, self.memory)
        if size:
            other = "memory" if size.setting == "cpu" else "cpu"
            found.append(Problem(size.setting, size.text, size.fix, (other,)))
        if self.min_count > self.max_count:
            found.append(Problem(
                "max_count", f"max_count ({self.max_count}) is below min_count ({self.min_count})",
                "raise max_count or lower min_count", ("min_count",),
            ))
        elif not self.min_count <= self.desired_count <= self.max_count:
            found.append(Problem(
                "desired_count",
                f"desired_count ({self.desired_count}) is outside min_count..max_count "
                f"({self.min_count}..{self.max_count})",
                "set desired_count between min_count and max_count", ("min_count", "max_count"),
            ))
        names = [s.name for s in self.schedules if s.name]
        automatic = {f"schedule-{i}" for i in range(1, len(self.schedules) + 1)}
        clashes = sorted({n for n in names if names.count(n) > 1 or n in automatic})
        if clashes:
            found.append(Problem(
                "schedules", f"schedules use the name {', '.join(clashes)} twice (or a name "
                "fargo gives an unnamed schedule)", "give each schedule its own name",
            ))
        for index, schedule in enumerate(self.schedules):
            if schedule.min_count > schedule.max_count:
                found.append(Problem(
                    "schedules", f"schedules[{index}] has min_count above max_count",
                    "make min_count <= max_count in that schedule",
                ))
        return found

    def _network_problems(self) -> list[Problem]:
        found = []
        vpc = _parse_network(self.vpc_cidr)
        if len(self.public_subnet_cidrs) < self.public_subnet_count:
            found.append(Problem(
                "public_subnet_cidrs",
                f"public_subnet_cidrs has {len(self.public_subnet_cidrs)} ranges but "
                f"{self.public_subnet_count} are needed",
                "add ranges or lower az_count",
            ))
        if self.network != "public" and len(self.private_subnet_cidrs) < self.az_count:
            found.append(Problem(
                "private_subnet_cidrs",
                f"private_subnet_cidrs has {len(self.private_subnet_cidrs)} ranges but "
                f"az_count is {self.az_count}",
                "add ranges or lower az_count",
            ))
        subnets = [("public_subnet_cidrs", c) for c in self.used_public_cidrs]
        subnets += [("private_subnet_cidrs", c) for c in self.used_private_cidrs]
        outside: dict[str, list[str]] = {}
        for setting, cidr in subnets:
            net = _parse_network(cidr, allow_v6=True)
            if net.version != 4 or not net.subnet_of(vpc):
                outside.setdefault(setting, []).append(cidr)
            elif not 16 <= net.prefixlen <= 28:
                found.append(Problem(setting, f"{setting}: {cidr} is not between /16 and /28",
                                     "use a subnet size AWS accepts"))
            elif setting == "public_subnet_cidrs" and net.prefixlen > quotas.ALB_SUBNET_PREFIX:
                smallest = quotas.ALB_SUBNET_PREFIX
                found.append(Problem(
                    setting, f"{setting}: {cidr} is smaller than /{smallest}",
                    f"the load balancer needs public subnets of /{smallest} or larger",
                ))
        for setting, cidrs in outside.items():
            # Often the subnets are defaults and vpc_cidr is what changed: name both.
            found.append(Problem(
                setting, f"{setting}: {', '.join(cidrs)} "
                f"{'is' if len(cidrs) == 1 else 'are'} outside vpc_cidr {vpc}",
                f"use {setting} inside {vpc}, or a vpc_cidr that holds them", ("vpc_cidr",)))
        for i, (setting_a, a) in enumerate(subnets):
            for setting_b, b in subnets[i + 1:]:
                if _parse_network(a, allow_v6=True).overlaps(_parse_network(b, allow_v6=True)):
                    found.append(Problem(setting_b, f"{setting_b}: {b} overlaps {a} ({setting_a})",
                                         "give every subnet its own range", (setting_a,)))
        if self.nat_per_az and self.network != "nat":
            found.append(Problem("nat_per_az", f"nat_per_az is set but network is {self.network}",
                                 "remove nat_per_az or set network = \"nat\""))
        if self.network == "isolated":
            missing = [e for e in PLATFORM_ENDPOINTS if e not in self.vpc_endpoints]
            if missing:
                found.append(Problem(
                    "vpc_endpoints", f"network isolated needs endpoints {', '.join(missing)}",
                    "add them to vpc_endpoints: without them no image is pulled and no log written",
                    ("network",),
                ))
            ecr = _PRIVATE_ECR.match(self.image)
            if self.build:
                pass  # built images go to this account's ECR in this region
            elif not ecr:
                found.append(Problem(
                    "image", f"network isolated cannot pull {cut(self.image)} (no internet "
                    "access)",
                    "push the image to this account's private ECR, or use network = \"nat\"",
                    ("network",),
                ))
            elif self.region and ecr["region"] != self.region:
                found.append(Problem(
                    "image", f"image is in ECR of {ecr['region']} but region is {self.region}",
                    "isolated tasks reach only their own region's ECR: copy the image there",
                ))
        return found

    def _subnet_capacity_advisories(self) -> list[Problem]:
        """A rollout runs up to twice max_count tasks (maximum percent 200), each with its own
        address in the task subnets, beside the endpoints' (and in public subnets the load
        balancer's) addresses. AWS keeps 5 addresses of every subnet."""
        public = self.network == "public"
        cidrs = self.used_public_cidrs if public else self.used_private_cidrs
        taken = quotas.ALB_SUBNET_ADDRESSES if public else len(self.interface_endpoints)
        free = quotas.free_addresses(cidrs, taken)
        needed = 2 * self.max_count
        if free >= needed:
            return []
        setting = "public_subnet_cidrs" if public else "private_subnet_cidrs"
        return [Problem(
            "max_count", f"the task subnets ({', '.join(cidrs)}) have about {free} free "
            f"addresses but a rollout at max_count {self.max_count} needs up to {needed}",
            f"use larger {setting} or a lower max_count: tasks that find no address fail to "
            "start", (setting, "az_count"),
        )]

    def _ipv6_problems(self) -> list[Problem]:
        """IPv6 sources need a dual-stack load balancer: fargo's is IPv4-only unless ipv6 is on."""
        v6 = [c for c in self.allowed_cidrs if ipaddress.ip_network(c).version == 6]
        if not v6 or self.ipv6:
            return []
        return [Problem(
            "allowed_cidrs", f"allowed_cidrs has the IPv6 range {v6[0]} but the load balancer "
            "is IPv4-only", "set ipv6 = true for a dual-stack load balancer, or remove the IPv6 "
            "ranges (clients reach it over IPv4)", ("ipv6",),
        )]


def region_partition(region: str) -> str:
    """The ARN partition of a region: aws-cn for China, aws-us-gov for GovCloud, else aws."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def _refuse(problem: str | None, value: Any) -> Any:
    """A field validator's end: raise the problem (pydantic reports it) or pass the value."""
    if problem:
        raise ValueError(problem)
    return value


def _twice(keys: list[str], shown_as: list[str] | None = None) -> str | None:
    """"X is listed twice" for the first repeated key (AWS refuses duplicate rules)."""
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            value = (shown_as or keys)[index]
            return f"{shown(value)} is listed twice (or once more in another form): keep one"
        seen.add(key)
    return None


class EgressRule(NamedTuple):
    cidr: str
    from_port: int
    to_port: int


def parse_egress_rule(text: str) -> EgressRule:
    """Read `CIDR:PORT` or `CIDR:FROM-TO` (TCP); ValueError says what is wrong."""
    cidr, sep, ports = text.rpartition(":")
    if not sep or not cidr:
        raise ValueError(f"{shown(text)} is not CIDR:PORT, e.g. 0.0.0.0/0:443")
    _parse_network(cidr, allow_v6=True)
    low, _, high = ports.partition("-")
    if not (low.isascii() and low.isdigit() and (not high or high.isascii() and high.isdigit())):
        raise ValueError(f"{shown(text)}: port {shown(ports)} is not a number or FROM-TO range")
    from_port, to_port = int(low[:6]), int((high or low)[:6])
    if not (1 <= from_port <= to_port <= 65535):
        raise ValueError(f"{shown(text)}: ports must be 1-65535 with FROM <= TO")
    return EgressRule(cidr, from_port, to_port)


def _parse_network(
    value: str, allow_v6: bool = False
) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if not isinstance(value, str) or "/" not in value or "%" in value:
        raise ValueError(f"{shown(value)} is not a CIDR range: write ADDRESS/PREFIX, e.g. "
                         "10.0.0.0/16")
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(value, strict=False)
        except ValueError:
            raise ValueError(f"{shown(value)} is not a CIDR range: write ADDRESS/PREFIX, e.g. "
                             "10.0.0.0/16") from None
        raise ValueError(f"{shown(value)} has host bits set: use {loose}") from None
    if network.version == 6 and not allow_v6:
        raise ValueError(f"{shown(value)}: an IPv4 range is needed here")
    return network


# Untrusted code and edge protection (issue 10): references and raw-value helpers.

class SecretReference(NamedTuple):
    """Where ECS reads one secret, and what the execution role may read for it.

    value_from and resources are CloudFormation Fn::Sub texts (they may name ${AWS::Region},
    ${AWS::AccountId}, ${AWS::Partition}); region is None for "the stack's region".
    """

    name: str
    service: Literal["secretsmanager", "ssm"]
    value_from: str
    resources: tuple[str, ...]
    region: str | None


def parse_secret_reference(name: str, reference: str) -> SecretReference:
    """Read a `secrets` entry; ValueError says what is wrong.

    Secrets Manager: the secret's ARN, optionally with ECS's `:json-key:version-stage:
    version-id` selector. The role may read the ARN as given and the ARN followed by AWS's
    random `-??????` suffix, so a partial ARN (without the suffix) works as well as a complete
    one. SSM Parameter Store: the parameter's ARN, or `ssm:/path` for one in this account and
    region.
    """
    secret = _SECRETS_MANAGER_ARN.match(reference)
    if secret:
        base = reference[: secret.start("selector")] if secret["selector"] else reference
        return SecretReference(name, "secretsmanager", reference, (base, base + "-??????"),
                               secret["region"])
    parameter = _SSM_ARN.match(reference)
    if parameter:
        return SecretReference(name, "ssm", reference, (reference,), parameter["region"])
    short = _SSM_NAME.match(reference)
    if short:
        arn = ("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/"
               + short["name"].removeprefix("/"))
        return SecretReference(name, "ssm", arn, (arn,), None)
    raise ValueError(
        f"{name} = {reference!r} is not a secret reference: use a Secrets Manager ARN "
        "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME[:json-key::]), an SSM parameter "
        "ARN, or ssm:/parameter/path"
    )


class EcrRepository(NamedTuple):
    account: str
    region: str
    name: str


def ecr_repository(image: str) -> EcrRepository | None:
    """The private ECR repository an image reference names, or None for any other registry."""
    match = _ECR_IMAGE.match(image)
    return EcrRepository(match["account"], match["region"], match["repository"]) if match else None


def is_root_user(user: str | None) -> bool | None:
    """True for root (by name or UID 0), False for another user, None when the image decides."""
    if user is None:
        return None
    return _is_root_user(user)


def looks_secret(variable: str) -> bool:
    """DB_PASSWORD, API_KEY, GITHUB_TOKEN...: a name whose value is probably a credential."""
    parts = set(re.split(r"[_\W]+", variable.upper()))
    return bool(parts & SECRET_LOOKING_PARTS) or variable.upper().endswith(
        ("PASSWORD", "SECRET", "TOKEN", "APIKEY"))


def _is_root_user(user: str) -> bool:
    return user.split(":")[0] in ("0", "root")


def _raw_true(value: Any) -> bool:
    """A raw boolean as the settings layers give it (bool from TOML, flags; text elsewhere)."""
    return value is True or (isinstance(value, str) and value.strip().lower() in
                             ("true", "yes", "1", "on"))


def _raw_int(value: Any) -> int | None:
    """A raw port as given, or None for anything else (the field's own check reports it)."""
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None
