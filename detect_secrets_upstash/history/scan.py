"""One history scan: every blob once, then where each credential found came and went.

1. `Repository.blobs` streams each blob reachable from the revisions; `blobs.scan` finds
   the credentials in it. Blobs that cannot be read as sources (over the size cap, Git LFS
   pointers) are counted and named in `Skipped`, never dropped silently.
2. For the few blobs holding a credential, `Repository.changes` (`git log --find-object`)
   lists the commits where a blob entered or left a path. Per credential, the first commit
   (parents before children) that added it is the one that introduced it.
3. HEAD's tree says whether the credential is still there.
"""
import hashlib
import time
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from ..catalogue import Kind
from ..encoded import is_manifest
from ..scanner import Found
from . import blobs as blob_scan
from .git import Change
from .git import NULL_SHA
from .git import Repository
from .walk import HistoryWalk

# Default size cap: the plugin reads a file whole up to this (plugins.guards).
DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024
EXAMPLES = 20       # skipped blobs named in the report, per reason


@dataclass(frozen=True)
class Options:
    revisions: Tuple[str, ...] = ()       # git revision arguments; () means all refs
    all_refs: bool = False
    include_stash: bool = False
    max_blob_bytes: int = DEFAULT_MAX_BLOB_BYTES


def hashed_secret(value: str) -> str:
    """detect-secrets' `PotentialSecret.hash_secret` (SHA-1 of the UTF-8 value), so a credential
    links to its baseline entries. Not imported from detect-secrets: loading it costs a third of a
    second, more than scanning a thousand commits; tests/test_history_blobs.py pins the two together."""
    return hashlib.sha1(value.encode('utf-8')).hexdigest()


@dataclass(frozen=True)
class Occurrence:
    commit: str
    author_date: str
    author: str
    path: str
    line: int
    change: str             # 'added' | 'removed'

    def as_dict(self) -> dict:
        return {'commit': self.commit, 'author_date': self.author_date, 'author': self.author,
                'path': self.path, 'line': self.line, 'change': self.change}


@dataclass
class Credential:
    kind: Kind
    value: str              # as the finding carries it (hashed like a baseline entry)
    token: str              # what a server knows (differs for a Kubernetes-encoded value)
    found: Found
    window: Tuple[str, ...]                 # lines around its first sighting (verification)
    blob_lines: Dict[str, int] = field(default_factory=dict)   # blob sha -> first line
    manifest_only: bool = True
    occurrences: List[Occurrence] = field(default_factory=list)
    head_paths: List[str] = field(default_factory=list)
    verification: Optional[dict] = None

    @property
    def hashed_secret(self) -> str:
        return hashed_secret(self.value)

    @property
    def scope(self) -> str:
        return self.found.decoded.scope

    @property
    def introduced(self) -> Optional[Occurrence]:
        return next((o for o in self.occurrences if o.change == 'added'), None)

    @property
    def added(self) -> List[Occurrence]:
        return [o for o in self.occurrences if o.change == 'added']

    @property
    def removed(self) -> List[Occurrence]:
        return [o for o in self.occurrences if o.change == 'removed']


@dataclass
class Skipped:
    oversized: int = 0
    oversized_examples: List[dict] = field(default_factory=list)
    lfs_pointers: int = 0
    lfs_examples: List[str] = field(default_factory=list)
    submodules: List[str] = field(default_factory=list)
    missing: int = 0


@dataclass
class Stats:
    commits: int = 0
    blobs: int = 0
    bytes: int = 0
    binary_blobs: int = 0
    seconds: float = 0.0


@dataclass
class History:
    repository: str
    revisions: Tuple[str, ...]
    head: Optional[str]
    shallow: bool
    credentials: List[Credential]
    skipped: Skipped
    stats: Stats
    max_blob_bytes: int
    present_before: int = 0     # credentials in the range's blobs that no scanned commit added

    def notes(self) -> List[str]:
        """What was not scanned, or is only part of the story, in sentences."""
        notes = []
        s = self.skipped
        if self.shallow:
            notes.append('shallow clone: commits before the shallow boundary are not in this '
                         'repository, so the history scanned is partial (run `git fetch --unshallow` '
                         'to scan all of it)')
        if s.oversized:
            notes.append(f'{s.oversized} blob(s) over the size cap of {self.max_blob_bytes} bytes '
                         'were not scanned (raise it with --max-blob-size)')
        if s.lfs_pointers:
            notes.append(f'{s.lfs_pointers} Git LFS pointer(s) skipped: the files they stand for '
                         'live on the LFS server, not in git, and were not scanned')
        if s.submodules:
            notes.append(f'{len(s.submodules)} submodule path(s) skipped (a gitlink names a commit '
                         'of another repository): scan those repositories separately: '
                         + ', '.join(s.submodules[:EXAMPLES]))
        if s.missing:
            notes.append(f'{s.missing} object(s) are missing from this clone (a partial clone?) '
                         'and were not scanned')
        if self.present_before:
            notes.append(f'{self.present_before} credential(s) were already in files before the range '
                         '(commits in it only changed those files) and are not reported here; scan '
                         'without a range to see them')
        if self.stats.binary_blobs:
            notes.append(f'{self.stats.binary_blobs} binary blob(s) were scanned as bytes '
                         '(an ASCII token survives in any 8-bit file)')
        return notes


def default_revisions(repository: Repository, options: Options) -> Tuple[str, ...]:
    revisions = list(options.revisions)
    if options.all_refs or not revisions:
        # every ref; the stash only when asked (it holds work never committed)
        revisions += ['--exclude=refs/stash', '--all']
    if options.include_stash:
        revisions += repository.stash_commits()
    return tuple(revisions)


def scan_history(path: str, options: Options = Options(),
                 progress: Optional[Callable[[Stats, int], None]] = None) -> History:
    """:raises GitError: not a repository, an unknown revision, git failing."""
    started = time.perf_counter()
    repository = Repository(path)
    repository.check_revisions(options.revisions)
    revisions = default_revisions(repository, options)
    stats, skipped = Stats(), Skipped()
    credentials: Dict[Tuple[str, str], Credential] = {}
    by_blob: Dict[str, List[Tuple[Credential, bool]]] = {}

    walk = HistoryWalk(repository, revisions, options.max_blob_bytes)
    for blob in walk:
        stats.blobs += 1
        hits = _scan_blob(blob, stats, skipped)
        for hit in hits:
            _record(credentials, by_blob, blob.sha, hit)
        if hits:
            walk.keep(blob.sha)
        else:
            walk.done_with(blob.sha)
        if progress is not None:
            progress(stats, len(credentials))
    skipped.missing = walk.missing
    skipped.submodules = walk.gitlinks
    stats.commits = walk.commits
    if by_blob:
        changes = walk.changes
        _scan_previous_versions(repository, changes, credentials, by_blob)
        for change in changes:
            _apply(change, by_blob)
        head = repository.head()
        if head:
            for sha, paths in repository.blobs_at(head, by_blob).items():
                for credential, manifest_only in by_blob.get(sha, ()):
                    for tree_path in paths:
                        if (not manifest_only or is_manifest(tree_path)) and tree_path not in credential.head_paths:
                            credential.head_paths.append(tree_path)
    else:
        head = repository.head()
    # A credential no scanned commit added was there before the range (a commit in the
    # range only touched its file): not this range's finding.
    earlier = [c for c in credentials.values() if c.introduced is None]
    ordered = sorted((c for c in credentials.values() if c.introduced is not None), key=_order_key)
    stats.seconds = time.perf_counter() - started
    return History(path, revisions, head, repository.is_shallow(), ordered, skipped, stats,
                   options.max_blob_bytes, len(earlier))


def _scan_blob(blob, stats: Stats, skipped: Skipped) -> List['blob_scan.BlobCredential']:
    if blob.data is None:
        skipped.oversized += 1
        if len(skipped.oversized_examples) < EXAMPLES:
            skipped.oversized_examples.append({'blob': blob.sha, 'path': blob.path, 'size': blob.size})
        return []
    stats.bytes += blob.size
    nature = blob_scan.classify(blob.data)
    if nature.lfs_pointer:
        skipped.lfs_pointers += 1
        if len(skipped.lfs_examples) < EXAMPLES:
            skipped.lfs_examples.append(blob.path)
        return []
    if nature.binary:
        stats.binary_blobs += 1
    return blob_scan.scan(blob.data)


def _scan_previous_versions(repository: Repository, changes: List[Change], credentials, by_blob) -> None:
    """A range's first change to a file compares it with a version from before the range,
    which the range's blobs do not include: read those few, so that a credential the file
    already held counts as kept, not as added."""
    unseen = {change.old_sha for change in changes
              if change.old_sha != NULL_SHA and change.old_sha not in by_blob}
    for sha, data in repository.read_blobs(sorted(unseen)):
        for hit in blob_scan.scan(data):
            key = (hit.credential.found.kind.secret_type, hit.credential.value)
            if key in credentials:
                _record(credentials, by_blob, sha, hit)


def _record(credentials, by_blob, sha: str, hit: 'blob_scan.BlobCredential') -> None:
    found = hit.credential.found
    key = (found.kind.secret_type, hit.credential.value)
    credential = credentials.get(key)
    if credential is None:
        credential = credentials[key] = Credential(found.kind, hit.credential.value, hit.credential.token,
                                                   found, hit.window)
    if sha not in credential.blob_lines:
        credential.blob_lines[sha] = hit.line
        by_blob.setdefault(sha, []).append((credential, hit.manifest_only))
    if not hit.manifest_only:
        credential.manifest_only = False


def _apply(change: Change, by_blob) -> None:
    """One file pair of a commit: the credentials of the new blob and not the old one were
    added there, those of the old and not the new removed (a merge is seen once per parent;
    the first sighting counts)."""
    manifest = is_manifest(change.path)
    before = {id(c): c for c, only in by_blob.get(change.old_sha, ()) if manifest or not only}
    after = {id(c): c for c, only in by_blob.get(change.new_sha, ()) if manifest or not only}
    for key, credential in after.items():
        if key not in before:
            _add(credential, Occurrence(change.commit, change.author_date, change.author, change.path,
                                        credential.blob_lines[change.new_sha], 'added'))
    for key, credential in before.items():
        if key not in after:
            _add(credential, Occurrence(change.commit, change.author_date, change.author, change.path,
                                        credential.blob_lines[change.old_sha], 'removed'))


def _add(credential: Credential, occurrence: Occurrence) -> None:
    for known in credential.occurrences:
        if (known.commit, known.path, known.change) == (occurrence.commit, occurrence.path, occurrence.change):
            return
    credential.occurrences.append(occurrence)


def _order_key(credential: Credential):
    # by when they were introduced (their first sighting's rank in the log), then by kind
    return (credential.introduced.author_date, credential.kind.id, credential.hashed_secret)


def verify(history: History, options=None) -> None:
    """Ask Upstash whether each credential is live (the verifier's own safety rules: HTTPS to
    Upstash hosts only, or hosts the user allowed in `options`, a `verify.Options`; nothing
    is written; no redirects)."""
    from ..verify import Options as VerifyOptions
    from ..verify import verify_credentials
    from ..verify.inputs import credential_from

    options = options or VerifyOptions()
    policy = options.policy
    inputs = []
    for credential in history.credentials:
        # `found` is the credential inside a Kubernetes-encoded value, and `token` what
        # a server knows (`findings.line_credentials` read both off the line).
        where = credential.introduced
        location = f'{where.path}:{where.line}' if where else None
        inputs.append(credential_from(credential.found, list(credential.window), policy, location,
                                      token=credential.token))
    results = verify_credentials(inputs, options)
    for credential, result in zip(history.credentials, results):
        credential.verification = {'status': result.status, 'scope': result.scope,
                                   'scope_source': result.scope_source, 'host': result.host,
                                   'detail': result.detail}
