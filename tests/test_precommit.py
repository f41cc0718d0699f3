"""Real pre-commit, real `git commit`, the `detect-secrets-upstash` hook installed from this repository.

`.pre-commit-hooks.yaml` is what users reference; pre-commit clones this repository at a
commit and pip-installs it into its own environment, exactly as on a developer machine.
"""
import json
import subprocess


from detect_secrets_upstash import tokens
from tests.fixtures_precommit import commit
from tests.fixtures_precommit import project_with_config
from tests.helpers import run


def config(hook_repo, args=()) -> str:
    lines = [
        'repos:',
        f'  - repo: {hook_repo.path}',
        f'    rev: {hook_repo.rev}  # pragma: allowlist secret',
        '    hooks:',
        '      - id: detect-secrets-upstash',
    ]
    if args:
        lines.append(f'        args: {json.dumps(list(args))}')
    return '\n'.join(lines) + '\n'


def env_local(database_id: int) -> str:
    return (f'UPSTASH_REDIS_REST_URL=https://fond-heron-{database_id}.upstash.io\n'
            f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token(database_id)}\n')


def head_subject(repo) -> str:
    result = subprocess.run(['git', 'log', '-1', '--format=%s'], cwd=repo, capture_output=True, text=True)
    return result.stdout.strip()


def test_staged_leak_is_blocked_and_a_clean_commit_passes(tmp_path, hook_repo, pre_commit_env):
    repo = project_with_config(tmp_path / 'project', config(hook_repo), pre_commit_env)

    (repo / '.env.local').write_text(env_local(24817))
    blocked = commit(repo, pre_commit_env, '.env.local', message='add settings')
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert 'Detect Upstash credentials' in output and 'Failed' in output
    assert 'Secret Type: Upstash Redis REST Token' in output
    assert 'Database:    24817' in output
    assert head_subject(repo) == ''                     # nothing was committed

    subprocess.run(['git', 'rm', '-q', '--cached', '.env.local'], cwd=repo, check=True)
    (repo / '.env.example').write_text('UPSTASH_REDIS_REST_URL=https://<host>.upstash.io\n'
                                       'UPSTASH_REDIS_REST_TOKEN="<your-token>"\n')
    clean = commit(repo, pre_commit_env, '.env.example', message='document settings')
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert 'Detect Upstash credentials......' in clean.stderr and 'Passed' in clean.stderr
    assert head_subject(repo) == 'document settings'


def test_audited_baseline_lets_a_known_finding_pass(tmp_path, hook_repo, pre_commit_env):
    repo = project_with_config(tmp_path / 'project',
                               config(hook_repo, ['--baseline', '.secrets.baseline']), pre_commit_env)
    (repo / 'notebook.env').write_text(env_local(31337))
    subprocess.run(['git', 'add', 'notebook.env'], cwd=repo, check=True)
    baseline = run(['detect-secrets-upstash', 'scan', '--disable-plugin', 'Base64HighEntropyString',
                    '--disable-plugin', 'KeywordDetector'], cwd=repo)
    assert baseline.returncode == 0, baseline.stderr
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    # Audit: "Should this string be committed?" -> yes (a test fixture, say).
    audit = run(['detect-secrets-upstash', 'audit', '.secrets.baseline'], cwd=repo, input='y\n')
    assert audit.returncode == 0, audit.stderr
    labels = [s['is_secret'] for s in json.loads((repo / '.secrets.baseline').read_text())['results']['notebook.env']]
    assert labels == [False]

    known = commit(repo, pre_commit_env, 'notebook.env', '.secrets.baseline', message='known finding')
    assert known.returncode == 0, known.stdout + known.stderr
    assert head_subject(repo) == 'known finding'

    # A credential the baseline does not know is still blocked.
    (repo / 'other.env').write_text(f'QSTASH_TOKEN={tokens.generate_qstash_token()}\n')
    new = commit(repo, pre_commit_env, 'other.env', message='new leak')
    assert new.returncode != 0
    assert 'Secret Type: Upstash QStash Token' in new.stdout + new.stderr
