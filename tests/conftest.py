"""Test-wide guards: dummy AWS credentials, and no socket may leave the loopback range."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NonLoopbackConnection(RuntimeError):
    pass


def _check_address(address) -> None:
    if not isinstance(address, tuple):
        return  # unix sockets are local
    host = address[0]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if host in ("localhost",):
            return
        raise NonLoopbackConnection(f"tests may only connect to loopback, not {host!r}") from None
    if not ip.is_loopback:
        raise NonLoopbackConnection(f"tests may only connect to loopback, not {host}")


def _guarded_connect(self, address):
    _check_address(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost") and not _is_loopback_literal(host):
        raise NonLoopbackConnection(f"tests may not resolve {host!r}: only loopback is allowed")
    return _real_getaddrinfo(host, *args, **kwargs)


def _is_loopback_literal(host) -> bool:
    try:
        return ipaddress.ip_address(host if isinstance(host, str) else host.decode()).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo
    yield
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex
    socket.getaddrinfo = _real_getaddrinfo


@pytest.fixture(autouse=True, scope="session")
def shared_slow_setup():
    """Work every test would otherwise repeat: botocore's service models read once per process
    instead of once per boto3 session (each command makes its own), and one RSA key for the
    throwaway certificates tests make (each is still a certificate of its own)."""
    import functools

    import botocore.session
    from botocore.loaders import create_loader
    from cryptography.hazmat.primitives.asymmetric import rsa

    generate = rsa.generate_private_key
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.session, "create_loader", functools.cache(create_loader))
        patch.setattr(rsa, "generate_private_key", functools.cache(
            lambda public_exponent, key_size, backend=None: generate(public_exponent, key_size)))
        yield


@pytest.fixture(autouse=True)
def aws_sandbox(monkeypatch, tmp_path):
    """Dummy credentials and no user AWS or fargo configuration leaking into a test."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
                 "FARGO_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    import os

    for name in list(os.environ):
        if name.startswith("FARGO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def aws():
    """moto in-process, adapted as the local emulator is: an emulated AWS in eu-west-1."""
    from engine_support import emulated_context
    from moto import mock_aws

    from fargo.emulator import install

    install()
    with mock_aws():
        yield emulated_context()
