"""One wall-clock deadline per request: connect, status line, headers and body together.

Each server below keeps every single wait shorter than the read timeout, so per-wait
timeouts alone would never fire; the request must still end by connect + read timeout
(+1 s of slack) with `unknown`. The session meets all four servers at once (one thread each:
the waits overlap instead of adding up); the CLI test calls `main(argv)` in-process, one server
per run; the console script is held to its deadline in tests/test_verify_safety.py (the
dripping answer).
"""
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from detect_secrets_upstash import tokens
from detect_secrets_upstash.verify.http import HostPolicy
from detect_secrets_upstash.verify.http import SafeSession
from detect_secrets_upstash.verify.http import TransportError
from tests.test_verify_cli import verify_json
from tests.test_verify_safety import _Listener

# Short, so the servers cost fractions of a second, not tens of seconds; the drips outlast
# any of it, and each of their pauses (0.2 s at most) stays under READ.
CONNECT, READ = 0.25, 0.5
DRIP_SECONDS = 30            # far past the deadline: a client that waits would fail the bound


def _drip_bytes(client, data, pause):
    stop = time.monotonic() + DRIP_SECONDS
    for byte in data:
        if time.monotonic() > stop:
            return
        client.sendall(bytes([byte]))
        time.sleep(pause)


def status_line_drip(client):
    _drip_bytes(client, b'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]' * 8, 0.2)


def headers_drip(client):
    client.sendall(b'HTTP/1.1 200 OK\r\n')
    _drip_bytes(client, b''.join(b'X-Pad-%d: %s\r\n' % (i, b'x' * 20) for i in range(200)), 0.1)


def endless_continue(client):
    stop = time.monotonic() + DRIP_SECONDS
    while time.monotonic() < stop:
        client.sendall(b'HTTP/1.1 100 Continue\r\n\r\n')
        time.sleep(0.1)


def body_drip(client):
    client.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n')
    _drip_bytes(client, b' ' * 100000, 0.05)


DRIPS = [status_line_drip, headers_drip, endless_continue, body_drip]


@pytest.fixture(params=DRIPS, ids=lambda f: f.__name__)
def dripping(request):
    server = _Listener(request.param)
    yield server
    server.close()


def _cut_short(drip):
    """(seconds taken, the error) for one request to a fresh server dripping with `drip`."""
    server = _Listener(drip)
    try:
        session = SafeSession(HostPolicy.of(['127.0.0.1']), connect_timeout=CONNECT, read_timeout=READ)
        started = time.monotonic()
        with pytest.raises(TransportError) as failed:
            session.request('POST', server.url + '/pipeline', tokens.generate_redis_token(), [['PING']])
        return time.monotonic() - started, failed.value
    finally:
        server.close()


def test_a_dripping_server_is_cut_at_connect_plus_read_timeout():
    with ThreadPoolExecutor(len(DRIPS)) as pool:
        outcomes = dict(zip((drip.__name__ for drip in DRIPS), pool.map(_cut_short, DRIPS)))
    for name, (elapsed, error) in outcomes.items():
        assert elapsed < CONNECT + READ + 1, f'{name}: ran {elapsed:.1f}s'
        assert f'within {CONNECT + READ:g}s' in str(error), (name, str(error))


def test_the_cli_reports_a_dripping_server_as_unknown(dripping):
    token = tokens.generate_redis_token()
    started = time.monotonic()
    proc, results = verify_json(['--url', dripping.url, '--token', token, '--allow-host', '127.0.0.1',
                                 '--connect-timeout', f'{CONNECT:g}', '--read-timeout', f'{READ:g}'], [token])
    assert time.monotonic() - started < DRIP_SECONDS / 2
    assert [r['status'] for r in results] == ['unknown']
    assert 'connect + read timeout' in results[0]['detail']
    assert proc.returncode == 0
