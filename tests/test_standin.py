"""The Upstash REST stand-in speaks the protocol the official SDK expects, backed by real Redis ACLs.

The verifier's tests trust this server to behave like Upstash; these tests earn that trust
by driving it with the official `upstash-redis` SDK and by checking every fault it can play.
"""
import copy
import json
import socket
import threading

import pytest
import requests
from upstash_redis import Redis
from upstash_redis.errors import UpstashError

from detect_secrets_upstash import tokens
from tests.standin import WRONGPASS
from tests.standin import UpstashStandIn
from tests.standin import wait_until
from tests.standin.redis_server import free_port

TIMEOUT = (2, 5)        # connect, read: no test here may hang


def sdk(url: str, token: str, encoding='base64') -> Redis:
    # No retries: a refused command must surface at once, not after the SDK's 3 s back-off.
    return Redis(url, token, rest_encoding=encoding, rest_retries=0, allow_telemetry=False)


def bearer(token: str) -> dict:
    return {'Authorization': f'Bearer {token}'}


@pytest.fixture
def database(standin):
    return standin.new_database()


# --- fidelity: the official SDK against the stand-in ---

@pytest.mark.parametrize('encoding', ['base64', None])
def test_official_sdk_runs_commands_with_a_standard_token(standin, database, redis_server, encoding):
    client = sdk(database.url, database.token, encoding)
    assert client.set('greeting', 'hello') is True
    assert client.get('greeting') == 'hello'
    assert client.get('missing') is None
    assert client.incr('visits') == 1
    assert client.incrby('visits', 41) == 42
    assert client.hset('user:1', values={'name': 'ada', 'lang': 'en'}) == 2
    assert client.hgetall('user:1') == {'name': 'ada', 'lang': 'en'}
    assert client.rpush('queue', 'a', 'b', 'c') == 3
    assert client.lrange('queue', 0, -1) == ['a', 'b', 'c']
    assert client.type('queue') == 'list'
    assert client.ping() == 'PONG'

    pipeline = client.pipeline()
    pipeline.set('p', '1')
    pipeline.incr('p')
    pipeline.get('p')
    assert pipeline.exec() == [True, 2, '2']

    transaction = client.multi()
    transaction.set('t', 'x')
    transaction.append('t', 'y')
    transaction.get('t')
    assert transaction.exec() == [True, 2, 'xy']

    # The data really is in Redis, in this database's logical db.
    admin = redis_server.admin(database.redis_db)
    assert admin.get('greeting') == b'hello'
    assert admin.hgetall('user:1') == {b'name': b'ada', b'lang': b'en'}
    assert admin.get('t') == b'xy'
    assert standin.errors == []


def test_read_only_token_reads_but_every_write_is_refused_with_noperm(standin, database):
    sdk(database.url, database.token).set('k', 'v')
    before = standin.keyspace_snapshot()
    read_only = sdk(database.url, database.read_only_token)
    assert read_only.get('k') == 'v'
    assert read_only.exists('k') == 1
    for write in (lambda: read_only.set('k', 'w'), lambda: read_only.delete('k'),
                  lambda: read_only.incr('n'), lambda: read_only.expire('k', 10)):
        with pytest.raises(UpstashError, match=r"^NOPERM this user has no permissions to run the '\w+' command$"):
            write()
    pipeline = read_only.pipeline()
    pipeline.get('k')
    pipeline.set('k', 'w')
    with pytest.raises(UpstashError, match='NOPERM'):
        pipeline.exec()
    answer = requests.post(database.url + '/multi-exec', json=[['GET', 'k'], ['TTL', 'k']],
                           headers=bearer(database.read_only_token), timeout=TIMEOUT)
    assert answer.json() == [{'result': 'v'}, {'result': -1}]
    answer = requests.post(database.url + '/multi-exec', json=[['GET', 'k'], ['SET', 'k', 'w']],
                           headers=bearer(database.read_only_token), timeout=TIMEOUT)
    assert answer.status_code == 400
    assert answer.json() == {'error': "NOPERM this user has no permissions to run the 'set' command"}
    assert standin.keyspace_snapshot() == before


def test_token_the_server_treats_as_read_only_despite_its_bytes(standin, database):
    token = standin.new_token_server_read_only(database)
    decoded = tokens.decode_redis_token(token)
    assert decoded is not None and not decoded.read_only and decoded.database_id == database.database_id
    client = sdk(database.url, token)
    assert client.get('anything') is None
    with pytest.raises(UpstashError, match="NOPERM this user has no permissions to run the 'set' command"):
        client.set('anything', 'x')


def test_revoked_token_gets_wrongpass_and_its_acl_user_is_gone(standin, database, redis_server):
    client = sdk(database.url, database.token)
    assert client.set('k', 'v') is True
    username = standin.acl_username(database.token)
    standin.revoke(database.token)
    with pytest.raises(UpstashError, match=WRONGPASS):
        client.get('k')
    answer = requests.post(database.url, json=['GET', 'k'], headers=bearer(database.token), timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (401, {'error': WRONGPASS})
    assert username.encode() not in redis_server.admin().acl_users()
    # The other token of the database lives on.
    assert sdk(database.url, database.read_only_token).get('k') == 'v'


def test_tokens_are_generated_and_each_is_a_real_acl_user(standin, database, redis_server):
    for token, read_only in ((database.token, False), (database.read_only_token, True)):
        decoded = tokens.decode_redis_token(token)
        assert decoded is not None
        assert (decoded.database_id, decoded.read_only) == (database.database_id, read_only)
    admin = redis_server.admin()
    full, read_only = standin.acl_username(database.token), standin.acl_username(database.read_only_token)
    # ACL DRYRUN asks Redis itself what each user may do.
    assert admin.execute_command('ACL', 'DRYRUN', full, 'SET', 'k', 'v') == b'OK'
    assert admin.execute_command('ACL', 'DRYRUN', read_only, 'GET', 'k') == b'OK'
    assert b'no permissions' in admin.execute_command('ACL', 'DRYRUN', read_only, 'SET', 'k', 'v')
    assert b'no permissions' in admin.execute_command('ACL', 'DRYRUN', read_only, 'FLUSHALL')
    # Redis stores only password hashes: no token in the ACL list.
    listing = b'\n'.join(admin.acl_list() if isinstance(admin.acl_list()[0], bytes)
                         else [line.encode() for line in admin.acl_list()])
    assert database.token.encode() not in listing and database.read_only_token.encode() not in listing


def test_databases_are_isolated(standin):
    first, second = standin.new_database(), standin.new_database()
    assert first.database_id != second.database_id and first.redis_db != second.redis_db
    sdk(first.url, first.token).set('shared-name', 'first')
    assert sdk(second.url, second.token).get('shared-name') is None
    assert tokens.decode_redis_token(second.token).database_id == second.database_id


# --- the REST protocol as documented ---

def test_path_form_query_token_and_json_array_forms(database):
    url, auth = database.url, bearer(database.token)
    assert requests.get(f'{url}/set/city/paris', headers=auth, timeout=TIMEOUT).json() == {'result': 'OK'}
    assert requests.get(f'{url}/get/city', headers=auth, timeout=TIMEOUT).json() == {'result': 'paris'}
    assert requests.get(f'{url}/get/city?_token={database.token}', timeout=TIMEOUT).json() == {'result': 'paris'}
    assert requests.post(f'{url}/set/note', data=b'body value', headers=auth,
                         timeout=TIMEOUT).json() == {'result': 'OK'}
    assert requests.post(url, json=['GET', 'note'], headers=auth, timeout=TIMEOUT).json() == {'result': 'body value'}
    assert requests.get(f'{url}/set/short/lived?EX=100', headers=auth, timeout=TIMEOUT).status_code == 200
    assert 0 < requests.post(url, json=['TTL', 'short'], headers=auth, timeout=TIMEOUT).json()['result'] <= 100
    assert requests.post(url, json=['SCAN', 0, 'COUNT', 100], headers=auth,
                         timeout=TIMEOUT).json()['result'][0] == '0'
    encoded = requests.post(url, json=['GET', 'city'], headers={**auth, 'Upstash-Encoding': 'base64'},
                            timeout=TIMEOUT).json()
    assert encoded == {'result': 'cGFyaXM='}


def test_pipeline_and_multi_exec_answer_per_command(database):
    url, auth = database.url, bearer(database.token)
    answer = requests.post(f'{url}/pipeline', json=[['SET', 'a', 'x'], ['INCR', 'a'], ['GET', 'a']],
                           headers=auth, timeout=TIMEOUT)
    assert answer.status_code == 200
    assert answer.json() == [{'result': 'OK'}, {'error': 'ERR value is not an integer or out of range'},
                             {'result': 'x'}]
    answer = requests.post(f'{url}/multi-exec', json=[['SET', 'b', '1'], ['INCR', 'b']], headers=auth, timeout=TIMEOUT)
    assert answer.json() == [{'result': 'OK'}, {'result': 2}]


@pytest.mark.parametrize('headers, params', [
    ({}, {}),                                                    # no token at all
    ({'Authorization': 'Bearer ' + 'A' * 62}, {}),               # garbage
    ({}, {'_token': tokens.generate_redis_token(10001)}),        # well-formed, never issued
    ({'Authorization': 'Basic dXNlcjpwYXNz'}, {}),               # wrong scheme
])
def test_bad_or_missing_token_gets_401_wrongpass(database, headers, params):
    answer = requests.post(database.url, json=['GET', 'k'], headers=headers, params=params, timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (401, {'error': WRONGPASS})


def test_failed_commands_get_400_with_the_redis_error(database):
    auth = bearer(database.token)
    for body, error in ((['NOSUCHCOMMAND'], 'ERR unknown command'), (['GET'], 'ERR wrong number of arguments'),
                        ([], 'ERR failed to parse command'), ({'not': 'a command'}, 'ERR failed to parse command')):
        answer = requests.post(database.url, json=body, headers=auth, timeout=TIMEOUT)
        assert answer.status_code == 400 and answer.json()['error'].startswith(error), (body, answer.text)
    answer = requests.post(database.url, data=b'[not json', headers=auth, timeout=TIMEOUT)
    assert answer.status_code == 400


def test_request_log_has_commands_but_never_a_token(standin, database):
    requests.post(database.url + '/pipeline', json=[['GET', 'a'], ['dbsize']], headers=bearer(database.token),
                  timeout=TIMEOUT)
    requests.get(f'{database.url}/get/a?_token={database.read_only_token}', timeout=TIMEOUT)
    pipeline, path_form = standin.requests
    assert (pipeline.method, pipeline.path, pipeline.product, pipeline.commands, pipeline.status) == \
        ('POST', '/pipeline', 'redis', ('GET', 'DBSIZE'), 200)
    assert (path_form.path, path_form.commands, path_form.token_in_query) == ('/get/a', ('GET',), True)
    logged = repr(standin.requests)
    assert database.token not in logged and database.read_only_token not in logged


# --- QStash and Vector ---

def test_qstash_read_endpoints_keys_and_rotation(standin):
    account = standin.new_qstash_account()
    assert tokens.decode_qstash_token(account.token) is not None
    assert tokens.is_signing_key(account.current_signing_key)
    auth = bearer(account.token)
    for resource in ('topics', 'schedules', 'queues', 'events'):
        answer = requests.get(f'{account.url}/v2/{resource}', headers=auth, timeout=TIMEOUT)
        assert answer.status_code == 200 and answer.json() is not None, resource
    keys = requests.get(f'{account.url}/v2/keys', headers=auth, timeout=TIMEOUT).json()
    assert keys == {'current': account.current_signing_key, 'next': account.next_signing_key}

    before = standin.keyspace_snapshot()
    assert requests.post(f'{account.url}/v2/keys/rotate', headers=auth, timeout=TIMEOUT).status_code == 200
    current, following = standin.qstash_signing_keys(account)
    assert current == account.next_signing_key and following != account.next_signing_key
    assert standin.keyspace_snapshot() != before          # rotation is visible as a data change

    for token in (tokens.generate_qstash_token(), None):
        answer = requests.get(f'{account.url}/v2/topics', headers=bearer(token) if token else {}, timeout=TIMEOUT)
        assert answer.status_code == 401
    standin.revoke(account.token)
    assert requests.get(f'{account.url}/v2/topics', headers=auth, timeout=TIMEOUT).status_code == 401


def test_vector_info_read_only_writes_and_bad_tokens(standin):
    index = standin.new_vector_index('brave-otter-10123-us1')
    assert tokens.decode_vector_token(index.token).endpoint == 'brave-otter-10123-us1'
    info = requests.get(f'{index.url}/info', headers=bearer(index.read_only_token), timeout=TIMEOUT)
    assert info.status_code == 200 and info.json()['result']['vectorCount'] == 0

    vector = {'id': 'v1', 'vector': [0.5] * 8}
    refused = requests.post(f'{index.url}/upsert', json=vector, headers=bearer(index.read_only_token),
                            timeout=TIMEOUT)
    assert refused.status_code == 403
    assert requests.post(f'{index.url}/upsert', json=vector, headers=bearer(index.token),
                         timeout=TIMEOUT).status_code == 200
    info = requests.get(f'{index.url}/info', headers=bearer(index.token), timeout=TIMEOUT)
    assert info.json()['result']['vectorCount'] == 1
    fetched = requests.post(f'{index.url}/fetch', json={'ids': ['v1', 'v2']}, headers=bearer(index.read_only_token),
                            timeout=TIMEOUT)
    assert fetched.json() == {'result': [vector, None]}
    for body in ({'ids': ['no-such-id']}, ['no-such-id'], 'no-such-id'):
        deleted = requests.post(f'{index.url}/delete', json=body, headers=bearer(index.token), timeout=TIMEOUT)
        assert deleted.json() == {'result': {'deleted': 0}}
    assert requests.post(f'{index.url}/delete', json={'ids': [{'x': 1}]}, headers=bearer(index.token),
                         timeout=TIMEOUT).status_code == 400

    never_issued = tokens.generate_vector_token('brave-otter-10123-us1')
    for headers in (bearer(never_issued), {}):
        answer = requests.get(f'{index.url}/info', headers=headers, timeout=TIMEOUT)
        assert answer.status_code == 401
        assert answer.json() == {'error': 'Unauthorized: Invalid auth token', 'status': 401}
    standin.revoke(index.token)
    assert requests.get(f'{index.url}/info', headers=bearer(index.token), timeout=TIMEOUT).status_code == 401


# --- data snapshots ---

def test_keyspace_snapshot_sees_every_change_and_only_changes(standin, database, redis_server):
    client = sdk(database.url, database.token)
    client.set('s', 'v')
    client.hset('h', values={'f': '1'})
    first = standin.keyspace_snapshot()
    assert first[(database.redis_db, b's')].type == 'string'
    assert first[(database.redis_db, b'h')].type == 'hash'
    client.get('s')
    client.hgetall('h')
    assert standin.keyspace_snapshot() == first
    client.hset('h', values={'f': '2'})
    assert standin.keyspace_snapshot() != first
    client.hset('h', values={'f': '1'})
    assert standin.keyspace_snapshot() == first
    client.expire('s', 100)
    assert standin.keyspace_snapshot() != first


def test_stop_removes_the_acl_users_and_data_it_created(redis_server):
    standin = UpstashStandIn(redis_server).start()
    database = standin.new_database()
    sdk(database.url, database.token).set('k', 'v')
    username = standin.acl_username(database.token)
    standin.stop()
    admin = redis_server.admin(database.redis_db)
    assert username.encode() not in admin.acl_users()
    assert admin.dbsize() == 0


def test_an_internal_failure_is_a_500_and_is_kept(redis_server):
    standin = UpstashStandIn(redis_server).start()
    try:
        database = standin.new_database()
        dead = copy.copy(redis_server)
        dead.port = free_port()                  # nothing listens there: forwarding fails
        standin.redis_server = dead
        answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
        assert answer.status_code == 500
        assert len(standin.errors) == 1 and 'ConnectionRefusedError' in standin.errors[0]
        assert database.token not in standin.errors[0]
    finally:
        standin.redis_server = redis_server
        standin.stop()


# --- faults (plain requests, with timeouts) ---

def test_fault_slow(standin, database):
    standin.set_fault('slow', delay=2.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=(2, 0.3))


@pytest.mark.parametrize('mode, status', [('500', 500), ('429', 429)])
def test_fault_status(standin, database, mode, status):
    standin.set_fault(mode)
    answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    assert answer.status_code == status
    assert standin.requests[-1].fault == mode


def test_fault_reset(standin, database):
    standin.set_fault('reset')
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    assert wait_until(lambda: standin.requests and standin.requests[-1].status is None)


def test_fault_redirect_points_at_the_canary(standin, database, canary):
    standin.set_fault('redirect', location=canary.url + '/stolen')
    answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT,
                           allow_redirects=False)
    assert answer.status_code == 302 and answer.headers['Location'] == canary.url + '/stolen'
    assert canary.connections == 0
    # A client that follows redirects reaches the canary, and the canary notices.
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(f'{database.url}/ping', timeout=(2, 0.2))
    assert wait_until(lambda: canary.connections == 1 and canary.received_bytes > 0)


def test_fault_huge_body_is_streamed(standin, database):
    standin.set_fault('huge')
    with requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT,
                       stream=True) as answer:
        assert answer.status_code == 200 and 'Content-Length' not in answer.headers
        received = 0
        for chunk in answer.iter_content(65536):
            received += len(chunk)
            if received > 4 * 1024 * 1024:
                break
    assert received > 4 * 1024 * 1024
    standin.set_fault('huge', size=200_000, declare_length=True)
    answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    assert len(answer.content) == 200_000 == int(answer.headers['Content-Length'])
    assert len(answer.json()['result']) > 190_000


def test_fault_badjson(standin, database):
    standin.set_fault('badjson')
    answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    assert answer.status_code == 200
    with pytest.raises(ValueError):
        json.loads(answer.text)


def test_faults_apply_to_every_product_and_clear(standin, database):
    account = standin.new_qstash_account()
    standin.set_fault('500')
    assert requests.get(f'{account.url}/v2/topics', headers=bearer(account.token), timeout=TIMEOUT).status_code == 500
    standin.set_fault(None)
    assert requests.get(f'{account.url}/v2/topics', headers=bearer(account.token), timeout=TIMEOUT).status_code == 200
    assert requests.post(database.url, json=['PING'], headers=bearer(database.token),
                         timeout=TIMEOUT).json() == {'result': 'PONG'}
    with pytest.raises(ValueError):
        standin.set_fault('meteor')
    with pytest.raises(ValueError):
        standin.set_fault('redirect')            # a redirect needs a location


def test_fault_can_target_one_product_and_a_number_of_requests(standin, database):
    account = standin.new_qstash_account()
    standin.set_fault('500', product='qstash', count=2)
    ping = lambda: requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    topics = lambda: requests.get(f'{account.url}/v2/topics', headers=bearer(account.token), timeout=TIMEOUT)
    assert ping().status_code == 200
    assert [topics().status_code for _ in range(3)] == [500, 500, 200]
    assert ping().status_code == 200
    with pytest.raises(ValueError):
        standin.set_fault('500', product='kafka')


def test_https_mode_uses_a_certificate_no_client_trusts(standin_tls):
    database = standin_tls.new_database()
    assert database.url.startswith('https://127.0.0.1:')
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT)
    answer = requests.post(database.url, json=['PING'], headers=bearer(database.token), timeout=TIMEOUT,
                           verify=str(standin_tls.certificate_path))
    assert answer.json() == {'result': 'PONG'}
    # The refused handshake carried no request: only the trusted one reached the server.
    assert [r.commands for r in standin_tls.requests] == [('PING',)]


def test_latency_is_added_to_concurrent_requests(standin, database):
    standin.latency = 0.5
    answers = []

    def call():
        answers.append(requests.post(database.url, json=['PING'], headers=bearer(database.token),
                                     timeout=TIMEOUT).json())

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [{'result': 'PONG'}] * 8
    # All eight were inside the server at once: latency does not serialise requests.
    assert standin.peak_concurrency >= 8


def test_canary_settle_counts_every_earlier_connection_and_not_its_own(canary):
    canary.settle()
    assert canary.connections == 0
    for _ in range(3):
        socket.create_connection((canary.host, canary.port), timeout=2).close()
    canary.settle()                    # no waiting loop: counted once settle() returns
    assert canary.connections == 3


def test_canary_counts_connections(canary):
    assert canary.connections == 0
    with socket.create_connection((canary.host, canary.port), timeout=2) as sock:
        sock.sendall(b'GET / HTTP/1.1\r\n\r\n')
    assert wait_until(lambda: canary.connections == 1 and canary.received_bytes == 18)


def test_the_standin_serves_every_probed_product_and_only_catalogue_products(standin):
    # tests/test_verify_safety.py loops over the catalogue's probed products with
    # `live_credential`: a product with a probe must have a stand-in route.
    from detect_secrets_upstash import catalogue
    served = standin.served_products()
    assert set(served) <= set(catalogue.PRODUCTS_BY_ID)
    assert {product.id for product in catalogue.PRODUCTS if product.verify_probe} <= set(served)
    with pytest.raises(ValueError, match='product must be one of'):
        standin.set_fault('500', product='no-such-product')
    with pytest.raises(LookupError, match='no route for product'):
        standin.live_credential('no-such-product')
