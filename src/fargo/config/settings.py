"""The one model of a fargo service: every setting, its default and its rules.

Defaults start from the original L42 Terraform deployment (shared/seed/settings.md), minus its
known weaknesses. Field descriptions feed `fargo init`'s commented file and the README table.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fargo.config.fargate import size_problem

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
# Every AWS region name is AREA-DIRECTION-N; naming the directions catches typos like eu-wst-1.
_REGION = re.compile(
    r"^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob)-"
    r"(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$"
)
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_CERT_ARN = re.compile(
    r"^arn:aws(-cn|-us-gov)?:acm:(?P<region>[a-z0-9-]+):\d{12}:certificate/[A-Za-z0-9-]+$"
)
_PRIVATE_ECR = re.compile(
    r"^\d{12}\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/[a-z0-9._/-]+([:@].+)?$"
)
_DNS_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_CRON = re.compile(r"^cron\((?P<body>[^()]+)\)$")
_AT = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*?/,\-#L W]+$")


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

    schedule: str = Field(description="cron(min hour day-of-month month day-of-week year) or at(...)")
    min_count: int = Field(ge=0, le=1000)
    max_count: int = Field(ge=0, le=1000)
    timezone: str = "UTC"
    name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,200}$")

    @field_validator("schedule")
    @classmethod
    def _schedule_is_valid(cls, value: str) -> str:
        problem = schedule_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone_is_known(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}: use an IANA name such as Europe/Berlin"
            ) from None
        return value


def schedule_problem(expression: str) -> str | None:
    """Why Application Auto Scaling would reject this schedule, or None."""
    if _AT.match(expression):
        return None
    match = _CRON.match(expression.strip())
    if not match:
        return f"{expression!r} is not cron(...) or at(yyyy-mm-ddThh:mm:ss)"
    fields = match["body"].split()
    if len(fields) != 6:
        return (
            f"{expression!r} has {len(fields)} fields; cron needs 6: "
            "minutes hours day-of-month month day-of-week year"
        )
    if any(not _CRON_FIELD.match(f) for f in fields):
        return f"{expression!r} has characters cron does not accept"
    day_of_month, day_of_week = fields[2], fields[4]
    if (day_of_month == "?") == (day_of_week == "?"):
        return f"{expression!r}: exactly one of day-of-month and day-of-week must be '?'"
    return None


class Settings(BaseModel):
    """Everything fargo needs to render and deploy one service."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    # Identity and placement
    name: str = Field("l42", min_length=1, max_length=24, description="Service name; with environment it names the stack")
    environment: str = Field("dev", min_length=1, max_length=16, description="Environment name, e.g. dev or prod")
    region: str | None = Field(None, description="AWS region to deploy to (required), e.g. eu-west-1")
    tags: dict[str, str] = Field(default_factory=dict, description="Extra tags on every resource (Name and Environment are always set)")

    # Container
    image: str = Field(SAMPLE_IMAGE, min_length=1, description="Container image to run")
    build: str | None = Field(None, min_length=1, description="Build the image from this directory (with its Dockerfile) and push it to the service's own ECR repository")
    keep_images: int = Field(10, ge=1, le=1000, description="Images the service's ECR repository keeps; older ones expire")
    port: int = Field(80, ge=1, le=65535, description="Port the container listens on")
    cpu: int = Field(1024, description="Task CPU units (256, 512, 1024, 2048, 4096, 8192, 16384)")
    memory: int = Field(2048, description="Task memory in MiB; must fit the CPU size on Fargate")
    platform: Literal["linux/amd64", "linux/arm64"] = Field("linux/amd64", description="Task CPU architecture")
    container_environment: dict[str, str] = Field(default_factory=dict, description="Container environment variables, merged over PORT, HEALTHCHECK, ENABLE_LOGGING, PRODUCT, ENVIRONMENT")
    readonly_root_filesystem: bool = Field(False, description="Mount the container's root file system read-only")
    ecs_exec: bool = Field(True, description="Allow `aws ecs execute-command` into tasks (adds an ssmmessages endpoint)")
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
    tls_policy: str = Field(DEFAULT_TLS_POLICY, pattern=r"^ELBSecurityPolicy-[A-Za-z0-9-]+$", description="TLS policy of the HTTPS listener")
    http_redirect_code: Literal[301, 302] = Field(302, description="Status of the HTTP to HTTPS redirect (302 avoids browsers caching it)")
    allowed_cidrs: list[str] = Field(default_factory=lambda: ["0.0.0.0/0"], description="Source CIDRs allowed to reach the load balancer")
    health_check_path: str | None = Field(None, description="Health check path; default / for the sample image, else /health")
    health_check_interval: int = Field(60, ge=5, le=300, description="Seconds between health checks")
    health_check_timeout: int = Field(10, ge=2, le=120, description="Seconds before a health check fails")
    health_check_matcher: str = Field("200", pattern=r"^\d{3}([,-]\d{3})*$", description="HTTP codes that count as healthy")
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
    def _is_dns_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.lower().rstrip(".")
        if not _DNS_NAME.match(value):
            raise ValueError("not a DNS name: use letters, digits and hyphens in dot-separated "
                             "labels, e.g. app.example.com")
        return value

    @field_validator("health_check_path")
    @classmethod
    def _path_is_absolute(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("/") or " " in value):
            raise ValueError("must start with / and contain no spaces, e.g. /health")
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _retention_is_allowed(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(
                "CloudWatch accepts only " + ", ".join(str(d) for d in LOG_RETENTION_DAYS)
            )
        return value

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
        for value in values:
            _parse_network(value, allow_v6=True)
        return values

    @field_validator("task_egress")
    @classmethod
    def _egress_rules_parse(cls, values: list[str]) -> list[str]:
        for value in values:
            parse_egress_rule(value)
        return values

    @field_validator("vpc_endpoints")
    @classmethod
    def _endpoints_are_known(cls, values: list[str]) -> list[str]:
        unknown = [v for v in values if v not in KNOWN_ENDPOINTS]
        if unknown:
            raise ValueError(
                f"unknown endpoint {', '.join(unknown)}: choose from {', '.join(KNOWN_ENDPOINTS)}"
            )
        return list(dict.fromkeys(values))

    @field_validator("container_environment")
    @classmethod
    def _env_names_are_valid(cls, values: dict[str, str]) -> dict[str, str]:
        for key in values:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
                raise ValueError(f"{key!r} is not a valid environment variable name")
        return values

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
        return endpoints

    @property
    def container_variables(self) -> dict[str, str]:
        """The original's five variables, overridden and extended by container_environment."""
        merged = {
            "PORT": str(self.port),
            "HEALTHCHECK": self.health_check_path or "/health",
            "ENABLE_LOGGING": "true",
            "PRODUCT": self.name,
            "ENVIRONMENT": self.environment,
        }
        merged.update(self.container_environment)
        return merged

    @property
    def cpu_architecture(self) -> str:
        return "ARM64" if self.platform == "linux/arm64" else "X86_64"

    def advisories(self) -> list[Problem]:
        """Valid but worth a warning (a quota that can be raised, a policy name AWS may have
        added since, an insecure choice): printed as `warning:` lines, never blocking."""
        return self._input_advisories() + self._security_advisories()

    def _input_advisories(self) -> list[Problem]:
        return []

    def _security_advisories(self) -> list[Problem]:
        return []

    def problems(self) -> list[Problem]:
        """Every rule that spans settings, so all of them are reported at once."""
        found: list[Problem] = []
        found += self._identity_problems()
        found += self._capacity_problems()
        found += self._network_problems()
        return found

    def _identity_problems(self) -> list[Problem]:
        found = []
        if self.region is None:
            found.append(Problem("region", "region is not set",
                                 "set region in fargo.toml, FARGO_REGION or --region"))
        found += self._dns_problems()
        if self.build and not self.uses_default_image:
            found.append(Problem(
                "build", f"build and image ({self.image}) are both set",
                "remove image (build pushes its own image) or remove build", ("image",),
            ))
        if self.certificate_arn and self.region:
            cert_region = _CERT_ARN.match(self.certificate_arn)["region"]
            if cert_region != self.region:
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
            field = "cpu" if size.startswith("cpu") else "memory"
            other = "memory" if field == "cpu" else "cpu"
            found.append(Problem(field, size.split(": ")[0], size.split(": ", 1)[1], (other,)))
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
        for setting, cidr in subnets:
            net = _parse_network(cidr, allow_v6=True)
            if net.version != 4 or not net.subnet_of(vpc):
                found.append(Problem(setting, f"{setting}: {cidr} is outside vpc_cidr {vpc}",
                                     f"use a range inside {vpc}"))
            elif not 16 <= net.prefixlen <= 28:
                found.append(Problem(setting, f"{setting}: {cidr} is not between /16 and /28",
                                     "use a subnet size AWS accepts"))
        for i, (setting_a, a) in enumerate(subnets):
            for setting_b, b in subnets[i + 1:]:
                if _parse_network(a, allow_v6=True).overlaps(_parse_network(b, allow_v6=True)):
                    found.append(Problem(setting_b, f"{setting_b}: {b} overlaps {a} ({setting_a})",
                                         "give every subnet its own range"))
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
                    "image", f"network isolated cannot pull {self.image} (no internet access)",
                    "push the image to this account's private ECR, or use network = \"nat\"",
                    ("network",),
                ))
            elif self.region and ecr["region"] != self.region:
                found.append(Problem(
                    "image", f"image is in ECR of {ecr['region']} but region is {self.region}",
                    "isolated tasks reach only their own region's ECR: copy the image there",
                ))
        return found


class EgressRule(NamedTuple):
    cidr: str
    from_port: int
    to_port: int


def parse_egress_rule(text: str) -> EgressRule:
    """Read `CIDR:PORT` or `CIDR:FROM-TO` (TCP); ValueError says what is wrong."""
    cidr, sep, ports = text.rpartition(":")
    if not sep or not cidr:
        raise ValueError(f"{text!r} is not CIDR:PORT, e.g. 0.0.0.0/0:443")
    _parse_network(cidr, allow_v6=True)
    low, _, high = ports.partition("-")
    try:
        from_port, to_port = int(low), int(high or low)
    except ValueError:
        raise ValueError(f"{text!r}: port {ports!r} is not a number or FROM-TO range") from None
    if not (1 <= from_port <= to_port <= 65535):
        raise ValueError(f"{text!r}: ports must be 1-65535 with FROM <= TO")
    return EgressRule(cidr, from_port, to_port)


def _parse_network(
    value: str, allow_v6: bool = False
) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a CIDR range ({exc})") from None
    if network.version == 6 and not allow_v6:
        raise ValueError(f"{value!r}: an IPv4 range is needed here")
    return network
