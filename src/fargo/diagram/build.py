"""The system a synthesised template builds, read from the template dict alone.

Internet -> load balancer (its listeners and TLS policy) in the public subnets -> target
group(s) -> tasks in their subnets, one node per AZ; NAT gateways, interface endpoints, the S3
gateway, DNS firewall and WAF where the template has them; the registry and the certificate
beside. Request edges carry the ports the security groups allow; route edges show where a
subnet's default route leads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from fargo.cost import cfn
from fargo.diagram import labels as words
from fargo.diagram import network as topology
from fargo.diagram.model import Edge, Group, Node, System
from fargo.diagram.network import ANYWHERE

INTERNET = "internet"


def system(template: Mapping[str, Any], title: str = "") -> System:
    return _Reader(template).system(title or words.title(template))


class _Reader:
    def __init__(self, template: Mapping[str, Any]) -> None:
        self.t = template
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self.subnets = topology.subnets(template)

    def add(self, node: Node) -> Node:
        self.nodes[node.id] = node
        return node

    def connect(self, source: str, target: str, kind: str, label: str = "") -> None:
        key = (source, target, kind)
        self.edges[key]  # noqa: B018  (creates the edge even without a label)
        if label:
            self.edges[key].add(label)

    # -- the system --------------------------------------------------------------------------

    def system(self, title: str) -> System:
        self.add(Node(INTERNET, "internet", "Internet"))
        owners: dict[str, list[str]] = defaultdict(list)  # security group -> node ids
        lb_ids = self._load_balancers(owners)
        task_ids = self._services(owners)
        nat_ids = self._nat_gateways()
        endpoint_id = self._endpoints(owners)
        s3_id = self._s3_gateway()
        self._beside(lb_ids, task_ids)
        self._security_edges(owners, nat_ids, s3_id)
        for nat in nat_ids.values():
            self.connect(nat, INTERNET, "route", "")
        return System(
            title=title, nodes=tuple(self.nodes.values()),
            edges=tuple(Edge(s, t, k, ", ".join(sorted(labels, key=words.port_order)))
                        for (s, t, k), labels in self.edges.items()),
            groups=(self._vpc_group(lb_ids, task_ids, nat_ids, endpoint_id, s3_id),),
        )

    def _load_balancers(self, owners) -> list[str]:
        ids = []
        listeners = cfn.resources(self.t, "AWS::ElasticLoadBalancingV2::Listener")
        groups = cfn.resources(self.t, "AWS::ElasticLoadBalancingV2::TargetGroup")
        for logical_id, resource in cfn.resources(
                self.t, "AWS::ElasticLoadBalancingV2::LoadBalancer").items():
            props = cfn.properties(resource)
            mine = {k: cfn.properties(v) for k, v in listeners.items()
                    if cfn.target(cfn.properties(v).get("LoadBalancerArn")) == logical_id}
            scheme = props.get("Scheme", "internet-facing")
            details = [f"{scheme}, {props.get('IpAddressType', 'ipv4')}"]
            details += [words.listener(p) for p in sorted(mine.values(), key=lambda p: -p["Port"])]
            node = self.add(Node(logical_id, "load_balancer", "Application Load Balancer",
                                 tuple(details)))
            ids.append(node.id)
            for group in props.get("SecurityGroups", []) or []:
                owners[cfn.target(group)].append(node.id)
            for listener in mine.values():
                for action in listener.get("DefaultActions", []) or []:
                    group_id = cfn.target(action.get("TargetGroupArn"))
                    if group_id in groups:
                        self._target_group(group_id, groups[group_id])
                        self.connect(node.id, group_id, "traffic",
                                     f"{listener['Protocol']} :{listener['Port']}")
        return ids

    def _target_group(self, logical_id: str, resource) -> None:
        if logical_id in self.nodes:
            return
        props = cfn.properties(resource)
        details = (f"{props.get('Protocol', 'HTTP')} :{cfn.text(props.get('Port', ''))}, "
                   f"targets: {props.get('TargetType', 'instance')}",
                   f"health check {props.get('HealthCheckPath', '/')}")
        self.add(Node(logical_id, "target_group", "Target group", details))

    def _services(self, owners) -> list[str]:
        ids = []
        definitions = cfn.resources(self.t, "AWS::ECS::TaskDefinition")
        for logical_id, resource in cfn.resources(self.t, "AWS::ECS::Service").items():
            props = cfn.properties(resource)
            definition = cfn.properties(
                definitions.get(cfn.target(props.get("TaskDefinition")), {}))
            network = (props.get("NetworkConfiguration") or {}).get("AwsvpcConfiguration") or {}
            size = (f"{words.n(cfn.number(self.t, definition.get('Cpu'), 256) / 1024)} vCPU / "
                    f"{words.n(cfn.number(self.t, definition.get('Memory'), 512) / 1024)} GB, "
                    + ((definition.get("RuntimePlatform") or {}).get("CpuArchitecture")
                       or "X86_64"))
            capacity = words.capacity(props)
            public = network.get("AssignPublicIp") == "ENABLED"
            subnets = network.get("Subnets") or []
            for position, subnet in enumerate(subnets if isinstance(subnets, list)
                                              else [subnets], start=1):
                known = self.subnets.get(cfn.target(subnet))
                zone = known["zone"] if known else position
                node_id = f"{logical_id}Tasks{zone}"
                details = (size, capacity) + (("public IP",) if public else ())
                label = (f"Fargate tasks, AZ {zone}" if known
                         else "Fargate tasks (subnets of another stack)")
                self.add(Node(node_id, "tasks", label, details, zone if known else None))
                ids.append(node_id)
                for group in network.get("SecurityGroups", []) or []:
                    owners[cfn.target(group)].append(node_id)
                for balancer in props.get("LoadBalancers", []) or []:
                    group_id = cfn.target(balancer.get("TargetGroupArn"))
                    if group_id in self.nodes:
                        self.connect(group_id, node_id, "traffic")
            image = words.image(self.t, definition)
            if image:
                registry = self.add(Node("Registry", "registry", words.registry_label(image),
                                         (image,)))
                for node_id in ids:
                    self.connect(registry.id, node_id, "uses", "image")
        return ids

    def _nat_gateways(self) -> dict[str, str]:
        """NAT gateway logical id -> node id."""
        nats = {}
        for logical_id, resource in cfn.resources(self.t, "AWS::EC2::NatGateway").items():
            subnet = cfn.target(cfn.properties(resource).get("SubnetId"))
            zone = self.subnets.get(subnet, {}).get("zone")
            self.add(Node(logical_id, "nat", f"NAT gateway, AZ {zone}", ("Elastic IP",), zone))
            nats[logical_id] = logical_id
        return nats

    def _endpoints(self, owners) -> str | None:
        services = []
        for resource in cfn.resources(self.t, "AWS::EC2::VPCEndpoint").values():
            props = cfn.properties(resource)
            if props.get("VpcEndpointType") == "Interface":
                services.append(cfn.endpoint_service(props.get("ServiceName", "")))
                for group in props.get("SecurityGroupIds", []) or []:
                    owners[cfn.target(group)].append("InterfaceEndpoints")
        if not services:
            return None
        self.add(Node("InterfaceEndpoints", "endpoints", "Interface endpoints",
                      (", ".join(services), "private DNS, in each private subnet")))
        return "InterfaceEndpoints"

    def _s3_gateway(self) -> str | None:
        for logical_id, resource in cfn.resources(self.t, "AWS::EC2::VPCEndpoint").items():
            props = cfn.properties(resource)
            if props.get("VpcEndpointType", "Gateway") == "Gateway" and cfn.text(
                    props.get("ServiceName", "")).endswith(".s3"):
                policy = "ECR image layers only" if props.get("PolicyDocument") else "any bucket"
                self.add(Node(logical_id, "s3_gateway", "S3 gateway endpoint", (policy,)))
                return logical_id
        return None

    def _beside(self, lb_ids: list[str], task_ids: list[str]) -> None:
        """WAF, certificate, DNS firewall and flow logs, attached to what they serve."""
        for acl_id, resource in cfn.resources(self.t, "AWS::WAFv2::WebACL").items():
            rules = [r.get("Name", "") for r in cfn.properties(resource).get("Rules", []) or []]
            self.add(Node(acl_id, "waf", "WAF web ACL", (f"{len(rules)} rules",) + tuple(rules)))
            for assoc in cfn.resources(self.t, "AWS::WAFv2::WebACLAssociation").values():
                lb = cfn.target(cfn.properties(assoc).get("ResourceArn"))
                if lb in lb_ids:
                    self.connect(acl_id, lb, "uses", "inspects requests")
        for listener in cfn.resources(self.t, "AWS::ElasticLoadBalancingV2::Listener").values():
            props = cfn.properties(listener)
            for certificate in props.get("Certificates", []) or []:
                source = cfn.target(certificate.get("CertificateArn"))
                lb = cfn.target(props.get("LoadBalancerArn"))
                label, details = "ACM certificate", ()
                resource = self.t.get("Resources", {}).get(source, {})
                if resource.get("Type") == "AWS::CertificateManager::Certificate":
                    details = (cfn.text(cfn.properties(resource).get("DomainName", "")),
                               "DNS-validated")
                elif source in self.t.get("Parameters", {}):
                    details = (f"parameter {source}",)
                self.add(Node("Certificate", "certificate", label, details))
                if lb in lb_ids:
                    self.connect("Certificate", lb, "uses", "TLS")
        domains = cfn.resources(self.t, "AWS::Route53Resolver::FirewallDomainList")
        if cfn.resources(self.t, "AWS::Route53Resolver::FirewallRuleGroupAssociation"):
            allowed = sum(cfn.count(cfn.properties(d).get("Domains")) for d in domains.values()
                          if cfn.properties(d).get("Domains") != ["*"])
            self.add(Node("DnsFirewall", "dns_firewall", "DNS Firewall",
                          (f"{allowed} allowed names, every other name blocked",)))
            for task in task_ids:
                self.connect(task, "DnsFirewall", "uses", "DNS")
        if cfn.resources(self.t, "AWS::EC2::FlowLog"):
            self.add(Node("FlowLogs", "flow_logs", "VPC flow logs", ("to CloudWatch Logs",)))

    def _security_edges(self, owners, nat_ids, s3_id) -> None:
        tasks = {n.id for n in self.nodes.values() if n.kind == "tasks"}
        for rule in topology.rules(self.t):
            sources = owners.get(rule.group, [])
            if rule.peer.startswith("cidr:"):
                cidr = rule.peer[5:]
                shown = rule.ports if cidr in ANYWHERE else f"{rule.ports} from {cidr}"
                if not rule.outbound:
                    for node in sources:
                        self.connect(INTERNET, node, "traffic", shown)
                    continue
                shown = rule.ports if cidr in ANYWHERE else f"{rule.ports} to {cidr}"
                for node in sources:
                    self._egress_to_internet(node, shown, nat_ids)
            elif rule.peer.startswith("prefix:") and s3_id:
                for node in sources:
                    if rule.outbound:
                        self.connect(node, s3_id, "traffic", rule.ports)
            else:
                peers = owners.get(rule.peer, [])
                pairs = ([(s, p) for s in sources for p in peers] if rule.outbound
                         else [(p, s) for s in sources for p in peers])
                for source, target in pairs:
                    if target in tasks and self.nodes[source].kind == "load_balancer":
                        for group in self._groups_of(source):
                            self.connect(group, target, "traffic", rule.ports)
                    else:
                        self.connect(source, target, "traffic", rule.ports)

    def _groups_of(self, lb_id: str) -> list[str]:
        return [t for (s, t, k) in self.edges if s == lb_id and k == "traffic"
                and self.nodes[t].kind == "target_group"]

    def _egress_to_internet(self, node_id: str, label: str, nat_ids: dict[str, str]) -> None:
        node = self.nodes[node_id]
        if node.kind != "tasks":
            self.connect(node_id, INTERNET, "traffic", label)
            return
        subnet = next((s for s in self.subnets.values() if s["zone"] == node.zone
                       and (s["nat"] or s["public"])
                       and s["public"] == self._tasks_public(node_id)), None)
        if subnet and subnet["nat"] in nat_ids:
            self.connect(node_id, nat_ids[subnet["nat"]], "traffic", label)
        elif subnet and subnet["public"]:
            self.connect(node_id, INTERNET, "traffic", label)

    def _tasks_public(self, node_id: str) -> bool:
        for service_id, resource in cfn.resources(self.t, "AWS::ECS::Service").items():
            if node_id.startswith(f"{service_id}Tasks"):
                network = (cfn.properties(resource).get("NetworkConfiguration") or {}).get(
                    "AwsvpcConfiguration") or {}
                return any(self.subnets.get(cfn.target(s), {}).get("public")
                           for s in network.get("Subnets", []) or [])
        return False

    def _vpc_group(self, lb_ids, task_ids, nat_ids, endpoint_id, s3_id) -> Group:
        vpc = next(iter(cfn.resources(self.t, "AWS::EC2::VPC").values()), {})
        zones_public: dict[int, list[str]] = defaultdict(list)
        zones_private: dict[int, list[str]] = defaultdict(list)
        cidrs: dict[tuple[bool, int], str] = {}
        for subnet in self.subnets.values():
            cidrs[(subnet["public"], subnet["zone"])] = subnet["cidr"]
        for node in self.nodes.values():
            if node.zone is None:
                continue
            public = node.kind == "nat" or self._tasks_public(node.id)
            (zones_public if public else zones_private)[node.zone].append(node.id)
        public_zones = sorted({s["zone"] for s in self.subnets.values() if s["public"]})
        private_zones = sorted({s["zone"] for s in self.subnets.values() if not s["public"]})
        groups = [_subnets_group("Public", lb_ids, public_zones, zones_public, cidrs, True)]
        if private_zones:
            groups.append(_subnets_group("Private", [endpoint_id] if endpoint_id else [],
                                         private_zones, zones_private, cidrs, False))
        members = [n.id for n in self.nodes.values()
                   if n.kind in ("target_group", "dns_firewall", "flow_logs")]
        if s3_id:
            members.append(s3_id)
        cidr = cfn.properties(vpc).get("CidrBlock", "")
        return Group("Vpc", f"VPC {cidr}".strip(), tuple(members), tuple(groups))


def _subnets_group(kind, members, zones, nodes_by_zone, cidrs, public) -> Group:
    """Public or private subnets; an AZ gets a box of its own when something sits in it."""
    listed = ", ".join(f"AZ {z} {cidrs.get((public, z), '')}".strip() for z in zones)
    return Group(f"{kind}Subnets", f"{kind} subnets ({listed})", tuple(members), tuple(
        Group(f"{kind}Az{z}", f"AZ {z}", tuple(nodes_by_zone[z]))
        for z in zones if nodes_by_zone[z]))


