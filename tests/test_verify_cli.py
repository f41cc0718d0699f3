"""`upstash-verify` against the Upstash REST stand-in: statuses, scopes, inputs, formats, exit codes.

Every run talks HTTP to a stand-in backed by a real redis-server and checks that no full
token reached stdout or stderr. Runs that check logic (statuses, scopes, formats, exit codes)
call the CLI in-process (`tests.in_process.cli`, the real `main(argv)`); the installed console
script in a subprocess (`real=True`, `run`) stays where the process itself matters: the text
output and a usage error that must not show a token, data left unchanged, bytes on stdin,
stderr on a terminal.
"""
import json
import os
from pathlib import Path

import pytest

from detect_secrets_upstash import tokens
from tests.helpers import run
from tests.in_process import cli
from tests.sarif_validation import multitool_findings_of
from tests.sarif_validation import schema_errors

CLI = 'upstash-verify'
JSON_KEYS = {'kind', 'status', 'scope', 'scope_source', 'host', 'database_id', 'token', 'location', 'detail',
             'evidence'}


# --- helpers (also imported by the other test_verify_* modules) ---

def secrets_of(*objects):
    """Every token and signing key held by stand-in objects (Database, QStashAccount, ...)."""
    found = []
    for item in objects:
        if isinstance(item, str):
            found.append(item)
            continue
        for name in ('token', 'read_only_token', 'current_signing_key', 'next_signing_key'):
            value = getattr(item, name, None)
            if value:
                found.append(value)
    return found


def assert_no_tokens(proc, secrets):
    for secret in secrets:
        assert secret not in proc.stdout, 'full token in stdout'
        assert secret not in proc.stderr, 'full token in stderr'
    assert 'Traceback' not in proc.stderr


def standin_args(standin, *extra):
    return ['--allow-host', '127.0.0.1', '--qstash-url', standin.url, '--vector-url', standin.url, *extra]


def verify_json(args, secrets=(), input=None, cwd=None, env=None, real=False):
    """`upstash-verify ARGS --format json`: in-process, or the console script with `real`."""
    runner = run if real else cli
    proc = runner([CLI, *args, '--format', 'json'], input=input, cwd=cwd, env=env, timeout=120)
    assert_no_tokens(proc, secrets)
    assert proc.returncode in (0, 1), proc.stderr
    results = json.loads(proc.stdout)
    for result in results:
        assert set(result) == JSON_KEYS
    return proc, results


def env_text(pairs):
    return ''.join(f'{name}={value}\n' for name, value in pairs)


def by_location(results):
    return {result['location']: result for result in results}


# --- statuses and scopes ---

@pytest.fixture
def fleet(standin):
    """One of every situation on the stand-in, written as a pulled .env."""
    database = standin.new_database()
    server_read_only = standin.new_token_server_read_only(database)
    revoked_database = standin.new_database()
    standin.revoke(revoked_database.token)
    account = standin.new_qstash_account()
    index = standin.new_vector_index()
    lines = [
        ('UPSTASH_REDIS_REST_URL', standin.url),                         # 1
        ('UPSTASH_REDIS_REST_TOKEN', database.token),                    # 2
        ('UPSTASH_REDIS_REST_READONLY_TOKEN', database.read_only_token), # 3
        ('OLD_REDIS_TOKEN', server_read_only),                           # 4
        ('REVOKED_REDIS_TOKEN', revoked_database.token),                 # 5
        ('QSTASH_TOKEN', account.token),                                 # 6
        ('QSTASH_CURRENT_SIGNING_KEY', account.current_signing_key),     # 7
        ('QSTASH_NEXT_SIGNING_KEY', account.next_signing_key),           # 8
        ('UPSTASH_VECTOR_REST_TOKEN', index.token),                      # 9
        ('UPSTASH_VECTOR_REST_READONLY_TOKEN', index.read_only_token),   # 10
    ]
    secrets = secrets_of(database, server_read_only, revoked_database, account, index)
    return env_text(lines), secrets, database


def test_every_status_and_scope_from_env_lines(standin, fleet):
    text, secrets, database = fleet
    proc, results = verify_json(['-', *standin_args(standin)], secrets, input=text)
    got = by_location(results)
    expect = {
        'stdin:2': ('redis_rest_token', 'live', 'read-write', 'server'),
        'stdin:3': ('redis_read_only_token', 'live', 'read-only', 'server'),
        # bytes say standard, the server refuses writes: the server wins
        'stdin:4': ('redis_rest_token', 'live', 'read-only', 'server'),
        'stdin:5': ('redis_rest_token', 'revoked', 'read-write', 'token'),
        'stdin:6': ('qstash_token', 'live', 'read-write', 'token'),
        'stdin:7': ('qstash_signing_key', 'live', 'read-write', 'token'),
        'stdin:8': ('qstash_signing_key', 'live', 'read-write', 'token'),
        'stdin:9': ('vector_token', 'live', 'read-write', 'server'),
        'stdin:10': ('vector_read_only_token', 'live', 'read-only', 'server'),
    }
    assert {loc: (r['kind'], r['status'], r['scope'], r['scope_source']) for loc, r in got.items()} == expect
    assert got['stdin:2']['database_id'] == database.database_id
    assert got['stdin:2']['host'] == '127.0.0.1'
    assert got['stdin:2']['token'] == tokens.redact(database.token)
    assert proc.returncode == 1         # something is live


def test_the_verifier_says_which_layer_identified_each_credential(standin):
    import base64
    import os
    database = standin.new_database()
    # a layout no decoder knows (a new flag byte), standing under an Upstash name
    invented = base64.urlsafe_b64encode(b'\x03' + os.urandom(44)).decode().rstrip('=')
    standin.add_redis_token(database, invented)
    text = env_text([('UPSTASH_REDIS_REST_URL', standin.url), ('UPSTASH_REDIS_REST_TOKEN', database.token),
                     ('MYAPP_KV_REST_API_TOKEN', invented)])
    proc, results = verify_json(['-', *standin_args(standin)], [database.token, invented], input=text)
    evidence = {result['location']: result['evidence'] for result in results}
    assert evidence == {'stdin:2': 'token bytes (current layout)', 'stdin:3': 'context (under MYAPP_KV_REST_API_TOKEN)'}
    live = {result['location']: result['status'] for result in results}
    assert live == {'stdin:2': 'live', 'stdin:3': 'live'}
    text_proc = cli([CLI, '-', *standin_args(standin)], input=text)
    assert 'identified by context (under MYAPP_KV_REST_API_TOKEN)' in text_proc.stdout


def test_env_lines_are_read_as_the_scan_reads_them(standin):
    # The scan reports a base64-wrapped token (a Kubernetes `data:` value) and a bare legacy
    # password beside an Upstash Redis host; the verifier, reading the same lines through
    # the same predicate, must find both: the token inside is what is sent.
    import base64
    database = standin.new_database()
    wrapped = base64.b64encode(database.token.encode()).decode()
    password = tokens.generate_legacy_redis_password()
    text = env_text([('UPSTASH_REDIS_REST_URL', standin.url), ('CACHE_SECRET_DATA', wrapped),
                     ('REDIS_HOST', f'{tokens.generate_host_name()}.upstash.io'), ('REDIS_PASSWORD', password)])
    _, results = verify_json(['-', *standin_args(standin)], [database.token, wrapped, password], input=text)
    got = {loc: (r['kind'], r['status']) for loc, r in by_location(results).items()}
    assert got == {'stdin:2': ('redis_rest_token', 'live'), 'stdin:4': ('redis_password', 'skipped')}


def test_signing_keys_are_compared_never_printed(standin):
    account = standin.new_qstash_account()
    stranger = tokens.generate_signing_key()
    text = env_text([('QSTASH_TOKEN', account.token), ('QSTASH_CURRENT_SIGNING_KEY', account.current_signing_key),
                     ('OTHER_SIGNING_KEY', stranger)])
    secrets = secrets_of(account, stranger)
    for fmt in ('text', 'json', 'sarif'):
        proc = cli([CLI, '-', *standin_args(standin), '--format', fmt], input=text)
        assert_no_tokens(proc, secrets)
    _, results = verify_json(['-', *standin_args(standin)], secrets, input=text)
    got = by_location(results)
    assert got['stdin:2']['status'] == 'live'
    assert got['stdin:3']['status'] == 'unknown'            # not this account's key: not "revoked"
    assert 'matches none' in got['stdin:3']['detail']
    assert all(r.path != '/v2/keys/rotate' for r in standin.requests)


def test_signing_key_without_a_live_token_is_unknown(standin):
    account = standin.new_qstash_account()
    standin.revoke(account.token)
    text = env_text([('QSTASH_TOKEN', account.token), ('QSTASH_CURRENT_SIGNING_KEY', account.current_signing_key)])
    proc, results = verify_json(['-', *standin_args(standin)], secrets_of(account), input=text)
    got = by_location(results)
    assert got['stdin:1']['status'] == 'revoked'
    assert got['stdin:2']['status'] == 'unknown'
    assert proc.returncode == 0


def test_revoked_vector_token(standin):
    index = standin.new_vector_index()
    standin.revoke(index.token)
    proc, results = verify_json(['--token', index.token, *standin_args(standin)], secrets_of(index))
    assert [(r['kind'], r['status']) for r in results] == [('vector_token', 'revoked')]
    assert results[0]['database_id'] == index.endpoint
    assert proc.returncode == 0


@pytest.mark.parametrize('product', ['qstash', 'vector'])
def test_token_is_live_on_its_own_region_and_revoked_only_if_every_region_refuses(standin, redis_server, product):
    """QStash tries each regional host (Vector: -vector then -search) until one accepts."""
    from tests.standin import UpstashStandIn
    other = UpstashStandIn(redis_server).start()        # another region, which never issued the token
    try:
        if product == 'qstash':
            credential = standin.new_qstash_account()
            option = '--qstash-url'
        else:
            credential = standin.new_vector_index()
            option = '--vector-url'
        base = ['--token', credential.token, '--allow-host', '127.0.0.1']
        regions = [option, other.url, option, standin.url]
        _, results = verify_json([*base, *regions], secrets_of(credential))
        assert results[0]['status'] == 'live'
        assert [r.status for r in other.requests] == [401]
        other.set_fault('500')          # one region down, the other refuses: not provably revoked
        standin.revoke(credential.token)
        _, results = verify_json([*base, *regions], secrets_of(credential))
        assert results[0]['status'] == 'unknown'
        other.set_fault(None)           # every region refuses: revoked
        _, results = verify_json([*base, *regions], secrets_of(credential))
        assert results[0]['status'] == 'revoked'
    finally:
        other.stop()


# --- no data change ---

def test_verification_changes_no_data(standin, redis_server):
    database = standin.new_database()
    server_read_only = standin.new_token_server_read_only(database)
    account = standin.new_qstash_account()
    index = standin.new_vector_index()
    with redis_server.admin(database.redis_db) as admin:
        admin.set('user:1', 'alice')
        admin.set('session:9', 'x', ex=3600)
        admin.rpush('queue', 'a', 'b')
        admin.hset('h', mapping={'f': 'v'})
    import requests
    upsert = requests.post(f'{standin.url}/upsert', headers={'Authorization': f'Bearer {index.token}'},
                           json=[{'id': 'doc-1', 'vector': [0.1] * 8}, {'id': 'doc-2', 'vector': [0.2] * 8}],
                           timeout=10)
    assert upsert.status_code == 200
    before = standin.keyspace_snapshot()
    assert before, 'the snapshot must see the seeded data'
    text = env_text([('URL', standin.url), ('T', database.token), ('RO', database.read_only_token),
                     ('SRO', server_read_only), ('Q', account.token),
                     ('K', account.current_signing_key), ('V', index.token), ('VRO', index.read_only_token)])
    secrets = secrets_of(database, server_read_only, account, index)
    verify_json(['-', *standin_args(standin)], secrets, input=text, real=True)    # the console script
    assert standin.keyspace_snapshot() == before
    assert standin.qstash_signing_keys(account) == (account.current_signing_key, account.next_signing_key)
    # Redis saw only EXISTS (read) and DEL of a key that exists nowhere.
    commands = {c for r in standin.requests if r.product == 'redis' for c in r.commands}
    assert commands == {'EXISTS', 'DEL'}


# --- inputs ---

def test_baseline_from_a_real_scan(standin, tmp_path):
    database = standin.new_database()
    revoked = standin.new_database()
    standin.revoke(revoked.token)
    project = tmp_path / 'project'
    (project / 'config').mkdir(parents=True)
    (project / '.env').write_text(f'UPSTASH_REDIS_REST_URL="{standin.url}"\n'
                                  f'UPSTASH_REDIS_REST_TOKEN="{database.token}"\n')
    (project / 'config' / 'app.py').write_text(
        'import os\n\n'
        f'REDIS_URL = "{standin.url}"\n'
        f'REDIS_TOKEN = "{revoked.token}"\n'
        '# far away from any URL:\n' + '\n' * 12 +
        f'ORPHAN = "{database.read_only_token}"\n')
    scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=project)
    assert scan.returncode == 0, scan.stderr
    baseline = project / '.secrets.baseline'
    baseline.write_text(scan.stdout)
    secrets = secrets_of(database, revoked)
    proc, results = verify_json([str(baseline), *standin_args(standin)], secrets, cwd=project)
    got = by_location(results)
    assert got['.env:2']['status'] == 'live'
    assert got['.env:2']['scope'] == 'read-write'
    assert got['config/app.py:4']['status'] == 'revoked'
    orphan = got['config/app.py:18']
    assert orphan['status'] == 'skipped' and 'no REST URL' in orphan['detail']
    assert proc.returncode == 1


def test_baseline_finding_whose_file_changed_is_reported_not_lost(standin, tmp_path):
    database = standin.new_database()
    (tmp_path / 'a.env').write_text(f'URL={standin.url}\nTOKEN={database.token}\n')
    scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=tmp_path)
    (tmp_path / 'b.baseline').write_text(scan.stdout)
    (tmp_path / 'a.env').write_text('TOKEN=rotated\n')
    proc, results = verify_json(['b.baseline', *standin_args(standin)], secrets_of(database), cwd=tmp_path)
    assert [(r['location'], r['status']) for r in results] == [('a.env:2', 'unknown')]
    assert 'no longer' in results[0]['detail']
    (tmp_path / 'a.env').unlink()
    proc, results = verify_json(['b.baseline', *standin_args(standin)], secrets_of(database), cwd=tmp_path)
    assert results[0]['status'] == 'unknown' and 'not found' in results[0]['detail']
    assert proc.returncode == 0


def test_url_and_token_pair(standin):
    database = standin.new_database()
    proc, results = verify_json(['--url', standin.url, '--token', database.read_only_token,
                                 '--allow-host', '127.0.0.1'], secrets_of(database))
    assert [(r['status'], r['scope'], r['scope_source'], r['location']) for r in results] == [
        ('live', 'read-only', 'server', None)]
    assert proc.returncode == 1


def test_url_given_with_a_qstash_or_vector_token_is_where_it_is_asked(standin):
    account = standin.new_qstash_account()
    index = standin.new_vector_index()
    for token, kind in ((account.token, 'qstash_token'), (index.read_only_token, 'vector_read_only_token')):
        _, results = verify_json(['--url', standin.url, '--token', token, '--allow-host', '127.0.0.1'],
                                 secrets_of(account, index))
        assert [(r['kind'], r['status']) for r in results] == [(kind, 'live')]


def test_stdin_that_is_not_utf8_is_read_not_crashed_on(standin):
    database = standin.new_database()
    data = f'# caf\xe9\nURL={standin.url}\nT={database.token}\n'.encode('latin-1')
    import subprocess
    from tests.helpers import BIN
    proc = subprocess.run([str(BIN / CLI), '-', '--allow-host', '127.0.0.1', '--format', 'json'],
                          input=data, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert [r['status'] for r in json.loads(proc.stdout)] == ['live']


def test_unrecognised_token_is_tried_as_redis_and_revoked_on_401(standin):
    odd = 'selfhosted-' + os.urandom(16).hex()
    proc, results = verify_json(['--url', standin.url, '--token', odd, '--allow-host', '127.0.0.1'], [odd])
    assert [(r['kind'], r['status'], r['scope']) for r in results] == [('unrecognised', 'revoked', 'unknown')]
    assert 'not a recognised Upstash format' in results[0]['detail']


def test_identical_pairs_are_verified_once(standin):
    database = standin.new_database()
    text = env_text([('URL', standin.url), ('A', database.token), ('B', database.token), ('C', database.token)])
    _, results = verify_json(['-', *standin_args(standin)], secrets_of(database), input=text)
    assert [r['status'] for r in results] == ['live'] * 3
    assert len([r for r in standin.requests if r.product == 'redis']) == 1


# --- formats ---

def test_text_format(standin, fleet):
    text, secrets, _ = fleet
    proc = run([CLI, '-', *standin_args(standin)], input=text)     # the console script: no token shown
    assert_no_tokens(proc, secrets)
    assert proc.returncode == 1
    assert 'LIVE' in proc.stdout and 'REVOKED' in proc.stdout
    assert 'read-only (server)' in proc.stdout
    assert '8 live, 0 unknown, 1 revoked, 0 skipped of 9 credential(s)' in proc.stdout
    # live credentials say what to do (from the catalogue); the revoked one needs nothing
    assert proc.stdout.count('what to do: https://console.upstash.com/') == 8


@pytest.fixture(scope='module')
def sarif_runs(redis_server, tmp_path_factory):
    """SARIF from a baseline and from stdin, on one stand-in, and what the schema and one
    Multitool run (SARIF and GitHub rules, both logs at once) say about them."""
    from tests.standin import UpstashStandIn
    standin = UpstashStandIn(redis_server).start()
    try:
        project = tmp_path_factory.mktemp('sarif')
        database = standin.new_database()
        (project / '.env').write_text(f'URL={standin.url}\nTOKEN={database.token}\nRO={database.read_only_token}\n')
        scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=project)
        (project / 'baseline.json').write_text(scan.stdout)
        from_baseline = cli([CLI, 'baseline.json', *standin_args(standin), '--format', 'sarif'], cwd=project)
        other = standin.new_database()
        text = f'URL={standin.url}\nTOKEN={other.token}\nOTHER={other.read_only_token}\n'
        from_stdin = cli([CLI, '-', *standin_args(standin), '--format', 'sarif'], input=text)
    finally:
        standin.stop()
    assert not standin.errors, standin.errors
    documents = [json.loads(proc.stdout) for proc in (from_baseline, from_stdin)]
    validation = {'schema': [schema_errors(document) for document in documents],
                  'multitool': multitool_findings_of(documents, project)}
    return {'baseline': (from_baseline, database, documents[0]), 'stdin': (from_stdin, other, documents[1]),
            'validation': validation}


def _assert_github_ready(validation):
    assert validation['schema'] == [[], []]
    assert validation['multitool'] == []


def test_sarif_format(sarif_runs):
    proc, database, document = sarif_runs['baseline']
    assert_no_tokens(proc, secrets_of(database))
    assert proc.returncode == 1
    assert document['version'] == '2.1.0'
    assert 'sarif' in document['$schema']
    (run_,) = document['runs']
    driver = run_['tool']['driver']
    assert driver['name'] == 'upstash-verify'
    rule_ids = [rule['id'] for rule in driver['rules']]
    assert sorted(rule_ids) == ['redis_read_only_token', 'redis_rest_token']
    assert len(run_['results']) == 2
    for result in run_['results']:
        assert result['level'] == 'error'       # live
        assert rule_ids[result['ruleIndex']] == result['ruleId']
        assert result['message']['text']
        (location,) = result['locations']
        assert location['physicalLocation']['artifactLocation']['uri'] == '.env'
        assert location['physicalLocation']['region']['startLine'] in (2, 3)
        assert result['properties']['status'] == 'live'
    fingerprints = {result['partialFingerprints']['upstashSecretHash/v1'] for result in run_['results']}
    assert len(fingerprints) == 2
    assert driver['version'] and driver['informationUri']
    _assert_github_ready(sarif_runs['validation'])


def test_sarif_from_stdin_has_logical_locations_and_validates(sarif_runs):
    proc, database, document = sarif_runs['stdin']
    assert_no_tokens(proc, secrets_of(database))
    results = document['runs'][0]['results']
    assert len(results) == 2
    for result in results:
        (location,) = result['locations']
        assert location['logicalLocations'][0]['name'] == 'stdin'
    _assert_github_ready(sarif_runs['validation'])


def test_show_tokens_prints_full_tokens_only_when_asked(standin):
    database = standin.new_database()
    proc = cli([CLI, '--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1',
                '--format', 'json', '--show-tokens'])
    assert json.loads(proc.stdout)[0]['token'] == database.token


# --- exit codes and usage errors ---

def test_exit_zero_when_nothing_is_live(standin):
    database = standin.new_database()
    standin.revoke(database.token)
    proc = cli([CLI, '--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1'])
    assert proc.returncode == 0, proc.stdout
    assert_no_tokens(proc, [database.token])


@pytest.mark.parametrize('args, message', [
    ([], 'nothing to verify'),
    (['--format', 'xml', 'x'], 'invalid choice'),
    (['--concurrency', '0', 'x'], 'invalid pool size'),
    (['--concurrency', '1000', 'x'], 'invalid pool size'),
    (['--token', 'abc', 'baseline.json'], 'not both'),
    (['--url', 'https://a.upstash.io'], '--url goes with --token'),
    (['no-such-baseline.json'], 'cannot read baseline'),
])
def test_usage_errors_exit_2_without_traceback(tmp_path, args, message):
    proc = cli([CLI, *args], cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert 'Traceback' not in proc.stderr
    assert proc.stdout == ''


@pytest.mark.parametrize('content, message', [
    ('not json at all', 'is not a JSON baseline'),
    ('[1, 2]', 'no "results" object'),
    ('{"results": {"a.env": [{"type": "Upstash Redis REST Token"}]}}', 'malformed entry'),
])
def test_malformed_baseline_exits_2(tmp_path, content, message):
    (tmp_path / 'b.json').write_text(content)
    proc = cli([CLI, 'b.json'], cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_malformed_stdin_exits_2_without_echoing_the_line():
    token = tokens.generate_redis_token()
    proc = cli([CLI, '-'], input=f'A=1\nthis line has a token {token} but no equals sign\n')
    assert proc.returncode == 2
    assert 'stdin line 2 is not KEY=VALUE' in proc.stderr
    assert_no_tokens(proc, [token])


def test_env_lines_accept_comments_export_quotes_and_multiline_values(standin):
    database = standin.new_database()
    text = ('# Created by Vercel CLI\n'
            f'export UPSTASH_REDIS_REST_URL="{standin.url}"\n'
            'TLS_KEY="-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n-----END PRIVATE KEY-----"\n'
            f"UPSTASH_REDIS_REST_TOKEN='{database.token}'\n")
    _, results = verify_json(['-', '--allow-host', '127.0.0.1'], secrets_of(database), input=text)
    assert [(r['location'], r['status']) for r in results] == [('stdin:6', 'live')]
    proc = cli([CLI, '-'], input='A="never closed\nB=2\n')
    assert proc.returncode == 2 and 'never closed' in proc.stderr


def test_usage_error_messages_do_not_echo_a_misplaced_token():
    token = tokens.generate_redis_token()
    proc = run([CLI, 'baseline.json', 'extra', token])
    assert proc.returncode == 2
    assert 'unrecognized arguments' in proc.stderr
    assert tokens.redact(token) in proc.stderr
    assert_no_tokens(proc, [token])


def test_progress_line_only_on_a_terminal(standin):
    pty = pytest.importorskip('pty')
    database = standin.new_database()
    text = env_text([('URL', standin.url), ('T', database.token), ('R', database.read_only_token)])
    proc = cli([CLI, '-', '--allow-host', '127.0.0.1'], input=text)
    assert 'verifying' not in proc.stderr           # not a terminal: no progress line

    import subprocess
    from tests.helpers import BIN
    controller, terminal = pty.openpty()
    try:
        child = subprocess.run([str(BIN / CLI), '-', '--allow-host', '127.0.0.1'], input=text.encode(),
                               stdout=subprocess.PIPE, stderr=terminal, timeout=60)
        os.close(terminal)
        terminal = None
        seen = b''
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if terminal is not None:
            os.close(terminal)
        os.close(controller)
    assert child.returncode == 1
    progress = seen.decode('utf-8', 'replace')
    assert 'verifying: 2/2' in progress
    for secret in secrets_of(database):
        assert secret not in progress


def test_docs_commands_exist():
    """docs/verify.md documents the options the CLI really has."""
    doc = (Path(__file__).resolve().parent.parent / 'docs' / 'verify.md').read_text()
    help_text = cli([CLI, '--help']).stdout
    for option in ('--allow-host', '--format', '--url', '--token', '--qstash-url', '--vector-url',
                   '--concurrency', '--show-tokens', '--https-proxy'):
        assert option in doc and option in help_text


# --- a server the verifier was not written against ---

class _NoPipelineServer:
    """Another Upstash-compatible front: no `/pipeline` and no `/v2/keys` (404); every other
    request is relayed to the stand-in, so answers still come from the real Redis behind it."""

    def __init__(self, upstream_port):
        import http.client
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def do_GET(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                if self.path.rstrip('/') in ('/pipeline', '/v2/keys'):
                    status, answer = 404, b'{"error":"not found"}'
                else:
                    upstream = http.client.HTTPConnection('127.0.0.1', upstream_port, timeout=10)
                    upstream.request(self.command, self.path, body=body or None,
                                     headers={'Authorization': self.headers.get('Authorization', ''),
                                              'Content-Type': 'application/json'})
                    response = upstream.getresponse()
                    status, answer = response.status, response.read()
                    upstream.close()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_GET

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        import threading
        threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.005}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_server_without_pipeline_or_keys_endpoints(standin):
    front = _NoPipelineServer(standin.port)
    try:
        database = standin.new_database()
        server_read_only = standin.new_token_server_read_only(database)
        revoked = standin.new_database()
        standin.revoke(revoked.token)
        account = standin.new_qstash_account()
        with standin.redis_server.admin(database.redis_db) as admin:
            admin.set('kept', 'as is')
        before = standin.keyspace_snapshot()
        text = env_text([('URL', front.url), ('A', database.token), ('B', database.read_only_token),
                         ('C', server_read_only), ('D', revoked.token), ('Q', account.token)])
        secrets = secrets_of(database, server_read_only, revoked, account)
        _, results = verify_json(['-', '--allow-host', '127.0.0.1', '--qstash-url', front.url], secrets,
                                 input=text)
        assert [(r['status'], r['scope'], r['scope_source']) for r in results] == [
            ('live', 'read-write', 'server'), ('live', 'read-only', 'server'),
            ('live', 'read-only', 'server'), ('revoked', 'read-write', 'token'),
            ('live', 'read-write', 'token')]
        assert 'signing keys not compared' in results[4]['detail']
        assert standin.keyspace_snapshot() == before
    finally:
        front.close()


def test_in_process_runs_carry_no_answer_into_the_next(standin):
    # The tests above call main(argv) in-process, one after another: an answer kept from one
    # run (a cached outcome, a pooled session) would decide the next run's status.
    database = standin.new_database()
    args = ['--url', standin.url, '--token', database.token, '--allow-host', '127.0.0.1']
    _, first = verify_json(args, [database.token])
    standin.revoke(database.token)
    _, second = verify_json(args, [database.token])
    assert [r['status'] for r in first + second] == ['live', 'revoked']
    assert len([r for r in standin.requests if r.product == 'redis']) == 2
