"""What to do about a leak, per kind, from the catalogue: printed by the hook (in place of
upstream's "ask in #security"), audit, the verifier and SARIF rules."""
import re
import subprocess

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import remediation
from detect_secrets_upstash import tokens
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli


@pytest.mark.parametrize('kind', catalogue.KINDS, ids=lambda kind: kind.id)
def test_every_kind_has_its_own_advice(kind):
    advice = kind.remediation
    assert advice is not remediation.GENERIC
    assert all((advice.opens, advice.rotate, advice.revokes, advice.belongs))
    assert 'console.upstash.com/' in advice.rotate
    assert 'detect-secrets-upstash history' in advice.text()


@pytest.mark.parametrize('product', [p for p in catalogue.PRODUCTS if any(k.product == p.id for k in catalogue.KINDS)],
                         ids=lambda product: product.id)
def test_the_console_steps_are_the_products_and_kinds_add_what_differs(product):
    # Where to rotate and what that revokes is written once, on the Product record; a kind
    # of it says the same unless its own record replaces it (QStash signing keys roll).
    assert product.remediation and product.revokes
    for kind in (k for k in catalogue.KINDS if k.product == product.id):
        own = remediation._BY_KIND.get(kind.id, remediation.Remediation())
        advice = kind.remediation
        assert advice.rotate.startswith(own.rotate or product.remediation)
        assert advice.revokes == (own.revokes or product.revokes)
        if own.rotate_note:
            assert advice.rotate.endswith(f'({own.rotate_note})')


def test_advice_says_what_a_reset_revokes():
    for kind_id in ('redis_rest_token', 'redis_read_only_token', 'redis_password'):
        revokes = catalogue.BY_ID[kind_id].remediation.revokes
        assert 'standard' in revokes and 'read-only' in revokes
    assert 'roll' in catalogue.BY_ID['qstash_signing_key'].remediation.rotate.lower()
    assert 'twice' in catalogue.BY_ID['qstash_signing_key'].remediation.revokes
    # read-only tokens are what clients may get; read-write ones never go to a browser
    assert 'read-only token' in catalogue.BY_ID['redis_rest_token'].remediation.belongs
    # the account key: where to revoke it, and that what it could read stays valid
    management = catalogue.BY_ID['management_api_key'].remediation
    assert 'Account -> Management API' in management.rotate and 'delete' in management.rotate
    assert 'passwords and tokens it could read stay valid' in management.revokes


@pytest.fixture
def staged(tmp_path):
    repo = git_repo(tmp_path / 'repo')
    token = tokens.generate_redis_token(24817)
    (repo / '.env').write_text('UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\n'
                               f'UPSTASH_REDIS_REST_TOKEN={token}\n'
                               f'QSTASH_CURRENT_SIGNING_KEY={tokens.generate_signing_key()}\n')
    (repo / 'other.py').write_text('private_key = """-----BEGIN RSA PRIVATE KEY-----"""\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    return repo, token


def test_hook_prints_our_advice_laid_out_with_clean_blank_lines(staged):
    repo, token = staged
    result = run(['detect-secrets-upstash-hook', '.env', 'other.py'], cwd=repo,
                 env={'DETECT_SECRETS_SECURITY_TEAM': ''})
    assert result.returncode == 1
    out = result.stdout
    assert '#security' not in out and 'Possible mitigations' not in out
    assert 'What to do about the Upstash Redis REST Token (read-write) at .env:2:' in out
    assert 'What to do about the Upstash QStash Signing Key (read-write) at .env:3:' in out
    assert '"Reset Password"' in out and '"Roll keys"' in out
    assert out.count('detect-secrets-upstash history') == 1      # said once, not per kind
    assert 'Secret Type: Private Key' in out and 'Other secrets:' in out
    assert '\n\n\n' not in out and not any(line != line.rstrip() for line in out.splitlines())
    assert not out.startswith('\n') and out.endswith('\n') and not out.endswith('\n\n')
    assert token not in out + result.stderr


def test_hook_names_the_security_team_only_when_it_is_set(staged):
    repo, _ = staged
    result = cli(['detect-secrets-upstash-hook', 'other.py'], cwd=repo,
                 env={'DETECT_SECRETS_SECURITY_TEAM': '#appsec-oncall'})
    assert 'ask #appsec-oncall for help' in result.stdout
    assert 'What to do about' not in result.stdout


def test_audit_shows_what_the_credential_opens_and_how_to_rotate_it(staged):
    repo, _ = staged
    baseline = cli(['detect-secrets-upstash', 'scan'], cwd=repo)
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    out = cli(['detect-secrets-upstash', 'audit', '.secrets.baseline'], cwd=repo, input='s\ns\ns\n').stdout
    assert re.search(r'^Rotate: +https://console\.upstash\.com/redis', out, re.MULTILINE)
    assert re.search(r'^Opens: +Read and write every key', out, re.MULTILINE)


def test_a_kind_added_at_run_time_takes_its_products_remediation():
    # catalogue.extend() changes the process's catalogue: run it in a child process
    import sys
    code = '''
import dataclasses
from detect_secrets_upstash import catalogue, remediation
from tests import extension_example as example
product = dataclasses.replace(example.PRODUCT, remediation='example console -> Keys -> "Revoke"')
catalogue.extend(kinds=(example.KIND,), products=(product,))
advice = catalogue.BY_ID['example_key'].remediation
print(advice.rotate)
print(advice is remediation.GENERIC, 'Example' in advice.opens)
print(catalogue.BY_ID['redis_rest_token'].remediation.rotate.startswith('https://console.upstash.com/redis'))
'''
    result = run([sys.executable, '-c', code], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['example console -> Keys -> "Revoke"', 'False True', 'True']
