"""Reading a repository through git's plumbing: nothing is checked out, each blob is read once.

`blobs()` streams every blob reachable from the revisions (`git rev-list --objects`) through
one `git cat-file --batch`; memory stays bounded by the pipes and the largest blob read.
`changes()` asks `git log --find-object` which commits added or removed a few given blobs:
it runs only for the blobs that hold a credential, never for all of them.

Errors (not a repository, a revision git does not know) raise `GitError` with git's own
one-line reason.
"""
import os
import subprocess
import threading
from dataclasses import dataclass
from typing import Callable
from typing import Container
from typing import Dict
from typing import Iterable
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

NULL_SHA = '0' * 40
# Never let git fetch an object a partial clone lacks (git >= 2.44 honours it; older git
# is kept from fetching by `--missing=print`), nor ask for credentials or a pager.
_ENV = {'GIT_NO_LAZY_FETCH': '1', 'GIT_TERMINAL_PROMPT': '0', 'GIT_PAGER': 'cat', 'LC_ALL': 'C'}
_READ_CHUNK = 1 << 20
# --find-object arguments per `git log` run (the command line has a length limit).
OBJECTS_PER_LOG = 1000


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
            raise GitError(f'{path}: no such directory')
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

    def count_commits(self, revisions: Sequence[str]) -> Callable[[], int]:
        """Start counting the commits (in parallel with the caller's work); call the result for it."""
        process = subprocess.Popen(self.command('rev-list', '--count', *revisions, '--'),
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())

        def result() -> int:
            out = process.communicate()[0].decode().strip()
            return int(out) if process.returncode == 0 and out.isdigit() else 0
        return result

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

    # --- every blob, once ---

    def blobs(self, revisions: Sequence[str], limit: Optional[int] = None) -> 'BlobStream':
        """Each blob reachable from `revisions`, read once, in rev-list order. A blob over
        `limit` bytes comes with `data=None`: its bytes are drained from the pipe, never held."""
        return BlobStream(self, revisions, limit)

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

    def commit_order(self, revisions: Sequence[str]) -> Dict[str, int]:
        """commit sha -> rank, parents before children (as `changes` lists them)."""
        out = self.run('rev-list', '--topo-order', '--reverse', *revisions, '--')
        return {sha: rank for rank, sha in enumerate(out.split())}

    # --- which commits add or remove given blobs ---

    def changes(self, revisions: Sequence[str], blob_shas: Iterable[str]) -> Iterator['Change']:
        """Every (commit, path) where one of the blobs entered or left a path, oldest first
        (parents before children). Merges are compared with each parent (-m), so a blob that
        a merge brings in, or that only a merge's own tree holds, is seen there too."""
        shas = sorted(set(blob_shas))
        for start in range(0, len(shas), OBJECTS_PER_LOG):
            chunk = shas[start:start + OBJECTS_PER_LOG]
            yield from self._changes(revisions, chunk)

    def _changes(self, revisions: Sequence[str], shas: Sequence[str]) -> Iterator['Change']:
        args = ['log', '--topo-order', '--reverse', '-m', '--raw', '-z', '--no-abbrev', '--no-renames',
                '--no-textconv', '--no-ext-diff', '--format=%x00C %H %aI %an', *revisions,
                *(f'--find-object={sha}' for sha in shas), '--']
        process = subprocess.Popen(self.command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=_env())
        errors = _Drain(process.stderr)
        commit = date = author = None
        tokens = _nul_tokens(process.stdout)
        try:
            for token in tokens:
                token = token.lstrip(b'\n')
                if token.startswith(b'C '):
                    header = token[2:].decode('utf-8', 'replace').split(' ', 2)
                    commit, date = header[0], header[1]
                    author = header[2] if len(header) > 2 else ''
                elif token.startswith(b':') and commit is not None:
                    fields = token[1:].split(b' ')
                    path = next(tokens, b'')
                    if len(fields) >= 5:
                        yield Change(commit, date, author, path_text(path), fields[2].decode(),
                                     fields[3].decode(), fields[4].decode()[:1])
        finally:
            process.stdout.close()
            status = process.wait()
            errors.join()
        if status != 0:
            raise GitError(_first_line(errors.text()))


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


def _nul_tokens(stream) -> Iterator[bytes]:
    pending = b''
    for chunk in iter(lambda: stream.read(_READ_CHUNK), b''):
        pending += chunk
        *complete, pending = pending.split(b'\0')
        yield from complete
    if pending:
        yield pending


class BlobStream:
    """rev-list --objects | (blob lines only) | cat-file --batch, read as `Blob`s.

    A thread copies rev-list's blob lines into cat-file (commits are listed too, without a
    path; `?sha` lines name objects missing from a partial clone, counted in `missing`).
    """

    def __init__(self, repository: Repository, revisions: Sequence[str], limit: Optional[int] = None):
        self.repository = repository
        self.revisions = list(revisions)
        self.limit = limit
        self.missing = 0
        self.missing_examples: List[str] = []

    def __iter__(self) -> Iterator[Blob]:
        repo = self.repository
        lister = subprocess.Popen(
            repo.command('rev-list', '--objects', '--filter=object:type=blob', '--missing=print',
                         *self.revisions, '--'),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        reader = subprocess.Popen(
            repo.command('cat-file', '--batch=%(objectname) %(objecttype) %(objectsize) %(rest)'),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
            bufsize=_READ_CHUNK)
        lister_errors, reader_errors = _Drain(lister.stderr), _Drain(reader.stderr)
        feeder = threading.Thread(target=self._feed, args=(lister.stdout, reader.stdin), daemon=True)
        feeder.start()
        completed = False
        try:
            yield from self._read(reader.stdout)
            completed = True
        finally:
            if not completed:
                for process in (lister, reader):
                    if process.poll() is None:
                        process.kill()
            reader.stdout.close()
            feeder.join()
            listed, read = lister.wait(), reader.wait()
            lister_errors.join()
            reader_errors.join()
        if completed and listed != 0:
            raise GitError(_first_line(lister_errors.text()))
        if completed and read != 0:
            raise GitError(_first_line(reader_errors.text()))

    def _feed(self, source, sink) -> None:
        pending = b''
        try:
            for chunk in iter(lambda: source.read(65536), b''):
                pending += chunk
                *lines, pending = pending.split(b'\n')
                blobs = []
                for line in lines:
                    if line.startswith(b'?'):
                        self.missing += 1
                        if len(self.missing_examples) < 5:
                            self.missing_examples.append(line[1:].decode('ascii', 'replace'))
                    elif b' ' in line:
                        blobs.append(line)
                if blobs:
                    sink.write(b'\n'.join(blobs) + b'\n')
            if b' ' in pending:
                sink.write(pending + b'\n')
        except (BrokenPipeError, ValueError, OSError):
            pass                    # the reader stopped early (an error, or the caller left)
        finally:
            try:
                sink.close()
            except OSError:
                pass
            source.close()

    def _read(self, stream) -> Iterator[Blob]:
        limit = self.limit
        readline, read = stream.readline, stream.read
        while True:
            header = readline()
            if not header:
                return
            fields = header.rstrip(b'\n').split(b' ', 3)
            if len(fields) < 3 or fields[1] == b'missing':
                continue            # listed, then gone (a concurrent gc): nothing to read
            sha, size = fields[0].decode(), int(fields[2])
            path = path_text(fields[3]) if len(fields) > 3 else ''
            if limit is not None and size > limit:
                left = size + 1
                while left:
                    left -= len(read(min(left, _READ_CHUNK)) or b'\0' * left)
                yield Blob(sha, path, size, None)
                continue
            data = read(size + 1)[:-1]      # contents, then a newline
            yield Blob(sha, path, size, data)

