"""The words on the diagram's nodes and edges: listeners, capacity, image and registry, the
title, numbers, and the order of port labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fargo.cost import cfn


def listener(props: Mapping[str, Any]) -> str:
    text = f"{props.get('Protocol')} :{props.get('Port')}"
    if props.get("SslPolicy"):
        text += f", {props['SslPolicy']}"
    for action in props.get("DefaultActions", []) or []:
        if action.get("Type") == "redirect":
            config = action.get("RedirectConfig", {}) or {}
            code = str(config.get("StatusCode", "")).removeprefix("HTTP_")
            text += f", redirect to {config.get('Protocol')} :{config.get('Port')} ({code})"
        elif action.get("Type") == "forward":
            text += ", forward"
    return text


def capacity(props: Mapping[str, Any]) -> str:
    strategy = props.get("CapacityProviderStrategy")
    if not strategy:
        return f"{props.get('LaunchType', 'FARGATE')} (on-demand)"
    parts = []
    for item in strategy:
        part = item.get("CapacityProvider", "")
        if item.get("Base"):
            part += f" base {item['Base']}"
        part += f" weight {item.get('Weight', 0)}"
        parts.append(part)
    return "; ".join(parts)


def image(template: Mapping[str, Any], definition: Mapping[str, Any]) -> str:
    for container in definition.get("ContainerDefinitions", []) or []:
        return cfn.text(cfn.resolved(template, container.get("Image", "")))
    return ""


def registry_label(image: str) -> str:
    if ".dkr.ecr." in image:
        return "ECR repository"
    first = image.split("/")[0]
    if "/" in image and ("." in first or ":" in first):
        return f"Registry {first}"
    return "Docker Hub"


def title(template: Mapping[str, Any]) -> str:
    return str(template.get("Description", "fargo service"))


def n(value: float) -> str:
    return f"{value:g}"


def port_order(label: str) -> tuple[int, str]:
    digits = "".join(c for c in label.split("-")[0] if c.isdigit())
    return (-int(digits) if digits else 0, label)
