"""Building real git repositories for the `history` tests, and running the real command."""
import json
import os
import subprocess
from pathlib import Path
from typing import Dict
from typing import Optional
from typing import Union

from tests.helpers import git_repo
from tests.in_process import cli

_clock = [1_700_000_000]


def git(repo: Path, *args: str, env: Optional[dict] = None) -> str:
    """Run git in `repo` with a moving fixed clock (commit order = author order)."""
    _clock[0] += 60
    stamp = f'{_clock[0]} +0000'
    done = subprocess.run(['git', *args], cwd=repo, capture_output=True, check=False,
                          env={**os.environ, 'GIT_AUTHOR_DATE': stamp, 'GIT_COMMITTER_DATE': stamp,
                               **(env or {})})
    assert done.returncode == 0, done.stderr.decode('utf-8', 'replace')
    return done.stdout.decode('utf-8', 'surrogateescape').strip()


def new_repo(path: Path) -> Path:
    repo = git_repo(path)
    git(repo, 'checkout', '-q', '-b', 'main')
    return repo


def commit(repo: Path, files: Dict[str, Union[str, bytes, None]], message: str = 'change') -> str:
    """Write (or, for None, delete) files, commit everything, return the commit's sha."""
    for name, content in files.items():
        target = repo / name
        if content is None:
            git(repo, 'rm', '-q', '--', name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding='utf-8')
        git(repo, 'add', '--', name)
    git(repo, 'commit', '-q', '--allow-empty', '-m', message)
    return git(repo, 'rev-parse', 'HEAD')


def history(repo: Path, *args: str, env: Optional[dict] = None):
    """`detect-secrets-upstash history --repo REPO --format json ARGS`: (exit status, document, stderr).

    In-process (tests.in_process): these runs check findings and the report; the tests of the
    real process (text report, errors, progress on a terminal) call `run` themselves."""
    done = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), '--format', 'json', *args],
               env=env)
    document = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, document, done.stderr


def by_hash(document: dict) -> Dict[str, dict]:
    return {c['hashed_secret']: c for c in document['credentials']}
