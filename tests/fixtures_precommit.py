"""Session fixtures for tests that run real pre-commit against a temporary git repository.

pre-commit clones the hook repository at a commit and pip-installs it into an environment
under PRE_COMMIT_HOME: slow, so both happen once per test session. The hook repository
is a snapshot of this checkout as it is on disk (tracked files, with uncommitted edits,
like `pre-commit try-repo` does): on CI's clean clone that is exactly HEAD.
"""
import contextlib
import fcntl
import os
import shutil
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run

_JUNK = {'.git', '.venv', 'venv', 'build', 'dist', '__pycache__', '.pytest_cache', '.hypothesis'}


class HookRepo(NamedTuple):
    path: Path
    rev: str


def _checkout_files():
    # Tracked files and new ones not yet added (but not ignored ones): the checkout as on disk.
    listed = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                            cwd=REPO_ROOT, capture_output=True)
    if listed.returncode == 0:
        return [name for name in listed.stdout.decode().split('\0') if name]
    # Not a git checkout (an unpacked archive): every file but build and cache output.
    return [str(path.relative_to(REPO_ROOT)) for path in REPO_ROOT.rglob('*')
            if path.is_file() and not _JUNK & set(path.relative_to(REPO_ROOT).parts)
            and not path.name.endswith('.egg-info')]


def shared_dir(tmp_path_factory, name: str) -> Path:
    """A directory every worker of this test session sees (pytest-xdist runs one process per
    worker, each with its own basetemp under one shared parent); without xdist, the session's own."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base
    path = root / name
    path.mkdir(exist_ok=True)
    return path


@contextlib.contextmanager
def exclusive(directory: Path):
    """Hold an exclusive lock on `directory` (one worker at a time builds what it holds)."""
    with open(directory / '.lock', 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope='session')
def hook_repo(tmp_path_factory) -> HookRepo:
    """The snapshot, made once per session and shared by its workers: pre-commit keys its
    clone and hook environment by (repository path, rev), so one snapshot means one build."""
    shared = shared_dir(tmp_path_factory, 'hook-repo')
    snapshot = shared / 'detect-secrets-upstash'
    with exclusive(shared):
        if not (shared / 'rev').exists():
            _snapshot(snapshot)
            rev = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=snapshot, check=True,
                                 capture_output=True, text=True).stdout.strip()
            (shared / 'rev').write_text(rev)
    return HookRepo(snapshot, (shared / 'rev').read_text())


def _snapshot(snapshot: Path) -> None:
    git_repo(snapshot)
    for name in _checkout_files():
        source = REPO_ROOT / name
        if source.is_file():                    # deleted but not yet committed: leave out
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    for args in (['add', '-A'], ['commit', '-q', '-m', 'snapshot for pre-commit tests']):
        subprocess.run(['git', *args], cwd=snapshot, check=True)


@pytest.fixture(scope='session')
def pre_commit_env(tmp_path_factory) -> dict:
    """Environment for pre-commit runs: one PRE_COMMIT_HOME (its hook environments) for the
    whole session, workers included; pre-commit locks its store while it clones or installs."""
    return {
        'PRE_COMMIT_HOME': str(shared_dir(tmp_path_factory, 'pre-commit-home')),
        'PRE_COMMIT_COLOR': 'never',
    }


def project_with_config(path: Path, config: str, env: dict) -> Path:
    """A git repository with `config` as its staged .pre-commit-config.yaml, hooks installed."""
    repo = git_repo(path)
    (repo / '.pre-commit-config.yaml').write_text(config)
    subprocess.run(['git', 'add', '.pre-commit-config.yaml'], cwd=repo, check=True)
    result = run(['pre-commit', 'install'], cwd=repo, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return repo


def commit(repo: Path, env: dict, *files: str, message: str = 'change') -> 'subprocess.CompletedProcess':
    """Stage `files` and `git commit` through the installed pre-commit hook."""
    subprocess.run(['git', 'add', *files], cwd=repo, check=True)
    # The git hook runs pre-commit with the interpreter that installed it; PATH is only for git.
    return run(['git', 'commit', '-m', message], cwd=repo, env={**env, 'PATH': os.environ['PATH']},
               timeout=900)
