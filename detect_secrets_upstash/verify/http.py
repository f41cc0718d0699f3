"""The only way the verifier talks to the network.

Every token-bearing request goes through `SafeSession.request`, which enforces:
- the host policy (HTTPS to the hosts of the credential's product: Upstash database, index
  and QStash hosts, or `api.upstash.com` for a Management API key; or a host the user
  explicitly allowed that no other product claims; plain HTTP only to an allowed loopback
  host) *before* any connection is made;
- no redirects (a 3xx would carry the Authorization header to wherever it points);
- connect and read timeouts, plus one wall-clock deadline (connect + read timeout) for the
  whole exchange: connect, TLS, status line, headers and body;
- a size cap on the body, read as a stream and abandoned at the cap;
- no environment proxies, no ~/.netrc: `trust_env = False` (see `new_session`).
"""
import ipaddress
import itertools
import re
import socket
import threading
import time
from dataclasses import dataclass
from typing import FrozenSet
from typing import Iterable
from typing import Optional
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connection

from .. import catalogue

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 10.0
DEFAULT_MAX_BODY = 256 * 1024     # every answer we need is a few hundred bytes
USER_AGENT = 'upstash-verify (detect-secrets-upstash)'


class Refused(Exception):
    """The host policy forbids sending a token to this URL; nothing was sent."""


class TransportError(Exception):
    """The request did not produce a usable answer (timeout, reset, TLS, redirect, cap)."""

    def __init__(self, message: str, no_such_host: bool = False):
        super().__init__(message)
        self.no_such_host = no_such_host     # the name does not resolve: nobody to ask


# A host is a plain DNS name (ASCII letters, digits, '-', '.'), an IPv4 address in dotted
# quad, or an IPv6 address in brackets. Anything else (a backslash, '%', '@', a control or
# non-ASCII character such as a unicode dot) is refused rather than interpreted: requests and
# urllib3 split such URLs differently than urllib.parse does, and the host that was checked
# would not be the host that gets connected to.
_LABEL = re.compile(r'[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z')
_URL = re.compile(
    r'(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://'
    r'(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)'
    r'(?::(?P<port>[0-9]{1,5}))?'
    r"(?P<path>/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?\Z")


def parse_host(text: str) -> Optional[str]:
    """The canonical form of a plain host name or IP literal ('Example.COM.' -> 'example.com',
    '[::1]' -> '::1'), or None when `text` is anything else."""
    if not isinstance(text, str) or not text.isascii():
        return None
    text = text.lower()
    if text.startswith('[') and text.endswith(']'):
        try:
            return str(ipaddress.IPv6Address(text[1:-1]))
        except ValueError:
            return None
    if ':' in text:
        try:
            return str(ipaddress.IPv6Address(text))
        except ValueError:
            return None
    name = text[:-1] if text.endswith('.') else text
    labels = name.split('.')
    if not name or len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    if labels[-1].isdigit() or _numeric_ipv4(labels):
        # An IP address, then in dotted quad only: the resolver (inet_aton) would also read
        # '127.1', '0x7f.1', '0177.0.0.1' or '0x7f000001' as 127.0.0.1, and so would let a
        # check be fooled.
        try:
            return str(ipaddress.IPv4Address(name))
        except ValueError:
            return None
    return name


_C_NUMBER = re.compile(r'0[xX][0-9A-Fa-f]*|[0-9]+\Z')


def _numeric_ipv4(labels) -> bool:
    """1 to 4 labels that are each a C number (decimal, 0x hex, 0 octal): what inet_aton
    reads as an IPv4 address."""
    return 1 <= len(labels) <= 4 and all(_C_NUMBER.fullmatch(label) for label in labels)


def _host_only(text: str) -> str:
    """An --allow-host value: a plain host, optionally with a port ('127.0.0.1:8080',
    '[::1]:8080') that is dropped; '' when it is not a plain host at all."""
    text = text.strip()
    port = ''
    if text.startswith('[') and ']' in text:
        text, port = text[:text.index(']') + 1], text[text.index(']') + 1:]
    elif text.count(':') == 1:
        text, port = text.split(':', 1)
        port = ':' + port
    # 'http://a/b' must not become a host named 'http' (the user meant 'a'): a port is
    # digits or nothing, so a URL, a path or user info is not a plain host
    if port and not re.fullmatch(r':[0-9]{1,5}', port):
        return ''
    return parse_host(text) or ''


def _is_loopback(host: str) -> bool:
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Target:
    """A URL as checked: the request goes to exactly this scheme, host and port."""
    scheme: str
    host: str                   # canonical: lower case, no trailing dot, IPv6 without brackets
    port: Optional[int]
    path: str

    @property
    def url(self) -> str:
        """The URL that is sent, built from the checked parts (never the caller's string)."""
        host = f'[{self.host}]' if ':' in self.host else self.host
        port = f':{self.port}' if self.port is not None else ''
        return f'{self.scheme}://{host}{port}{self.path or "/"}'


def parse_url(url: str) -> Target:
    """The parts of a plain http(s) URL; raises `Refused` for anything else (user info,
    query, fragment, a host that is not a plain name or address, a bad port)."""
    if not isinstance(url, str):
        raise Refused('no URL')
    match = _URL.match(url.strip())
    if not match:
        raise Refused(f'malformed or unsafe URL {_show_url(url)} (give https://host[:port][/path]: '
                      f'a plain host name, no user info, query or fragment)')
    scheme = match.group('scheme').lower()
    if scheme not in ('https', 'http'):
        raise Refused(f'scheme {scheme!r} refused: only https')
    host = parse_host(match.group('host'))
    if host is None:
        raise Refused(f'host in {_show_url(url)} is not a plain host name or IP address')
    port = match.group('port')
    if port is not None and not 0 < int(port) < 65536:
        raise Refused(f'port {port} out of range in {_show_url(url)}')
    return Target(scheme, host, int(port) if port is not None else None, match.group('path') or '')


def host_of(url: Optional[str]) -> Optional[str]:
    """The host of `url` for messages and results, or None; never raises."""
    try:
        return parse_url(url).host if url else None
    except Refused:
        return None


@dataclass(frozen=True)
class HostPolicy:
    """Where a token may be sent. `allowed` holds host names the user opted in to."""
    allowed: FrozenSet[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str]) -> 'HostPolicy':
        """Raises ValueError naming the first value that is not a plain host."""
        allowed = set()
        for text in hosts:
            if not text.strip():
                continue
            host = _host_only(text)
            if not host:
                raise ValueError(f'{_show_url(text)} is not a plain host name or IP address')
            allowed.add(host)
        return cls(frozenset(allowed))

    def is_allowed_host(self, host: str) -> bool:
        return parse_host(host) in self.allowed

    def check(self, url: str, product: Optional['catalogue.Product'] = None) -> Target:
        """Where a credential of `product` (None: a database or QStash token) may go for
        `url`; raises `Refused` (with a reason) if nowhere.

        The returned `Target` is the one parse both the decision and the connection use.
        """
        target = parse_url(url)
        host = target.host
        product = product or catalogue.PRODUCTS_BY_ID[catalogue.FALLBACK_PRODUCT]
        if not product.token_hosts(host):
            other = _claimed_by_another(host, product)
            if other is not None:
                # never, not even when allowed: a Redis token to the Management API, an
                # account key to a database
                raise Refused(f'{host} is an Upstash {other.display_name} host; '
                              f'{product.display_name} credentials are never sent there')
        if target.scheme == 'https':
            if product.token_hosts(host) or host in self.allowed:
                return target
            raise Refused(f'{host} is not an Upstash {product.display_name} host (pass --allow-host '
                          f'{host} to verify against a self-hosted Upstash-compatible server)')
        if host in self.allowed and _is_loopback(host):
            return target
        raise Refused(f'plain HTTP to {host} refused: tokens go over HTTPS, or over HTTP only '
                      f'to an allowed loopback host')


def _claimed_by_another(host: str, product: 'catalogue.Product') -> Optional['catalogue.Product']:
    return next((other for other in catalogue.PRODUCTS
                 if other is not product and other.token_hosts(host)), None)


def _show_url(url: str) -> str:
    # URLs come from scanned files and could embed anything; keep them short in messages.
    return repr(url[:80])


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    def json(self):
        import json
        return json.loads(self.body.decode('utf-8'))


def new_session() -> requests.Session:
    session = requests.Session()
    # trust_env=False: no HTTP(S)_PROXY / ALL_PROXY from the environment (a proxy sees
    # plain-HTTP tokens, and an intercepting proxy sees HTTPS ones), no ~/.netrc (requests
    # would replace our Authorization header with a netrc password for the host), and no
    # REQUESTS_CA_BUNDLE swap. Certificates are checked against certifi's bundle.
    session.trust_env = False
    session.headers['User-Agent'] = USER_AGENT
    for prefix in ('https://', 'http://'):
        session.mount(prefix, _Adapter())
    return session


class SafeSession:
    """Thread-safe: one `requests.Session` per thread (sessions are not meant to be shared)."""

    def __init__(self, policy: HostPolicy = HostPolicy(),
                 connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
                 read_timeout: float = DEFAULT_READ_TIMEOUT,
                 max_body: int = DEFAULT_MAX_BODY,
                 https_proxy: Optional[str] = None):
        self.policy = policy
        self.timeout = (connect_timeout, read_timeout)
        self.max_body = max_body
        # An explicit proxy, for HTTPS only: requests tunnels through it with CONNECT, so the
        # proxy sees the host name but not the token; certificates are still checked against
        # certifi's bundle, so an intercepting proxy fails the handshake. Plain HTTP (allowed
        # loopback hosts only) never goes through a proxy.
        self.proxies = {'https': https_proxy} if https_proxy else {}
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, 'session', None)
        if session is None:
            session = self._local.session = new_session()
        return session

    def request(self, method: str, url: str, token: str, json_body=None,
                product: Optional['catalogue.Product'] = None, user: Optional[str] = None) -> Reply:
        """Send one token-bearing request and return its (capped) answer.

        `product` says whose credential it is (None: a database or QStash token), and so
        which hosts may get it. With `user` the credential goes as HTTP Basic `user:token`
        (the Management API), else as a Bearer token.

        Raises `Refused` before any connection if the policy forbids the URL, and
        `TransportError` for every way the exchange can fail to give an answer.
        Messages never contain the token.
        """
        target = self.policy.check(url, product)
        connects_to = parse_url_host(target.url)
        if connects_to != target.host:       # the one parse must be the one requests makes
            raise Refused(f'URL {_show_url(url)} would not reach the host that was checked')
        for part in (token,) if user is None else (token, user):
            if not part.isprintable() or any(c.isspace() for c in part) or not part.isascii():
                raise Refused('token contains characters that cannot be sent in a header')
        if user is None:
            headers = {'Authorization': f'Bearer {token}'}
        else:
            if ':' in user:
                raise Refused('a Basic user name cannot contain ":"')
            import base64
            pair = base64.b64encode(f'{user}:{token}'.encode('ascii')).decode('ascii')
            headers = {'Authorization': f'Basic {pair}'}
        # One wall-clock deadline for the whole exchange: connect, TLS, status line, headers
        # (however many `100 Continue` come first) and body. Per-wait timeouts alone let a
        # server that drips a byte a second keep us forever.
        deadline = _Deadline(self.timeout[0] + self.timeout[1])
        timer = _WATCHDOG.arm(deadline.seconds, deadline.cut)
        _current.deadline = deadline
        try:
            return self._exchange(method, target, headers, json_body, deadline)
        finally:
            _current.deadline = None
            _WATCHDOG.disarm(timer)

    def for_product(self, product: 'catalogue.Product') -> 'ProductSession':
        return ProductSession(self, product)

    def _exchange(self, method, target: Target, headers, json_body, deadline: '_Deadline') -> Reply:
        try:
            response = self._session().request(
                method, target.url, headers=headers, json=json_body, timeout=self.timeout,
                allow_redirects=False, stream=True, proxies=self.proxies)
        except requests.exceptions.RequestException as error:
            if deadline.expired.is_set():
                raise TransportError(deadline.message)
            if isinstance(error, requests.exceptions.SSLError):
                raise TransportError('TLS error (certificate or handshake)')
            if isinstance(error, requests.exceptions.ConnectTimeout):
                raise TransportError(f'connect timeout after {self.timeout[0]:g}s')
            if isinstance(error, requests.exceptions.ReadTimeout):
                raise TransportError(f'read timeout after {self.timeout[1]:g}s')
            if isinstance(error, requests.exceptions.ConnectionError):
                cause = _root_cause(error)
                raise TransportError(f'connection failed ({cause})', no_such_host='resolve' in cause)
            raise TransportError(f'request failed ({type(error).__name__})')
        with response:
            if response.is_redirect or 300 <= response.status_code < 400:
                location = _location_host(response.headers.get('Location', ''))
                raise TransportError(f'server answered {response.status_code} redirect to {location}; '
                                     f'redirects are never followed with a token')
            return Reply(response.status_code, self._read_body(response, deadline))

    def _read_body(self, response: requests.Response, deadline: '_Deadline') -> bytes:
        """At most `max_body` bytes, before the request's deadline."""
        body = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=16384):
                body += chunk
                if len(body) > self.max_body:
                    raise TransportError(f'response body larger than {self.max_body} bytes; '
                                         f'stopped reading')
        except requests.exceptions.RequestException as error:
            if deadline.expired.is_set():
                raise TransportError(deadline.message)
            raise TransportError(f'connection failed while reading ({_root_cause(error)})')
        if deadline.expired.is_set():
            raise TransportError(deadline.message)
        return bytes(body)


class ProductSession:
    """The session a product's probe gets (`SafeSession.for_product`): every request carries
    the product's record, so its credentials go only to the hosts that record allows
    (`Product.token_hosts`) and the probe never names its product itself."""

    def __init__(self, session: SafeSession, product: 'catalogue.Product'):
        self.session = session
        self.product = product

    def request(self, method: str, url: str, token: str, json_body=None,
                user: Optional[str] = None) -> Reply:
        return self.session.request(method, url, token, json_body, product=self.product, user=user)


class _Deadline:
    """The sockets of one request, shut down together when its time is up (which ends any
    blocked connect, handshake or read on them at once)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = threading.Event()
        self._sockets = []
        self._lock = threading.Lock()

    @property
    def message(self) -> str:
        return (f'no complete answer within {self.seconds:g}s (connect + read timeout); '
                f'stopped waiting')

    def watch(self, sock) -> None:
        with self._lock:
            if sock is not None and all(sock is not s for s in self._sockets):
                self._sockets.append(sock)
            late = self.expired.is_set()
        if late:
            _shut(sock)

    def cut(self) -> None:
        with self._lock:
            self.expired.set()
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, AttributeError):
        pass


_current = threading.local()        # the deadline of the request this thread is making


def _watch(sock) -> None:
    deadline = getattr(_current, 'deadline', None)
    if deadline is not None:
        deadline.watch(sock)


class _WatchedConnection:
    """A urllib3 connection whose new socket joins the current request's deadline."""

    def _new_conn(self):
        sock = super()._new_conn()
        _watch(sock)
        return sock


class _HTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _WatchedPool:
    def _make_request(self, conn, *args, **kwargs):
        _watch(getattr(conn, 'sock', None))      # a kept-alive connection: its socket too
        return super()._make_request(conn, *args, **kwargs)


class _HTTPPool(_WatchedPool, urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(_WatchedPool, urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {'http': _HTTPPool, 'https': _HTTPSPool}


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter, with connections that obey the request deadline."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy, **kwargs):
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager


class _Watchdog:
    """One thread that runs callbacks at deadlines (a thread per request would cost more
    than the request itself)."""

    def __init__(self):
        self._condition = threading.Condition()
        self._pending = {}              # handle -> (deadline, callback)
        self._handles = itertools.count()
        self._thread = None

    def arm(self, seconds: float, callback) -> int:
        with self._condition:
            handle = next(self._handles)
            self._pending[handle] = (time.monotonic() + seconds, callback)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name='upstash-verify-watchdog',
                                                daemon=True)
                self._thread.start()
            self._condition.notify()
            return handle

    def disarm(self, handle: int) -> None:
        with self._condition:
            self._pending.pop(handle, None)

    def _run(self) -> None:
        while True:
            with self._condition:
                now = time.monotonic()
                due = [h for h, (deadline, _) in self._pending.items() if deadline <= now]
                callbacks = [self._pending.pop(h)[1] for h in due]
                if not callbacks:
                    soonest = min((d for d, _ in self._pending.values()), default=now + 60)
                    self._condition.wait(max(soonest - now, 0.001))
                    continue
            for callback in callbacks:
                callback()


_WATCHDOG = _Watchdog()


def parse_url_host(url: str) -> Optional[str]:
    """The host urllib3 (which opens the connection) reads from `url`, canonical."""
    try:
        host = urllib3.util.parse_url(url).host
    except ValueError:
        return None
    return parse_host(host or '')


def _location_host(location: str) -> str:
    """A redirect's target host for the message: only a plain host name is shown."""
    try:
        host = urlsplit(location).hostname
    except ValueError:
        host = None
    return parse_host(host or '') or 'nowhere'


def _root_cause(error: BaseException) -> str:
    """A short, token-free description: the innermost exception's class name."""
    seen = error
    while seen.__cause__ is not None or seen.__context__ is not None:
        seen = seen.__cause__ or seen.__context__
    if len(error.args) == 1 and hasattr(error.args[0], 'reason'):
        seen = error.args[0].reason or seen
    name = type(seen).__name__
    text = str(seen)
    if 'Failed to resolve' in text or 'Name or service not known' in text:
        return f'{name}: cannot resolve host name'
    for marker in ('Connection reset', 'Connection refused', 'Remote end closed', 'timed out'):
        if marker in text:
            return f'{name}: {marker}'
    return name
