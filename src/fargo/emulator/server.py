"""moto's server in this process, on a free loopback port, for as long as a command needs it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = {"aws_access_key_id": "fargo-local", "aws_secret_access_key": "fargo-local"}
WHAT_DOES_NOT_RUN = (
    "no container runs: task counts stay 0, no target registers, /health is not requested"
)


@dataclass
class LocalEmulator:
    url: str = ""
    _server: Any = None

    def start(self) -> LocalEmulator:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError:
            from fargo.errors import ConfigError

            raise ConfigError(
                "error: --local needs the emulator: install it with `pip install 'fargo[local]'`"
            ) from None
        from fargo.emulator import install

        install()
        os.environ.setdefault("MOTO_CALL_RESET_API", "false")
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def __enter__(self) -> LocalEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def ensure_hosted_zone(route53_client: Any, zone_name: str) -> str:
    """The emulator's public zone of that name, created when missing (an emulator starts empty,
    and a domain deploy needs its zone): its ID, without the /hostedzone/ prefix."""
    name = zone_name.rstrip(".") + "."
    zones = route53_client.list_hosted_zones_by_name(DNSName=name)["HostedZones"]
    for zone in zones:
        if zone["Name"] == name and not zone.get("Config", {}).get("PrivateZone"):
            return zone["Id"].rsplit("/", 1)[-1]
    created = route53_client.create_hosted_zone(Name=name, CallerReference=f"fargo-local-{name}")
    return created["HostedZone"]["Id"].rsplit("/", 1)[-1]
