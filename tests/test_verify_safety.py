"""Safety guarantees of the verifier, each shown against real servers.

- A token goes only over HTTPS to Upstash hosts, or to a host the user allowed (plain HTTP
  only to an allowed loopback host); any other host gets no connection at all (the canary).
- No redirects are followed; timeouts and a body-size cap bound every exchange.
- Failures (5xx, 429, timeouts, resets, TLS errors, garbage) are `unknown`, never `revoked`.
- Environment proxies are not used for token-bearing requests.
- No full token in any output.

Most runs call the CLI in-process (`verify_json`, the real `main(argv)`); each guarantee keeps
a run of the installed console script (`real=True`, `run`): no token in any format for every
status, a live credential of every product read without a change or a token shown, a
redirect per product, foreign and overridden hosts, environment proxies, the HTTPS proxy
tunnel and the dripping answer cut at its deadline.
"""
import socket
import ssl
import threading
import time

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash.verify.http import host_of
from detect_secrets_upstash.verify.http import HostPolicy
from detect_secrets_upstash.verify.http import Refused
from detect_secrets_upstash.verify.http import SafeSession
from detect_secrets_upstash.verify.inputs import from_env_lines
from detect_secrets_upstash.verify.verifier import Options
from detect_secrets_upstash.verify.verifier import run_job
from detect_secrets_upstash.verify.verifier import verify_credentials
from tests.helpers import run
from tests.in_process import cli
from tests.standin import wait_until
from tests.standin.tls import write_certificate
from tests.test_verify_cli import assert_no_tokens
from tests.test_verify_cli import CLI
from tests.test_verify_cli import env_text
from tests.test_verify_cli import secrets_of
from tests.test_verify_cli import standin_args
from tests.test_verify_cli import verify_json


# Every product the verifier has a probe for, read from the catalogue: a new product's probe
# is held to every property below as soon as its record lands (the stand-in must serve it).
PROBED = [product.id for product in catalogue.PRODUCTS if product.verify_probe]


def _credential_for(product, standin, url=None):
    """upstash-verify arguments for a fresh live credential of `product`, and its token."""
    live = standin.live_credential(product)
    return ['--url', url or standin.url, '--token', live.token, *live.args], live.token


def _settle(canary):
    # Every connection opened so far counted (a request that reached the canary fails on
    # its count; the bytes it sent may still be on their way).
    canary.settle()
    return canary.connections, canary.received_bytes


# --- host policy ---

@pytest.mark.parametrize('url, allowed, ok', [
    ('https://brave-otter-10123.upstash.io', (), True),
    ('https://qstash-eu-central-1.upstash.io/', (), True),
    ('https://eu1-able-cat-1.kv.vercel-storage.com', (), True),
    ('http://brave-otter-10123.upstash.io', (), False),             # never plain HTTP to Upstash
    ('https://upstash.io.attacker.example', (), False),
    ('https://attacker.example/brave-otter-10123.upstash.io', (), False),
    ('https://user:pw@brave-otter-10123.upstash.io', (), False),
    ('ftp://brave-otter-10123.upstash.io', (), False),
    ('https://redis.internal.example', (), False),
    ('https://redis.internal.example', ('redis.internal.example',), True),
    ('http://redis.internal.example', ('redis.internal.example',), False),   # HTTP: loopback only
    ('http://10.1.2.3:8080', ('10.1.2.3',), False),
    ('http://127.0.0.1:8080', (), False),                            # loopback, but not allowed
    ('http://127.0.0.1:8080', ('127.0.0.1',), True),
    ('http://[::1]:8080', ('::1',), True),
    ('http://localhost:8080', ('localhost',), True),
])
def test_host_policy(url, allowed, ok):
    policy = HostPolicy.of(allowed)
    if ok:
        policy.check(url)
    else:
        with pytest.raises(Refused):
            policy.check(url)


@pytest.mark.parametrize('product', PROBED)
def test_url_not_allowed_gets_skipped_and_no_connection(standin, canary, product):
    # Loopback but not allowed; allowed host is the stand-in's 127.0.0.1, not the canary.
    for extra in ([], ['--allow-host', '127.0.0.1']):
        for url in (canary.url, canary.url.replace('http:', 'https:')):
            args, token = _credential_for(product, standin, url)
            proc, results = verify_json([*args, *extra], [token])
            assert [r['status'] for r in results] == ['skipped']
            assert 'not sent' in results[0]['detail']
            assert proc.returncode == 0
    assert _settle(canary) == (0, 0)


@pytest.mark.parametrize('product_id', PROBED)
def test_a_probe_sends_only_where_its_own_products_record_allows(product_id):
    # The verifier hands each probe a session bound to its product: a request to a host
    # another product claims is refused in that product's words, before any connection,
    # whatever the probe itself passes (no probe names its product).
    product = catalogue.PRODUCTS_BY_ID[product_id]
    decoded = catalogue.Decoded(catalogue.READ_WRITE, database_id=1, endpoint='brave-otter')
    foreign = next(url for other in catalogue.PRODUCTS if other is not product
                   for url in other.derive_urls(decoded) if not product.token_hosts(host_of(url)))
    job = (product.id, (foreign,), 'x' * 44, 'ops@acme-widgets.dev' if product.needs_user else '')
    outcome = run_job(SafeSession(connect_timeout=0.5, read_timeout=0.5), job)
    assert outcome.status in ('skipped', 'unknown'), outcome
    assert f'{product.display_name} credentials are never sent there' in outcome.detail, outcome.detail


@pytest.mark.parametrize('product', PROBED)
def test_a_live_credential_is_read_without_changing_data_or_printing_it(standin, product):
    args, token = _credential_for(product, standin)
    before = standin.keyspace_snapshot()
    # the text output from the console script itself; the other formats in-process
    for runner, fmt in ((run, 'text'), (cli, 'sarif')):
        proc = runner([CLI, *args, *standin_args(standin), '--format', fmt])
        assert proc.returncode == 1, proc.stderr        # something is live
        assert_no_tokens(proc, [token])
    _, results = verify_json([*args, *standin_args(standin)], [token])
    assert [r['status'] for r in results] == ['live']
    assert standin.keyspace_snapshot() == before


def test_qstash_and_vector_overrides_obey_the_host_policy(standin, canary):
    account = standin.new_qstash_account()
    index = standin.new_vector_index()
    text = env_text([('QSTASH_TOKEN', account.token), ('V', index.token)])
    _, results = verify_json(['-', '--qstash-url', canary.url, '--vector-url', canary.url],
                             secrets_of(account, index), input=text, real=True)
    assert [r['status'] for r in results] == ['skipped', 'skipped']
    assert _settle(canary) == (0, 0)


def test_url_near_a_token_on_a_foreign_host_is_not_used(standin, canary, tmp_path):
    database = standin.new_database()
    (tmp_path / '.env').write_text(f'UPSTASH_REDIS_REST_URL={canary.url}\nUPSTASH_REDIS_REST_TOKEN={database.token}\n')
    scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=tmp_path)
    (tmp_path / 'baseline').write_text(scan.stdout)
    _, results = verify_json(['baseline'], secrets_of(database), cwd=tmp_path, real=True)
    assert [(r['location'], r['status']) for r in results] == [('.env:2', 'skipped')]
    assert _settle(canary) == (0, 0)


def test_environment_proxies_are_not_used(standin, canary):
    database = standin.new_database()
    proxy = {name: canary.url for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY',
                                            'http_proxy', 'https_proxy', 'all_proxy')}
    proxy.update(NO_PROXY='', no_proxy='')
    _, results = verify_json(['--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1',
                              '--read-timeout', '2'], secrets_of(database), env=proxy, real=True)
    assert results[0]['status'] == 'live'
    assert _settle(canary) == (0, 0)


# --- faults: unknown, never revoked ---

FAULT_DETAILS = {
    '500': 'server error (500)',
    '429': 'rate limited (429)',
    'reset': 'connection failed',
    'huge': 'larger than',
    'badjson': 'not JSON',
    'slow': 'read timeout',
}


@pytest.mark.parametrize('product', PROBED)
@pytest.mark.parametrize('fault', sorted(FAULT_DETAILS))
def test_faults_give_unknown_never_revoked(standin, product, fault):
    args, token = _credential_for(product, standin)
    standin.set_fault(fault, **({'delay': 8.0} if fault == 'slow' else {}))
    started = time.monotonic()
    read_timeout = '0.25' if fault == 'slow' else '0.5'        # slow: 0.25 s of 8 s is enough to wait
    proc, results = verify_json([*args, *standin_args(standin, '--read-timeout', read_timeout)], [token])
    elapsed = time.monotonic() - started
    assert [r['status'] for r in results] == ['unknown']
    assert FAULT_DETAILS[fault] in results[0]['detail']
    assert proc.returncode == 0
    if fault == 'slow':
        assert elapsed < 7.0, 'the read timeout must cut a slow answer short'


@pytest.mark.parametrize('product', PROBED)
def test_redirect_is_not_followed(standin, canary, product):
    args, token = _credential_for(product, standin)
    for status in (301, 302, 307, 308):
        standin.set_fault('redirect', location=canary.url + '/steal', status=status)
        # the first through the console script, the others in-process
        proc, results = verify_json([*args, *standin_args(standin)], [token], real=status == 301)
        assert [r['status'] for r in results] == ['unknown']
        assert f'{status} redirect to {canary.host}' in results[0]['detail']
    assert _settle(canary) == (0, 0)


def test_huge_body_reading_stops_at_the_cap(standin):
    database = standin.new_database()
    standin.set_fault('huge', size=512 * 1024 * 1024)
    started = time.monotonic()
    _, results = verify_json(['--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1'],
                             [database.token])
    assert results[0]['status'] == 'unknown' and 'larger than' in results[0]['detail']
    assert time.monotonic() - started < 20, 'reading half a gigabyte means the cap did not work'


# --- TLS ---

class _LoopbackServer:
    """A TCP listener on loopback; every connection is handed to `handle(client)` in a thread."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    def handle(self, client):
        raise NotImplementedError

    def close(self):
        self.sock.close()


class _TLSServer(_LoopbackServer):
    """HTTPS on loopback with a self-signed certificate; counts application bytes received."""

    def __init__(self, tmp_path):
        cert, key = write_certificate(tmp_path)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert), str(key))
        self.received = 0
        self.handshakes_failed = 0
        super().__init__()

    def handle(self, client):
        try:
            with self.context.wrap_socket(client, server_side=True) as tls:
                tls.settimeout(2)
                self.received += len(tls.recv(65536))
        except (ssl.SSLError, OSError):
            self.handshakes_failed += 1


def test_tls_error_is_unknown_and_sends_no_token(tmp_path):
    server = _TLSServer(tmp_path)
    try:
        from detect_secrets_upstash import tokens
        token = tokens.generate_redis_token()
        proc, results = verify_json(['--url', f'https://127.0.0.1:{server.port}', '--token', token,
                                     '--allow-host', '127.0.0.1'], [token])
        assert [r['status'] for r in results] == ['unknown']
        assert 'TLS error' in results[0]['detail']
        assert wait_until(lambda: server.handshakes_failed >= 1)
        assert server.received == 0        # the request (and its token) never left the client
    finally:
        server.close()


# --- concurrency ---

class _CountingSession(SafeSession):
    """A real SafeSession that records how many requests are in flight at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()
        self.in_flight = self.peak = self.calls = 0

    def request(self, *args, **kwargs):
        with self.lock:
            self.in_flight += 1
            self.calls += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            return super().request(*args, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_pool_is_bounded_and_duplicates_are_asked_once(standin):
    standin.latency = 0.15
    lines = [('URL', standin.url)]
    for _ in range(4):
        database = standin.new_database()
        lines += [('T', database.token), ('R', database.read_only_token), ('T2', database.token)]
    policy = HostPolicy.of(['127.0.0.1'])
    session = _CountingSession(policy)
    credentials = from_env_lines(env_text(lines), policy)
    results = verify_credentials(credentials, Options(policy=policy, concurrency=3, session=session))
    assert len(results) == 12 and {r.status for r in results} == {'live'}
    assert session.calls == 8            # 12 credentials, 8 distinct (url, token) pairs
    assert session.peak == 3


def test_no_full_token_in_any_format_for_every_status(standin, canary):
    database = standin.new_database()
    revoked = standin.new_database()
    standin.revoke(revoked.token)
    account = standin.new_qstash_account()
    text = env_text([('URL', standin.url), ('A', database.token), ('B', revoked.token),
                     ('C', database.read_only_token), ('Q', account.token), ('K', account.next_signing_key)])
    secrets = secrets_of(database, revoked, account)
    # live, revoked and read-only: the text from the console script, the other formats in-process
    for runner, fmt in ((run, 'text'), (cli, 'json'), (cli, 'sarif')):
        proc = runner([CLI, '-', *standin_args(standin), '--format', fmt], input=text)
        assert proc.returncode == 1
        assert_no_tokens(proc, secrets)
    # skipped and unknown too (the same split)
    for args in (['--url', canary.url], ['--url', standin.url, '--allow-host', '127.0.0.1']):
        standin.set_fault('reset')
        for runner, fmt in ((run, 'text'), (cli, 'json'), (cli, 'sarif')):
            proc = runner([CLI, *args, '--token', database.token, '--format', fmt])
            assert proc.returncode == 0
            assert_no_tokens(proc, secrets)


# --- a server that drips its answer; an explicit HTTPS proxy ---

class _Listener(_LoopbackServer):
    """Loopback listener: keeps what it receives; `answer(conn)` decides what to send back."""

    def __init__(self, answer=None):
        self.received = b''
        self.answer = answer
        super().__init__()
        self.url = f'http://127.0.0.1:{self.port}'

    def handle(self, client):
        client.settimeout(5)
        try:
            while b'\r\n\r\n' not in self.received:
                data = client.recv(65536)
                if not data:
                    break
                self.received += data
            if self.answer:
                self.answer(client)
            else:
                time.sleep(5)
        except OSError:
            pass
        finally:
            client.close()


def _drip(client):
    client.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n')
    for _ in range(100000):
        client.sendall(b' ')
        time.sleep(0.05)          # never idle long enough for the read timeout


def test_a_dripping_answer_is_cut_at_the_read_timeout():
    from detect_secrets_upstash import tokens
    server = _Listener(_drip)
    token = tokens.generate_redis_token()
    try:
        started = time.monotonic()
        # Short timeouts keep the wait short; the drip (a byte every 0.05 s for 5000 s) would
        # outlast any per-read timeout, so only the one deadline (connect + read) can end it.
        _, results = verify_json(['--url', server.url, '--token', token, '--allow-host', '127.0.0.1',
                                  '--connect-timeout', '0.25', '--read-timeout', '0.5'], [token], real=True)
        assert time.monotonic() - started < 10          # interpreter start-up included
        assert results[0]['status'] == 'unknown'
        assert 'no complete answer within 0.75s' in results[0]['detail']    # 0.25s connect + 0.5s read
    finally:
        server.close()


def test_explicit_https_proxy_is_a_tunnel_and_never_sees_the_token(standin):
    from detect_secrets_upstash import tokens
    proxy = _Listener()           # answers nothing: the CONNECT times out
    token = tokens.generate_redis_token(database_id=10123)
    try:
        _, results = verify_json(['--url', 'https://brave-otter-10123.upstash.io', '--token', token,
                                  '--https-proxy', proxy.url, '--connect-timeout', '0.25', '--read-timeout', '0.5'],
                                 [token], real=True)
        assert results[0]['status'] == 'unknown'
        assert proxy.received.startswith(b'CONNECT brave-otter-10123.upstash.io:443 ')
        assert token.encode() not in proxy.received
        # plain HTTP to an allowed loopback host never goes through the proxy
        proxy.received = b''
        database = standin.new_database()
        _, results = verify_json(['--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1',
                                  '--https-proxy', proxy.url], secrets_of(database))
        assert results[0]['status'] == 'live'
        assert proxy.received == b''
    finally:
        proxy.close()


def test_401_from_a_host_of_another_database_is_not_revoked(standin):
    from detect_secrets_upstash.catalogue import identify
    from detect_secrets_upstash.verify.model import Credential
    database = standin.new_database()
    kind, decoded = identify(database.token)
    policy = HostPolicy.of(['127.0.0.1'])
    # As inputs.credential_from builds it when the nearby URL names another database id.
    mismatched = Credential(kind, database.token, decoded, url=standin.url, location='app.env:2',
                            note='token is for database 1 but the nearby URL names database 2',
                            host_mismatch=True)
    standin.revoke(database.token)
    (result,) = verify_credentials([mismatched], Options(policy=policy))
    assert result.status == 'unknown'
    assert 'another database' in result.detail and 'names database 2' in result.detail
    assert database.token not in result.detail


def test_connection_refused_is_unknown():
    from detect_secrets_upstash import tokens
    probe = socket.socket()
    probe.bind(('127.0.0.1', 0))
    port = probe.getsockname()[1]
    probe.close()                   # nothing listens there now
    token = tokens.generate_redis_token()
    _, results = verify_json(['--url', f'http://127.0.0.1:{port}', '--token', token, '--allow-host', '127.0.0.1'],
                             [token])
    assert results[0]['status'] == 'unknown'
    assert 'connection failed' in results[0]['detail'] and 'refused' in results[0]['detail']
