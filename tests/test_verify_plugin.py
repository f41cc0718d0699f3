"""`UpstashDetector.verify` inside detect-secrets: `scan --only-verified` against the stand-in.

The plugin follows the CLI's host policy; loopback stand-ins are allowed through the
UPSTASH_VERIFY_ALLOW_HOSTS environment variable, and QStash/Vector calls are pointed at the
stand-in with UPSTASH_VERIFY_QSTASH_URL / UPSTASH_VERIFY_VECTOR_URL.
"""
import json

import pytest

from detect_secrets_upstash import catalogue

from tests.helpers import run
from tests.in_process import cli
from tests.standin import UpstashStandIn
from tests.test_verify_cli import assert_no_tokens
from tests.test_verify_cli import secrets_of


def plugin_env(standin, allow=True):
    env = {'UPSTASH_VERIFY_QSTASH_URL': standin.url, 'UPSTASH_VERIFY_VECTOR_URL': standin.url,
           'UPSTASH_VERIFY_ALLOW_HOSTS': '127.0.0.1' if allow else '', 'UPSTASH_VERIFY': ''}
    return env


def scan_results(path, *flags, env=None, secrets=(), runner=run):
    """The baseline's results of `scan --all-files`, checked for full tokens: a real process
    by default (the plugin reads its environment, no token may reach the process's output);
    `runner=cli` where a test checks which findings a verifying scan keeps."""
    proc = runner(['detect-secrets-upstash', 'scan', '--all-files', *flags], cwd=path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert_no_tokens(proc, secrets)
    return json.loads(proc.stdout)['results']


def upstash_findings(results):
    # Upstash findings only: detect-secrets' own plugins also report these values (e.g. as
    # Base64 High Entropy String once the .env is read as INI), whatever we verify.
    return {(name, item['line_number']) for name, items in results.items() for item in items
            if item['type'] in catalogue.BY_SECRET_TYPE}


def scan(path, *flags, env=None, secrets=(), runner=run):
    return upstash_findings(scan_results(path, *flags, env=env, secrets=secrets, runner=runner))


@pytest.fixture
def project(standin, tmp_path):
    database = standin.new_database()
    revoked = standin.new_database()
    standin.revoke(revoked.token)
    account = standin.new_qstash_account()
    index = standin.new_vector_index()
    (tmp_path / '.env').write_text(
        f'UPSTASH_REDIS_REST_URL={standin.url}\n'                    # 1
        f'UPSTASH_REDIS_REST_TOKEN={database.token}\n'               # 2
        f'UPSTASH_REDIS_REST_READONLY_TOKEN={database.read_only_token}\n'  # 3
        f'OLD_TOKEN={revoked.token}\n'                               # 4
        f'QSTASH_TOKEN={account.token}\n'                            # 5
        f'QSTASH_CURRENT_SIGNING_KEY={account.current_signing_key}\n'  # 6
        f'UPSTASH_VECTOR_REST_TOKEN={index.token}\n')                # 7
    return tmp_path, secrets_of(database, revoked, account, index)


def test_only_verified_keeps_live_credentials_and_records_is_verified(standin, project):
    path, secrets = project
    results = scan_results(path, '--only-verified', env=plugin_env(standin), secrets=secrets)
    found = upstash_findings(results)
    assert found == {('.env', 2), ('.env', 3), ('.env', 5), ('.env', 6), ('.env', 7)}
    # cached per process: each distinct credential was asked once
    asked = [r for r in standin.requests if r.path in ('/pipeline', '/v2/keys', '/info')]
    assert len(asked) == 5          # 3 Redis tokens, 1 QStash token (also for the key), 1 Vector
    # the baseline records it: every entry kept is verified
    entries = results['.env']
    assert entries and all(item['is_verified'] is True for item in entries), entries


def test_plain_scan_sends_nothing(standin, project):
    path, secrets = project
    # in-process: a scan that verifies nothing leaves no cached answer behind
    found = scan(path, env=plugin_env(standin), secrets=secrets, runner=cli)
    assert found == {('.env', n) for n in range(2, 8)}
    assert standin.requests == []


def test_verification_on_request_drops_revoked_keeps_unverifiable(standin, project):
    path, secrets = project
    env = {**plugin_env(standin), 'UPSTASH_VERIFY': '1'}
    found = scan(path, env=env, secrets=secrets)
    assert found == {('.env', 2), ('.env', 3), ('.env', 5), ('.env', 6), ('.env', 7)}
    env['UPSTASH_VERIFY'] = '0'
    standin.clear_requests()
    scan(path, '--only-verified', env=env, secrets=secrets, runner=cli)
    assert standin.requests == []


def test_plugin_obeys_the_host_policy(standin, canary, project):
    path, secrets = project
    (path / 'more.env').write_text(f'UPSTASH_REDIS_REST_URL={canary.url}\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={standin.new_database().token}\n')
    env = {**plugin_env(standin, allow=False),
           'UPSTASH_VERIFY_QSTASH_URL': canary.url, 'UPSTASH_VERIFY_VECTOR_URL': canary.url}
    # nothing may be asked: every finding is unknown, kept by --only-verified (with a
    # warning) and dropped with --drop-unknown; either way no request is sent
    kept = scan(path, '--only-verified', env=env, secrets=secrets)
    assert kept and ('more.env', 2) in kept
    assert scan(path, '--only-verified', '--drop-unknown', env=env, secrets=secrets) == set()
    assert standin.requests == []
    assert canary.connections == 0


def test_failure_on_one_finding_does_not_lose_the_rest_of_the_file(standin, redis_server, tmp_path):
    broken = UpstashStandIn(redis_server).start()
    try:
        first = broken.new_database()
        broken.set_fault('reset')
        second = standin.new_database()
        gap = '\n' * 12            # keep each token's +-5 lines to its own URL
        (tmp_path / 'app.env').write_text(
            f'A_URL={broken.url}\nA_TOKEN={first.token}\n{gap}'
            f'B_URL={standin.url}\nB_TOKEN={second.token}\n{gap}'
            f'C_URL={broken.url}\nC_TOKEN={first.read_only_token}\n')
        secrets = secrets_of(first, second)
        env = {**plugin_env(standin), 'UPSTASH_VERIFY': '1'}
        # transient failures are UNVERIFIED: kept by a plain scan, with every later finding
        # (in-process, each scan asks afresh: test_a_second_scan_in_the_same_process_asks_again)
        assert scan(tmp_path, env=env, secrets=secrets, runner=cli) == {
            ('app.env', 2), ('app.env', 16), ('app.env', 30)}
        # kept by --only-verified too (unknown is not revoked), and dropped with
        # --drop-unknown, which still reaches and verifies the second one
        assert scan(tmp_path, '--only-verified', env=env, secrets=secrets, runner=cli) == {
            ('app.env', 2), ('app.env', 16), ('app.env', 30)}
        assert scan(tmp_path, '--only-verified', '--drop-unknown', env=env, secrets=secrets,
                    runner=cli) == {('app.env', 16)}
    finally:
        broken.stop()


def test_a_second_scan_in_the_same_process_asks_again(standin, tmp_path):
    # The plugin keeps one answer per credential for a scan; a scan started later in the same
    # process (a tool calling main() twice, these in-process tests) must not reuse it: a
    # token revoked in between is dropped by the second --only-verified scan.
    database = standin.new_database()
    (tmp_path / '.env').write_text(f'UPSTASH_REDIS_REST_URL={standin.url}\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={database.token}\n')
    secrets = secrets_of(database)
    first = scan(tmp_path, '--only-verified', env=plugin_env(standin), secrets=secrets, runner=cli)
    standin.revoke(database.token)
    second = scan(tmp_path, '--only-verified', env=plugin_env(standin), secrets=secrets, runner=cli)
    assert (first, second) == ({('.env', 2)}, set())
    assert len([r for r in standin.requests if r.path == '/pipeline']) == 2
