"""Byte layouts of Upstash credentials: decoders (for scanning and verifying) and
encoders (for generating test credentials that belong to no account).

Upstash does not document these layouts; they were observed on public samples
(see ../shared/docs/upstash-credentials.md). Every decoder is therefore tolerant:
it returns ``None`` for anything that does not fit and never raises.
"""
import base64
import binascii
import json
import os
import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote

READ_WRITE = 'read-write'
READ_ONLY = 'read-only'

_UUID = re.compile(rb'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z', re.I)
_HEX32 = re.compile(rb'[0-9a-f]{32}\Z', re.I)
_HEX_SECRET = re.compile(r'[0-9a-fA-F]{16,128}\Z')
_ENDPOINT = re.compile(rb'[a-z0-9][a-z0-9-]{2,62}\Z')
BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
_BASE58 = frozenset(BASE58_ALPHABET)
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}
_BASE58_TWICE = BASE58_ALPHABET * 2


@dataclass(frozen=True)
class RedisToken:
    """A decoded Redis REST token (also the password of `rediss://` URLs)."""
    read_only: bool
    database_id: int
    layout: str            # 'current' | 'id64' | 'legacy' | 'legacy-00'

    @property
    def scope(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE


@dataclass(frozen=True)
class VectorToken:
    """A decoded Vector / Search token; the endpoint gives the REST URL offline."""
    read_only: bool
    endpoint: str

    @property
    def scope(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE


@dataclass(frozen=True)
class QStashToken:
    user_id: str


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


def decode_redis_token(text: str) -> Optional[RedisToken]:
    if '%' in text:
        text = unquote(text)        # a token written as a URL password: `%3D` for `=`
    raw = b64decode_tolerant(text)
    if raw is None or len(raw) < 20:
        return None
    flag = raw[0]
    if flag in (1, 2):
        database_id, rest, wide = int.from_bytes(raw[1:3], 'big'), raw[3:], False
    elif flag in (0x81, 0x82):
        database_id, rest, wide = int.from_bytes(raw[1:9], 'big'), raw[9:], True
    else:
        return None
    read_only = flag & 0x7F == 2

    if rest[:2] == b'\x00\x02':
        # 00 02 | LEN | 'p' digit | payload (LEN bytes)
        length = rest[2]
        if rest[3:4] != b'p' or not rest[4:5].isdigit():
            return None
        payload = rest[5:]
        if len(payload) != length:
            return None
        if read_only:
            if length < 16 or not _looks_random(payload, length // 2):
                return None
        else:
            # 32 hex chars, then 'p<digit><database id in decimal>'.
            secret, tail = payload[:32], payload[32:]
            if not _HEX32.match(secret) or not _looks_random(secret, 8):
                return None
            if tail[:1] != b'p' or not tail[1:].isdigit() or len(tail) < 3:
                return None
        return RedisToken(read_only, database_id, 'id64' if wide else 'current')

    if rest[:3] in (b'\x01\x24\x20', b'\x00\x24\x20'):
        # legacy: 01 24 20 (older tokens: 00 24 20) | uuid (36 chars) | 32 bytes
        uuid, tail = rest[3:39], rest[39:]
        if not _UUID.match(uuid) or len(tail) != 32 or not _looks_random(tail, 16):
            return None
        return RedisToken(read_only, database_id, 'legacy' if rest[0] == 1 else 'legacy-00')
    return None


def decode_vector_token(text: str) -> Optional[VectorToken]:
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


def decode_qstash_token(text: str) -> Optional[QStashToken]:
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
    if not isinstance(user_id, str) or not isinstance(password, str) or not user_id:
        return None
    # Observed: 32 hex characters. Accept any hex length that could be a secret, so that
    # placeholders ('your-password', 'xxxx') are refused but a layout change is not.
    if not _HEX_SECRET.match(password) or not _looks_random(password.encode(), 8):
        return None
    return QStashToken(user_id)


# Words that placeholders spell in CamelCase (`sig_YourCurrentSigningKeyHere1234`); base58
# has no 0/O/I/l, so such a placeholder passes the alphabet and variety checks.
_PLACEHOLDER_WORDS = re.compile(
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
        and len(set(body)) >= 14
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


def generate_redis_token(database_id: Optional[int] = None, read_only: bool = False,
                         layout: str = 'current') -> str:
    if database_id is None:
        database_id = int.from_bytes(os.urandom(2), 'big') or 1
    flag = 2 if read_only else 1
    if layout == 'legacy':
        head = bytes([flag]) + database_id.to_bytes(2, 'big') + b'\x01\x24\x20'
        return _b64url(head + _random_uuid().encode() + os.urandom(32), pad=True)
    if layout == 'legacy-00':
        head = bytes([flag]) + database_id.to_bytes(2, 'big') + b'\x00\x24\x20'
        return _b64url(head + _random_uuid().encode() + os.urandom(32), pad=True)
    if layout == 'id64':
        head = bytes([0x80 | flag]) + database_id.to_bytes(8, 'big')
    else:
        head = bytes([flag]) + database_id.to_bytes(2, 'big')
    payload = os.urandom(32) if read_only else f'{_random_hex(32)}p2{database_id}'.encode()
    return _b64url(head + b'\x00\x02' + bytes([len(payload)]) + b'p2' + payload)


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

