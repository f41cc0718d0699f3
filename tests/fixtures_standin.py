"""Pytest fixtures for the Upstash REST stand-in (registered in tests/conftest.py).

redis_server: one real redis-server per test session (ACLs on, no persistence).
standin:      a fresh stand-in per test on that server: no faults, no latency, and its ACL
              users and data are removed when the test ends; a test during which the
              stand-in failed internally fails too (a stand-in bug must not pass for a fault).
standin_tls:  the same over HTTPS with a self-signed certificate no client trusts
              (``.certificate_path`` makes it trusted for one request).
canary:       a loopback listener that must receive nothing.
"""
import pytest

from tests.standin import Canary
from tests.standin import RedisServer
from tests.standin import UpstashStandIn


@pytest.fixture(scope='session')
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp('redis')).start()
    try:
        yield server
    finally:
        server.stop()


def _serve(server: UpstashStandIn):
    server.start()
    try:
        yield server
    finally:
        server.stop()
    # A request the stand-in could not answer (its own bug) must not pass for a server fault.
    if server.errors:
        pytest.fail('the Upstash stand-in failed internally:\n' + '\n'.join(server.errors))


@pytest.fixture
def standin(redis_server):
    yield from _serve(UpstashStandIn(redis_server, latency=0.0))


@pytest.fixture
def standin_tls(redis_server):
    yield from _serve(UpstashStandIn(redis_server, tls=True))


@pytest.fixture
def canary():
    listener = Canary().start()
    try:
        yield listener
    finally:
        listener.stop()
