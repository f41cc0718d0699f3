"""Session fixtures for tests that run real pre-commit against a temporary git repository.

pre-commit clones the hook repository at a commit and pip-installs it into an environment
under PRE_COMMIT_HOME: slow, so both happen once per test session. The hook repository
is a snapshot of this checkout as it is on disk (tracked files, with uncommitted edits,
like `pre-commit try-repo` does): on CI's clean clone that is exactly HEAD.

pip installs the hook environments' packages from a wheelhouse made of this suite's own
environment (`wheelhouse` below), not from the package index: see there for why.
"""
import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import warnings
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Dict
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


# What the hook environments install: `pip install .` of the snapshot (its dependencies and
# its build backend, pyproject.toml's [build-system]) and the upstash-semgrep hook's
# `additional_dependencies: ["semgrep>=1.90"]` (.pre-commit-hooks.yaml).
WHEELHOUSE_ROOTS = ('detect-secrets', 'requests', 'semgrep', 'setuptools', 'wheel')
_NOT_PACKED = {'RECORD', 'INSTALLER', 'REQUESTED', 'direct_url.json'}


def _closure(names) -> Dict[str, metadata.Distribution]:
    """The installed distributions `names` need, with theirs, by normalised name."""
    from packaging.requirements import Requirement
    found: Dict[str, metadata.Distribution] = {}
    queue = [(name, ()) for name in names]
    while queue:
        name, extras = queue.pop()
        key = re.sub(r'[-_.]+', '-', name).lower()
        dist = metadata.distribution(name)
        first = key not in found
        found[key] = dist
        for line in dist.requires or ():
            requirement = Requirement(line)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({'extra': extra}) for extra in ('', *extras))
            if wanted and (first or extras):
                queue.append((requirement.name, tuple(requirement.extras)))
    return found


def _wheel_of(dist: metadata.Distribution, directory: Path) -> Path:
    """A wheel of an installed distribution: its files as RECORD lists them (with RECORD's
    own hashes) less the bytecode and the console scripts pip writes again from
    entry_points.txt. Stored, not deflated: pip only unpacks it once, here on the same disk."""
    from packaging.tags import sys_tags
    info = next(Path(str(f)).parts[0] for f in dist.files if str(f).endswith('.dist-info/METADATA'))
    wheel_file = (dist.read_text('WHEEL') or '')
    tags = re.findall(r'^Tag: (\S+)$', wheel_file, re.MULTILINE)
    supported = {str(tag) for tag in sys_tags()}
    tag = next((t for t in tags if t in supported), tags[0] if tags else 'py3-none-any')
    scripts = {ep.name for ep in dist.entry_points if ep.group in ('console_scripts', 'gui_scripts')}
    stem = info[:-len('.dist-info')]
    target = directory / f"{stem}-{tag}.whl"
    record = []
    with zipfile.ZipFile(target, 'w', zipfile.ZIP_STORED) as wheel:
        for line in (dist.read_text('RECORD') or '').splitlines():
            name = line.rsplit(',', 2)[0].strip('"')
            parts = Path(name).parts
            if not name or '__pycache__' in parts or (parts[0] == info and parts[-1] in _NOT_PACKED):
                continue
            if name.startswith('../'):
                # outside site-packages (relative to the environment's prefix): bin/ scripts
                # other than console scripts, and data files, go where a wheel puts them
                inside = Path(*[part for part in parts if part != '..'])
                if inside.parts[0] in ('bin', 'Scripts'):
                    if inside.name in scripts:
                        continue
                    arcname = f'{stem}.data/scripts/{inside.name}'
                else:
                    arcname = f'{stem}.data/data/{inside.as_posix()}'
            else:
                arcname = name
            source = Path(str(dist.locate_file(name)))
            if not source.is_file():
                continue
            wheel.write(source, arcname)
            _, digest, size = line.rsplit(',', 2)
            record.append(f'{arcname},{digest},{size}')
        record.append(f'{info}/RECORD,,')
        wheel.writestr(f'{info}/RECORD', '\n'.join(record) + '\n')
    return target


@pytest.fixture(scope='session')
def wheelhouse(tmp_path_factory) -> 'Path | None':
    """Wheels of the packages the hook environments install, made from the ones installed in
    this suite's environment, made once per session and shared by its workers.

    Why: building the upstash-semgrep hook's environment from the package index took ~13 of
    the semgrep hook test's ~21 CPU-s (pip resolving ~70 packages against the index and
    unpacking semgrep's 270 MB), a second install of what scripts/test.sh had just installed
    from the registry. From these wheels with no index (PIP_NO_INDEX, PIP_FIND_LINKS in
    `pre_commit_env`) the same pip command pre-commit runs installs the same versions in ~6.
    pre-commit itself, its clone of the hook repository, the hook definitions of
    .pre-commit-hooks.yaml (entry, files, additional_dependencies) and `pip install .` of the
    snapshot are all real and unchanged. What this leaves out is only that the registry
    serves `semgrep>=1.90`, which scripts/test.sh's own install of '.[test]' shows on every run.
    """
    shared = shared_dir(tmp_path_factory, 'wheelhouse')
    with exclusive(shared):
        if not (shared / 'done').exists() and not (shared / 'missing').exists():
            try:
                dists = _closure(WHEELHOUSE_ROOTS).values()
            except metadata.PackageNotFoundError as missing:
                # an environment installed before the test extra had it: the index, as before
                (shared / 'missing').write_text(str(missing))
            else:
                for dist in dists:
                    _wheel_of(dist, shared)
                (shared / 'done').write_text('')
    if (shared / 'missing').exists():
        warnings.warn(f"hook environments install from the index: {(shared / 'missing').read_text()} "
                      "is not installed here (pip install -e '.[test]')")
        return None
    return shared


@pytest.fixture(scope='session')
def pre_commit_env(tmp_path_factory, wheelhouse) -> dict:
    """Environment for pre-commit runs: one PRE_COMMIT_HOME (its hook environments) for the
    whole session, workers included; pre-commit locks its store while it clones or installs.
    pip in the hook environments installs from `wheelhouse` only."""
    env = {
        'PRE_COMMIT_HOME': str(shared_dir(tmp_path_factory, 'pre-commit-home')),
        'PRE_COMMIT_COLOR': 'never',
    }
    if wheelhouse is not None:
        env.update({'PIP_NO_INDEX': '1', 'PIP_FIND_LINKS': str(wheelhouse)})
    # `pip install .` of the snapshot builds it with the setuptools virtualenv seeds in each hook
    # environment (VIRTUALENV_SETUPTOOLS: seeded on every Python, 3.12+ included) rather than in a
    # build environment of its own that pip makes and fills first: ~3.9 instead of ~8.1 CPU-s
    # for each of the two hook environments. The build in isolation, from pyproject.toml's
    # [build-system] alone, is scripts/test.sh's own `pip install .[test]`, on every run.
    env.update({'PIP_NO_BUILD_ISOLATION': 'false', 'VIRTUALENV_SETUPTOOLS': 'bundle'})
    return env


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
