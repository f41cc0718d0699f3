"""Context: the Upstash host a finding belongs to, and token/URL mismatches."""
import json

import pytest

from detect_secrets_upstash import tokens
from detect_secrets_upstash.context import describe
from detect_secrets_upstash.context import host_product
from detect_secrets_upstash.scanner import find_credentials

from .detection_helpers import scan_in_process as scan
from .in_process import cli


def _found(line):
    (found,) = find_credentials(line)
    return found


def test_nearby_rest_url_gives_the_host():
    token = tokens.generate_redis_token(10123)
    lines = ['UPSTASH_REDIS_REST_URL="https://brave-otter-10123.upstash.io"',
             f'UPSTASH_REDIS_REST_TOKEN="{token}"']
    context = describe(_found(lines[1]), lines)
    assert context.host == 'brave-otter-10123.upstash.io'
    assert context.rest_url == 'https://brave-otter-10123.upstash.io'
    assert context.mismatch is None


def test_database_id_mismatch_is_said():
    token = tokens.generate_redis_token(10123)
    lines = ['UPSTASH_REDIS_REST_URL=https://quiet-walrus-20871.upstash.io', f'TOKEN={token}']
    context = describe(_found(lines[1]), lines)
    assert context.host == 'quiet-walrus-20871.upstash.io'
    assert '10123' in context.mismatch and '20871' in context.mismatch
    assert token not in context.mismatch


def test_head_id_differing_from_its_host_is_no_warning_when_the_tail_names_the_host():
    # seen in public code: head id 38538, host and tail 47528 -- the pair belongs together
    token = tokens.generate_redis_token(38538, tail_number=47528)
    lines = ['UPSTASH_REDIS_REST_URL=https://quiet-walrus-47528.upstash.io', f'TOKEN={token}']
    context = describe(_found(lines[1]), lines)
    assert context.host == 'quiet-walrus-47528.upstash.io'
    assert context.mismatch is None


def test_a_token_whose_head_and_tail_disagree_says_exactly_that():
    token = tokens.generate_redis_token(38538, tail_number=47528)
    lines = ['UPSTASH_REDIS_REST_URL=https://quiet-walrus-20871.upstash.io', f'TOKEN={token}']
    mismatch = describe(_found(lines[1]), lines).mismatch
    assert 'head names database 38538 but its tail names 47528' in mismatch
    assert 'does not belong together' not in mismatch


@pytest.mark.parametrize('layout', ['id64-untailed', 'current-untailed', 'current-p10', 'legacy-hex'])
def test_a_head_id_alone_is_not_enough_for_a_warning(layout):
    token = tokens.generate_redis_token(10123 if not layout.startswith('id64') else 4_100_000_123, layout=layout)
    lines = ['UPSTASH_REDIS_REST_URL=https://quiet-walrus-20871.upstash.io', f'TOKEN={token}']
    context = describe(_found(lines[1]), lines)
    assert context.host == 'quiet-walrus-20871.upstash.io' and context.mismatch is None


def test_the_matching_host_wins_among_several():
    token = tokens.generate_redis_token(31337, read_only=True, layout='id64')
    lines = ['A=https://quiet-walrus-20871.upstash.io', 'B=https://us1-fine-mole-31337.upstash.io:443',
             f'T={token}']
    context = describe(_found(lines[2]), lines)
    assert context.host == 'us1-fine-mole-31337.upstash.io'
    assert context.mismatch is None


def test_url_password_names_its_own_host():
    token = tokens.generate_redis_token(777)
    line = f'REDIS_URL=rediss://default:{token}@eager-lynx-778.upstash.io:6379'
    context = describe(_found(line), ['UPSTASH_REDIS_REST_URL=https://eager-lynx-777.upstash.io', line])
    assert context.host == 'eager-lynx-778.upstash.io'
    assert 'database 777' in context.mismatch


def test_hosts_of_other_products_are_not_paired_with_a_redis_token():
    token = tokens.generate_redis_token(10123)
    lines = ['UPSTASH_VECTOR_REST_URL=https://brave-otter-10123-us1-vector.upstash.io',
             'QSTASH_URL=https://qstash-eu-central-1.upstash.io', f'T={token}']
    assert describe(_found(lines[2]), lines).host is None
    assert host_product('brave-otter-10123-us1-vector.upstash.io') == 'vector'
    assert host_product('qstash.upstash.io') == 'qstash'
    assert host_product('global-fine-mole-1.upstash.io') == 'redis'


def test_vector_token_pairs_with_its_endpoint_url():
    token = tokens.generate_vector_token('brave-otter-10123-us1')
    ok = ['UPSTASH_SEARCH_REST_URL=https://brave-otter-10123-us1-search.upstash.io', f'T={token}']
    context = describe(_found(ok[1]), ok)
    assert context.host == 'brave-otter-10123-us1-search.upstash.io' and context.mismatch is None
    wrong = ['UPSTASH_VECTOR_REST_URL=https://quiet-walrus-1-eu1-vector.upstash.io', f'T={token}']
    assert 'brave-otter-10123-us1' in describe(_found(wrong[1]), wrong).mismatch


def test_qstash_token_takes_the_region_of_the_nearby_url():
    token = tokens.generate_qstash_token()
    lines = ['QSTASH_URL=https://qstash-eu-central-1.upstash.io', f'QSTASH_TOKEN={token}']
    assert describe(_found(lines[1]), lines).host == 'qstash-eu-central-1.upstash.io'


def test_no_url_no_host():
    token = tokens.generate_redis_token()
    assert describe(_found(token), ['', 'https://example.com', token]).host is None


def test_audit_report_shows_host_and_mismatch(tmp_path):
    token = tokens.generate_redis_token(10123)
    (tmp_path / '.env').write_text(f'UPSTASH_REDIS_REST_URL=https://quiet-walrus-20871.upstash.io\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    baseline, _ = scan(tmp_path)
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (entry,) = [e for e in json.loads(result.stdout)['results'] if 'Upstash Redis REST Token' in e['types']]
    assert entry['upstash']['host'] == 'quiet-walrus-20871.upstash.io'
    assert '10123' in entry['upstash']['mismatch']
