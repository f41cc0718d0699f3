"""Facts about a repository through git's plumbing (the walk over its history is `walk.py`).

Errors (not a repository, a revision git does not know) raise `GitError` with git's own
one-line reason.
"""
import os
import subprocess
import threading
from dataclasses import dataclass
from typing import Container
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

NULL_SHA = '0' * 40
# Never let git fetch an object a partial clone lacks (git >= 2.44 honours this), nor ask
# for credentials or start a pager.
_ENV = {'GIT_NO_LAZY_FETCH': '1', 'GIT_TERMINAL_PROMPT': '0', 'GIT_PAGER': 'cat', 'LC_ALL': 'C'}


class GitError(Exception):
    """git refused: the message is one line, fit for the user."""


def _env() -> Dict[str, str]:
    return {**os.environ, **_ENV}


def path_text(raw: bytes) -> str:
    """A path git printed as bytes: UTF-8 where it is, other bytes shown as \\xNN."""
    return raw.decode('utf-8', 'backslashreplace')


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    # git prints "fatal: ..." last; usage hints and "hint:" lines come before it
    fatal = [line for line in lines if line.startswith(('fatal:', 'error:'))]
    line = (fatal or lines or ['git failed'])[-1 if fatal else 0]
    for prefix in ('fatal: ', 'error: '):
        if line.startswith(prefix):
            line = line[len(prefix):]
    return line


class Repository:
    def __init__(self, path: str):
        self.path = path
        if not os.path.isdir(path):
            raise GitError(f'{path}: not a directory (--repo names a git repository)'
                           if os.path.exists(path) else f'{path}: no such directory')
        self.git_dir = self.run('rev-parse', '--absolute-git-dir').strip()

    def command(self, *args: str) -> List[str]:
        return ['git', '-C', self.path, '-c', 'core.quotePath=false', *args]

    def run(self, *args: str, check: bool = True) -> str:
        try:
            done = subprocess.run(self.command(*args), capture_output=True, env=_env())
        except OSError as error:
            raise GitError(f'cannot run git: {error.strerror or error}')
        if check and done.returncode != 0:
            raise GitError(_first_line(done.stderr.decode('utf-8', 'replace')))
        return done.stdout.decode('utf-8', 'surrogateescape')

    # --- facts about the repository ---

    def is_shallow(self) -> bool:
        return self.run('rev-parse', '--is-shallow-repository').strip() == 'true'

    def head(self) -> Optional[str]:
        out = self.run('rev-parse', '--verify', '-q', 'HEAD^{commit}', check=False).strip()
        return out or None

    def stash_commits(self) -> List[str]:
        """Every stash entry (the reflog of refs/stash), newest first."""
        if not self.run('rev-parse', '--verify', '-q', 'refs/stash', check=False).strip():
            return []
        return self.run('log', '-g', '--format=%H', 'refs/stash').split()

    def check_revisions(self, revisions: Sequence[str]) -> None:
        """Raise GitError naming the first revision git does not know."""
        for revision in revisions:
            if revision.startswith('-'):
                continue
            for part in _range_ends(revision):
                if not self.run('rev-parse', '--verify', '-q', '--end-of-options', part + '^{commit}',
                                check=False).strip():
                    raise GitError(f'unknown revision {part!r} (not a commit, branch or tag here)')

    def blobs_at(self, commit: str, wanted: Container[str]) -> Dict[str, List[str]]:
        """blob sha -> paths in the tree of `commit`, for the `wanted` blobs only."""
        out = subprocess.run(self.command('ls-tree', '-r', '-z', '--full-tree', commit),
                             capture_output=True, env=_env())
        if out.returncode != 0:
            raise GitError(_first_line(out.stderr.decode('utf-8', 'replace')))
        found: Dict[str, List[str]] = {}
        for entry in out.stdout.split(b'\0'):
            if not entry:
                continue
            meta, _, path = entry.partition(b'\t')
            fields = meta.split()
            if len(fields) == 3 and fields[1] == b'blob':
                sha = fields[2].decode()
                if sha in wanted:
                    found.setdefault(sha, []).append(path_text(path))
        return found

    def read_blobs(self, shas: Sequence[str], limit: int = 64 << 20) -> Iterator[Tuple[str, bytes]]:
        """(sha, bytes) of a few given blobs (missing and bigger ones left out)."""
        if not shas:
            return
        done = subprocess.run(self.command('cat-file', '--batch'), input=''.join(f'{s}\n' for s in shas).encode(),
                              capture_output=True, env=_env())
        out, at = done.stdout, 0
        while at < len(out):
            end = out.index(b'\n', at)
            fields = out[at:end].split()
            at = end + 1
            if len(fields) < 3 or fields[1] != b'blob':
                if len(fields) >= 3:
                    at += int(fields[2]) + 1
                continue
            size = int(fields[2])
            if size <= limit:
                yield fields[0].decode(), out[at:at + size]
            at += size + 1

def _range_ends(revision: str) -> List[str]:
    """The commits named by a revision argument: `A..B` / `A...B` -> [A, B], `^A` -> [A]."""
    if revision.startswith('^'):
        return [revision[1:]]
    for separator in ('...', '..'):
        if separator in revision:
            left, right = revision.split(separator, 1)
            return [end or 'HEAD' for end in (left, right)]
    for suffix in ('^@', '^!'):
        if revision.endswith(suffix):
            return [revision[:-len(suffix)]]
    return [revision]


@dataclass(frozen=True)
class Blob:
    sha: str
    path: str               # one path it is reachable under (rev-list's), a hint only
    size: int
    data: Optional[bytes]   # None when over the size limit


@dataclass(frozen=True)
class Change:
    commit: str
    author_date: str
    author: str
    path: str
    old_sha: str
    new_sha: str
    status: str             # git's letter: A (added), D (deleted), M (modified), T (type change)


class _Drain(threading.Thread):
    """Reads a pipe to its end (git's stderr), so git never blocks writing to it."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream, self.chunks = stream, []
        self.start()

    def run(self):
        for chunk in iter(lambda: self.stream.read(65536), b''):
            if sum(map(len, self.chunks)) < 65536:
                self.chunks.append(chunk)

    def text(self) -> str:
        return b''.join(self.chunks).decode('utf-8', 'replace')
