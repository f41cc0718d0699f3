"""The host a token may go to and the host it is sent to come from ONE parse.

A URL that `urllib.parse` and urllib3 would split differently (a backslash, a control
character, '%5C', '@', '#', a unicode dot) could pass the host check as an Upstash host
while the connection goes elsewhere. Such URLs are refused; the property test below
throws generated hostile URLs at the real `SafeSession` and watches where connections go:
- plain HTTP reaches loopback listeners directly (an allowed one, and a canary that is
  allowed nowhere, on 127.0.0.2, also on port 443 where an HTTPS URL without a port goes);
- HTTPS goes through an explicit proxy that records each `CONNECT host:port` line, so the
  host urllib3 really connects to is seen without any DNS look-up.
"""
import fcntl
import os
import socket
import tempfile
import threading

import pytest
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.catalogue import is_upstash_host
from detect_secrets_upstash.verify.http import HostPolicy
from detect_secrets_upstash.verify.http import Refused
from detect_secrets_upstash.verify.http import SafeSession
from detect_secrets_upstash.verify.http import TransportError
from tests.helpers import run
from tests.in_process import cli
from tests.standin.canary import Canary
from tests.test_verify_cli import assert_no_tokens

ALLOWED = '127.0.0.1'


_SETTLE = b'SETTLE'       # the first line `settle()` sends: neither counted nor recorded


class _Recorder:
    """A loopback listener that records the first line of every request and hangs up. One
    connection at a time, in the order they arrived, each recorded before it is closed."""

    def __init__(self, host='127.0.0.1'):
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.host, self.port = host, self.sock.getsockname()[1]
        self.lines = []
        self.connections = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            client.settimeout(1)
            data = b''
            try:
                while b'\r\n' not in data and len(data) < 4096:
                    chunk = client.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            line = data.split(b'\r\n', 1)[0]
            if line != _SETTLE:
                with self._lock:
                    self.connections += 1
                    self.lines.append(line.decode('latin-1'))
            client.close()

    def settle(self):
        """Return once every connection made before this call has been counted."""
        _round_trip((self.host, self.port), _SETTLE + b'\r\n')

    def close(self):
        self.sock.close()


def _round_trip(address, data):
    # Send `data`, then wait for the listener to hang up: it has handled this connection, and
    # (one accept queue, first come first served) every connection that arrived before it.
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(4096):
            pass


@pytest.fixture
def net():
    # Port 443 on 127.0.0.2 is one per machine, and the suite runs in several xdist workers:
    # the tests that listen there take turns (a lock file), instead of the second one finding
    # the port taken and skipping.
    with open(os.path.join(tempfile.gettempdir(), 'detect-secrets-upstash-canary-443.lock'), 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            canary_443 = Canary('127.0.0.2', port=443).start()
        except OSError:
            canary_443 = None     # unprivileged: the proxy still shows where HTTPS would go
        canary = Canary('127.0.0.2').start()
        allowed = _Recorder(ALLOWED)
        proxy = _Recorder(ALLOWED)
        yield canary, canary_443, allowed, proxy
        for server in (canary, canary_443, allowed, proxy):
            if server is not None:
                (server.stop if isinstance(server, Canary) else server.close)()


def _hostile_urls(canary_port, allowed_port):
    hosts = st.sampled_from([ALLOWED, '127.0.0.2', '127.0.0.2', 'x.upstash.io', '.upstash.io',
                             'upstash.io', 'evil.test', 'localhost', '[::1]', '::1', '[::ffff:127.0.0.2]',
                             '127.2', '0x7f.0.0.2', '2130706434', 'qstash.upstash.io', 'api.upstash.com'])
    separators = st.sampled_from(['\\', '%5C', '%5c', '@', '#', '?', '/', ':', '.', '。', '．', '｡',
                                  '\x00', '\t', '\n', '\r', ' ', '%00', '%2e', '%40', '%23', '[', ']',
                                  '\u200b', 'ａ', ';', ',', '&', '..', '\\\\', '/\\', '%'])
    ports = st.sampled_from(['', '', f':{canary_port}', f':{allowed_port}', ':443', ':0', ':65536',
                             ':99999', ':+1', ':-1', ': 80', f':{canary_port}\\'])
    piece = st.one_of(hosts, separators, ports,
                      st.text(alphabet=st.characters(max_codepoint=0x3000), max_size=3))
    schemes = st.sampled_from(['https', 'http', 'HTTPS', 'hTtP', 'https:', 'ftp', ''])
    slashes = st.sampled_from(['://', '://', '://', ':\\\\', ':/', '://\\', '//'])
    paths = st.sampled_from(['', '/', '/pipeline', '/v2/keys', '?x=1', '#f'])
    suffixes = st.sampled_from(['.upstash.io', 'x.upstash.io', '.qstash.upstash.io', f'{ALLOWED}',
                                '.kv.vercel-storage.com', 'upstash.io', 'api.upstash.com', '.upstash.com', ''])
    # The shape of the attack: <host a token must not reach> <separator> <an approved-looking tail>
    shaped = st.builds(lambda scheme, slash, user, a, port, sep, b, port2, path:
                       f'{scheme}{slash}{user}{a}{port}{sep}{b}{port2}{path}',
                       schemes, slashes, st.sampled_from(['', '', 'u@', 'u:p@', '@', '\\@']),
                       hosts, ports, separators, suffixes, ports, paths)
    free = st.builds(lambda scheme, slash, parts, path: f'{scheme}{slash}{"".join(parts)}{path}',
                     schemes, slashes, st.lists(piece, min_size=1, max_size=6), paths)
    return st.one_of(shaped, free)


TOKEN = tokens.generate_redis_token()
MANAGEMENT = catalogue.PRODUCTS_BY_ID['management']
# (product, credential, user): a database token (Bearer), and a Management API key (Basic
# email:key), whose only Upstash host is api.upstash.com
CREDENTIALS = [(None, TOKEN, None),
               (MANAGEMENT, tokens.generate_management_api_key(), 'ops@acme-widgets.dev')]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_connections_go_only_to_the_host_the_policy_approved(net, data):
    canary, canary_443, allowed, proxy = net
    url = data.draw(_hostile_urls(canary.port, allowed.port), label='url')
    product, token, user = data.draw(st.sampled_from(CREDENTIALS), label='credential')
    policy = HostPolicy.of([ALLOWED])
    try:
        approved = policy.check(url, product)
        approved = getattr(approved, 'host', approved)
    except Refused:
        approved = None
    listeners = [server for server in (canary, canary_443, allowed, proxy) if server is not None]

    def counts(settled=True):
        # settled: every connection made so far is counted by now (no sleep, no race)
        for server in listeners if settled else ():
            server.settle()
        return (canary.connections, canary_443.connections if canary_443 else 0, allowed.connections, len(proxy.lines))

    seen = counts(settled=False)      # the example before this one ended settled
    for proxy_url in (proxy_url_of(proxy), None):
        session = SafeSession(policy, connect_timeout=0.5, read_timeout=0.5, https_proxy=proxy_url)
        try:
            session.request('POST', url, token, ['PING'], product=product, user=user)
        except (Refused, TransportError):
            pass
        if proxy_url and len(proxy.lines) > seen[3] or approved and approved != ALLOWED:
            break         # HTTPS (seen at the proxy): a direct try would ask DNS
    now = counts()
    assert now[:2] == seen[:2], f'{url!r}: a connection reached the canary'
    if approved is None:
        assert now == seen, f'{url!r} was refused, yet a connection was made'
        return
    if product is None:
        assert is_upstash_host(approved) or approved == ALLOWED
    else:       # an account key never goes to a database host, whatever is allowed
        assert approved in (catalogue.MANAGEMENT_API_HOST, ALLOWED)
    for line in proxy.lines[seen[3]:]:
        assert line.startswith(f'CONNECT {approved}:'), f'{url!r} approved {approved}, sent {line!r}'
    assert now[2] == seen[2] or approved == ALLOWED


def proxy_url_of(proxy):
    return f'http://{proxy.host}:{proxy.port}'


# --- the reproductions, through the CLIs (a usage error is decided in-process, `main(argv)`;
# the backslash URLs also through each console script and a real scan) ---

BACKSLASH_URLS = ['https://127.0.0.2\\.upstash.io', 'https://127.0.0.2\\x.upstash.io/',
                  'https://evil.test\\x.upstash.io/', 'https://127.0.0.2%5C.upstash.io',
                  'https://127.0.0.2#.upstash.io', 'https://127.0.0.2?.upstash.io',
                  'https://x@127.0.0.2\\@.upstash.io', 'https://127.0.0.2\t.upstash.io',
                  'https://127.0.0.2。upstash.io', 'https://127.0.0.2:443\\.upstash.io']


@pytest.mark.parametrize('url', BACKSLASH_URLS)
def test_policy_refuses_urls_whose_host_is_not_plain(url):
    with pytest.raises(Refused):
        HostPolicy().check(url)


def test_backslash_urls_send_nothing_from_any_option(net, tmp_path):
    canary_443 = net[1]
    if canary_443 is None:
        # as root the bind only fails if something else holds the port: say so, never skip
        assert os.geteuid() != 0, '127.0.0.2:443 is taken by another process'
        pytest.skip('binding port 443 needs privileges (the property test covers this via the proxy)')
    redis_token = tokens.generate_redis_token()
    qstash_token = tokens.generate_qstash_token()
    vector_token = tokens.generate_vector_token(tokens.generate_endpoint())
    secrets = [redis_token, qstash_token, vector_token]
    for url in BACKSLASH_URLS[:3]:
        # the first URL through the console script, the others in-process
        runner = run if url == BACKSLASH_URLS[0] else cli
        for args in (['--url', url, '--token', redis_token],
                     ['--qstash-url', url, '--token', qstash_token],
                     ['--vector-url', url, '--token', vector_token]):
            proc = runner(['upstash-verify', *args, '--connect-timeout', '1', '--read-timeout', '1'])
            assert proc.returncode == 2, (args, proc.stdout, proc.stderr)     # a usage error
            assert 'unsafe URL' in proc.stderr
            assert_no_tokens(proc, secrets)
    # the same through the plugin during a scan
    (tmp_path / '.env').write_text(f'QSTASH_TOKEN={qstash_token}\n')
    proc = run(['detect-secrets-upstash', 'scan', '--all-files'], cwd=tmp_path,
               env={'UPSTASH_VERIFY': '1', 'UPSTASH_VERIFY_QSTASH_URL': BACKSLASH_URLS[0]})
    assert proc.returncode == 0, proc.stderr
    assert_no_tokens(proc, secrets)
    assert '"QStash Token"' in proc.stdout or 'QStash' in proc.stdout    # the finding is kept
    canary_443.settle()
    assert canary_443.connections == 0


@pytest.mark.parametrize('value', ['127.0.0.2\\.upstash.io', 'http://127.0.0.1/x', 'https://127.0.0.1',
                                   'user@127.0.0.1:8443', '127.0.0.1:port', '[::1]/x'])
def test_allow_host_that_is_not_plain_is_a_usage_error(value):
    # a URL given as a host must not allow a host named after its scheme ('http')
    token = tokens.generate_redis_token()
    proc = cli(['upstash-verify', '--allow-host', value, '--url', 'https://x.upstash.io',
                '--token', token])
    assert proc.returncode == 2, (value, proc.stdout, proc.stderr)
    assert 'not a plain host' in proc.stderr
    assert_no_tokens(proc, [token])


@pytest.mark.parametrize('value, host', [('127.0.0.1:8443', '127.0.0.1'), ('[::1]:8443', '::1'),
                                         ('Stand-In.example', 'stand-in.example')])
def test_allow_host_with_a_port_allows_that_host(value, host):
    assert HostPolicy.of([value]).allowed == frozenset({host})


# --- numeric IPv4 forms: what inet_aton reads as an address is a dotted quad or refused ---

def _c_number(value: int, base: str) -> str:
    return {'dec': str(value), 'hex': hex(value), 'HEX': '0X' + format(value, 'X'),
            'oct': '0' + format(value, 'o')}[base]


_NUMERIC_LABEL = st.one_of(
    st.builds(_c_number, st.integers(0, 2 ** 32 - 1), st.sampled_from(['dec', 'hex', 'HEX', 'oct'])),
    st.text('0123456789abcdefxX', min_size=1, max_size=10))
_NUMERIC_NAME = st.lists(_NUMERIC_LABEL, min_size=1, max_size=5).map('.'.join)


@settings(max_examples=500, deadline=None)
@given(name=_NUMERIC_NAME, trailing_dot=st.booleans())
def test_a_host_the_resolver_reads_as_an_address_is_a_dotted_quad(name, trailing_dot):
    from detect_secrets_upstash.verify.http import parse_host
    host = name + ('.' if trailing_dot else '')
    try:
        packed = socket.inet_aton(name)
    except OSError:
        packed = None
    parsed = parse_host(host)
    if packed is not None and parsed is not None:
        # accepted only as the canonical dotted quad of the very address it names
        assert parsed == socket.inet_ntoa(packed) == name


@pytest.mark.parametrize('host', ['0x7f000001', '2130706433', '0177.0.0.1', '127.1', '0x7f.1',
                                  '0x7f.0.0.1', '017700000001'])
def test_numeric_ipv4_forms_are_refused_as_url_and_allow_host(host):
    token = tokens.generate_redis_token()
    proc = cli(['upstash-verify', '--allow-host', host, '--url', f'https://{host}:18443',
                '--token', token, '--connect-timeout', '1', '--read-timeout', '1'])
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert 'not a plain host' in proc.stderr
    assert_no_tokens(proc, [token])
    with pytest.raises(Refused):
        HostPolicy().check(f'https://{host}/')
