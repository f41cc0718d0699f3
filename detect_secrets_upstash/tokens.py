"""Byte layouts of Upstash credentials: decoders (for scanning and verifying) and
encoders (for generating test credentials that belong to no account).

Upstash does not document these layouts; they were observed on public samples
(see ../shared/docs/upstash-credentials.md). Every decoder is therefore tolerant:
it returns ``None`` for anything that does not fit and never raises.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
import re
from typing import Optional
from typing import Tuple
from urllib.parse import unquote

from . import lazy_re
from .placeholders import payload_is_placeholder

READ_WRITE = 'read-write'
READ_ONLY = 'read-only'
SCOPE_UNKNOWN = 'unknown'     # a context finding whose name does not say
ACCOUNT = 'account'           # the whole account (the Management API key)
UNRECOGNISED = 'unrecognised'  # layout of a frame or context finding

_UUID = lazy_re.compile(rb'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z', re.I)
_HEX32 = lazy_re.compile(rb'[0-9a-f]{32}\Z', re.I)
_HEX_SECRET = lazy_re.compile(r'[0-9a-fA-F]{16,128}\Z')
_ENDPOINT = lazy_re.compile(rb'[a-z0-9][a-z0-9-]{2,62}\Z')
BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
_BASE58 = frozenset(BASE58_ALPHABET)
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}
_BASE58_TWICE = BASE58_ALPHABET * 2


def __getattr__(name):
    # The decoded-token records live in `decoded_tokens`, imported on the first decode:
    # creating three frozen dataclasses was ~2% of the pre-commit hook's start-up.
    if name in ('RedisToken', 'VectorToken', 'QStashToken'):
        from . import decoded_tokens
        return getattr(decoded_tokens, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def b64decode_tolerant(text: str) -> Optional[bytes]:
    """Decode standard or URL-safe base64, padded or not; ``None`` if it is not base64."""
    text = text.rstrip('=')
    if not text or len(text) % 4 == 1:
        return None
    padded = text + '=' * (-len(text) % 4)
    try:
        if '-' in text or '_' in text:
            return base64.urlsafe_b64decode(padded.encode('ascii'))
        return base64.b64decode(padded.encode('ascii'), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None


def _looks_random(data: bytes, minimum_distinct: int) -> bool:
    # Placeholders built with a valid layout ('0000...', 'aaaa...') have few distinct symbols.
    return len(set(data)) >= minimum_distinct


def _is_hex_secret(secret: bytes) -> bool:
    # 32 hex characters have at most 16 distinct symbols; random ones show 11-16 (8 or
    # fewer happens about once in 10**9 random secrets, '0000...' placeholders always).
    return bool(_HEX32.match(secret)) and _looks_random(secret, 8)


def _redis_head(raw: bytes):
    """(read_only, database id, rest, wide) of a Redis token's head, or None."""
    flag = raw[0]
    if flag in (1, 2):
        return flag == 2, int.from_bytes(raw[1:3], 'big'), raw[3:], False
    if flag in (0x81, 0x82):
        return flag == 0x82, int.from_bytes(raw[1:9], 'big'), raw[9:], True
    return None


def decode_redis_token(text: str) -> Optional['RedisToken']:
    """Every layout seen in public code (docs/detection.md); None for anything else."""
    from .decoded_tokens import RedisToken
    if '%' in text:
        text = unquote(text)        # a token written as a URL password: `%3D` for `=`
    raw = b64decode_tolerant(text)
    if raw is None or len(raw) < 20:
        return None
    head = _redis_head(raw)
    if head is None:
        return None
    read_only, database_id, rest, wide = head

    if rest[:2] == b'\x00\x02':
        # 00 02 | LEN | 'p' digit | payload (LEN bytes)
        length = rest[2]
        if rest[3:4] != b'p' or not rest[4:5].isdigit():
            return None
        payload = rest[5:]
        if len(payload) != length:
            return None
        layout = 'id64' if wide else 'current'
        if read_only:
            if length < 16 or not _looks_random(payload, length // 2):
                return None
            return RedisToken(True, database_id, layout)
        # 32 hex chars, then (usually) 'p<digit><number>': the database id, or `p10`.
        # Databases with 64-bit ids (and a few others) have no tail at all (LEN 0x20).
        secret, tail = payload[:32], payload[32:]
        if not _is_hex_secret(secret):
            return None
        if not tail:
            return RedisToken(False, database_id, layout + '-untailed')
        if tail[:1] != b'p' or not tail[1:].isdigit() or len(tail) < 3:
            return None
        if tail == b'p10':          # seen often: a tail that is not the database id
            return RedisToken(False, database_id, layout + '-p10', 0)
        return RedisToken(False, database_id, layout, int(tail[2:]))

    if rest[:3] in (b'\x01\x24\x20', b'\x00\x24\x20'):
        # legacy: 01 24 20 (older tokens: 00 24 20) | uuid (36 chars) | 32-byte secret:
        # random bytes, or (most read-write tokens) 32 ASCII hex characters.
        uuid, tail = rest[3:39], rest[39:]
        if not _UUID.match(uuid):
            return None
        layout = 'legacy' if rest[0] == 1 else 'legacy-00'
        if read_only and tail == b'ro' and _looks_random(uuid, 10):
            # seen once: a read-only token that is its read-write twin's uuid + 'ro'
            return RedisToken(True, database_id, 'legacy-ro')
        if len(tail) != 32:
            return None
        if _is_hex_secret(tail):
            return RedisToken(read_only, database_id, layout + '-hex')
        if not _looks_random(tail, 16):
            return None
        return RedisToken(read_only, database_id, layout)
    return None


def decode_vector_token(text: str) -> Optional['VectorToken']:
    from .decoded_tokens import VectorToken
    raw = b64decode_tolerant(text)
    if raw is None or len(raw) < 8 or raw[0] != 0 or raw[3:4] != b'0':
        return None
    endpoint_length, user_length = raw[1], raw[2]
    endpoint = raw[4:4 + endpoint_length]
    user = raw[4 + endpoint_length:4 + endpoint_length + user_length]
    secret = raw[4 + endpoint_length + user_length:]
    if len(endpoint) != endpoint_length or not _ENDPOINT.match(endpoint):
        return None
    if user not in (b'admin', b'readonly'):
        return None
    inner = b64decode_tolerant(secret.decode('ascii', 'replace'))
    if inner is None or not _UUID.match(inner) or not _looks_random(inner, 8):
        return None
    return VectorToken(user == b'readonly', endpoint.decode('ascii'))


def _qstash_fields(text: str) -> Optional[Tuple[str, str]]:
    """(UserID, Password) of base64 QStash token JSON when both are strings; else None."""
    raw = b64decode_tolerant(text)
    if raw is None:
        return None
    try:
        document = json.loads(raw.decode('utf-8'))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(document, dict):
        return None
    user_id, password = document.get('UserID'), document.get('Password')
    if not isinstance(user_id, str) or not isinstance(password, str):
        return None
    return user_id, password


def decode_qstash_token(text: str) -> Optional['QStashToken']:
    from .decoded_tokens import QStashToken
    fields = _qstash_fields(text)
    if fields is None or not fields[0]:
        return None
    user_id, password = fields
    # Observed: 32 hex characters. Accept any hex length that could be a secret, so that
    # placeholders ('your-password', 'xxxx') are refused but a layout change is not.
    if not _HEX_SECRET.match(password) or not _looks_random(password.encode(), 8):
        return None
    return QStashToken(user_id)


# --- frames: a kind's known frame around a payload no layout above explains ---
#
# Upstash will ship layouts nobody has seen yet. A value whose head is a kind's frame
# (flag byte and id, then a known marker) is still that kind's credential: the decoders
# above refuse it, the frames below report it with layout "unrecognised". A frame whose
# payload is shorter than its own length byte says is a value cut short, never reported.

TRUNCATED = 'truncated'


def redis_frame(text: str):
    """(read_only, database id) of a Redis token frame around an unknown payload,
    TRUNCATED for a frame cut short, or None (no frame, or a placeholder inside one)."""
    if '%' in text:
        text = unquote(text)
    text = text.rstrip('=')
    # a value cut anywhere: decode what can be decoded
    raw = b64decode_tolerant(text[:len(text) - 1] if len(text) % 4 == 1 else text)
    if raw is None or len(raw) < 24:
        return None
    head = _redis_head(raw)
    if head is None:
        return None
    read_only, database_id, rest, _ = head
    hex_secret = False
    if rest[:2] == b'\x00\x02' and rest[3:4] == b'p' and rest[4:5].isdigit():
        payload = rest[5:]
        # 32 random hex characters show as few as 8 distinct symbols (see `_is_hex_secret`):
        # the 12-distinct test below, meant for raw bytes, would drop about 1 in 25 of them
        hex_secret = len(payload) >= 32 and _is_hex_secret(payload[:32])
        if len(payload) < rest[2]:
            # shorter than its length byte says: cut short. Cut in the tail only (`p<d><id>`,
            # which the host name repeats), it still holds the whole 32-byte secret and opens
            # the database: reported. Cut inside the secret (docs' shortened examples), not.
            if len(payload) < 32 or not (hex_secret or _looks_random(payload[:32], 12)):
                return TRUNCATED
    elif rest[:2] in (b'\x01\x24', b'\x00\x24') and _UUID.match(rest[3:39]):
        # the legacy frame: marker, 0x24 (the uuid's length), then a byte that was 0x20 in
        # the decoded layouts; real tokens hold other values there (0x23 before 28 hex)
        payload = rest[39:]
        if len(payload) < 2:
            return TRUNCATED
        payload = rest[3:]
    else:
        return None
    if len(payload) < 16 or not (hex_secret or _looks_random(payload, 12)) or payload_is_placeholder(payload):
        return None
    return read_only, database_id


def vector_frame(text: str):
    """(read_only or None, endpoint) of a Vector/Search frame (endpoint and user) around
    an unknown secret or user; None otherwise."""
    raw = b64decode_tolerant(text)
    if raw is None or len(raw) < 24 or raw[0] != 0 or raw[3:4] != b'0':
        return None
    endpoint = raw[4:4 + raw[1]]
    user = raw[4 + raw[1]:4 + raw[1] + raw[2]]
    secret = raw[4 + raw[1] + raw[2]:]
    if len(endpoint) != raw[1] or not _ENDPOINT.match(endpoint) or not re.fullmatch(rb'[a-z_-]{3,16}', user):
        return None
    if len(secret) < 16 or not _looks_random(secret, 12) or payload_is_placeholder(secret):
        return None
    read_only = {b'admin': False, b'readonly': True}.get(user)
    return read_only, endpoint.decode('ascii')


def qstash_frame(text: str) -> bool:
    """A QStash token's JSON (UserID and Password) around a password of another shape."""
    fields = _qstash_fields(text)
    if fields is None:
        return False
    user_id, password = fields
    return (len(password) >= 16 and len(set(password)) >= 10 and not _spells_words(password)
            and not payload_is_placeholder(password.encode('utf-8', 'replace'))
            and user_id != 'defaultUser')


# Words that placeholders spell in CamelCase (`sig_YourCurrentSigningKeyHere1234`); base58
# has no 0/O/I/l, so such a placeholder passes the alphabet and variety checks.
_PLACEHOLDER_WORDS = lazy_re.compile(
    'placeholder|signing|current|example|replace|secret|sample|change|insert|upstash|qstash|'
    'enter|dummy|paste|value|your|here|sign|next|goes|fake|test|with|this|key|the|new|old|put',
    re.IGNORECASE,
)


def _spells_words(body: str) -> bool:
    # Two or more of these words: never seen in 300,000 random keys (one alone is common
    # enough: 'key' or 'the' turn up in about 1 key in 500).
    words = _PLACEHOLDER_WORDS.findall(body)
    return len(words) >= 2 and sum(map(len, words)) * 3 >= len(body)


def is_signing_key(text: str) -> bool:
    """`sig_` + base58 with the variety of a random string: 28 characters now, about 50 in
    older keys still found in public code."""
    body = text[4:]
    return (
        text.startswith('sig_')
        and 24 <= len(body) <= 64
        and _BASE58.issuperset(body)
        # 28 random base58 characters hold 22 distinct on average and fewer than 11 about
        # once in 10**11; placeholders (`sig_xxxx...`, `sig_abcabc...`) hold a few
        and len(set(body)) >= 11
        and body not in _BASE58_TWICE      # 'sig_123456789ABC...' is a placeholder
        and not _spells_words(body)        # 'sig_YourCurrentSigningKeyHere1234' is one too
        and not _has_alphabet_run(body)    # 'sig_abcdefghijkmnop...' (keyboard order) too
    )


def _has_alphabet_run(body: str, length: int = 8) -> bool:
    """A run of `length` characters each following the last in ASCII or base58 order: in a
    random base58 string that happens about once in 58**7 positions."""
    run = 1
    for previous, current in zip(body, body[1:]):
        follows = ord(current) == ord(previous) + 1 or (
            previous in _BASE58_INDEX and _BASE58_INDEX[previous] + 1 == _BASE58_INDEX.get(current))
        run = run + 1 if follows else 1
        if run >= length:
            return True
    return False


def is_legacy_redis_password(text: str) -> bool:
    """Legacy `redis://` URLs on Upstash hosts used a 32-hex password."""
    if len(text) != 32:
        return False
    return bool(_HEX32.match(text.encode('ascii', 'replace'))) and _looks_random(text.encode(), 8)


# UUIDs printed in RFC 4122, documentation and tutorials: example values, never keys.
_EXAMPLE_UUIDS = frozenset({
    '123e4567-e89b-12d3-a456-426614174000', '123e4567-e89b-12d3-a456-426655440000',
    '550e8400-e29b-41d4-a716-446655440000', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
    '6ba7b810-9dad-11d1-80b4-00c04fd430c8', '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
})


def is_management_api_key(text: str) -> bool:
    """The textual form of a Management (Developer) API key: a UUID (every one seen in
    public code was version 4, but the version is not required: a key of another version
    must not be lost), with the variety of a random one. The nil UUID, `ffffffff-...`,
    `12345678-1234-...`, `aaaaaaaa-bbbb-...` and the UUIDs that documentation prints are
    placeholders. Whether a UUID is a key at all only its context says (`management_key`)."""
    if len(text) != 36 or not _UUID.match(text.encode('ascii', 'replace')):
        return False
    lowered = text.lower()
    body = lowered.replace('-', '')
    return (len(set(body)) >= 8 and lowered not in _EXAMPLE_UUIDS
            and not _has_alphabet_run(body, 7) and not _has_alphabet_run(body[::-1], 7))


def redact(token: str) -> str:
    """At most the first 4 and last 4 characters (`redaction.mask`, kept here by its old name)."""
    from .redaction import mask
    return mask(token)


# --- encoders: generate credentials that belong to no account (tests, docs, samples) ---

def _b64url(raw: bytes, pad: bool = False) -> str:
    text = base64.urlsafe_b64encode(raw).decode('ascii')
    return text if pad else text.rstrip('=')


def _random_hex(n: int) -> str:
    return os.urandom(n // 2 + 1).hex()[:n]


def _random_uuid() -> str:
    h = _random_hex(32)
    return f'{h[:8]}-{h[8:12]}-4{h[13:16]}-{"89ab"[os.urandom(1)[0] % 4]}{h[17:20]}-{h[20:]}'


def generate_management_api_key() -> str:
    """A Management API key's form (a version 4 UUID) that belongs to no account."""
    return _random_uuid()


REDIS_LAYOUTS = ('current', 'current-untailed', 'current-p10', 'id64', 'id64-untailed',
                 'legacy', 'legacy-hex', 'legacy-00', 'legacy-00-hex', 'legacy-ro')


def generate_redis_token(database_id: Optional[int] = None, read_only: bool = False,
                         layout: str = 'current', tail_number: Optional[int] = None) -> str:
    """A Redis token of one of the `REDIS_LAYOUTS` seen in public code. `tail_number`
    (read-write, tailed layouts) writes another number than the id in the `p<d><n>` tail."""
    if layout not in REDIS_LAYOUTS:
        raise ValueError(f'unknown Redis token layout {layout!r}')
    wide = layout.startswith('id64')
    if database_id is None:
        database_id = int.from_bytes(os.urandom(4 if wide else 2), 'big') or 1
    flag = 2 if read_only else 1
    if layout.startswith('legacy'):
        marker = b'\x00\x24\x20' if layout.startswith('legacy-00') else b'\x01\x24\x20'
        head = bytes([flag]) + database_id.to_bytes(2, 'big') + marker + _random_uuid().encode()
        if layout == 'legacy-ro':
            if not read_only:
                raise ValueError("layout 'legacy-ro' is read-only")
            return _b64url(head + b'ro')
        secret = _random_hex(32).encode() if layout.endswith('-hex') else os.urandom(32)
        return _b64url(head + secret, pad=True)
    if wide:
        head = bytes([0x80 | flag]) + database_id.to_bytes(8, 'big')
    else:
        head = bytes([flag]) + database_id.to_bytes(2, 'big')
    digit = b'12'[os.urandom(1)[0] % 2:][:1]
    if read_only:
        payload = os.urandom(32)
    elif layout.endswith('-untailed'):
        payload = _random_hex(32).encode()
    elif layout == 'current-p10':
        payload = f'{_random_hex(32)}p10'.encode()
    else:
        number = database_id if tail_number is None else tail_number
        payload = f'{_random_hex(32)}p{digit.decode()}{number}'.encode()
    return _b64url(head + b'\x00\x02' + bytes([len(payload)]) + b'p' + digit + payload)


def generate_vector_token(endpoint: str, read_only: bool = False) -> str:
    user = b'readonly' if read_only else b'admin'
    secret = base64.b64encode(_random_uuid().encode())
    raw = bytes([0, len(endpoint), len(user)]) + b'0' + endpoint.encode() + user + secret
    return base64.b64encode(raw).decode('ascii')


def generate_qstash_token() -> str:
    document = {'UserID': _random_uuid(), 'Password': _random_hex(32)}
    return base64.b64encode(json.dumps(document, separators=(',', ':')).encode()).decode()


def generate_signing_key(length: int = 28) -> str:
    alphabet = BASE58_ALPHABET
    while True:
        body = ''.join(alphabet[b % len(alphabet)] for b in os.urandom(length))
        if is_signing_key('sig_' + body):
            return 'sig_' + body


def generate_legacy_redis_password() -> str:
    return _random_hex(32)


_ADJECTIVES = ('brave', 'quiet', 'eager', 'fine', 'clear', 'smooth', 'noble', 'witty')
_ANIMALS = ('otter', 'walrus', 'lynx', 'mole', 'heron', 'mayfly', 'gecko', 'bison')


def generate_host_name(database_id: Optional[int] = None) -> str:
    """`<adjective>-<animal>-<id>`, the first label of an Upstash Redis host."""
    if database_id is None:
        database_id = int.from_bytes(os.urandom(2), 'big') or 1
    pick = os.urandom(2)
    return f'{_ADJECTIVES[pick[0] % len(_ADJECTIVES)]}-{_ANIMALS[pick[1] % len(_ANIMALS)]}-{database_id}'


def generate_endpoint() -> str:
    """A Vector / Search endpoint name: `<adjective>-<animal>-<id>-<region>`."""
    return generate_host_name() + '-us1'


def generate_legacy_redis_url() -> str:
    """`redis://default:<32 hex>@us1-<name>.upstash.io:<port>` as legacy databases had."""
    database_id = int.from_bytes(os.urandom(2), 'big') or 1
    return (f'redis://default:{generate_legacy_redis_password()}'
            f'@us1-{generate_host_name(database_id)}.upstash.io:{database_id}')

