"""Fixtures for linkback tests: real local servers (see http_server.py for their API) and a
record of the connections a test's code opened."""

import ssl
import sys

import pytest

from tests.factories import PostFactory
from tests.linkbacks.http_server import LocalHTTPServer, make_certificates


@pytest.fixture
def http_server():
    server = LocalHTTPServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def test_certificates(tmp_path_factory):
    """A throwaway CA and a certificate, signed by it, for "public.test" only."""
    return make_certificates(tmp_path_factory.mktemp("tls"), names=["public.test"])


@pytest.fixture
def https_server(test_certificates):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(test_certificates.certificate, test_certificates.key)
    server = LocalHTTPServer(tls_context=context)
    yield server
    server.close()


@pytest.fixture
def test_ca_context(test_certificates):
    """A verifying client TLS context that trusts the test CA (and nothing else)."""
    return ssl.create_default_context(cafile=test_certificates.authority)


_connects: list | None = None  # where socket.connect was called, while a test records
_hook_installed = False


def _record_connect(event: str, args: tuple) -> None:
    if event == "socket.connect" and _connects is not None:
        _connects.append(args[1])


@pytest.fixture
def socket_connects():
    """Every address this process connected a socket to during the test, in order.

    Uses the interpreter's audit events, so it sees real connects whoever makes them. Audit
    hooks cannot be removed, so the hook is installed once and records only inside this
    fixture.
    """
    global _connects, _hook_installed
    if not _hook_installed:
        sys.addaudithook(_record_connect)
        _hook_installed = True
    _connects = []
    yield _connects
    _connects = None


@pytest.fixture
def linkback_settings(settings):
    """LINKBACKS_* settings under which the local test server, on 127.0.0.1, counts as a public
    site, while every other private address (127.0.0.2, ::1, 10.x, …) stays blocked."""
    settings.LINKBACKS_ACCEPT = True
    settings.LINKBACKS_SEND = True
    settings.LINKBACKS_ALLOW_PRIVATE = False
    settings.LINKBACKS_PUBLIC_ADDRESSES = ["127.0.0.1"]
    settings.LINKBACKS_FETCH_TIMEOUT = 3
    return settings


@pytest.fixture
def private_blocked(linkback_settings):
    """No exceptions at all: the test server's own address is refused like any private one."""
    linkback_settings.LINKBACKS_PUBLIC_ADDRESSES = []
    return linkback_settings


@pytest.fixture
def post(db):
    """A published post, open to linkbacks."""
    return PostFactory(title="Planting beans")
