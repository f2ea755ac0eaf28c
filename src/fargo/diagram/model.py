"""The system a template builds, as nodes, edges and nested groups: what every output draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NodeKind = Literal[
    "internet", "load_balancer", "target_group", "tasks", "nat", "endpoints", "s3_gateway",
    "dns_firewall", "waf", "registry", "certificate", "flow_logs",
]
# traffic: a request path the security groups allow (labelled with their ports);
# route: where a subnet's default route leads; uses: a resource one attaches to or reads.
EdgeKind = Literal["traffic", "route", "uses"]


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    label: str
    details: tuple[str, ...] = ()
    zone: int | None = None  # 1-based availability zone, for per-AZ nodes


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str = ""


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    members: tuple[str, ...] = ()  # node ids
    groups: tuple[Group, ...] = ()


@dataclass(frozen=True)
class System:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    groups: tuple[Group, ...] = field(default=())

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def of_kind(self, kind: NodeKind) -> list[Node]:
        return [n for n in self.nodes if n.kind == kind]

    def edges_between(self, source_kind: NodeKind, target_kind: NodeKind) -> list[Edge]:
        kinds = {n.id: n.kind for n in self.nodes}
        return [e for e in self.edges
                if kinds.get(e.source) == source_kind and kinds.get(e.target) == target_kind]
