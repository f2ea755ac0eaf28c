"""What a template says that costs money: task sizes and counts, capacity, load balancers, NAT
gateways, endpoints, public addresses, log groups, WAF, DNS firewall, alarms, dashboards,
access-log buckets and registries. Read from the template dict alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from fargo.cost import cfn

FREE_EPHEMERAL_GB = 20.0
# Application Auto Scaling creates two CloudWatch alarms (high and low) per target-tracking
# policy; they are billed like any other alarm.
ALARMS_PER_TARGET_TRACKING = 2


@dataclass(frozen=True)
class Capacity:
    """How ECS places tasks: a base of on-demand tasks, then the rest split by weight."""

    base_on_demand: int = 0
    on_demand_weight: float = 1.0
    spot_weight: float = 0.0
    base_spot: int = 0

    def split(self, tasks: float) -> tuple[float, float]:
        """(on-demand, Spot) tasks out of `tasks`: bases first, then by weight."""
        on_demand = min(tasks, self.base_on_demand)
        spot = min(tasks - on_demand, self.base_spot)
        rest = tasks - on_demand - spot
        weights = self.on_demand_weight + self.spot_weight
        if rest > 0 and weights > 0:
            on_demand += rest * self.on_demand_weight / weights
            spot += rest * self.spot_weight / weights
        elif rest > 0:
            on_demand += rest
        return on_demand, spot

    @property
    def uses_spot(self) -> bool:
        return self.spot_weight > 0 or self.base_spot > 0


ON_DEMAND = Capacity()


@dataclass(frozen=True)
class ServiceFacts:
    logical_id: str
    vcpu: float
    memory_gb: float
    arm: bool
    ephemeral_gb: float
    min_tasks: int
    max_tasks: int
    capacity: Capacity
    public_ip: bool
    container_insights: bool | None  # None: its cluster is in another stack


@dataclass(frozen=True)
class LoadBalancerFacts:
    logical_id: str
    application: bool
    internet_facing: bool
    zones: int
    access_log_bucket: str | None


@dataclass(frozen=True)
class EndpointFacts:
    logical_id: str
    service: str
    zones: int


@dataclass(frozen=True)
class LogGroupFacts:
    logical_id: str
    kind: str  # "container", "flow", "waf", "exec", "other"
    retention_days: int | None


@dataclass(frozen=True)
class Facts:
    services: tuple[ServiceFacts, ...]
    load_balancers: tuple[LoadBalancerFacts, ...]
    nat_gateways: int
    elastic_ips: int
    interface_endpoints: tuple[EndpointFacts, ...]
    gateway_endpoints: int
    log_groups: tuple[LogGroupFacts, ...]
    web_acl_rules: tuple[int, ...]  # rules per web ACL
    dns_firewall_domains: int
    dns_firewall_vpcs: int
    alarms: int
    target_tracking_policies: int
    dashboards: int
    kms_keys: int
    bucket_expiry_days: dict[str, int | None]
    repositories: int
    clusters_with_insights: int


def read(template: cfn.Template) -> Facts:
    groups = _log_groups(template)
    return Facts(
        services=tuple(_services(template)),
        load_balancers=tuple(_load_balancers(template)),
        nat_gateways=sum(1 for r in cfn.resources(template, "AWS::EC2::NatGateway").values()
                         if cfn.properties(r).get("ConnectivityType", "public") == "public"),
        elastic_ips=len(cfn.resources(template, "AWS::EC2::EIP")),
        interface_endpoints=tuple(_interface_endpoints(template)),
        gateway_endpoints=sum(
            1 for r in cfn.resources(template, "AWS::EC2::VPCEndpoint").values()
            if cfn.properties(r).get("VpcEndpointType", "Gateway") == "Gateway"),
        log_groups=tuple(groups),
        web_acl_rules=tuple(cfn.count(cfn.properties(r).get("Rules"))
                            for r in cfn.resources(template, "AWS::WAFv2::WebACL").values()),
        dns_firewall_domains=sum(
            cfn.count(cfn.properties(r).get("Domains"))
            for r in cfn.resources(template, "AWS::Route53Resolver::FirewallDomainList").values()),
        dns_firewall_vpcs=len(cfn.resources(
            template, "AWS::Route53Resolver::FirewallRuleGroupAssociation")),
        alarms=len(cfn.resources(template, "AWS::CloudWatch::Alarm")),
        target_tracking_policies=sum(
            1 for r in cfn.resources(
                template, "AWS::ApplicationAutoScaling::ScalingPolicy").values()
            if cfn.properties(r).get("PolicyType") == "TargetTrackingScaling"),
        dashboards=len(cfn.resources(template, "AWS::CloudWatch::Dashboard")),
        kms_keys=len(cfn.resources(template, "AWS::KMS::Key")),
        bucket_expiry_days={k: _expiry_days(r) for k, r in
                            cfn.resources(template, "AWS::S3::Bucket").items()},
        repositories=len(cfn.resources(template, "AWS::ECR::Repository")),
        clusters_with_insights=sum(1 for r in cfn.resources(template, "AWS::ECS::Cluster").values()
                                   if _insights(r)),
    )


def _services(template):
    clusters = cfn.resources(template, "AWS::ECS::Cluster")
    definitions = cfn.resources(template, "AWS::ECS::TaskDefinition")
    scaling = cfn.resources(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    services = cfn.resources(template, "AWS::ECS::Service")
    for logical_id, resource in services.items():
        props = cfn.properties(resource)
        definition = cfn.properties(definitions.get(cfn.target(props.get("TaskDefinition")), {}))
        platform = definition.get("RuntimePlatform", {}) or {}
        ephemeral = cfn.number(template, (definition.get("EphemeralStorage") or {})
                               .get("SizeInGiB"), FREE_EPHEMERAL_GB)
        desired = int(cfn.number(template, props.get("DesiredCount"), 1) or 0)
        low, high = _scaling_range(template, scaling, logical_id, len(services), desired)
        network = (props.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
        cluster = clusters.get(cfn.target(props.get("Cluster")), {})
        yield ServiceFacts(
            logical_id=logical_id,
            vcpu=(cfn.number(template, definition.get("Cpu"), 256) or 256) / 1024,
            memory_gb=(cfn.number(template, definition.get("Memory"), 512) or 512) / 1024,
            arm=str(platform.get("CpuArchitecture", "X86_64")).upper() == "ARM64",
            ephemeral_gb=ephemeral or FREE_EPHEMERAL_GB,
            min_tasks=low, max_tasks=high,
            capacity=_capacity(template, props),
            public_ip=network.get("AssignPublicIp") == "ENABLED",
            container_insights=_insights(cluster) if cluster else None,
        )


def _scaling_range(template, scaling, service_id, service_count, desired) -> tuple[int, int]:
    for resource in scaling.values():
        props = cfn.properties(resource)
        if props.get("ScalableDimension") != "ecs:service:DesiredCount":
            continue
        if service_id in set(cfn.targets(props.get("ResourceId"))) or service_count == 1:
            low = int(cfn.number(template, props.get("MinCapacity"), desired) or 0)
            high = int(cfn.number(template, props.get("MaxCapacity"), low) or low)
            return low, max(low, high)
    return desired, desired


def _capacity(template, props) -> Capacity:
    strategy = props.get("CapacityProviderStrategy")
    if not strategy or props.get("LaunchType") == "FARGATE":
        return ON_DEMAND
    base_od = base_spot = 0
    od_weight = spot_weight = 0.0
    for item in strategy:
        provider = item.get("CapacityProvider")
        base = int(cfn.number(template, item.get("Base"), 0) or 0)
        weight = cfn.number(template, item.get("Weight"), 0) or 0.0
        if provider == "FARGATE_SPOT":
            base_spot, spot_weight = base_spot + base, spot_weight + weight
        else:
            base_od, od_weight = base_od + base, od_weight + weight
    return Capacity(base_od, od_weight, spot_weight, base_spot)


def _insights(cluster) -> bool:
    for setting in cfn.properties(cluster).get("ClusterSettings", []) or []:
        if setting.get("Name") == "containerInsights" and setting.get("Value") in (
                "enabled", "enhanced"):
            return True
    return False


def _load_balancers(template):
    for logical_id, resource in cfn.resources(
            template, "AWS::ElasticLoadBalancingV2::LoadBalancer").items():
        props = cfn.properties(resource)
        attributes = {a.get("Key"): a.get("Value")
                      for a in props.get("LoadBalancerAttributes", []) or []}
        bucket = None
        if str(attributes.get("access_logs.s3.enabled", "false")).lower() == "true":
            bucket = cfn.target(attributes.get("access_logs.s3.bucket")) or "external"
        zones = cfn.count(props.get("Subnets")) or cfn.count(props.get("SubnetMappings"))
        yield LoadBalancerFacts(
            logical_id=logical_id,
            application=props.get("Type", "application") == "application",
            internet_facing=props.get("Scheme", "internet-facing") == "internet-facing",
            zones=zones, access_log_bucket=bucket,
        )


def _interface_endpoints(template):
    for logical_id, resource in cfn.resources(template, "AWS::EC2::VPCEndpoint").items():
        props = cfn.properties(resource)
        if props.get("VpcEndpointType") != "Interface":
            continue
        service = cfn.endpoint_service(props.get("ServiceName", ""))
        yield EndpointFacts(logical_id, service, max(1, cfn.count(props.get("SubnetIds"))))


def _log_groups(template) -> list[LogGroupFacts]:
    container_refs: set[str] = set()
    for resource in cfn.resources(template, "AWS::ECS::TaskDefinition").values():
        for container in cfn.properties(resource).get("ContainerDefinitions", []) or []:
            options = ((container.get("LogConfiguration") or {}).get("Options") or {})
            container_refs.update(cfn.targets(options.get("awslogs-group")))
    flow_refs = {t for r in cfn.resources(template, "AWS::EC2::FlowLog").values()
                 for t in cfn.targets(cfn.properties(r).get("LogGroupName"))}
    waf_refs = {t for r in cfn.resources(template, "AWS::WAFv2::LoggingConfiguration").values()
                for t in cfn.targets(cfn.properties(r).get("LogDestinationConfigs"))}
    exec_refs = {t for r in cfn.resources(template, "AWS::ECS::Cluster").values()
                 for t in cfn.targets(cfn.properties(r).get("Configuration"))}
    groups = []
    for logical_id, resource in cfn.resources(template, "AWS::Logs::LogGroup").items():
        props = cfn.properties(resource)
        name = cfn.text(props.get("LogGroupName", ""))
        if logical_id in container_refs:
            kind = "container"
        elif logical_id in flow_refs:
            kind = "flow"
        elif logical_id in waf_refs or name.startswith("aws-waf-logs-"):
            kind = "waf"
        elif logical_id in exec_refs:
            kind = "exec"
        else:
            kind = "other"
        retention = cfn.number(template, props.get("RetentionInDays"))
        groups.append(LogGroupFacts(logical_id, kind, int(retention) if retention else None))
    return groups


def _expiry_days(bucket) -> int | None:
    rules = (cfn.properties(bucket).get("LifecycleConfiguration") or {}).get("Rules", []) or []
    days = [int(r["ExpirationInDays"]) for r in rules
            if r.get("Status") == "Enabled" and isinstance(r.get("ExpirationInDays"), int)]
    return min(days) if days else None
