"""An Upstash REST stand-in for the test suite, backed by a real redis-server.

    from tests.standin import RedisServer, UpstashStandIn, Canary

RedisServer(tmp_dir).start() / .stop()
    A redis-server on a free loopback port: ``--save ''``, no AOF, ACLs on (the ``default``
    user is off), 1024 logical databases. ``.port``, ``.admin(db=0)`` -> redis.Redis with
    every permission (set-up and assertions only), ``.running``.

UpstashStandIn(redis_server, latency=0.0, tls=False).start() / .stop(); .url -> 'http://127.0.0.1:<port>'
    One HTTP server for all products; the token (or the /v2/ path) picks the product.
    tls=True: HTTPS with a self-signed certificate no client trusts (.certificate_path to trust it).
    .new_database(database_id=None, layout='current') -> Database(database_id, url, token,
        read_only_token, redis_db). Tokens are generated; each is the password of its own Redis
        ACL user: standard -> ``+@all ~* &*``; read-only -> reads, connection commands and
        MULTI/EXEC only. Each database is its own logical database (``redis_db``).
    .new_token_server_read_only(database) -> str: the bytes say standard, the ACL user is read-only.
    .acl_username(token) -> the ACL user behind a Redis token.
    .revoke(token): Redis tokens lose their ACL user (ACL DELUSER); every later request gets
        401 {"error": "WRONGPASS invalid or missing auth token"}; QStash/Vector tokens get 401.
    .new_qstash_account() -> QStashAccount(token, current_signing_key, next_signing_key, url)
    .qstash_signing_keys(account) -> (current, next) now; POST /v2/keys/rotate changes them.
    .new_vector_index(endpoint=None) -> VectorIndex(endpoint, token, read_only_token, url)
    .add_route(product, path_prefix, answer), .issue(product, token): serve another catalogue
        product (docs/extending.md).
    .served_products() -> the catalogue product ids answered for.
    .live_credential(product) -> LiveCredential(product, token, args): a fresh live credential
        of any served product, and the upstash-verify arguments it needs besides --url and
        --token (tests loop over `catalogue.PRODUCTS` with it).
    .new_management_account(email=..., databases=2) -> ManagementAccount(email, api_key, databases,
        passwords, url): GET /v2/redis/databases with HTTP Basic email:key lists the databases
        (real ones) with their passwords and tokens, as Upstash's Developer API does; a wrong
        email or a revoked key gets 401.
    .set_fault(mode, **opts): applies to every following request until set_fault(None);
        product=<a served product id> limits it to one product, count=N to the next N requests.
        None | 'slow' (delay=5.0 s, then a normal answer) | '500' | '429' (retry_after=1) |
        'reset' (RST after reading the request) | 'redirect' (location=..., status=302) |
        'huge' (size=64 MiB of valid JSON, streamed; declare_length=False) |
        'badjson' (200 with an invalid JSON body; body=...)
    .latency = 0.05: seconds added to every answer; requests are served concurrently
        (.peak_concurrency: the most requests in flight at once).
    .requests -> [LoggedRequest(method, path, product, commands, status, fault, host,
        authorized, token_in_query)]: never a token value. .clear_requests().
    .errors -> stand-in bugs met while answering (answered 500; the fixtures fail the test).
    .keyspace_snapshot() -> {(logical_db, key): KeyState(type, value=DUMP bytes, expires)}
        over every logical database, QStash keys and Vector data included: compare
        before/after to prove that nothing changed.

Canary(host='127.0.0.2').start() / .stop(): a loopback TCP listener that counts connections
    (.connections) and received bytes (.received_bytes) and never answers; .url.

Protocol spoken (see docs/standin.md): Redis REST (POST JSON array, path form, /pipeline,
/multi-exec, Bearer or ?_token=, Upstash-Encoding: base64), QStash /v2/{topics,schedules,
queues,events,dlq,keys,keys/rotate}, Vector /info, /upsert, /query, /fetch, /range, /delete, /reset.
"""
from .canary import Canary
from .redis_server import RedisServer
from .server import FAULTS
from .server import WRONGPASS
from .server import Database
from .server import KeyState
from .server import LiveCredential
from .server import LoggedRequest
from .server import ManagementAccount
from .server import QStashAccount
from .server import UpstashStandIn
from .server import VectorIndex
from .server import wait_until

__all__ = ['Canary', 'RedisServer', 'UpstashStandIn', 'Database', 'QStashAccount', 'VectorIndex',
           'ManagementAccount', 'LiveCredential', 'LoggedRequest', 'KeyState', 'FAULTS', 'WRONGPASS',
           'wait_until']
