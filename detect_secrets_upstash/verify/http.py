"""The only way the verifier talks to the network.

Every token-bearing request goes through `SafeSession.request`, which enforces:
- the host policy (HTTPS to Upstash hosts, or a host the user explicitly allowed; plain
  HTTP only to an allowed loopback host) *before* any connection is made;
- no redirects (a 3xx would carry the Authorization header to wherever it points);
- connect and read timeouts, plus an overall deadline (the read timeout) for the body;
- a size cap on the body, read as a stream and abandoned at the cap;
- no environment proxies, no ~/.netrc: `trust_env = False` (see `new_session`).
"""
import ipaddress
import itertools
import socket
import threading
import time
from dataclasses import dataclass
from typing import FrozenSet
from typing import Iterable
from typing import Optional
from urllib.parse import urlsplit

import requests

from ..catalogue import is_upstash_host

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


def _host_only(text: str) -> str:
    """'Example.com.' -> 'example.com'; a port ('127.0.0.1:8080', '[::1]:8080') is dropped."""
    text = text.strip().lower()
    if text.startswith('['):
        text = text[1:].split(']', 1)[0]
    elif text.count(':') == 1:
        text = text.split(':', 1)[0]
    return text.rstrip('.')


def _is_loopback(host: str) -> bool:
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class HostPolicy:
    """Where a token may be sent. `allowed` holds host names the user opted in to."""
    allowed: FrozenSet[str] = frozenset()

    @classmethod
    def of(cls, hosts: Iterable[str]) -> 'HostPolicy':
        return cls(frozenset(_host_only(h) for h in hosts if h.strip()))

    def is_allowed_host(self, host: str) -> bool:
        return host.lower().rstrip('.') in self.allowed

    def check(self, url: str) -> str:
        """The host of `url` if a token may go there; raises `Refused` (with a reason) if not."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or '').lower().rstrip('.')
            parts.port  # noqa: B018  (raises ValueError on a malformed port)
        except ValueError:
            raise Refused(f'malformed URL {_show_url(url)}')
        if parts.username is not None or parts.password is not None:
            raise Refused('URL carries user info; give the REST URL without credentials')
        if not host:
            raise Refused(f'no host in URL {_show_url(url)}')
        if parts.scheme == 'https':
            if is_upstash_host(host) or self.is_allowed_host(host):
                return host
            raise Refused(f'{host} is not an Upstash host (pass --allow-host {host} to verify '
                          f'against a self-hosted Upstash-compatible server)')
        if parts.scheme == 'http':
            if self.is_allowed_host(host) and _is_loopback(host):
                return host
            raise Refused(f'plain HTTP to {host} refused: tokens go over HTTPS, or over HTTP only '
                          f'to an allowed loopback host')
        raise Refused(f'scheme {parts.scheme or "(none)"!r} refused: only https')


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

    def request(self, method: str, url: str, token: str, json_body=None) -> Reply:
        """Send one token-bearing request and return its (capped) answer.

        Raises `Refused` before any connection if the policy forbids the URL, and
        `TransportError` for every way the exchange can fail to give an answer.
        Messages never contain the token.
        """
        self.policy.check(url)
        if not token.isprintable() or any(c.isspace() for c in token) or not token.isascii():
            raise Refused('token contains characters that cannot be sent in a header')
        headers = {'Authorization': f'Bearer {token}'}
        try:
            response = self._session().request(
                method, url, headers=headers, json=json_body, timeout=self.timeout,
                allow_redirects=False, stream=True, proxies=self.proxies)
        except requests.exceptions.SSLError:
            raise TransportError('TLS error (certificate or handshake)')
        except requests.exceptions.ConnectTimeout:
            raise TransportError(f'connect timeout after {self.timeout[0]:g}s')
        except requests.exceptions.ReadTimeout:
            raise TransportError(f'read timeout after {self.timeout[1]:g}s')
        except requests.exceptions.ConnectionError as error:
            cause = _root_cause(error)
            raise TransportError(f'connection failed ({cause})', no_such_host='resolve' in cause)
        except requests.exceptions.RequestException as error:
            raise TransportError(f'request failed ({type(error).__name__})')
        with response:
            if response.is_redirect or 300 <= response.status_code < 400:
                target = urlsplit(response.headers.get('Location', '')).hostname or 'nowhere'
                raise TransportError(f'server answered {response.status_code} redirect to {target}; '
                                     f'redirects are never followed with a token')
            return Reply(response.status_code, self._read_body(response))

    def _read_body(self, response: requests.Response) -> bytes:
        """At most `max_body` bytes, within `read timeout` overall.

        The read timeout bounds each wait for data, not the whole body: a server dripping
        one byte at a time would never trip it. A timer shuts the socket down at the
        overall deadline, which ends a blocked read.
        """
        budget = self.timeout[1]
        expired = threading.Event()
        sock = getattr(getattr(response.raw, 'connection', None), 'sock', None)

        def cut() -> None:
            expired.set()
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except (OSError, AttributeError):
                pass
        timer = _WATCHDOG.arm(budget, cut)
        body = bytearray()
        try:
            for chunk in response.iter_content(chunk_size=16384):
                body += chunk
                if len(body) > self.max_body:
                    raise TransportError(f'response body larger than {self.max_body} bytes; '
                                         f'stopped reading')
        except requests.exceptions.RequestException as error:
            if expired.is_set():
                raise TransportError(f'answer not complete after {budget:g}s; stopped reading')
            raise TransportError(f'connection failed while reading ({_root_cause(error)})')
        finally:
            _WATCHDOG.disarm(timer)
        if expired.is_set():
            raise TransportError(f'answer not complete after {budget:g}s; stopped reading')
        return bytes(body)


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
