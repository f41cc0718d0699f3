"""The Management (Developer) API key against the stand-in's Developer API route (real Redis
databases behind it): a count of databases, never the listing (which holds their passwords
and tokens); the email that goes with the key; and a host policy of its own. `upstash-verify`
and `report` run in-process (the real `main(argv)`) where a test checks what they decide; the
text output and a usage error come from the console script, as does the plugin's scan."""
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.verify.http import HostPolicy
from detect_secrets_upstash.verify.http import Refused
from tests.helpers import run
from tests.in_process import cli
from tests.test_verify_cli import assert_no_tokens
from tests.test_verify_cli import by_location
from tests.test_verify_cli import env_text
from tests.test_verify_cli import standin_args
from tests.test_verify_cli import verify_json

MANAGEMENT = catalogue.PRODUCTS_BY_ID['management']


def _args(standin, *extra):
    return [*standin_args(standin), '--management-url', standin.url, *extra]


def _listing_secrets(account):
    """Everything the account's listing holds that must never be printed."""
    return [account.api_key, *account.passwords,
            *(value for database in account.databases for value in (database.token, database.read_only_token))]


def _all_outputs(standin, args, text, secrets):
    """text, JSON and SARIF output for `text` on stdin, each checked for `secrets`."""
    outputs = []
    # the text output from the console script, the others in-process
    for runner, output_format in ((run, 'text'), (cli, 'json'), (cli, 'sarif')):
        proc = runner(['upstash-verify', '-', *args, '--format', output_format], input=text, timeout=120)
        assert proc.returncode in (0, 1), proc.stderr
        assert_no_tokens(proc, secrets)
        outputs.append(proc.stdout + proc.stderr)
    return outputs


def test_a_live_key_shows_only_the_number_of_databases(standin):
    account = standin.new_management_account(databases=3)
    before = standin.keyspace_snapshot()
    text = env_text([('UPSTASH_EMAIL', account.email), ('UPSTASH_API_KEY', account.api_key)])
    secrets = _listing_secrets(account)
    proc, results = verify_json(['-', *_args(standin)], secrets, input=text)
    assert proc.returncode == 1                         # a live credential fails the run
    (result,) = results
    assert (result['kind'], result['status'], result['scope']) == ('management_api_key', 'live', 'account')
    assert 'the account has 3 Redis database(s)' in result['detail']
    assert result['evidence'] == 'context (under UPSTASH_API_KEY)'
    # the body was read (three databases counted) but nothing of it reached any output format
    for output in _all_outputs(standin, _args(standin), text, secrets):
        for database in account.databases:
            assert f'db-{database.database_id}' not in output
    # sent as HTTP Basic to the listing, and nothing changed
    logged = [r for r in standin.requests if r.product == 'management']
    assert logged and {(r.method, r.path, r.status) for r in logged} == {('GET', '/v2/redis/databases', 200)}
    assert standin.keyspace_snapshot() == before


def test_a_revoked_key_is_revoked_when_the_user_gives_the_email(standin):
    account = standin.new_management_account()
    standin.revoke(account.api_key)
    text = env_text([('UPSTASH_API_KEY', account.api_key)])
    proc, results = verify_json(['-', *_args(standin, '--email', account.email)], [account.api_key], input=text)
    assert proc.returncode == 0
    assert [(r['status'], r['scope']) for r in results] == [('revoked', 'account')]
    assert 'refused (401)' in results[0]['detail']


def test_a_refusal_with_the_email_written_beside_it_proves_nothing(standin):
    # 401 for email:key means revoked, or that email is not the key's account: a live key
    # beside a wrong email must not be called revoked (detect-secrets would drop it)
    account = standin.new_management_account()
    text = env_text([('UPSTASH_EMAIL', 'billing@acme-widgets.dev'), ('UPSTASH_API_KEY', account.api_key)])
    _, results = verify_json(['-', *_args(standin)], [account.api_key], input=text)
    assert [r['status'] for r in results] == ['unknown']
    assert 'pass --email' in results[0]['detail']
    # the right email, given by the user, decides
    _, results = verify_json(['-', *_args(standin, '--email', account.email)], [account.api_key], input=text)
    assert [r['status'] for r in results] == ['live']


def test_a_key_without_an_email_is_skipped_and_says_why(standin):
    account = standin.new_management_account()
    for pairs, reason in (([('UPSTASH_API_KEY', account.api_key)], 'no Upstash account email near it'),
                          ([('UPSTASH_EMAIL', 'you@example.com'), ('UPSTASH_API_KEY', account.api_key)],
                           'placeholder')):
        standin.clear_requests()
        _, results = verify_json(['-', *_args(standin)], [account.api_key], input=env_text(pairs))
        assert [r['status'] for r in results] == ['skipped']
        assert reason in results[0]['detail'] and '--email' in results[0]['detail']
        assert standin.requests == []                   # nothing was sent


def test_the_email_goes_with_the_key_from_a_terraform_file(standin, tmp_path):
    # found by the scan in a provider block, verified from the baseline: the email beside it
    account = standin.new_management_account()
    (tmp_path / 'providers.tf').write_text(
        f'provider "upstash" {{\n  email   = "{account.email}"\n  api_key = "{account.api_key}"\n}}\n')
    scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=tmp_path)
    assert scan.returncode == 0, scan.stderr
    baseline = json.loads(scan.stdout)
    assert [e['type'] for e in baseline['results']['providers.tf']] == ['Upstash Management API Key']
    (tmp_path / '.secrets.baseline').write_text(scan.stdout)
    proc, results = verify_json(['.secrets.baseline', *_args(standin)], _listing_secrets(account), cwd=tmp_path)
    assert [(r['status'], r['location']) for r in results] == [('live', 'providers.tf:3')]
    assert 'provider "upstash" block' in results[0]['evidence']


def test_the_plugin_verifies_with_the_email_beside_the_key(standin, tmp_path):
    account = standin.new_management_account()
    (tmp_path / '.env').write_text(env_text([('UPSTASH_EMAIL', account.email), ('UPSTASH_API_KEY', account.api_key)]))
    proc = run(['detect-secrets-upstash', 'scan', '--all-files', '--only-verified'], cwd=tmp_path,
               env={'UPSTASH_VERIFY_ALLOW_HOSTS': '127.0.0.1', 'UPSTASH_VERIFY_MANAGEMENT_URL': standin.url})
    assert proc.returncode == 0, proc.stderr
    assert_no_tokens(proc, _listing_secrets(account))
    (entry,) = json.loads(proc.stdout)['results']['.env']
    assert (entry['type'], entry['is_verified']) == ('Upstash Management API Key', True)


def test_one_token_on_the_command_line_with_email(standin):
    account = standin.new_management_account()
    proc, results = verify_json(['--url', standin.url, '--token', account.api_key, '--email', account.email,
                                 '--allow-host', '127.0.0.1'], _listing_secrets(account))
    assert [(r['kind'], r['status']) for r in results] == [('management_api_key', 'live')]
    bad = run(['upstash-verify', '--token', account.api_key, '--email', 'not-an-email'])
    assert bad.returncode == 2 and '--email: not an email address' in bad.stderr
    assert_no_tokens(bad, [account.api_key])


# --- the host policy: api.upstash.com for this kind alone ---

def test_an_account_key_never_goes_to_a_database_host_and_no_token_to_the_management_api(standin):
    account = standin.new_management_account()
    database = standin.new_database()
    for url, token, extra in (
            (f'https://{tokens.generate_host_name(10123)}.upstash.io', account.api_key, ['--email', account.email]),
            ('https://api.upstash.com', database.token, []),
            ('https://api.upstash.com', tokens.generate_qstash_token(), []),
    ):
        # not even when the user allows the host: it is another product's
        proc, results = verify_json(['--url', url, '--token', token, *extra, '--allow-host', url[8:]], [token])
        assert [r['status'] for r in results] == ['skipped'], results
        assert 'never sent there' in results[0]['detail']
    assert standin.requests == []


_HOSTS = st.one_of(
    st.sampled_from(['api.upstash.com', 'API.UPSTASH.COM.', 'brave-otter-10123.upstash.io', 'upstash.io',
                     'qstash.upstash.io', 'eu1-x-1.kv.vercel-storage.com', 'console.upstash.com',
                     'api.upstash.com.evil.test', 'redis.internal.example', '127.0.0.1']),
    st.from_regex(r'[a-z0-9]{1,8}(?:\.[a-z0-9]{1,8}){0,2}\.(?:upstash\.io|upstash\.com|example)', fullmatch=True))


@given(host=_HOSTS, allowed=st.booleans())
def test_no_host_gets_both_a_database_token_and_an_account_key(host, allowed):
    policy = HostPolicy.of([host.rstrip('.')] if allowed else [])
    accepted = set()
    for product in (None, MANAGEMENT):
        try:
            policy.check(f'https://{host}/', product)
            accepted.add(product)
        except Refused:
            pass
    canonical = host.lower().rstrip('.')
    if canonical == catalogue.MANAGEMENT_API_HOST:
        assert accepted == {MANAGEMENT}
    elif catalogue.is_upstash_host(canonical):
        assert accepted == {None}
    else:       # nobody's host: only where the user allowed it, then for either
        assert accepted == ({None, MANAGEMENT} if allowed else set())


@pytest.mark.parametrize('email', ['ops@acme-widgets.dev', 'a.b+c@mail.example.co'])
def test_the_key_goes_as_http_basic_email_key(standin, email):
    # the stand-in answers only Basic with the account's own email
    account = standin.new_management_account(email=email)
    _, results = verify_json(['--url', standin.url, '--token', account.api_key, '--email', email,
                              '--allow-host', '127.0.0.1'], [account.api_key])
    assert results[0]['status'] == 'live'


def test_report_shows_the_key_as_account_wide_and_verifies_it_with_email(standin, tmp_path):
    account = standin.new_management_account()
    (tmp_path / 'terraform.tfvars').write_text(f'upstash_api_key = "{account.api_key}"\n')
    secrets = _listing_secrets(account)
    plain = cli(['detect-secrets-upstash', 'report', '--all-files', '--color', 'never'], cwd=tmp_path)
    assert plain.returncode == 1, plain.stderr
    assert_no_tokens(plain, secrets)
    assert 'Upstash Management API Key (account)' in plain.stdout
    assert 'identified: its place: context (under upstash_api_key)' in plain.stdout
    assert '0 read-write, 0 read-only, 1 account-wide' in plain.stdout
    assert 'Account -> Management API' in plain.stdout
    verified = cli(['detect-secrets-upstash', 'report', '--all-files', '--color', 'never', '--verify',
                    '--allow-host', '127.0.0.1', '--management-url', standin.url, '--email', account.email],
                   cwd=tmp_path)
    assert_no_tokens(verified, secrets)
    assert '1 live' in verified.stdout and 'Redis database(s)' in verified.stdout
