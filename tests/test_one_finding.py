"""One finding per secret: an Upstash credential is listed once (as its kind), not also
as a Base64/Hex High Entropy String, Secret Keyword or Basic Auth finding, in scan,
baselines, the hook and audit; other plugins' findings of other secrets stay. Our commands
run in-process (the real `main(argv)`: which findings is logic); plain detect-secrets and the
parallel scan's worker processes run for real."""
import base64
import json
import os
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets.core.potential_secret import PotentialSecret

from detect_secrets_upstash import tokens
from detect_secrets_upstash.plugins import one_finding
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli

GENERIC = sorted(one_finding.GENERIC_TYPES)


def _project(tmp_path: Path):
    redis_token = tokens.generate_redis_token(24817)
    qstash_token = tokens.generate_qstash_token()
    password_url = tokens.generate_legacy_redis_url()
    # Another vendor's secret (random, high entropy) on its own line and on a line with an
    # Upstash token: plain detect-secrets reports it, and so must we.
    other, other_2 = (base64.b64encode(os.urandom(45)).decode() for _ in range(2))
    env = (f'UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\n'
           f'UPSTASH_REDIS_REST_TOKEN="{redis_token}"\n'
           f'QSTASH_TOKEN={qstash_token}\n'
           f'REDIS_URL={password_url}\n'
           f'OTHER_SERVICE_SECRET="{other}"\n'
           f'pair = ["{tokens.generate_redis_token(24817)}", "{other_2}"]\n')
    root = git_repo(tmp_path / 'project')
    (root / 'settings.env').write_text(env)
    subprocess.run(['git', 'add', '.'], cwd=root, check=True)
    return root, redis_token, other


def _findings(baseline: dict):
    return sorted((name, entry['line_number'], entry['type'])
                  for name, entries in baseline['results'].items() for entry in entries)


def test_scan_lists_each_upstash_credential_once_and_keeps_other_secrets(tmp_path):
    root, _, other = _project(tmp_path)
    result = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=root)
    assert result.returncode == 0, result.stderr
    found = _findings(json.loads(result.stdout))
    types_by_line = {}
    for _, line, kind in found:
        types_by_line.setdefault(line, []).append(kind)
    assert types_by_line[2] == ['Upstash Redis REST Token']
    assert types_by_line[3] == ['Upstash QStash Token']
    assert types_by_line[4] == ['Upstash Redis Password']
    # the other vendor's secret: reported alone on line 5, and beside the token on line 6
    assert set(types_by_line[5]) & set(GENERIC)
    assert 'Upstash Redis REST Token' in types_by_line[6]
    assert set(types_by_line[6]) & {'Base64 High Entropy String', 'Secret Keyword'}
    # plain detect-secrets finds the other secret on the same lines
    plain = run(['detect-secrets', 'scan', '--all-files'], cwd=root)
    plain_lines = {line for _, line, kind in _findings(json.loads(plain.stdout))}
    assert {5, 6} <= plain_lines


def test_parallel_scan_gives_the_same_findings(tmp_path):
    root, _, _ = _project(tmp_path)
    (root / 'copy.env').write_text((root / 'settings.env').read_text())
    serial = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=root)
    parallel = run(['detect-secrets-upstash', '-c', '2', 'scan', '--all-files'], cwd=root)
    assert _findings(json.loads(serial.stdout)) == _findings(json.loads(parallel.stdout))


def test_hook_lists_the_secret_once(tmp_path):
    root, token, _ = _project(tmp_path)
    (root / 'only.env').write_text(f'UPSTASH_REDIS_REST_TOKEN="{token}"\n')
    subprocess.run(['git', 'add', 'only.env'], cwd=root, check=True)
    result = cli(['detect-secrets-upstash-hook', 'only.env'], cwd=root)
    assert result.returncode == 1
    assert result.stdout.count('Secret Type:') == 1
    assert 'Secret Type: Upstash Redis REST Token' in result.stdout
    assert token not in result.stdout + result.stderr


def _old_baseline(root: Path) -> dict:
    """A baseline as written before this rule: each Upstash entry also as a generic one."""
    baseline = json.loads(cli(['detect-secrets-upstash', 'scan'], cwd=root).stdout)
    for entries in baseline['results'].values():
        for entry in list(entries):
            if entry['type'].startswith('Upstash'):
                entries.append({**entry, 'type': 'Base64 High Entropy String'})
    return baseline


def test_scan_baseline_migrates_an_old_baseline_keeping_labels(tmp_path):
    root, _, _ = _project(tmp_path)
    baseline = _old_baseline(root)
    for entries in baseline['results'].values():
        for entry in entries:
            entry['is_secret'] = True
    (root / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'scan', '--baseline', '.secrets.baseline'], cwd=root)
    assert result.returncode == 0, result.stderr
    migrated = json.loads((root / '.secrets.baseline').read_text())
    entries = [e for es in migrated['results'].values() for e in es]
    upstash = [e for e in entries if e['type'].startswith('Upstash')]
    assert len(upstash) == 4
    assert all(e.get('is_secret') is True for e in upstash)
    upstash_keys = {(e['hashed_secret'], e['line_number']) for e in upstash}
    assert not [e for e in entries if e['type'] in GENERIC
                and (e['hashed_secret'], e['line_number']) in upstash_keys]


def test_audit_asks_once_per_secret_on_an_old_baseline(tmp_path):
    root, _, _ = _project(tmp_path)
    (root / 'settings.env').write_text((root / 'settings.env').read_text().split('OTHER')[0])
    baseline = _old_baseline(root)
    upstash = [e for es in baseline['results'].values() for e in es if e['type'].startswith('Upstash')]
    count = len(upstash)
    assert count >= 3 and sum(len(es) for es in baseline['results'].values()) == 2 * count
    (root / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '.secrets.baseline'], cwd=root,
                 input='n\n' * (2 * count), env={'TERM': 'dumb'})
    assert result.returncode == 0, result.stderr
    assert f'{count} of {count}' in result.stdout
    assert f'of {2 * count}' not in result.stdout
    saved = json.loads((root / '.secrets.baseline').read_text())
    entries = [e for es in saved['results'].values() for e in es]
    assert len(entries) == count and all(e['type'].startswith('Upstash') for e in entries)
    assert [e.get('is_secret') for e in entries] == [True] * count, result.stdout[-2000:]


# --- the rule itself, on generated findings ---

_values = st.text('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', min_size=16, max_size=60)


@settings(max_examples=200, deadline=None)
@given(ours=_values, other=_values, generic_type=st.sampled_from(GENERIC),
       other_type=st.sampled_from(['AWS Access Key', 'Private Key', 'Slack Token', 'JSON Web Token']),
       line=st.integers(1, 50), other_line=st.integers(1, 50))
def test_only_generic_repeats_of_an_upstash_value_on_its_line_are_dropped(
        ours, other, generic_type, other_type, line, other_line):
    upstash = PotentialSecret('Upstash Redis REST Token', 'f', ours, line)
    repeat = PotentialSecret(generic_type, 'f', ours, line)
    same_value_elsewhere = PotentialSecret(generic_type, 'f', ours, line + 1)
    other_plugin = PotentialSecret(other_type, 'f', ours, line)
    other_secret = PotentialSecret(generic_type, 'f', other, other_line)
    kept_ids = {id(secret) for secret in one_finding.without_duplicates(
        [upstash, repeat, same_value_elsewhere, other_plugin, other_secret])}

    def kept(secret):
        return id(secret) in kept_ids
    assert kept(upstash) and not kept(repeat)
    assert kept(same_value_elsewhere) and kept(other_plugin)
    overlapping = other_line == line and (other in ours or ours in other)
    assert kept(other_secret) == (not overlapping)
