"""Nothing is downloaded: a run, with the detector built from scratch, works with the network cut off."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from compliance.tests.helpers import people_rows, pii_of

pytestmark = pytest.mark.django_db(transaction=True)


def _local(address) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str) or host in ("localhost", "") or host.startswith("/"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already be a network call


@pytest.fixture
def no_network(monkeypatch):
    """Every connection or name lookup to a non-local address fails, and is recorded."""
    attempts: list = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address):
            attempts.append(address)
            raise OSError(f"network disabled in tests: {address}")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _local(host):
            attempts.append(host)
            raise socket.gaierror(f"network disabled in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_a_run_downloads_nothing(no_network, load):
    from compliance.pii import detector as detector_module

    # Start from nothing, as a fresh worker would: the detector is built under the cut-off network.
    detector_module._cached_detector.cache_clear()
    rows, expected, _ = people_rows(60)
    report = load("people", rows)
    assert report["status"] == "succeeded", report.get("error")
    found = pii_of(report)
    assert found["email"] == ["EMAIL_ADDRESS"] and found["full_name"] == ["PERSON"]
    assert found["website"] == ["URL"]  # URLs need the public suffix list: the bundled snapshot
    assert no_network == []
