"""One walk over the history: every file change once, every new blob read once.

`git log --raw -m --no-renames --topo-order --reverse` lists, oldest first (parents before
children), every (commit, path, old blob, new blob) of the revisions; merges are compared
with each parent, root commits add their whole tree. A thread reads that list and sends each
blob it has not seen yet to one `git cat-file --batch`; the caller reads the blobs as they
come (`__iter__`), scans them, and calls `keep(sha)` for those holding a credential. Every
change that touches a kept blob is recorded (`changes`), in walk order: that is where
credentials were added and removed, without a second walk. Nothing is checked out.

Memory: the contents of one blob at a time, plus the set of blobs already read (20 bytes
each) and the changes of blobs still in the pipe or kept.
"""
import subprocess
import threading
from typing import Dict
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence

from .git import Blob
from .git import Change
from .git import GitError
from .git import NULL_SHA
from .git import Repository
from .git import _Drain
from .git import _env
from .git import _first_line
from .git import path_text

_READ_CHUNK = 1 << 20
_GITLINK = b'160000'


class HistoryWalk:
    def __init__(self, repository: Repository, revisions: Sequence[str], limit: Optional[int] = None):
        self.repository = repository
        self.revisions = list(revisions)
        self.limit = limit
        self.commits = 0
        self.missing = 0
        self.gitlinks: List[str] = []        # submodule paths (first 100)
        self.changes: List[Change] = []       # changes of kept blobs, in walk order
        self._lock = threading.Lock()
        self._pending: Dict[bytes, List[tuple]] = {}   # sent to cat-file, not yet judged
        self._kept: Dict[bytes, bool] = {}
        self._sequence = 0
        self._kept_changes: List[tuple] = []
        self._error: Optional[BaseException] = None
        self._paths: Dict[bytes, bytes] = {}     # blob -> first path, while it is in the pipe

    # --- called by the reader of the blobs ---

    def keep(self, sha: str) -> None:
        """This blob holds a credential: record every change that touches it."""
        key = bytes.fromhex(sha)
        with self._lock:
            self._kept[key] = True
            self._kept_changes.extend(self._pending.pop(key, ()))

    def done_with(self, sha: str) -> None:
        """This blob holds nothing: forget its changes."""
        with self._lock:
            self._pending.pop(bytes.fromhex(sha), None)

    def __iter__(self) -> Iterator[Blob]:
        repo = self.repository
        log = subprocess.Popen(
            repo.command('log', '--raw', '-m', '--no-renames', '--no-abbrev', '-z', '--topo-order', '--reverse',
                         '--no-textconv', '--no-ext-diff', '--format=%x00C %H %aI %an', *self.revisions, '--'),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
        reader = subprocess.Popen(
            repo.command('cat-file', '--batch=%(objectname) %(objecttype) %(objectsize)', '--buffer'),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
            bufsize=_READ_CHUNK)
        log_errors, reader_errors = _Drain(log.stderr), _Drain(reader.stderr)
        lister = threading.Thread(target=self._list, args=(log.stdout, reader.stdin), daemon=True)
        lister.start()
        completed = False
        try:
            yield from self._read(reader.stdout)
            completed = True
        finally:
            if not completed:
                for process in (log, reader):
                    if process.poll() is None:
                        process.kill()
            reader.stdout.close()
            lister.join()
            logged, read = log.wait(), reader.wait()
            log_errors.join()
            reader_errors.join()
        if self._error is not None:
            raise self._error
        if completed and logged != 0:
            raise GitError(_first_line(log_errors.text()))
        if completed and read != 0:
            raise GitError(_first_line(reader_errors.text()))
        self._kept_changes.sort(key=lambda item: item[0])
        self.changes = [change for _, change in self._kept_changes]

    # --- the thread that reads git log and feeds cat-file ---

    def _list(self, source, sink) -> None:
        seen = set()
        paths = self._paths
        commit = date = author = ''
        last_commit = None
        pending, kept, lock = self._pending, self._kept, self._lock
        try:
            tokens = _nul_tokens(source)
            for token in tokens:
                if token[:1] == b'\n':
                    token = token.lstrip(b'\n')
                if token[:2] == b'C ':
                    header = token[2:].decode('utf-8', 'replace').split(' ', 2)
                    commit, date = header[0], header[1]
                    author = header[2] if len(header) > 2 else ''
                    if commit != last_commit:       # -m repeats a merge once per parent
                        self.commits += 1
                        last_commit = commit
                    continue
                if token[:1] != b':':
                    continue
                path = next(tokens, b'')
                fields = token[1:].split(b' ')
                if len(fields) < 5:
                    continue
                old, new = bytes.fromhex(fields[2].decode()), bytes.fromhex(fields[3].decode())
                if fields[1] == _GITLINK:           # a submodule: another repository's commit
                    if len(self.gitlinks) < 100 and path_text(path) not in self.gitlinks:
                        self.gitlinks.append(path_text(path))
                    new = NULL
                if fields[0] == _GITLINK:
                    old = NULL
                if old not in kept and old not in pending and new not in kept and new not in pending \
                        and (new == NULL or new in seen):
                    continue                        # the common case: nothing to note, nothing to read
                change = None
                with lock:
                    for side in (old, new):
                        if side == NULL:
                            continue
                        target = self._kept_changes if side in kept else pending.get(side)
                        if target is not None:
                            if change is None:
                                self._sequence += 1
                                change = (self._sequence, Change(commit, date, author, path_text(path),
                                                                 old.hex() if old != NULL else NULL_SHA,
                                                                 new.hex() if new != NULL else NULL_SHA,
                                                                 fields[4].decode()[:1]))
                            if not target or target[-1] is not change:
                                target.append(change)
                    if new != NULL and new not in seen:
                        seen.add(new)
                        self._sequence += 1
                        change = change or (self._sequence, Change(
                            commit, date, author, path_text(path), old.hex() if old != NULL else NULL_SHA,
                            new.hex(), fields[4].decode()[:1]))
                        pending[new] = [change]
                        send = True
                    else:
                        send = False
                if send:
                    paths[new] = path
                    sink.write(new.hex().encode() + b'\n')
        except (BrokenPipeError, ValueError, OSError):
            pass                                    # the reader stopped early
        except BaseException as error:             # noqa: BLE001  (re-raised in the caller)
            self._error = error
        finally:
            try:
                sink.close()
            except OSError:
                pass
            source.close()

    # --- the caller's side: blobs as cat-file returns them ---

    def _read(self, stream) -> Iterator[Blob]:
        limit = self.limit
        readline, read = stream.readline, stream.read
        while True:
            header = readline()
            if not header:
                return
            fields = header.rstrip(b'\n').split(b' ')
            if len(fields) < 3 or fields[-1] == b'missing':
                self.missing += 1               # a partial clone never downloaded it
                continue
            sha, size = fields[0].decode(), int(fields[2])
            path = path_text(self._paths.pop(bytes.fromhex(sha), b''))
            if limit is not None and size > limit:
                left = size + 1
                while left:
                    chunk = read(min(left, _READ_CHUNK))
                    if not chunk:
                        return
                    left -= len(chunk)
                yield Blob(sha, path, size, None)
                continue
            data = read(size + 1)[:-1]          # contents, then a newline
            yield Blob(sha, path, size, data)


NULL = bytes(20)


def _nul_tokens(stream) -> Iterator[bytes]:
    pending = b''
    for chunk in iter(lambda: stream.read(_READ_CHUNK), b''):
        pending += chunk
        *complete, pending = pending.split(b'\0')
        yield from complete
    if pending:
        yield pending
