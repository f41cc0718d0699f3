"""Which Upstash credentials one blob holds, by the plugin's own predicate.

Every line is judged by `findings.line_credentials`, exactly as `UpstashDetector` judges it
in a scan (context window, legacy passwords next to an Upstash host, Kubernetes-encoded
values in YAML/JSON). Most blobs hold no credential, so they are ruled out first without
any per-line work:

1. bytes: `may_hold_credential` (one `bytes.translate` and a few substring searches, all in C);
2. text: `findings.bytes_layer_values` over the whole blob at once (its matches never span
   a line break, so it finds exactly the union of what it finds line by line);
3. lines: `line_credentials` only on the lines holding what step 2 found.

A blob is scanned once whatever path it sits at; a Kubernetes-encoded value counts only
at YAML/JSON paths, so such findings are marked `manifest_only` and the caller keeps them
only at such paths.
"""
from dataclasses import dataclass
from typing import Iterable
from typing import List
from typing import Sequence
from typing import Set
from typing import Tuple

from .. import catalogue
from .. import encoded
from ..context import may_hold_password
from ..context_evidence import CONTEXT_NAME_WORDS
from ..context_evidence import HOST_WORDS
from ..context_evidence import may_stand_in_context
from ..context_evidence import UPSTASH_WORDS
from ..encoded import encoded_credentials
from ..findings import bytes_layer_values
from ..findings import context_window
from ..findings import line_credentials
from ..findings import LineCredential
from ..scanner import literal_openings
from ..text_files import decode_bytes
from ..text_files import sniff_wide_encoding
from ..text_files import split_lines

LFS_POINTER_PREFIX = b'version https://git-lfs.github.com/spec/'
LFS_POINTER_MAX_BYTES = 1024        # git-lfs never writes a bigger pointer
BINARY_SNIFF_BYTES = 8000           # git's own "is it binary" window (a NUL in it)
_PLAIN_NAME = 'blob'                # not YAML/JSON: no Kubernetes-encoded values
_MANIFEST_NAME = 'blob.yaml'

# --- step 1: bytes that cannot hold a credential ---

# Redis and Vector tokens' shape is [Ag] and 40 more of these characters, where
# the character before is none of them: so it starts an island (a maximal run of them) of 41
# or more, or comes right after its first character (after `:-` or a `\n` escape).
_BODY = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-')
_MIN_RUN = 41
_TOKEN_FIRST = frozenset(b'Ag')
# A base64-wrapped credential (encoded.py) is a chunk of at most 800 of these characters,
# the first of a run unless the run is longer than 800, starting with a character encoded.py
# derives from the catalogue's generators (Q, Z or c today).
_BASE64 = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')
_MIN_ENCODED = 40
_ENCODED_FIRST = frozenset(ord(character) for character in encoded._first_characters())
_ENCODED_CHUNK = 800
# The shape the token island above stands for.
_ISLAND_SHAPE = catalogue.BASE64_BLOB
_MIN_GUARD = 3


def _guards() -> Tuple[Tuple[bytes, ...], bool]:
    """Every other catalogue shape's guard literals: the texts one of which begins each of
    its matches (`scanner.literal_openings`: a QStash token's base64 JSON opening, `sig_`,
    `redis://`, a kind added at run time's prefix), and whether every shape has them. A shape
    without 3+ ASCII characters of them sends every blob on to step 2, the scanner itself:
    correct, slower, and tests/test_history_blobs.py says so."""
    guards, known = [], True
    for shape in dict.fromkeys(kind.pattern for kind in catalogue.KINDS if kind.pattern):
        if shape == _ISLAND_SHAPE:
            continue
        openings = literal_openings(shape)
        if min(map(len, openings)) >= _MIN_GUARD and all(text.isascii() for text in openings):
            guards.extend(text.encode('ascii') for text in openings)
        else:
            known = False
    return tuple(dict.fromkeys(guards)), known


_GUARDS, KNOWS_EVERY_SHAPE = _guards()


def _marks(characters) -> bytes:
    return bytes.maketrans(bytes(range(256)), bytes(ord('a') if b in characters else ord('.') for b in range(256)))


_TO_BODY, _TO_BASE64 = _marks(_BODY), _marks(_BASE64)
_HOSTS = tuple(suffix.encode('ascii') for suffix in catalogue.UPSTASH_HOST_SUFFIXES)


def _islands(marks: bytes, minimum: int):
    """(start, end) of each maximal run of 'a' at least `minimum` long."""
    run = b'a' * minimum
    at = marks.find(run)
    while at >= 0:
        end = marks.find(b'.', at)
        end = len(marks) if end < 0 else end
        yield at, end
        at = marks.find(run, end)


@dataclass(frozen=True)
class Leads:
    """What in a blob may be a credential, and so which searches step 2 needs."""
    scanner: bool = False               # a guard literal or a token-shaped island
    encoded: Tuple[bytes, ...] = ()     # base64 runs that may wrap a credential
    passwords: bool = False             # a password key may sit near an Upstash host
    context: bool = False               # an Upstash word: a value may stand in context

    def __bool__(self) -> bool:
        return self.scanner or bool(self.encoded) or self.passwords or self.context


def leads(data: bytes) -> Leads:
    """Empty only when no line of `data` (ASCII-compatible text: UTF-8, latin-1) can hold an
    Upstash credential. tests/test_history_blobs.py checks it against the plugin's reading."""
    scanner_lead = not KNOWS_EVERY_SHAPE or any(guard in data for guard in _GUARDS)
    if not scanner_lead:
        for start, end in _islands(data.translate(_TO_BODY), _MIN_RUN):
            if data[start] in _TOKEN_FIRST or (end - start > _MIN_RUN and data[start + 1] in _TOKEN_FIRST):
                scanner_lead = True
                break
    encoded = tuple(data[start:min(end + 2, len(data))]
                    for start, end in _islands(data.translate(_TO_BASE64), _MIN_ENCODED)
                    if data[start] in _ENCODED_FIRST or end - start > _ENCODED_CHUNK)
    return Leads(scanner_lead, encoded, _may_hold_password(data), _may_stand_in_context(data))


# The context layer (`context_evidence`) reports a value only under a name holding one of
# these words (or a kind's own name: `currentSigningKey`), or beside an Upstash host (which holds 'upstash' or 'vercel-storage'); a
# Management API key (`management_key`) only where 'upstash' is written in its +-5 lines, on
# a line `may_stand_in_context` lets through as well.
# (lower case, as the context rules compare them; bytes.lower() folds ASCII only, as a
# case-insensitive bytes regex does, and a few substring searches over the lowered blob are
# about 6x faster than one (?i) alternation: 0.19 s against 1.18 s on 19 MB)
_CONTEXT_WORDS = tuple(word.lower().encode('ascii')
                       for word in dict.fromkeys(UPSTASH_WORDS + HOST_WORDS + CONTEXT_NAME_WORDS))


def _may_stand_in_context(data: bytes) -> bool:
    lowered = data.lower()
    for word in _CONTEXT_WORDS:
        if word in lowered:
            return True
    return False


def may_hold_credential(data: bytes) -> bool:
    return bool(leads(data))


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




def scan(data: bytes) -> List[BlobCredential]:
    """Every Upstash credential in a blob, with its line (binary blobs are read as latin-1,
    as the plugin reads them: an ASCII token survives in any 8-bit file)."""
    if sniff_wide_encoding(data):
        text = decode_bytes(data)[0]
        found_leads = leads(text.encode('utf-8', 'replace'))
    else:
        found_leads = leads(data)
        text = decode_bytes(data)[0] if found_leads else ''
    if not found_leads:
        return []
    values: Set[str] = set(bytes_layer_values(text)) if found_leads.scanner else set()
    # base64 runs are ASCII: searched on their own, padded to encoded.py's minimum line length
    encoded = {run for chunk in found_leads.encoded
               for run, _ in encoded_credentials(chunk.decode('ascii', 'replace') + ' ' * 44)}
    passwords = found_leads.passwords
    in_context = found_leads.context
    if not values and not encoded and not passwords and not in_context:
        return []
    lines = split_lines(text)
    wanted = sorted(values | encoded)
    found: List[BlobCredential] = []
    for index in _candidate_lines(lines, wanted, passwords, in_context):
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


def _candidate_lines(lines: Sequence[str], wanted: Iterable[str], passwords: bool,
                     in_context: bool = False) -> List[int]:
    """Indexes of the lines that can give a finding: those holding a value the whole-text
    scan found, and, when an Upstash host is mentioned, those that may hold a password;
    when an Upstash word is in the blob, those where a value may stand in context."""
    wanted = list(wanted)
    picked = []
    for index, line in enumerate(lines):
        if (any(value in line for value in wanted) or (passwords and may_hold_password(line))
                or (in_context and may_stand_in_context(line))):
            picked.append(index)
    return picked

