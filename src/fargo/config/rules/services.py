"""Rules across the services of one environment: names a stack can carry, and listener rules
the load balancer can tell apart (each service its own host/path and its own priority)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fargo import names
from fargo.config.problems import Problem

if TYPE_CHECKING:
    from fargo.config.app import AppConfig

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9-]*\Z")
MAX_SERVICE_NAME = 32


def name_problem(name: str) -> str | None:
    """Why a [services.NAME] key cannot name a service (its stack, log group, container)."""
    if not SERVICE_NAME.match(name) or name.endswith("-") or "--" in name:
        return "use lowercase letters, digits and single hyphens, starting with a letter"
    if len(name) > MAX_SERVICE_NAME:
        return f"use at most {MAX_SERVICE_NAME} characters"
    if name in names.RESERVED_SERVICE_NAMES:
        return f"{name} names the stack of the environment itself: choose another name"
    if name.endswith("-" + names.REGISTRY_STACK_SUFFIX):
        return "a name ending in -registry would share its stack name with the registry of another"
    return None


def problems(app: AppConfig) -> list[tuple[str, Problem]]:
    """(service, problem) pairs, so each line can name the service's table."""
    found: list[tuple[str, Problem]] = []
    services = app.services
    if len(services) > 1:
        for name, service in services.items():
            if not service.host and not service.path:
                found.append((name, Problem(
                    "host", f"service {name} has neither host nor path",
                    "give it a host (e.g. api.example.com) or a path (e.g. \"/api/*\"): with "
                    "more than one service the load balancer routes by them", ("path",))))
    seen_routes: dict[tuple[str | None, str | None], str] = {}
    for name, service in services.items():
        route = (service.host, service.path)
        if route != (None, None) and route in seen_routes:
            found.append((name, Problem(
                "path" if service.path else "host",
                f"services {seen_routes[route]} and {name} both route "
                + " and ".join(f"{k} {v}" for k, v in zip(("host", "path"), route, strict=True)
                               if v),
                "give each service its own host or path", ("host",))))
        seen_routes.setdefault(route, name)
    seen_priorities: dict[int, str] = {}
    for name in services:
        priority = app.priority(name)
        if priority in seen_priorities:
            other = seen_priorities[priority]
            found.append((name, Problem(
                "priority", f"services {other} and {name} both have listener rule priority "
                f"{priority} (unset priorities are 10, 20, ... in the order of the tables)",
                "give each service its own priority")))
        seen_priorities.setdefault(priority, name)
    return found


def advisories(app: AppConfig) -> list[tuple[str, Problem]]:
    found = _shadowed(app)
    for name, service in app.services.items():
        if service.path and not _matches(service.path, service.health_path) and not service.host:
            found.append((name, Problem(
                "health_check_path", f"the health path {service.health_path} of service {name} is "
                f"outside its path {service.path}: the load balancer checks the tasks directly, "
                "but a request for it through the load balancer reaches another service (or 404)",
                f"use a health_check_path that {service.path} matches", ("path",))))
    return found


def _shadowed(app: AppConfig) -> list[tuple[str, Problem]]:
    """A rule evaluated earlier that takes every request a later one would match."""
    found = []
    ordered = sorted(app.services, key=app.priority)
    for index, name in enumerate(ordered):
        later = app.services[name]
        for earlier_name in ordered[:index]:
            earlier = app.services[earlier_name]
            if earlier.host not in (None, later.host):
                continue
            if _matches(earlier.path or "/*", later.path or "/*"):
                found.append((name, Problem(
                    "priority", f"service {earlier_name} (priority {app.priority(earlier_name)}) "
                    f"takes every request service {name} (priority {app.priority(name)}) would "
                    "match: its listener rule is evaluated first", f"give {name} a lower "
                    f"priority than {earlier_name}, or put its table first", ("path", "host"))))
                break
    return found


def _matches(pattern: str, path: str) -> bool:
    """An ALB path pattern's match: * any characters, ? one character, the rest literally."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, path) is not None
