"""An Upstash REST stand-in: Redis REST, QStash and Vector/Search on one loopback HTTP server.

Redis commands are forwarded to a real redis-server, authenticated as the ACL user behind
the token, so every allow/deny decision (WRONGPASS, NOPERM) is the real Redis one. QStash and
Vector state lives in a reserved logical database of the same Redis, so
``keyspace_snapshot()`` proves "no data change" for every product at once.

Tokens are generated (``detect_secrets_upstash.tokens``) and belong to no account.
Token values are never logged: ``requests`` records method, path, product and command names.
"""
import base64
import hashlib
import itertools
import json
import re
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple
from urllib.parse import parse_qsl
from urllib.parse import unquote
from urllib.parse import urlsplit

import redis

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens

from . import resp
from .redis_server import RedisServer
from .tls import write_certificate

# The catalogue products (`catalogue.PRODUCTS` ids) this server has handlers for; products
# added with `add_route` join them (`served_products`).
REDIS = 'redis'
QSTASH = 'qstash'
VECTOR = 'vector'
MANAGEMENT = 'management'
MANAGEMENT_UNAUTHORIZED = {'error': 'Unauthorized'}

WRONGPASS = 'WRONGPASS invalid or missing auth token'
VECTOR_UNAUTHORIZED = {'error': 'Unauthorized: Invalid auth token', 'status': 401}
VECTOR_READ_ONLY = {'error': 'Unauthorized: Read-only token cannot perform write operations', 'status': 403}
QSTASH_UNAUTHORIZED = {'error': 'Unauthorized: invalid or missing token'}

FAULTS = (None, 'slow', '500', '429', 'reset', 'redirect', 'huge', 'badjson')
MAX_REQUEST_BODY = 16 * 1024 * 1024

# The ACL rules behind the two token kinds Upstash issues. Read-only: everything that reads,
# connection housekeeping (AUTH, PING, SELECT, ...) and MULTI/EXEC, nothing that writes.
FULL_RULES = ('~*', '&*', '+@all')
READ_ONLY_RULES = ('~*', '&*', '-@all', '+@read', '+@connection', '+@transaction', '-@admin', '-@write')

# Redis 7.0 says "NOPERM this user has no permissions to run the 'set' command" (Upstash's
# text); later versions say "NOPERM User <name> has ...". Answer with Upstash's text.
_NOPERM_COMMAND = re.compile(r"^NOPERM .*? permissions to run the '([^']+)' command")

VECTOR_READS = frozenset({'info', 'query', 'query-data', 'fetch', 'range', 'list-namespaces', 'resumable-query'})
VECTOR_WRITES = frozenset({'upsert', 'upsert-data', 'update', 'delete', 'reset', 'delete-namespace'})
QSTASH_LISTS = {'topics': [], 'schedules': [], 'queues': [], 'events': {'cursor': '', 'events': []},
                'dlq': {'cursor': '', 'messages': []}}


@dataclass(frozen=True)
class Database:
    """A Redis database: its REST URL, standard token and read-only token."""
    database_id: int
    url: str
    token: str
    read_only_token: str
    redis_db: int               # the logical database of the backing redis-server


@dataclass(frozen=True)
class QStashAccount:
    """A QStash account; the signing keys are the ones at creation (see ``qstash_signing_keys``)."""
    token: str
    current_signing_key: str
    next_signing_key: str
    url: str


@dataclass(frozen=True)
class VectorIndex:
    endpoint: str
    token: str
    read_only_token: str
    url: str


@dataclass(frozen=True)
class LiveCredential:
    """A live credential of one product, and what `upstash-verify` needs besides `--url`
    and `--token` to verify it (tests loop over the catalogue's products with these)."""
    product: str
    token: str
    args: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ManagementAccount:
    """An account of the Management (Developer) API: its email, its key, and the Redis
    databases (real ones, each with its ACL users) its listing shows."""
    email: str
    api_key: str
    databases: Tuple[Database, ...]
    passwords: Tuple[str, ...]          # what the listing shows as each database's password
    url: str


@dataclass(frozen=True)
class LoggedRequest:
    """One request as the stand-in saw it. Never holds a token value."""
    method: str
    path: str                   # without the query string (which may carry ?_token=)
    product: str                # a catalogue product id (`UpstashStandIn.served_products`)
    commands: Tuple[str, ...]   # Redis command names, upper case ('GET', 'SET', ...)
    status: Optional[int]       # HTTP status sent; None when the connection was reset
    fault: Optional[str]        # the fault mode that shaped the answer, if any
    host: str                   # the Host header as sent
    authorized: bool            # a token was presented that the stand-in issued (revoked or not)
    token_in_query: bool        # the token came as ?_token= rather than a header


class KeyState(NamedTuple):
    type: str
    value: bytes                # redis DUMP of the value (type, content and encoding)
    expires: bool               # has a TTL


@dataclass
class _Credential:
    product: str
    read_only: bool
    username: str = ''          # Redis ACL user (Redis only)
    redis_db: int = 0
    owner: str = ''             # QStash account key / vector endpoint
    revoked: bool = False       # QStash and Vector only: Redis revocation is the ACL user's deletion


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _upstash_error(error: resp.ReplyError) -> str:
    text = str(error)
    match = _NOPERM_COMMAND.match(text)
    if match:
        return f"NOPERM this user has no permissions to run the '{match.group(1).lower()}' command"
    return text


def _arg(value: Any) -> bytes:
    if isinstance(value, bool):
        return b'true' if value else b'false'
    if isinstance(value, (int, float)):
        return repr(value).encode()
    if isinstance(value, str):
        return value.encode('utf-8')
    raise ValueError('ERR failed to parse command: arguments must be strings or numbers')


def _command(value: Any) -> List[bytes]:
    if not isinstance(value, list) or not value:
        raise ValueError('ERR failed to parse command')
    return [_arg(item) for item in value]


def _to_json(reply: resp.Reply, base64_encoding: bool) -> Any:
    if isinstance(reply, resp.Status):
        # The SDK's base64 decoder passes "OK" through and decodes everything else.
        if base64_encoding and reply != 'OK':
            return base64.b64encode(reply.encode()).decode('ascii')
        return str(reply)
    if isinstance(reply, bytes):
        if base64_encoding:
            return base64.b64encode(reply).decode('ascii')
        return reply.decode('utf-8', 'replace')
    if isinstance(reply, resp.ReplyError):
        return _upstash_error(reply)
    if isinstance(reply, list):
        return [_to_json(item, base64_encoding) for item in reply]
    return reply            # int or None


def _item(reply: resp.Reply, base64_encoding: bool) -> Dict[str, Any]:
    if isinstance(reply, resp.ReplyError):
        return {'error': _upstash_error(reply)}
    return {'result': _to_json(reply, base64_encoding)}


class _Answer(Exception):
    """Raised inside a handler to send a JSON answer right away."""

    def __init__(self, status: int, body: Any):
        super().__init__(status)
        self.status, self.body = status, body


class UpstashStandIn:
    """See the package docstring for the surface; ``start()`` returns self."""

    def __init__(self, redis_server: RedisServer, latency: float = 0.0, host: str = '127.0.0.1',
                 tls: bool = False):
        self.redis_server = redis_server
        self.latency = latency
        self.host = host
        self.port: Optional[int] = None
        self.tls = tls                          # HTTPS with a self-signed certificate
        self.certificate_path: Optional[Path] = None
        self._credentials: Dict[str, _Credential] = {}          # sha256(token) -> credential
        self._routes: Dict[str, Tuple[str, Callable]] = {}      # path prefix -> (product, answer)
        self._accounts: Dict[str, ManagementAccount] = {}        # email -> Management API account
        self._database_ids: Dict[int, Database] = {}
        self._usernames: List[str] = []
        self._next_db = 0
        self._service_db = redis_server.databases - 1            # QStash and Vector state
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._fault: Tuple[Optional[str], Dict[str, Any]] = (None, {})
        self._requests: List[LoggedRequest] = []
        self.errors: List[str] = []             # stand-in bugs met while answering (should stay empty)
        self.in_flight = 0                      # requests being answered right now
        self.peak_concurrency = 0               # the most answered at once (proves no serialisation)
        self._stopping = threading.Event()
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._admin_clients: Dict[int, redis.Redis] = {}
        self._thread: Optional[threading.Thread] = None

    # --- lifecycle ---

    def start(self) -> 'UpstashStandIn':
        handler = type('Handler', (_Handler,), {'standin': self})
        httpd = ThreadingHTTPServer((self.host, 0), handler, bind_and_activate=False)
        httpd.daemon_threads = True
        httpd.request_queue_size = 128          # the benchmark opens many connections at once
        httpd.server_bind()
        httpd.server_activate()
        if self.tls:
            self.certificate_path, key_path = write_certificate(self.redis_server.dir / 'tls')
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.certificate_path, key_path)
            # Handshake per connection in the handler thread (see _Handler.handle), so a
            # client that refuses the certificate cannot stall the accept loop.
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._stopping.clear()
        # stop() waits for the loop to see the shutdown: up to one poll interval per test.
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={'poll_interval': 0.005},
                                        name=f'upstash-standin-{self.port}', daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, delete the ACL users and flush the data this stand-in created."""
        self._stopping.set()                    # wakes 'slow' handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self.redis_server.running:
            if self._usernames:
                self._admin().execute_command('ACL', 'DELUSER', *self._usernames)
            ours = {d.redis_db for d in self._database_ids.values()} | {self._service_db}
            holding_keys = {int(name[2:]) for name in self._admin().info('keyspace')}
            for db in ours & holding_keys:
                self._admin(db).flushdb()
        self._usernames.clear()
        for client in self._admin_clients.values():
            client.close()
        self._admin_clients.clear()

    def __enter__(self) -> 'UpstashStandIn':
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f'{"https" if self.tls else "http"}://{self.host}:{self.port}'

    # --- credentials ---

    def _admin(self, db: int = 0) -> redis.Redis:
        # One client (connection pool) per logical database for the stand-in's life: a new
        # client per call pays connect + AUTH + client set-up each time, which the benchmark's
        # set-up (hundreds of databases) and every QStash/Vector request would notice.
        with self._lock:
            client = self._admin_clients.get(db)
            if client is None:
                client = self._admin_clients[db] = self.redis_server.admin(db)
            return client

    def _add_redis_user(self, token: str, database_id: int, redis_db: int, read_only: bool) -> str:
        kind = 'ro' if read_only else 'rw'
        username = f'standin{self.port}-db{database_id}-{kind}{next(self._counter)}'
        rules = READ_ONLY_RULES if read_only else FULL_RULES
        # Store only the password's hash in Redis, so ACL LIST never shows a token.
        admin = self._admin()
        admin.execute_command('ACL', 'SETUSER', username, 'reset', 'on', f'#{_token_hash(token)}', *rules)
        with self._lock:
            self._usernames.append(username)
            self._credentials[_token_hash(token)] = _Credential(REDIS, read_only, username, redis_db)
        return username

    def new_database(self, database_id: Optional[int] = None, layout: str = 'current') -> Database:
        """A fresh, empty Redis database with a standard and a read-only token."""
        with self._lock:
            if database_id is None:
                database_id = next(i for i in itertools.count(10000 + len(self._database_ids))
                                   if i not in self._database_ids)
            if database_id in self._database_ids:
                raise ValueError(f'database {database_id} already exists in this stand-in')
            # Logical databases are reused only past redis_server.databases - 1 databases.
            redis_db = self._next_db % (self.redis_server.databases - 1)
            self._next_db += 1
        token = tokens.generate_redis_token(database_id, read_only=False, layout=layout)
        read_only_token = tokens.generate_redis_token(database_id, read_only=True, layout=layout)
        self._add_redis_user(token, database_id, redis_db, read_only=False)
        self._add_redis_user(read_only_token, database_id, redis_db, read_only=True)
        database = Database(database_id, self.url, token, read_only_token, redis_db)
        with self._lock:
            self._database_ids[database_id] = database
        return database

    def add_redis_token(self, database: Database, token: str, read_only: bool = False) -> str:
        """Let `token` (any text, e.g. a layout no decoder knows) open `database`."""
        self._add_redis_user(token, database.database_id, database.redis_db, read_only=read_only)
        return token

    def new_token_server_read_only(self, database: Database) -> str:
        """A token whose bytes say standard (flag 1) but whose ACL user can only read."""
        token = tokens.generate_redis_token(database.database_id, read_only=False)
        self._add_redis_user(token, database.database_id, database.redis_db, read_only=True)
        return token

    def acl_username(self, token: str) -> Optional[str]:
        """The Redis ACL user behind a Redis token (for assertions with the admin client)."""
        credential = self._credentials.get(_token_hash(token))
        return credential.username if credential and credential.product == REDIS else None

    def revoke(self, token: str) -> None:
        """Revoke one token: Redis deletes its ACL user (and drops its connections)."""
        credential = self._credentials.get(_token_hash(token))
        if credential is None:
            raise KeyError('not a token of this stand-in')
        if credential.product == REDIS:
            admin = self._admin()
            admin.execute_command('ACL', 'DELUSER', credential.username)
        credential.revoked = True

    def new_qstash_account(self) -> QStashAccount:
        token = tokens.generate_qstash_token()
        current, following = tokens.generate_signing_key(), tokens.generate_signing_key()
        owner = f'qstash:{next(self._counter)}'
        admin = self._admin(self._service_db)
        admin.hset(owner, mapping={'current': current, 'next': following})
        self._credentials[_token_hash(token)] = _Credential(QSTASH, False, owner=owner)
        return QStashAccount(token, current, following, self.url)

    def qstash_signing_keys(self, account: QStashAccount) -> Tuple[str, str]:
        """The account's (current, next) signing keys now (``/v2/keys/rotate`` changes them)."""
        owner = self._credentials[_token_hash(account.token)].owner
        admin = self._admin(self._service_db)
        keys = admin.hmget(owner, 'current', 'next')
        return keys[0].decode(), keys[1].decode()

    def new_management_account(self, email: str = 'ops@acme-widgets.dev', databases: int = 2) -> ManagementAccount:
        """An account whose key lists `databases` fresh Redis databases (GET /v2/redis/databases,
        HTTP Basic email:key), with their passwords and tokens, as Upstash's listing does."""
        key = tokens.generate_management_api_key()
        owned = tuple(self.new_database() for _ in range(databases))
        passwords = tuple(tokens.generate_legacy_redis_password() for _ in owned)
        self._credentials[_token_hash(key)] = _Credential(MANAGEMENT, False, owner=email)
        account = ManagementAccount(email, key, owned, passwords, self.url)
        with self._lock:
            self._accounts[email] = account
        return account

    def add_route(self, product: str, path_prefix: str,
                  answer: Callable[[Optional['_Credential'], str], Tuple[int, Any]]) -> None:
        """Serve another product (docs/extending.md): requests whose path starts with
        `path_prefix` are `product`'s, answered by `answer(credential or None, path)` ->
        (status, JSON document)."""
        self._routes[path_prefix] = (product, answer)

    def issue(self, product: str, token: str, read_only: bool = False) -> None:
        """Make `token` a credential of `product` (for products added with `add_route`)."""
        self._credentials[_token_hash(token)] = _Credential(product, read_only)

    def _own_products(self) -> Dict[str, Callable[[], LiveCredential]]:
        """The products with a handler in this module, and how to make a live credential of
        each (a product with its own handler adds its line here)."""
        return {REDIS: lambda: LiveCredential(REDIS, self.new_database().token),
                QSTASH: lambda: LiveCredential(QSTASH, self.new_qstash_account().token),
                VECTOR: lambda: LiveCredential(VECTOR, self.new_vector_index().token),
                # a user:key pair: the email goes with --email
                MANAGEMENT: lambda: self._management_live_credential()}

    def _management_live_credential(self) -> LiveCredential:
        account = self.new_management_account()
        return LiveCredential(MANAGEMENT, account.api_key, ('--email', account.email))

    def served_products(self) -> Tuple[str, ...]:
        """The catalogue product ids this stand-in answers for."""
        routed = (product for product, _ in self._routes.values())
        return tuple(dict.fromkeys([*self._own_products(), *routed]))

    def live_credential(self, product: str) -> LiveCredential:
        """A fresh live credential of catalogue product `product`: its own handler's, or, for
        a product added with `add_route`, one from the generator of its first kind that its
        probe verifies, issued here."""
        own = self._own_products().get(product)
        if own is not None:
            return own()
        if product not in self.served_products():
            raise LookupError(f'the stand-in has no route for product {product!r}: add one '
                              f'(docs/extending.md, "A new product")')
        kind = next(kind for kind in catalogue.KINDS if kind.product == product and kind.generators
                    and not kind.not_verifiable and not kind.checked_against_tokens)
        token = kind.generators[0][1]()
        self.issue(product, token)
        return LiveCredential(product, token)

    def new_vector_index(self, endpoint: Optional[str] = None) -> VectorIndex:
        if endpoint is None:
            endpoint = f'brave-otter-{next(self._counter) + 20000}-us1'
        token = tokens.generate_vector_token(endpoint)
        read_only_token = tokens.generate_vector_token(endpoint, read_only=True)
        owner = f'vector:{endpoint}'
        self._credentials[_token_hash(token)] = _Credential(VECTOR, False, owner=owner)
        self._credentials[_token_hash(read_only_token)] = _Credential(VECTOR, True, owner=owner)
        return VectorIndex(endpoint, token, read_only_token, self.url)

    # --- faults, log, data ---

    def set_fault(self, mode: Optional[str], **opts: Any) -> None:
        """Shape every following answer: see FAULTS and the package docstring."""
        if mode not in FAULTS:
            raise ValueError(f'unknown fault {mode!r}; one of {FAULTS}')
        if mode == 'redirect' and 'location' not in opts:
            raise ValueError("redirect needs location='http://...'")
        if opts.get('product') not in (None, *self.served_products()):
            raise ValueError(f"product must be one of {', '.join(map(repr, self.served_products()))}")
        with self._lock:
            self._fault = (mode, dict(opts))

    def _take_fault(self, product: str) -> Tuple[Optional[str], Dict[str, Any]]:
        """The fault for this request, counting down ``count=`` when one is set."""
        with self._lock:
            mode, opts = self._fault
            if mode is None or opts.get('product', product) != product:
                return None, {}
            if 'count' in opts:
                opts['count'] -= 1
                if opts['count'] <= 0:
                    self._fault = (None, {})
            return mode, opts

    @property
    def requests(self) -> List[LoggedRequest]:
        return list(self._requests)

    def clear_requests(self) -> None:
        self._requests.clear()

    def keyspace_snapshot(self) -> Dict[Tuple[int, bytes], KeyState]:
        """Every key of every logical database -> KeyState(type, DUMP, has TTL)."""
        snapshot = {}
        admin = self._admin()
        databases = [int(name[2:]) for name in admin.info('keyspace')]
        for db in databases:
            admin = self._admin(db)
            for key in admin.scan_iter(count=1000):
                kind = admin.type(key)
                kind = kind.decode() if isinstance(kind, bytes) else kind
                snapshot[(db, key)] = KeyState(kind, admin.dump(key), admin.pttl(key) >= 0)
        return snapshot

    # --- request handling (called from handler threads) ---

    def _credential(self, token: Optional[str]) -> Optional[_Credential]:
        return self._credentials.get(_token_hash(token)) if token else None

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = 30                     # seconds an idle keep-alive connection may hold a thread
    # Headers and body go out as separate writes; with Nagle on, the body waits for the
    # client's delayed ACK (~40 ms), which would swamp the latency the benchmark sets.
    disable_nagle_algorithm = True
    standin: UpstashStandIn          # set on the subclass made by start()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass                         # the structured log is UpstashStandIn.requests

    def handle(self) -> None:
        try:
            if isinstance(self.connection, ssl.SSLSocket):
                self.connection.do_handshake()
            super().handle()
        except (ssl.SSLError, ConnectionError, socket.timeout):
            pass                     # a client that hung up or refused our certificate

    def finish(self) -> None:
        try:
            super().finish()
        except (ssl.SSLError, OSError):
            pass

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_DELETE = do_GET

    # --- plumbing ---

    def _handle(self) -> None:
        standin = self.standin
        parts = urlsplit(self.path)
        self._path = parts.path or '/'
        self._status: Optional[int] = None
        self._commands: Tuple[str, ...] = ()
        query = parse_qsl(parts.query, keep_blank_values=True)
        query_token = next((v for k, v in query if k == '_token'), None)
        self._query = [(k, v) for k, v in query if k != '_token']
        header = self.headers.get('Authorization', '')
        header_token = header[7:].strip() if header[:7].lower() == 'bearer ' else None
        self._basic_user = None
        if header[:6].lower() == 'basic ':
            # the Management API's email:key; the key is the credential looked up
            try:
                self._basic_user, _, header_token = base64.b64decode(header[6:].strip(), validate=True) \
                    .decode('utf-8').partition(':')
            except (ValueError, UnicodeDecodeError):
                header_token = None
        token = header_token or query_token
        credential = standin._credential(token)
        product = self._product(token, credential)
        mode, opts = standin._take_fault(product)
        self._entry = lambda status: LoggedRequest(
            self.command, self._path, product, self._commands, status, mode, self.headers.get('Host', ''),
            credential is not None, header_token is None and query_token is not None)
        self._logged = False
        with standin._lock:
            standin.in_flight += 1
            standin.peak_concurrency = max(standin.peak_concurrency, standin.in_flight)
        try:
            try:
                self._body = self._read_body()
            except _Answer as answer:
                self._send_json(answer.status, answer.body)
                return
            if mode == 'slow':
                standin._pause(float(opts.get('delay', 5.0)))
            else:
                standin._pause(standin.latency)
            if standin._stopping.is_set():      # woken by stop(): answer nothing, touch nothing
                self.close_connection = True
                return
            if mode not in (None, 'slow'):
                self._fault(mode, opts)
                return
            try:
                route = next((answer for name, answer in self.standin._routes.values()
                              if name == product), None)
                if route is not None:
                    status, document = route(credential, self._path)
                    self._send_json(status, document)
                elif product == MANAGEMENT:
                    self._management(credential)
                elif product == QSTASH:
                    self._qstash(credential)
                elif product == VECTOR:
                    self._vector(credential)
                else:
                    self._redis(token, credential)
            except _Answer as answer:
                self._send_json(answer.status, answer.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True        # the client hung up: nothing to answer
        except Exception as error:  # a stand-in bug: answer 500 and keep it for the test to see
            standin.errors.append(f'{self.command} {self._path}: {type(error).__name__}: {error}')
            self.close_connection = True
            try:
                self._send_json(500, {'error': f'stand-in error: {type(error).__name__}'})
            except OSError:
                pass
        finally:
            self._record(self._status)
            with standin._lock:
                standin.in_flight -= 1

    def _record(self, status: Optional[int]) -> None:
        # Logged just before the first byte of the answer leaves, so a client that has its
        # answer always finds its request in UpstashStandIn.requests.
        if not self._logged:
            self._logged = True
            self.standin._requests.append(self._entry(status))

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            self.close_connection = True
            raise _Answer(400, {'error': 'invalid Content-Length'})
        if length > MAX_REQUEST_BODY:
            self.close_connection = True
            raise _Answer(413, {'error': 'request body too large'})
        return self.rfile.read(length) if length > 0 else b''

    def _product(self, token: Optional[str], credential: Optional[_Credential]) -> str:
        for prefix, (product, _) in self.standin._routes.items():
            if self._path.startswith(prefix):
                return product
        if self._path.startswith('/v2/redis/'):     # the Developer API's Redis resources
            return MANAGEMENT
        if self._path.startswith('/v2/'):
            return QSTASH
        if credential is not None:
            return credential.product
        # An unknown token: answer as the product its bytes say it is (the catalogue's
        # reading), so a revoked or mistyped Vector token gets Vector's 401 body and a Redis
        # one gets WRONGPASS.
        hit = catalogue.identify(token) if token else None
        if hit is not None and hit[0].product in self.standin.served_products():
            return hit[0].product
        operation = self._path.strip('/').split('/', 1)[0]
        if operation in VECTOR_READS | VECTOR_WRITES and not (token and tokens.decode_redis_token(token)):
            return VECTOR
        return REDIS

    def _send(self, status: int, body: bytes, content_type: str = 'application/json',
              headers: Optional[Dict[str, str]] = None) -> None:
        self._status = status
        self._record(status)
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, document: Any, headers: Optional[Dict[str, str]] = None) -> None:
        self._send(status, json.dumps(document).encode(), headers=headers)

    # --- faults ---

    def _fault(self, mode: str, opts: Dict[str, Any]) -> None:
        if mode == '500':
            self._send_json(500, {'error': 'Internal Server Error'})
        elif mode == '429':
            self._send_json(429, {'error': 'ERR max requests limit exceeded'},
                            headers={'Retry-After': str(opts.get('retry_after', 1))})
        elif mode == 'redirect':
            self._send(int(opts.get('status', 302)), b'', headers={'Location': opts['location']})
        elif mode == 'badjson':
            self._send(200, opts.get('body', b'{"result": "PONG", <html>not json'))
        elif mode == 'huge':
            self._huge(int(opts.get('size', 64 * 1024 * 1024)), bool(opts.get('declare_length', False)))
        elif mode == 'reset':
            # SO_LINGER 0 makes close() send RST instead of FIN: the client sees a reset.
            self._record(None)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            self.connection.close()
            self.close_connection = True

    def _huge(self, size: int, declare_length: bool) -> None:
        """A valid JSON body of `size` bytes, streamed; stops quietly when the client hangs up."""
        self._status = 200
        self._record(200)
        self.close_connection = True
        head, tail = b'{"result":"', b'"}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        if declare_length:
            self.send_header('Content-Length', str(size))
        self.send_header('Connection', 'close')
        self.end_headers()
        chunk = b'A' * 65536
        remaining = max(size - len(head) - len(tail), 0)
        try:
            self.wfile.write(head)
            while remaining > 0 and not self.standin._stopping.is_set():
                piece = chunk[:remaining]
                self.wfile.write(piece)
                remaining -= len(piece)
            self.wfile.write(tail)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # --- Redis REST ---

    def _redis(self, token: Optional[str], credential: Optional[_Credential]) -> None:
        if credential is None or credential.product != REDIS:
            raise _Answer(401, {'error': WRONGPASS})
        encode = self.headers.get('Upstash-Encoding', '').lower() == 'base64'
        path = self._path.rstrip('/') or '/'
        try:
            if path == '/' and self.command == 'POST':
                commands, mode = [_command(self._json_body())], 'single'
            elif path in ('/pipeline', '/multi-exec'):
                document = self._json_body()
                if not isinstance(document, list) or not document:
                    raise ValueError('ERR failed to parse pipeline request')
                commands, mode = [_command(item) for item in document], path[1:]
            else:
                commands, mode = [self._path_command()], 'single'
        except ValueError as error:
            raise _Answer(400, {'error': str(error)})
        self._commands = tuple(c[0].decode('utf-8', 'replace').upper() for c in commands)

        port = self.standin.redis_server.port
        try:
            connection = resp.Connection(port, credential.username, token, credential.redis_db)
        except resp.AuthFailed:
            raise _Answer(401, {'error': WRONGPASS})
        with connection:
            if mode == 'single':
                reply = connection.execute(commands[0])
                if isinstance(reply, resp.ReplyError):
                    raise _Answer(400, {'error': _upstash_error(reply)})
                raise _Answer(200, {'result': _to_json(reply, encode)})
            if mode == 'pipeline':
                for command in commands:
                    connection.send(command)
                replies = [connection.read() for _ in commands]
                raise _Answer(200, [_item(reply, encode) for reply in replies])
            # multi-exec: a command refused while queueing (NOPERM, syntax) aborts the whole
            # transaction; answer with that command's error, as a single-command call would.
            for command in [[b'MULTI'], *commands, [b'EXEC']]:
                connection.send(command)
            replies = [connection.read() for _ in range(len(commands) + 2)]
            queued, executed = replies[1:-1], replies[-1]
            refused = next((r for r in queued if isinstance(r, resp.ReplyError)), None)
            if refused is not None or isinstance(executed, resp.ReplyError):
                raise _Answer(400, {'error': _upstash_error(refused or executed)})
            raise _Answer(200, [_item(reply, encode) for reply in executed or []])

    def _json_body(self) -> Any:
        try:
            return json.loads(self._body.decode('utf-8'))
        except (UnicodeDecodeError, ValueError):
            raise ValueError('ERR failed to parse command')

    def _path_command(self) -> List[bytes]:
        # /set/key/value?EX=100 -> SET key value EX 100; a POST body is the last argument.
        args = [unquote(segment).encode('utf-8') for segment in self._path.strip('/').split('/') if segment]
        if not args:
            raise ValueError('ERR failed to parse command')
        for name, value in self._query:
            args.append(name.encode('utf-8'))
            if value:
                args.append(value.encode('utf-8'))
        if self.command in ('POST', 'PUT') and self._body:
            args.append(self._body)
        return args

    # --- Management (Developer) API ---

    def _management(self, credential: Optional[_Credential]) -> None:
        # Basic email:key: the key must be the email's account's, and not revoked.
        if (credential is None or credential.product != MANAGEMENT or credential.revoked
                or credential.owner != self._basic_user):
            raise _Answer(401, MANAGEMENT_UNAUTHORIZED)
        account = self.standin._accounts[credential.owner]
        if self._path.rstrip('/') == '/v2/redis/databases' and self.command == 'GET':
            raise _Answer(200, [self._database_record(database, password)
                                for database, password in zip(account.databases, account.passwords)])
        raise _Answer(404, {'error': f'not found: {self.command} {self._path}'})

    def _database_record(self, database: Database, password: str) -> Dict[str, Any]:
        """A listing entry as Upstash writes it: credentials included (why it is never shown)."""
        admin = self.standin._admin(database.redis_db)
        return {'database_id': f'{database.database_id:08x}-0000-4000-8000-000000000000',
                'database_name': f'db-{database.database_id}', 'region': 'global',
                'endpoint': f'standin-{database.database_id}.upstash.io', 'port': 6379,
                'password': password, 'rest_token': database.token,
                'read_only_rest_token': database.read_only_token, 'tls': True,
                'db_key_count': admin.dbsize(), 'state': 'active'}

    # --- QStash ---

    def _qstash(self, credential: Optional[_Credential]) -> None:
        if credential is None or credential.product != QSTASH or credential.revoked:
            raise _Answer(401, QSTASH_UNAUTHORIZED)
        resource = self._path[len('/v2/'):].rstrip('/')
        standin = self.standin
        admin = standin._admin(standin._service_db)
        if resource == 'keys' and self.command == 'GET':
            current, following = admin.hmget(credential.owner, 'current', 'next')
            raise _Answer(200, {'current': current.decode(), 'next': following.decode()})
        if resource == 'keys/rotate' and self.command == 'POST':
            following = admin.hget(credential.owner, 'next').decode()
            fresh = tokens.generate_signing_key()
            admin.hset(credential.owner, mapping={'current': following, 'next': fresh})
            raise _Answer(200, {'current': following, 'next': fresh})
        if resource in QSTASH_LISTS and self.command == 'GET':
            raise _Answer(200, QSTASH_LISTS[resource])
        raise _Answer(404, {'error': f'not found: {self.command} /v2/{resource}'})

    # --- Vector / Search ---

    def _vector(self, credential: Optional[_Credential]) -> None:
        if credential is None or credential.product != VECTOR or credential.revoked:
            raise _Answer(401, VECTOR_UNAUTHORIZED)
        operation = self._path.strip('/').split('/', 1)[0]
        standin = self.standin
        if operation in VECTOR_WRITES and credential.read_only:
            raise _Answer(403, VECTOR_READ_ONLY)
        admin = standin._admin(standin._service_db)
        owner = credential.owner
        if operation == 'info':
            count = admin.hlen(owner)
            raise _Answer(200, {'result': {
                'vectorCount': count, 'pendingVectorCount': 0, 'indexSize': count * 64,
                'dimension': 8, 'similarityFunction': 'COSINE',
                'namespaces': {'': {'vectorCount': count, 'pendingVectorCount': 0}}}})
        if operation == 'upsert':
            document = self._vector_json()
            items = document if isinstance(document, list) else [document]
            if not all(isinstance(i, dict) and 'id' in i for i in items):
                raise _Answer(400, {'error': 'Invalid request body', 'status': 400})
            admin.hset(owner, mapping={str(i['id']): json.dumps(i) for i in items})
            raise _Answer(200, {'result': 'Success'})
        if operation == 'delete':
            ids = self._vector_ids()
            deleted = admin.hdel(owner, *ids) if ids else 0
            raise _Answer(200, {'result': {'deleted': deleted}})
        if operation == 'reset':
            admin.delete(owner)
            raise _Answer(200, {'result': 'Success'})
        if operation == 'fetch':
            ids = self._vector_ids()
            values = admin.hmget(owner, *ids) if ids else []
            raise _Answer(200, {'result': [json.loads(v) if v else None for v in values]})
        if operation in VECTOR_READS:
            raise _Answer(200, {'result': []})
        raise _Answer(404, {'error': f'not found: {self.command} /{operation}', 'status': 404})

    def _vector_ids(self) -> List[str]:
        # {"ids": [...]}, a bare list of ids, or one id.
        document = self._vector_json()
        ids = document.get('ids', []) if isinstance(document, dict) else document
        ids = ids if isinstance(ids, list) else [ids]
        if not all(isinstance(i, (str, int)) and not isinstance(i, bool) for i in ids):
            raise _Answer(400, {'error': 'Invalid request body', 'status': 400})
        return [str(i) for i in ids]

    def _vector_json(self) -> Any:
        try:
            return json.loads(self._body.decode('utf-8')) if self._body else {}
        except (UnicodeDecodeError, ValueError):
            raise _Answer(400, {'error': 'Invalid request body', 'status': 400})


def wait_until(predicate, timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Poll `predicate` until true or `timeout` seconds pass (for log assertions after a reset)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


__all__ = ['UpstashStandIn', 'Database', 'QStashAccount', 'VectorIndex', 'ManagementAccount', 'LiveCredential',
           'LoggedRequest', 'KeyState', 'FAULTS', 'WRONGPASS', 'wait_until']
