"""Which Upstash credentials one blob holds, by the plugin's own predicate.

Every line is judged by `findings.line_credentials`, exactly as `UpstashDetector` judges it
in a scan (context window, legacy passwords next to an Upstash host, Kubernetes-encoded
values in YAML/JSON). Most blobs hold no credential, so they are ruled out first without
any per-line work:

1. bytes: `may_hold_credential` (one `bytes.translate` and a few substring searches, all in C);
2. text: the scanner over the whole blob at once (its matches never span a line break, so
   it finds exactly the union of what it finds line by line);
3. lines: `line_credentials` only on the lines holding what step 2 found.

A blob is scanned once whatever path it sits at; a Kubernetes-encoded value counts only
at YAML/JSON paths, so such findings are marked `manifest_only` and the caller keeps them
only at such paths.
"""
import io
from dataclasses import dataclass
from typing import Iterable
from typing import List
from typing import Sequence
from typing import Set
from typing import Tuple

from .. import scanner
from ..context import may_hold_password
from ..encoded import encoded_credentials
from ..findings import context_window
from ..findings import line_credentials
from ..findings import LineCredential
from ..text_files import decode_bytes
from ..text_files import sniff_wide_encoding

LFS_POINTER_PREFIX = b'version https://git-lfs.github.com/spec/'
LFS_POINTER_MAX_BYTES = 1024        # git-lfs never writes a bigger pointer
BINARY_SNIFF_BYTES = 8000           # git's own "is it binary" window (a NUL in it)
_PLAIN_NAME = 'blob'                # not YAML/JSON: no Kubernetes-encoded values
_MANIFEST_NAME = 'blob.yaml'

# --- step 1: bytes that cannot hold a credential ---

# Literals the scanner's guarded shapes start with (`redis`, `eyJ`, `sig_`).
_GUARDS = tuple(guard.encode('ascii') for guard in scanner._FULL_SCAN_GUARDS)
# Every other shape (Redis and Vector tokens) and every base64-wrapped credential is a run
# of at least 41 of these characters ('=' only pads the end, so a run of '=' is no token).
_RUN_BYTES = bytes(sorted(set(scanner._RUN_CHARS) - {ord('=')}))
_MIN_RUN = 41
_TO_RUN_MARKS = bytes.maketrans(bytes(range(256)), bytes(
    ord('a') if byte in _RUN_BYTES else ord('.') for byte in range(256)))
_RUN = b'a' * _MIN_RUN
_HOSTS = (b'upstash.io', b'kv.vercel-storage.com')


def may_hold_credential(data: bytes) -> bool:
    """False only when no line of `data` (ASCII-compatible text: UTF-8, latin-1) can hold an
    Upstash credential. tests/test_history_blobs.py checks it against the scanner."""
    for guard in _GUARDS:
        if guard in data:
            return True
    if _RUN in data.translate(_TO_RUN_MARKS):
        return True
    return _may_hold_password(data)


def _may_hold_password(data: bytes) -> bool:
    # A legacy 32-hex password counts only under a password key with an Upstash host nearby.
    if b'ass' not in data and b'ASS' not in data:
        return False
    lowered = data.lower()
    return any(host in lowered for host in _HOSTS)


# --- steps 2 and 3 ---

@dataclass(frozen=True)
class BlobCredential:
    credential: LineCredential      # kind, value as the finding carries it, token
    line: int                       # 1-based
    window: Tuple[str, ...]         # the +-5 lines the plugin sees (the verifier's context)
    manifest_only: bool             # a Kubernetes-encoded value: counts at YAML/JSON paths only


@dataclass(frozen=True)
class BlobKind:
    binary: bool = False
    lfs_pointer: bool = False


def classify(data: bytes) -> BlobKind:
    if len(data) <= LFS_POINTER_MAX_BYTES and data.startswith(LFS_POINTER_PREFIX):
        return BlobKind(lfs_pointer=True)
    head = data[:BINARY_SNIFF_BYTES]
    return BlobKind(binary=b'\0' in head and sniff_wide_encoding(head) is None)


def split_lines(text: str) -> List[str]:
    """Lines as the scan reads a file (`text_files.read_lines`): universal newlines."""
    return [line.rstrip('\r\n') for line in io.StringIO(text, newline=None)]


def scan(data: bytes) -> List[BlobCredential]:
    """Every Upstash credential in a blob, with its line (binary blobs are read as latin-1,
    as the plugin reads them: an ASCII token survives in any 8-bit file)."""
    if sniff_wide_encoding(data):
        text = decode_bytes(data)[0]
        if not may_hold_credential(text.encode('utf-8', 'replace')):
            return []
    else:
        if not may_hold_credential(data):
            return []
        text = decode_bytes(data)[0]
    values: Set[str] = {found.value for found in scanner.find_credentials(text)}
    encoded = {run for run, _ in encoded_credentials(text)}
    passwords = _may_hold_password(text.encode('utf-8', 'replace'))
    if not values and not encoded and not passwords:
        return []
    lines = split_lines(text)
    wanted = sorted(values | encoded)
    found: List[BlobCredential] = []
    for index in _candidate_lines(lines, wanted, passwords):
        line = lines[index]
        window = tuple(context_window(lines, index))
        plain = line_credentials(line, _PLAIN_NAME, window)
        for credential in plain:
            found.append(BlobCredential(credential, index + 1, window, False))
        if encoded:
            seen = {(c.found.kind, c.value) for c in plain}
            for credential in line_credentials(line, _MANIFEST_NAME, window):
                if (credential.found.kind, credential.value) not in seen:
                    found.append(BlobCredential(credential, index + 1, window, True))
    return found


def _candidate_lines(lines: Sequence[str], wanted: Iterable[str], passwords: bool) -> List[int]:
    """Indexes of the lines that can give a finding: those holding a value the whole-text
    scan found, and, when an Upstash host is mentioned, those that may hold a password."""
    wanted = list(wanted)
    picked = []
    for index, line in enumerate(lines):
        if any(value in line for value in wanted) or (passwords and may_hold_password(line)):
            picked.append(index)
    return picked

