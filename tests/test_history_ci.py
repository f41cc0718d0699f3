"""Range mode as CI runs it: the script of the GitHub Actions and GitLab CI examples
(examples/ci/), run as written on a fresh clone of a real remote, and the pre-push hook
through real pre-commit. A token added and removed inside the pushed commits fails the
job; a token older than the push does not."""
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from detect_secrets_upstash import tokens
from tests.fixtures_precommit import project_with_config
from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import run
from tests.in_process import cli
from tests.history_helpers import commit
from tests.history_helpers import git
from tests.history_helpers import new_repo

ZERO = '0' * 40
EXAMPLES = REPO_ROOT / 'examples' / 'ci'


def github_script() -> str:
    workflow = yaml.safe_load((EXAMPLES / 'github-actions-history.yml').read_text())
    steps = workflow['jobs']['upstash-history']['steps']
    (step,) = [s for s in steps if 'detect-secrets-upstash history' in s.get('run', '')]
    assert set(step['env']) == {'PR_BASE', 'BEFORE', 'DEFAULT_BRANCH'}
    return step['run']


def gitlab_script() -> str:
    job = yaml.safe_load((EXAMPLES / 'gitlab-ci-history.yml').read_text())['upstash-history']
    assert job['variables']['GIT_DEPTH'] == 0
    install, *rest = job['script']
    assert install == 'pip install detect-secrets-upstash'      # the suite's venv stands in for it
    return '\n'.join(rest)


def run_job(script: str, checkout: Path, env: dict):
    # GitHub runs `bash -e`, GitLab stops at the first failing line: the same here
    return subprocess.run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script], cwd=checkout,
                          env={**os.environ, 'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}', **env},
                          capture_output=True, text=True, timeout=300)


def env_file(token: str) -> str:
    return f'UPSTASH_REDIS_REST_URL=https://{tokens.generate_host_name()}.upstash.io\nUPSTASH_REDIS_REST_TOKEN={token}\n'


class Remote:
    """A bare remote, a developer's clone, and CI's fresh clone of a pushed commit."""

    def __init__(self, root: Path):
        self.root = root
        self.bare = root / 'origin.git'
        subprocess.run(['git', 'init', '-q', '--bare', '-b', 'main', str(self.bare)], check=True)
        self.dev = new_repo(root / 'dev')
        git(self.dev, 'remote', 'add', 'origin', str(self.bare))
        self.old_token = tokens.generate_redis_token(1)
        commit(self.dev, {'README.md': 'app\n'})
        commit(self.dev, {'legacy.env': env_file(self.old_token)}, 'an old leak, already on main')
        commit(self.dev, {'legacy.env': None}, 'removed long ago')
        git(self.dev, 'push', '-q', 'origin', 'main')

    def head(self) -> str:
        return git(self.dev, 'rev-parse', 'HEAD')

    def checkout(self, sha: str) -> Path:
        """What actions/checkout (fetch-depth: 0) or GitLab (GIT_DEPTH: 0) leaves: a full clone at `sha`."""
        target = self.root / f'ci-{sha[:8]}'
        subprocess.run(['git', 'clone', '-q', f'file://{self.bare}', str(target)], check=True)
        git(target, 'checkout', '-q', '--detach', sha)
        return target


def leak_and_remove(repo: Path) -> str:
    token = tokens.generate_qstash_token()
    commit(repo, {'src/queue.env': f'QSTASH_TOKEN={token}\n'}, 'try the queue')
    commit(repo, {'src/queue.env': None}, 'oops, remove it')
    commit(repo, {'src/app.py': 'print("ok")\n'}, 'real work')
    return token


SCRIPTS = {
    'github': (github_script, lambda before, base: {'BEFORE': before, 'PR_BASE': base or '',
                                                    'DEFAULT_BRANCH': 'main'}),
    'gitlab': (gitlab_script, lambda before, base: {'CI_COMMIT_BEFORE_SHA': before,
                                                    'CI_MERGE_REQUEST_DIFF_BASE_SHA': base or '',
                                                    'CI_DEFAULT_BRANCH': 'main'}),
}


@pytest.fixture(params=sorted(SCRIPTS))
def ci(request):
    script, variables = SCRIPTS[request.param]
    return script(), variables


def test_push_with_a_token_added_and_removed_fails(tmp_path, ci):
    script, variables = ci
    remote = Remote(tmp_path)
    before = remote.head()
    leak_and_remove(remote.dev)
    git(remote.dev, 'push', '-q', 'origin', 'main')
    done = run_job(script, remote.checkout(remote.head()), variables(before, None))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f'scanning {before}..HEAD' in done.stdout
    assert 'Upstash QStash Token' in done.stdout and 'src/queue.env:1' in done.stdout
    assert 'Upstash Redis REST Token' not in done.stdout        # the old leak lies before the push


def test_clean_push_passes_although_the_history_has_an_old_leak(tmp_path, ci):
    script, variables = ci
    remote = Remote(tmp_path)
    before = remote.head()
    commit(remote.dev, {'src/app.py': 'print("clean")\n'})
    git(remote.dev, 'push', '-q', 'origin', 'main')
    done = run_job(script, remote.checkout(remote.head()), variables(before, None))
    assert done.returncode == 0, done.stdout + done.stderr
    assert '0 Upstash credential(s) in 1 commit(s)' in done.stdout


def test_new_branch_and_merge_request(tmp_path, ci):
    script, variables = ci
    remote = Remote(tmp_path)
    base = remote.head()
    git(remote.dev, 'checkout', '-q', '-b', 'feature')
    leak_and_remove(remote.dev)
    git(remote.dev, 'push', '-q', 'origin', 'feature')
    checkout = remote.checkout(remote.head())
    new_branch = run_job(script, checkout, variables(ZERO, None))
    assert new_branch.returncode == 1, new_branch.stdout + new_branch.stderr
    assert 'Upstash QStash Token' in new_branch.stdout and 'Redis' not in new_branch.stdout
    request = run_job(script, checkout, variables(ZERO, base))
    assert request.returncode == 1 and f'scanning {base}..HEAD' in request.stdout


def test_first_push_scans_everything(tmp_path, ci):
    script, variables = ci
    remote = Remote(tmp_path)
    done = run_job(script, remote.checkout(remote.head()), variables(ZERO, None))
    assert done.returncode == 1 and 'scanning HEAD' in done.stdout
    assert 'Upstash Redis REST Token' in done.stdout


def test_pre_push_hook_blocks_a_push_carrying_a_removed_token(tmp_path, hook_repo, pre_commit_env):
    bare = tmp_path / 'origin.git'
    subprocess.run(['git', 'init', '-q', '--bare', '-b', 'main', str(bare)], check=True)
    config = (f'repos:\n- repo: {hook_repo.path}\n  rev: {hook_repo.rev}\n  hooks:\n'
              '  - id: detect-secrets-upstash-history\n')
    repo = project_with_config(tmp_path / 'project', config, pre_commit_env)
    installed = run(['pre-commit', 'install', '--hook-type', 'pre-push'], cwd=repo, env=pre_commit_env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(repo, 'checkout', '-q', '-b', 'main')
    git(repo, 'remote', 'add', 'origin', str(bare))
    commit(repo, {'README.md': 'x\n'})
    env = {**pre_commit_env, 'PATH': os.environ['PATH']}
    first = run(['git', 'push', '-q', 'origin', 'main'], cwd=repo, env=env, timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr      # new branch, clean: passes

    token = leak_and_remove(repo)
    pushed = run(['git', 'push', 'origin', 'main'], cwd=repo, env=env, timeout=900)
    assert pushed.returncode != 0
    assert 'Upstash QStash Token' in pushed.stdout + pushed.stderr and token not in pushed.stdout + pushed.stderr
    remote_head = subprocess.run(['git', 'rev-parse', 'main'], cwd=bare, capture_output=True, text=True).stdout
    assert remote_head.strip() != git(repo, 'rev-parse', 'HEAD')   # nothing reached the remote

    # after rewriting the pushed commits without the token, the push goes through
    git(repo, 'reset', '-q', '--hard', 'HEAD~3')
    commit(repo, {'src/app.py': 'print("ok")\n'}, 'real work only')
    again = run(['git', 'push', 'origin', 'main'], cwd=repo, env=env, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.parametrize('environ, expected', [
    ({'PRE_COMMIT_FROM_REF': 'a' * 40, 'PRE_COMMIT_TO_REF': 'b' * 40}, ('a' * 40 + '..' + 'b' * 40,)),
    ({'PRE_COMMIT_REMOTE_NAME': 'origin', 'PRE_COMMIT_LOCAL_BRANCH': 'refs/heads/x'},
     ('refs/heads/x', '--not', '--remotes=origin')),
    ({}, None),
])
def test_pre_push_revisions(environ, expected):
    from detect_secrets_upstash.history.cli import pre_push_revisions
    assert pre_push_revisions(environ) == expected


def test_pre_push_outside_pre_commit_is_an_error(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'a': 'a\n'})
    env = {k: '' for k in ('PRE_COMMIT_FROM_REF', 'PRE_COMMIT_TO_REF', 'PRE_COMMIT_REMOTE_NAME')}
    done = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), '--pre-push'], env=env)
    assert done.returncode == 2 and 'pre-push' in done.stderr
