"""The CI examples (examples/ci/github-actions.yml, gitlab-ci.yml), run as far as this
machine can: each `run` step / script line as written, in order, with GitHub's and
GitLab's failure rules, in a fresh git project. The `uses:` steps (checkout, setup-python,
upload-sarif) are GitHub's own and not run; what they would upload is checked instead:
the SARIF files exist and validate. `pip install` is the suite's own venv.

No token is sent anywhere: the project's URL is a loopback address no command is allowed
to use, so verification skips (and `--fail-on unknown` fails the job, as it must)."""
import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from detect_secrets_upstash import tokens
from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.sarif_validation import assert_github_ready

# every job runs detect-secrets-upstash, semgrep's whole pack and the SARIF validator
pytestmark = [pytest.mark.slow]

EXAMPLES = REPO_ROOT / 'examples' / 'ci'
INSTALL = 'pip install detect-secrets-upstash semgrep'


def _bash(script: str, cwd: Path, env: dict):
    return subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script], cwd=cwd,
                          env={**os.environ, 'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}', **env},
                          capture_output=True, text=True, timeout=600)


def _project(tmp_path: Path, leaky: bool):
    repo = git_repo(tmp_path / 'project')
    if leaky:
        (repo / '.env').write_text('UPSTASH_REDIS_REST_URL=http://127.0.0.1:9\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token()}\n')
    (repo / 'app.ts').write_text('export const cache = new Map<string, string>();\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    return repo


def run_github_job(repo: Path, tmp_path: Path):
    """Run the job's steps as GitHub does: a failed step skips the later ones, except those
    with `if: always()`; `steps.<id>.outputs` come from $GITHUB_OUTPUT."""
    workflow = yaml.safe_load((EXAMPLES / 'github-actions.yml').read_text())
    assert workflow['permissions']['security-events'] == 'write'
    (job,) = workflow['jobs'].values()
    outputs, failed, record = {}, False, []
    for step in job['steps']:
        condition = step.get('if')
        if condition == 'always()':
            wanted = True
        elif condition is None:
            wanted = not failed
        else:
            step_id, key, value = _condition(condition)
            wanted = not failed and outputs.get(step_id, {}).get(key) == value
        name = step.get('name') or step.get('uses') or step['run']
        if not wanted:
            record.append((name, 'skipped', None))
            continue
        if 'uses' in step:
            record.append((name, 'uses', step))
            continue
        if step['run'].strip() == INSTALL:
            record.append((name, 'installed', None))
            continue
        output_file = tmp_path / f'output-{len(record)}'
        output_file.write_text('')
        proc = _bash(step['run'], repo, {'GITHUB_OUTPUT': str(output_file)})
        if step.get('id'):
            outputs[step['id']] = dict(line.split('=', 1) for line in output_file.read_text().splitlines())
        failed = failed or proc.returncode != 0
        record.append((name, proc.returncode, proc))
    return record, failed, outputs


def _condition(text: str):
    # the only form the example uses: steps.<id>.outputs.<key> == '<value>'
    left, right = (part.strip() for part in text.split('=='))
    _, step_id, _, key = left.split('.')
    return step_id, key, right.strip("'")


def _by_name(record, words):
    (entry,) = [e for e in record if words in e[0]]
    return entry


def test_github_job_fails_a_leak_and_uploads_valid_sarif(tmp_path):
    repo = _project(tmp_path, leaky=True)
    record, failed, outputs = run_github_job(repo, tmp_path)
    assert failed
    _, status, proc = _by_name(record, 'Report Upstash credentials')
    assert status == 0, proc.stderr
    assert 'Upstash Redis REST Token (read-write)' in proc.stdout      # readable in the log
    assert outputs['report'] == {'found': '1'}
    _, status, proc = _by_name(record, 'Semgrep rule pack')
    assert status == 0, proc.stderr
    _, status, proc = _by_name(record, 'Verify')
    assert status == 1 and 'could not be verified' in proc.stderr      # unknown fails the job
    uploads = [e for e in record if e[1] == 'uses' and 'upload-sarif' in e[2]['uses']]
    assert len(uploads) == 2
    for _, _, step in uploads:
        document = json.loads((repo / step['with']['sarif_file']).read_text(encoding='utf-8'))
        assert document['version'] == '2.1.0'
    assert_github_ready(json.loads((repo / 'upstash.sarif').read_text(encoding='utf-8')), tmp_path)
    assert _by_name(record, 'Fail on any')[1] == 'skipped'             # the job already failed


def test_github_job_passes_a_clean_project(tmp_path):
    repo = _project(tmp_path, leaky=False)
    record, failed, outputs = run_github_job(repo, tmp_path)
    assert not failed, [(name, status, proc and proc.stderr) for name, status, proc in record]
    assert outputs['report'] == {'found': '0'}
    assert _by_name(record, 'Verify')[1] == 'skipped'
    assert _by_name(record, 'Fail on any')[1] == 'skipped'
    document = json.loads((repo / 'upstash.sarif').read_text(encoding='utf-8'))
    assert document['runs'][0]['results'] == []


def _gitlab_script():
    job = yaml.safe_load((EXAMPLES / 'gitlab-ci.yml').read_text())['upstash']
    install, *rest = job['script']
    assert install == INSTALL
    assert job['artifacts']['when'] == 'always'
    return '\n'.join(rest), job['artifacts']['paths']


@pytest.mark.parametrize('leaky, expected', [(True, 1), (False, 0)])
def test_gitlab_job(tmp_path, leaky, expected):
    repo = _project(tmp_path, leaky)
    script, artifacts = _gitlab_script()
    proc = _bash(script, repo, {})
    assert proc.returncode == expected, proc.stdout + proc.stderr
    for name in artifacts:
        assert json.loads((repo / name).read_text(encoding='utf-8'))['version'] == '2.1.0'
    if leaky:
        assert 'Upstash Redis REST Token (read-write)' in proc.stdout
        assert 'could not be verified' in proc.stderr
