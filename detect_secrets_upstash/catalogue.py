"""The one catalogue of Upstash credential kinds and the products they open.

Plugins, verifier, README table and tests all read this module; nothing about a
kind or a product is written down anywhere else (see docs/extending.md). Each kind is data: the secret type it is
reported as, its scope, the pattern of its textual form, a structural decoder,
the env names it usually sits under, public values that are not leaks, and
examples that must and must not be detected (every example was generated for
this project with `detect_secrets_upstash.tokens` and belongs to no account).
"""
from __future__ import annotations

import re
from typing import Any
from typing import Callable
from typing import Dict
from typing import Optional
from typing import Tuple
from urllib.parse import unquote

from . import lazy_re
from . import tokens
from .records import frozen_record
from .tokens import ACCOUNT
from .tokens import READ_ONLY
from .tokens import READ_WRITE

# --- textual shapes, shared by kinds whose bytes tell them apart ---

# A base64 run that starts like a Redis token (flag byte 01/02/81/82 -> 'A'/'g') or a
# Vector token (00 byte -> 'A'). May start after a JSON-escaped newline (`\n`) or a shell
# default (`${VAR:-AX...}`); not after another '-' (`sha512-...` integrity strings).
BASE64_BLOB = (
    r'(?:(?<![A-Za-z0-9+/_\\-])|(?<=\\[nrt])|(?<=:-))'
    r'[Ag][A-Za-z0-9+/_-]{40,400}={0,2}(?![A-Za-z0-9+/_-])'
)
# Base64 of '{"UserID":' (observed) or '{"Password":' (same JSON, other key order).
# Padding may be percent-encoded (`?_token=eyJ...fQ%3D` in a URL query).
QSTASH_TOKEN = r'eyJ(?:Vc2VySUQiOi|QYXNzd29yZCI6)[A-Za-z0-9+/_-]{40,400}(?:=|%3[Dd]){0,2}'
SIGNING_KEY = (
    r'(?:(?<![A-Za-z0-9_])|(?<=\\[nrt]))'
    r'sig_[1-9A-HJ-NP-Za-km-z]{24,64}(?![A-Za-z0-9_])'
)
# redis:// or rediss:// with a password, on an Upstash (or legacy Vercel KV) host.
REDIS_URL = (
    r'rediss?://(?P<user>[A-Za-z0-9_.-]*):(?P<password>[^\s@/"\'`<>]{8,400})'
    r'@(?P<host>[A-Za-z0-9.-]+\.(?:upstash\.io|kv\.vercel-storage\.com))'
)

UPSTASH_CONSOLE = 'https://console.upstash.com'

# Any Upstash REST/TCP host, for context lines (`https://...`, `rediss://...`).
UPSTASH_HOST = lazy_re.compile(
    r'(?<![A-Za-z0-9.-])([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:upstash\.io|kv\.vercel-storage\.com))'
    r'(?![A-Za-z0-9-])',
    re.IGNORECASE,
)
_HOST_DATABASE_ID = lazy_re.compile(r'-(\d+)(?:-[a-z0-9]+)?$')


def database_id_from_host(host: str) -> Optional[int]:
    """`brave-otter-10123.upstash.io` -> 10123 (the number ends the first label)."""
    match = _HOST_DATABASE_ID.search(host.split('.', 1)[0].lower())
    return int(match.group(1)) if match else None


# The domains of Upstash databases, indexes and QStash regions (legacy Vercel KV included).
UPSTASH_HOST_SUFFIXES = ('upstash.io', 'kv.vercel-storage.com')


def is_upstash_host(host: str) -> bool:
    """A host of an Upstash database, index or QStash region (where their tokens go)."""
    host = host.lower().rstrip('.')
    return host == 'upstash.io' or host.endswith(tuple('.' + suffix for suffix in UPSTASH_HOST_SUFFIXES))


# The Management (Developer) API: account-wide, one host.
MANAGEMENT_API_HOST = 'api.upstash.com'
MANAGEMENT_API_URL = f'https://{MANAGEMENT_API_HOST}'


# Which evidence identified a finding (see docs/detection.md, "Evidence in layers").
BYTES = 'token bytes'      # the bytes decode to a known layout
FRAME = 'token frame'      # a kind's frame around a payload no known layout explains
CONTEXT = 'context'        # a token-like value where Upstash credentials stand
LAYERS = (BYTES, FRAME, CONTEXT)


@frozen_record
class Pairing:
    """How a credential is matched with a nearby host of its product (context rules): both
    give a key (a Redis database id, a Vector endpoint); a host with the credential's key
    is the credential's, a host with another key contradicts it."""
    credential_key: Callable[['Decoded'], Any]
    host_key: Callable[[str], Any]
    # A sentence; {credential}, {host} and {host_key} are filled in.
    mismatch: str
    # More keys the credential names (a Redis token's p<d><n> tail): a host with one is its own.
    other_keys: Callable[['Decoded'], Tuple[Any, ...]] = lambda decoded: ()
    # A sentence when the credential's own keys disagree with each other (then nothing is
    # said about the pair), else None.
    self_conflict: Optional[Callable[['Decoded'], Optional[str]]] = None
    # Whether the credential's key is confirmed enough to call a host with another key a
    # mismatch (a Redis head id alone is not: see docs/detection.md).
    confirmed: Callable[['Decoded'], bool] = lambda decoded: True


@frozen_record
class Product:
    """One Upstash product: how its hosts look, where its credentials are sent to be
    verified, and what a reader is told about it. Kinds name their product by `id`."""
    id: str
    display_name: str                       # as Upstash writes it
    serves_host: Callable[[str], bool]      # host matcher, on an Upstash host's first label
    env_families: Tuple[str, ...]           # env-name prefixes its kinds' `env_names` start with
    # The verifier's probe, 'module:function' (session, urls, token) -> Outcome; None: not verified.
    verify_probe: Optional[str] = None
    # URL derivation: where a credential is verified when no URL stands near it.
    derive_urls: Callable[['Decoded'], Tuple[str, ...]] = lambda decoded: ()
    no_url: str = ''                        # why nothing was sent when no URL is known
    url_from_context: bool = False          # a URL near the credential says where to verify it
    pairing: Optional[Pairing] = None       # context rules (None: the first nearby host)
    in_url_password: bool = False           # its tokens also appear as a redis:// URL's password
    # Words that, in a variable name, say a value there is this product's (the context layer,
    # `context_evidence`): tried in PRODUCTS order; a name with only an Upstash word is Redis's.
    name_words: Tuple[str, ...] = ()
    resource: str = 'database'              # what one credential opens, as reports name it
    # What to do about any of its leaked credentials (a kind's record in `remediation` adds
    # what the kind opens and where it belongs, and says where it differs):
    remediation: str = ''                   # where in the Upstash console to rotate it, which action
    revokes: str = ''                       # what that action invalidates (and what keeps working)
    # The hosts its credentials may be sent to over HTTPS. A host one product claims is never
    # sent another product's credential, not even with --allow-host (a Redis token never goes
    # to the Management API, an account key never to a database).
    token_hosts: Callable[[str], bool] = is_upstash_host
    # What else the probe needs besides the credential, when its kind is a user:password pair
    # (the Management API key: the account email); '' when the credential is all it needs.
    needs_user: str = ''
    # What `--<id>-url URL` (UPSTASH_VERIFY_<ID>_URL for the plugin) replaces when verifying
    # its credentials (the regional hosts, the derived URL); '' offers no such option.
    url_override: str = ''

    def __repr__(self) -> str:
        return f'Product({self.id!r})'


@frozen_record
class Decoded:
    """What the bytes (or, failing them, the frame or the context) say about a credential."""
    scope: str                          # READ_WRITE | READ_ONLY | SCOPE_UNKNOWN (context only)
    database_id: Optional[int] = None   # Redis
    endpoint: Optional[str] = None      # Vector / Search endpoint name
    layout: Optional[str] = None        # Redis token layout; UNRECOGNISED for frames and context
                                        # (None for a kind only context identifies)
    layer: str = BYTES
    evidence: Optional[str] = None      # what the frame or context was (never the value)
    tail_number: Optional[int] = None   # Redis: the number in a read-write token's p<d><n> tail

    @property
    def evidence_text(self) -> str:
        """`token bytes (current layout)`, `context (under MYAPP_KV_REST_API_TOKEN)`."""
        if self.layer == BYTES:
            return f'{BYTES} ({self.layout} layout)' if self.layout else BYTES
        return f'{self.layer} ({self.evidence})' if self.evidence else self.layer


@frozen_record
class Kind:
    """One credential kind: how it is written, decoded, found by its place, verified and reported."""
    id: str
    secret_type: str            # the detect-secrets type; never change it (baselines store it)
    product: str                # a `Product.id` (PRODUCTS below)
    scope: str                  # READ_WRITE | READ_ONLY | ACCOUNT
    # regex of the textual form (shared shapes above); None for a kind only context identifies
    pattern: Optional[str]
    # what the value's own bytes say; for a kind only context identifies, whether the value
    # has the kind's form (its context rule asks; `identify` never does)
    decode: Callable[[str], Optional[Decoded]]
    env_names: Tuple[str, ...]
    examples: Tuple[str, ...]               # must be reported as this kind
    counter_examples: Tuple[str, ...] = ()  # must not be reported (as anything)
    public_values: frozenset = frozenset()
    verify_how: str = ''
    # Set when its product's probe cannot tell (the reason, shown as `skipped`).
    not_verifiable: str = ''
    # Verified by comparison with what a live token of its product reads, not by a probe.
    checked_against_tokens: bool = False
    # A word that, in a variable name, says a value there is this kind rather than its
    # product's token (the context layer): 'signing' for QStash signing keys.
    name_word: str = ''
    # Names that on their own say a value is this kind, with no Upstash word beside them: its
    # SDK's option names (`new Receiver({ currentSigningKey: ... })`), in camelCase; the
    # context layer matches them in any case, with or without `_` between the words.
    context_names: Tuple[str, ...] = ()
    # How a report says it was identified, when not "its bytes decode as an Upstash
    # <product> token"; `apart` when it was found apart from its own shape (a legacy
    # password beside its host, not in its URL).
    identified_how: str = ''
    identified_apart: str = ''
    # GitHub's security-severity of a leak (>= 9.0 critical, 7.0-8.9 high); None: 9.0 for
    # read-write, 7.0 for read-only.
    severity: Optional[float] = None
    # (layout name, function making a fresh credential of this kind that belongs to no
    # account): tests fill file templates with these, so nothing real enters the repo.
    generators: Tuple[Tuple[str, Callable[[], str]], ...] = ()
    # The kind's frame around a payload its decoder does not know (layout "unrecognised").
    frame: Optional[Callable[[str], Optional[Decoded]]] = None
    # Which evidence identifies it: BYTES (its value alone decodes: the scanner's union regex,
    # the encoded-value search and `identify` know it) or CONTEXT (a value of a common form,
    # a UUID, that only its place says is this kind's: `context_rule` finds it).
    identified_by: str = BYTES
    # CONTEXT kinds: 'module:function' (this kind, line, nearby lines, file name) -> [scanner.Found], and
    # 'module:function' (line) -> bool, the cheap test a line passes before the rule runs.
    context_rule: Optional[str] = None
    context_anchor: Optional[str] = None
    # A password its decoder knows the form of (a legacy database's 32 hex) that is also found
    # standing alone: under a password key beside a host of its product (`context.py`), or
    # where its product's token stands (`context_evidence`).
    bare_password: bool = False
    # How a generated value is written to be found: a BYTES kind's value as it is, a CONTEXT
    # kind's under a name that identifies it. Tests write generated values with this.
    placed: Callable[[str], str] = lambda value: value

    def __repr__(self) -> str:
        return f'Kind({self.id!r})'

    @property
    def remediation(self):
        """What to do when this kind leaks (`remediation.Remediation`), kept in its own module."""
        from .remediation import for_kind
        return for_kind(self.id)


def _management_key(value: str) -> Optional[Decoded]:
    if not tokens.is_management_api_key(value):
        return None
    return Decoded(ACCOUNT, layer=CONTEXT)


def _redis(read_only: bool) -> Callable[[str], Optional[Decoded]]:
    def decode(value: str) -> Optional[Decoded]:
        token = tokens.decode_redis_token(value)
        if token is None or token.read_only != read_only:
            return None
        return Decoded(token.scope, database_id=token.database_id, layout=token.layout,
                       tail_number=token.tail_number)
    return decode


def _redis_frame(read_only: bool) -> Callable[[str], Optional[Decoded]]:
    def frame(value: str) -> Optional[Decoded]:
        found = tokens.redis_frame(value)
        if not isinstance(found, tuple) or found[0] != read_only:
            return None
        return Decoded(READ_ONLY if read_only else READ_WRITE, database_id=found[1],
                       layout=tokens.UNRECOGNISED, layer=FRAME,
                       evidence='Redis token head (flag, database id, marker), unknown payload')
    return frame


def _vector_frame(read_only: bool) -> Callable[[str], Optional[Decoded]]:
    def frame(value: str) -> Optional[Decoded]:
        found = tokens.vector_frame(value)
        if found is None or bool(found[0]) != read_only:
            return None
        scope = tokens.SCOPE_UNKNOWN if found[0] is None else (READ_ONLY if read_only else READ_WRITE)
        return Decoded(scope, endpoint=found[1], layout=tokens.UNRECOGNISED, layer=FRAME,
                       evidence='Vector/Search token head (endpoint, user), unknown secret')
    return frame


def _qstash_frame(value: str) -> Optional[Decoded]:
    if not tokens.qstash_frame(reported_value(value)):
        return None
    return Decoded(READ_WRITE, layout=tokens.UNRECOGNISED, layer=FRAME,
                   evidence='QStash token JSON (UserID, Password), unknown password shape')


def _vector(read_only: bool) -> Callable[[str], Optional[Decoded]]:
    def decode(value: str) -> Optional[Decoded]:
        token = tokens.decode_vector_token(value)
        if token is None or token.read_only != read_only:
            return None
        return Decoded(token.scope, endpoint=token.endpoint)
    return decode


def _qstash(value: str) -> Optional[Decoded]:
    return Decoded(READ_WRITE) if tokens.decode_qstash_token(reported_value(value)) else None


def _signing_key(value: str) -> Optional[Decoded]:
    return Decoded(READ_WRITE) if tokens.is_signing_key(value) else None


def _legacy_password(value: str) -> Optional[Decoded]:
    return Decoded(READ_WRITE) if tokens.is_legacy_redis_password(value) else None


# Look-alikes that no kind may report: placeholders, other formats, other vendors.
LOOK_ALIKES = (
    'UPSTASH_REDIS_REST_TOKEN=AXXXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'UPSTASH_REDIS_REST_TOKEN="<your-token>"',
    'UPSTASH_REDIS_REST_TOKEN=${UPSTASH_REDIS_REST_TOKEN}',
    'UPSTASH_REDIS_REST_TOKEN=AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYy',   # truncated
    'QSTASH_TOKEN=eyJVc2VySUQiOiJ5b3VyLXVzZXItaWQiLCJQYXNzd29yZCI6InlvdXItcGFzc3dvcmQifQ==',
    'QSTASH_CURRENT_SIGNING_KEY=sig_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'QSTASH_CURRENT_SIGNING_KEY=sig_...',
    # JWT (header {"alg":"HS256","typ":"JWT"}), made up
    'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.'
    'dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    # npm lockfile integrity (random bytes)
    '"integrity": "sha512-AgRzbXKLIm3Q7H0tN9yTJ4zYl2QgE5kVbq8k8mM7m0Yx0N0n1Pp5iJ2hL9cC3r2q'
    'Wk6tXyZ4d8vG1sB0oF5hA6w=="',
    # random base64 starting with 'A' that decodes to no layout
    'token = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w"',
    # other vendors
    'GITHUB_TOKEN=ghp_R8kLmN2pQ4sT6vW8yZ0aB2cD4eF6gH8jK0lM',
    'OPENAI_API_KEY=sk-proj-Ag7fK2mN9pQ4sT6vW8yZ0aB2cD4eF6gH8jK0lM2nP4qR6sT8',
    'AWS_SECRET_ACCESS_KEY=AgK7mN2pQ4sT6vW8yZ0aB2cD4eF6gH8jK0lM2nP4',
    'AZURE_STORAGE_KEY=A/qeF4UxnQzFrfPakyrarCsfe8CojGjk2F66sSmxDGx2oA08i1UloBOi5xrmiS5lhJiTFveDDBp8kdhBvJZb',
    # a Fernet token (version byte 0x80, 'gAAAAA...'), random
    'gAAAAABlU_EAiM4UhN-6dkRftIrxyEKbaaoZD1RAgViEE1lNeXJbGUiMOZ7NiHKgxYENKT7nzxslshHI87t7yF9QTshl5keCdHco0h'
    'BXnKrRtVbfUSsy24QbEeNdgDqK6O18q2GYKBKt',
    'secret = "gr8VYiKo+R9jXhZX8DelMSdJtpiyLllC1H6PrCaavV4SvJB62Jea6pFnNTgH"',
    # more placeholders as docs write them
    'UPSTASH_REDIS_REST_TOKEN=********',
    'UPSTASH_REDIS_REST_TOKEN=your_upstash_redis_rest_token',
    'UPSTASH_VECTOR_REST_TOKEN="<UPSTASH_VECTOR_REST_TOKEN>"',
    'rediss://default:<password>@<endpoint>.upstash.io:6379',
    'rediss://default:${UPSTASH_REDIS_PASSWORD}@fine-mole-31337.upstash.io:6379',
    'token: process.env.UPSTASH_REDIS_REST_TOKEN!',
    'QSTASH_TOKEN=eyJVc2VySUQiOi...',
    # a base64 run that holds a token's bytes but does not start where the token starts
    'xASeLAAIncDI2OTlhODk4YjYxYjZkNDg0MjQ3YjY2ZDI0ZGM4MjA3NXAyMTAxMjM',
)

KINDS: Tuple[Kind, ...] = (
    Kind(
        id='redis_rest_token',
        secret_type='Upstash Redis REST Token',
        severity=9.1,     # read and write every key of the database
        product='redis', scope=READ_WRITE, pattern=BASE64_BLOB, decode=_redis(False),
        env_names=('UPSTASH_REDIS_REST_TOKEN', 'KV_REST_API_TOKEN'),
        examples=(
            'AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYyY2RjYzcwNXAyMjA4NzE',
            'gQAAAAAAMmBCAAIpcDI1OTRhMTMzNzE4NDNlZTRkYzQwNGNmYjAwOTAwNTQ4ZHAyMzMwMTQ0Mg',
            'AXb6ASQgMGQyYjU5OWEtZmIxMi00NGQ0LTlkNmMtZGM2YTYyNjdhY2VmPk-Xx29LlPO8qO9inXcT7JKWEiqFsHSNtn4LIgHGtWg=',
            'rediss://default:AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYyY2RjYzcwNXAyMjA4NzE'
            '@quiet-walrus-20871.upstash.io:6379',
            # padded (some tools pad base64url)
            'ASeLAAIncDI2OTlhODk4YjYxYjZkNDg0MjQ3YjY2ZDI0ZGM4MjA3NXAyMTAxMjM=',
            # legacy, unpadded
            'ASeLASQgZDBjMTk0ZTktNjgyYi00MzJjLTg0YjAtMGYzOWMxMGQzYzEwOYXJAjmcmVko0yZJRLZibxdWx9vywNJGWUz2H7MjLpg',
            # legacy Vercel KV host
            'KV_URL="redis://default:ASeLAAIncDIzODBlNTRmNmQ0ODU1NWJkNThiYmE4ZDlkMzQ3MGNkZXAyMTAxMjM'
            '@brave-otter-10123.kv.vercel-storage.com:6379"',
        ),
        counter_examples=(
            'AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYyY2Rj',  # cut short, inside its secret
            # the right layout around a placeholder secret ('000...')
            'ASeLAAIncDIwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMHAyMTAxMjM',
            'UPSTASH_REDIS_REST_TOKEN=AVGHAAIncDJ...',
        ),
        verify_how='one REST `/pipeline` request: `EXISTS` (liveness) and `DEL` of a random '
                   '128-bit key (a no-op write; `NOPERM` from the server means read-only)',
        # Layouts seen in public code (docs/detection.md has the counts).
        generators=tuple((layout, (lambda layout=layout: tokens.generate_redis_token(layout=layout)))
                         for layout in ('current', 'current-untailed', 'current-p10', 'id64',
                                        'id64-untailed', 'legacy', 'legacy-hex', 'legacy-00',
                                        'legacy-00-hex')),
        frame=_redis_frame(False),
    ),
    Kind(
        id='redis_read_only_token',
        secret_type='Upstash Redis Read-Only Token',
        severity=7.5,     # read every key
        product='redis', scope=READ_ONLY, pattern=BASE64_BLOB, decode=_redis(True),
        env_names=('UPSTASH_REDIS_REST_READONLY_TOKEN', 'KV_REST_API_READ_ONLY_TOKEN'),
        examples=(
            'AlGHAAIgcDLi5EaxKMIvod38V2GijEGpGcY5h8ZtjprORebruwITXg',
            'ggAAAAAAMmBCAAIgcDLsCbCKIWvGdYY87keT7rYrju6KOV9nlYz6zS9y-QKCdA',
            'Anb6ASQgZTI2MDI2YWMtMjQ1MC00NzYzLTlkYTAtZDI1ZDMxZjY5NzYxvqnEapGCaWyMF8fMirAuP5nulEIL5VXB-fPyDiRck9Y=',
            # standard base64 alphabet ('+', '/') instead of base64url
            'AieLAAIgcDLJH17j0VmNb2eKe2GQZlrFLH8Bu0Yb+qi6dU5Q+Np4Og',
            'AieLASQgYjkzMDU1OTItZDJiOC00NTlmLWFjOWUtNDg0YTUwYmQ0Y2UxBoTLf1Jo9dkl5LCtlnnBQcYthg2nyJ42sMFlbTcu+gY=',
            # 64-bit database id beyond u32, padded
            'ggAAAAD0YQl7AAIgcDIBBIUfVQnJgEWuRDGJ4hi0Ll-uyrhS0PT6igyJhY09HQ==',
            # the read-only TCP user
            'rediss://default_ro:AieLAAIgcDJfFyVd8HUl3GrqlSxnDJ3hA9ejHeZtT0cHjfhdBQOnWA@brave-otter-10123.upstash.io:6379',
        ),
        counter_examples=(
            # the right layout around a placeholder secret ('xxx...')
            'AieLAAIgcDJ4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eA',
        ),
        verify_how='as the standard token; the server\'s `NOPERM` on the no-op write confirms read-only',
        generators=tuple((layout, (lambda layout=layout: tokens.generate_redis_token(read_only=True, layout=layout)))
                         for layout in ('current', 'id64', 'legacy', 'legacy-00', 'legacy-ro')),
        frame=_redis_frame(True),
    ),
    Kind(
        id='redis_password',
        secret_type='Upstash Redis Password',
        severity=9.1,     # the same database over TCP
        product='redis', scope=READ_WRITE, pattern=REDIS_URL, decode=_legacy_password,
        env_names=('REDIS_URL', 'KV_URL'),
        examples=(
            'redis://default:4d6c6bae40b27ef55245f24921239707@us1-quiet-walrus-30458.upstash.io:30458',
            'REDIS_URL=rediss://:ca1fa60dc7b61b90a2d6189fc800c5b8@global-eager-lynx-31337.upstash.io:31337',
        ),
        counter_examples=(
            # not an Upstash host: a 32-hex password alone says nothing about its vendor
            'redis://default:4d6c6bae40b27ef55245f24921239707@localhost:6379',
            'redis://default:password@us1-quiet-walrus-30458.upstash.io:30458',
            'redis://default:${REDIS_PASSWORD}@us1-quiet-walrus-30458.upstash.io:30458',
            'redis://default:00000000000000000000000000000000@us1-quiet-walrus-30458.upstash.io:30458',
        ),
        verify_how='not verified (TCP only); rotate it',
        identified_how='the password of a redis:// URL on an Upstash host',
        identified_apart='a 32-hex password next to an Upstash Redis host name',
        not_verifiable='TCP-only password (legacy redis:// URL): not verifiable over REST; rotate it',
        generators=(('legacy-url', tokens.generate_legacy_redis_url),),
        bare_password=True,
    ),
    Kind(
        id='qstash_token',
        secret_type='Upstash QStash Token',
        severity=9.1,     # publish to any endpoint, read and delete messages
        product='qstash', scope=READ_WRITE, pattern=QSTASH_TOKEN, decode=_qstash,
        env_names=('QSTASH_TOKEN',),
        examples=(
            'eyJVc2VySUQiOiIxNTg3MmVkYi1iMzQ3LTQxY2EtOTY4Ni0wYTgxY2RhOGY5ZTAiLCJQYXNzd29yZCI6IjViNzQ2OTBkMTRk'
            'YzEyMTM3NGNiMWM5NTU1ZWQ3MjJhIn0=',
            # JSON written with spaces, and with the keys the other way round
            'eyJVc2VySUQiOiAiMTY2YzMzYWYtMTk3Ni00MmU0LTkxYzEtMTFiNjNhOThjZmQ1IiwgIlBhc3N3b3JkIjogImQ3YTc5YmQxYTU0'
            'ZjVjNWVhMzhkNjJiMTMzOTQxMmI5In0=',
            'eyJQYXNzd29yZCI6ImM2ODdkYTIwNWNhNmNlZWRlMDA3Mzk4YTNjZTk5ODA0IiwiVXNlcklEIjoiNDg0MDM5MTEtM2I0NS00YmI3'
            'LTk3M2EtMGZmOTMxODlhZWM5In0=',
        ),
        counter_examples=(
            'QSTASH_TOKEN=eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',
            'curl -H "Authorization: Bearer eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=" '
            'http://127.0.0.1:8080/v2/topics',
            # placeholder password '000...'
            'eyJVc2VySUQiOiIzNDU2NjE2NC1iMzIyLTQ3ODQtYWRjNy03MmIyZmFiMGQxMzAiLCJQYXNzd29yZCI6IjAwMDAwMDAwMDAwMDAw'
            'MDAwMDAwMDAwMDAwMDAwMDAwIn0=',
        ),
        public_values=frozenset({
            # QStash dev server (`npx @upstash/qstash-cli dev`): public, not a leak.
            'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',
        }),
        verify_how='`GET /v2/keys` on each QStash region until one accepts (the body is never printed)',
        identified_how='base64 of the {"UserID": ..., "Password": ...} JSON of a QStash token',
        generators=(('json', tokens.generate_qstash_token),),
        frame=_qstash_frame,
    ),
    Kind(
        id='qstash_signing_key',
        secret_type='Upstash QStash Signing Key',
        severity=8.1,     # forge webhook calls the handlers trust
        product='qstash', scope=READ_WRITE, pattern=SIGNING_KEY, decode=_signing_key,
        env_names=('QSTASH_CURRENT_SIGNING_KEY', 'QSTASH_NEXT_SIGNING_KEY'),
        examples=(
            'sig_tt3WTocZrAQ2eeXjNB6TH9hQbuLy',
            'sig_mmmSM6jtD1z49D5M96Sbj33v7hri',
            r'"source": ["QSTASH_NEXT_SIGNING_KEY = \"sig_RGSr1tNSGxJ78uRHmdG1D5BeREr9\"\n"]',
        ),
        counter_examples=(
            'QSTASH_CURRENT_SIGNING_KEY=sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r',
            'QSTASH_NEXT_SIGNING_KEY=sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
            'QSTASH_CURRENT_SIGNING_KEY=sig_7RvLjqfZBvP5KEUimQCE1pvpLuou',
            'QSTASH_NEXT_SIGNING_KEY=sig_7W3ZNbfKWk5NWwEs3U4ixuQ7fxwE',
            'QSTASH_CURRENT_SIGNING_KEY=sig_123456789ABCDEFGHJKLMNPQRS',   # the alphabet in order
            'QSTASH_CURRENT_SIGNING_KEY=sig_your_current_signing_key',
            # placeholders spelled as words in base58 letters
            'QSTASH_NEXT_SIGNING_KEY=sig_YourCurrentSigningKeyHere1234',
            'QSTASH_NEXT_SIGNING_KEY=sig_NextSigningKeyGoesHere1234',
            'QSTASH_NEXT_SIGNING_KEY=sig_abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ',  # keyboard order
            'QSTASH_CURRENT_SIGNING_KEY="sig_ReplaceWithYourKey123456789"',
            'my_config_sig_RGSr1tNSGxJ78uRHmdG1D5BeREr9',     # part of a longer identifier
        ),
        # Both published dev-server key pairs (`npx @upstash/qstash-cli dev`): the pair in the
        # QStash docs and the pair the Workflow local-development docs print. Public, not leaks.
        public_values=frozenset({'sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r', 'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs',
                                 'sig_7RvLjqfZBvP5KEUimQCE1pvpLuou', 'sig_7W3ZNbfKWk5NWwEs3U4ixuQ7fxwE'}),
        verify_how='live only if it matches the signing keys of a live QStash token from the '
                   'same run (compared, never printed)',
        checked_against_tokens=True,
        name_word='signing',
        context_names=('currentSigningKey', 'nextSigningKey'),
        identified_how='a sig_ key with a random base58 body (not a placeholder)',
        generators=(('base58', tokens.generate_signing_key),
                    ('base58-older', lambda: tokens.generate_signing_key(50))),
    ),
    Kind(
        id='vector_token',
        secret_type='Upstash Vector Token',
        severity=8.6,     # read, overwrite and delete every vector
        product='vector', scope=READ_WRITE, pattern=BASE64_BLOB, decode=_vector(False),
        env_names=('UPSTASH_VECTOR_REST_TOKEN', 'UPSTASH_SEARCH_REST_TOKEN'),
        examples=(
            'ABYFMHNtb290aC1oZXJvbi00ODIxMy1ldTFhZG1pbk9HRmhOMlk1Wm1VdE5XUmtNaTAwTlRNMExUazROREV0TnpFMVlq'
            'aGtOakZsWkdZMQ==',
            'ABoFMGNsZWFyLW1heWZseS03MzEwLWdjcC11c2MxYWRtaW5aRFExTmpOaU0yVXRPRGcxWkMwMFl6TmhMVGd5WW1RdE9H'
            'UXhOakUyWTJWa016Qm0=',
            # a Search database token has the same layout
            'UPSTASH_SEARCH_REST_TOKEN=ABQFMGVhZ2VyLWx5bngtNTIxMDctdXMxYWRtaW5NakU0T1RVMll6Z3RZekZqWXkwME1UWmtMV0Uz'
            'TXprdFlUWTRPVFZsTnpJME5HUXk=',
        ),
        counter_examples=(
            # the right layout around a placeholder uuid
            'ABUFMGJyYXZlLW90dGVyLTEwMTIzLXVzMWFkbWluTURBd01EQXdNREF0TURBd01DMHdNREF3TFRBd01EQXRNREF3TURBd01EQXdN'
            'REF3',
        ),
        verify_how='`GET https://<endpoint>-vector.upstash.io/info` (then `-search`), URL derived '
                   'from the token; scope from a no-op delete of a random id',
        generators=(('endpoint', lambda: tokens.generate_vector_token(tokens.generate_endpoint())),),
        frame=_vector_frame(False),
    ),
    Kind(
        id='vector_read_only_token',
        secret_type='Upstash Vector Read-Only Token',
        severity=7.0,     # query every vector and its metadata
        product='vector', scope=READ_ONLY, pattern=BASE64_BLOB, decode=_vector(True),
        env_names=('UPSTASH_VECTOR_REST_READONLY_TOKEN', 'UPSTASH_SEARCH_REST_READONLY_TOKEN'),
        examples=(
            'ABYIMHNtb290aC1oZXJvbi00ODIxMy1ldTFyZWFkb25seU1UUTFOak16WWpndE0ySmlOaTAwWTJZekxXSTRaREF0TVRK'
            'ak5ETTNObVZpT1RCbA==',
            # unpadded
            'ABQIMGVhZ2VyLWx5bngtNTIxMDctdXMxcmVhZG9ubHlPV1poWm1RellXRXRZbVF5TVMwME1HTmpMVGd4T1RJdE1UWmlNelUxWkRN'
            'M01ETTE',
        ),
        verify_how='as the standard token',
        generators=(('endpoint', lambda: tokens.generate_vector_token(tokens.generate_endpoint(), read_only=True)),),
        frame=_vector_frame(True),
    ),
    Kind(
        id='management_api_key',
        secret_type='Upstash Management API Key',
        product='management', scope=ACCOUNT, pattern=None, decode=_management_key,
        env_names=('UPSTASH_API_KEY', 'UPSTASH_MANAGEMENT_API_KEY'),
        # Lines (a newline joins the lines around one): a UUID alone is never a finding.
        examples=(
            'UPSTASH_API_KEY=b0bb87dc-7705-4856-90da-1db3b7649fa1',
            'export UPSTASH_MANAGEMENT_API_KEY="a00664be-2be1-45af-8e56-d2e1e8735bf8"',
            'provider "upstash" {\n  email   = "ops@acme-widgets.dev"\n'
            '  api_key = "01ab0ae9-3cea-4118-9464-67dc54705fda"\n}',
            'upstash_email   = "ops@acme-widgets.dev"\nupstash_api_key = "838b05bb-e905-4c01-be29-355c7f009e4c"',
            'upstash auth login --email ops@acme-widgets.dev --api-key 99af0761-7107-493c-9068-ed56a35916d5',
            'curl -u ops@acme-widgets.dev:5fd00630-e62f-40c1-b2d9-755ca11083e8 '
            'https://api.upstash.com/v2/redis/databases',
            '  upstash:apiKey: 70137447-164f-4a24-ae40-6930758289e4',
            'UPSTASH_API_KEY="${UPSTASH_API_KEY:-2591d293-f6fc-486a-8e47-524d44b78d69}"',
        ),
        counter_examples=(
            # a plain api_key with nothing about Upstash around it
            'api_key = "01ab0ae9-3cea-4118-9464-67dc54705fda"',
            'UPSTASH_API_KEY=00000000-0000-0000-0000-000000000000',
            'UPSTASH_API_KEY=123e4567-e89b-12d3-a456-426614174000',     # the documentation UUID
            'UPSTASH_API_KEY=12345678-1234-1234-1234-123456789abc',
            'UPSTASH_API_KEY=${UPSTASH_API_KEY}',
            'UPSTASH_API_KEY=your-upstash-management-api-key',
            # a database id, not a key
            'UPSTASH_DATABASE_ID=2591d293-f6fc-486a-8e47-524d44b78d69',
            'upstash_management_database_id: 70137447-164f-4a24-ae40-6930758289e4',
            # another vendor's key built on a UUID, under the name Context7 gives it
            'UPSTASH_API_KEY=ctx7sk-99af0761-7107-493c-9068-ed56a35916d5',
            'npx -y @upstash/context7-mcp --api-key 99af0761-7107-493c-9068-ed56a35916d5',
            # a UUID beside an Upstash email, under a name that is not a key's (kept last: in a
            # file of these lines the email would stand beside the plain api_key above)
            'UPSTASH_EMAIL=ops@acme-widgets.dev\nREQUEST_ID=838b05bb-e905-4c01-be29-355c7f009e4c',
        ),
        verify_how='`GET https://api.upstash.com/v2/redis/databases` with Basic `email:key` (the email '
                   'beside it or `--email`); only the number of databases is shown',
        generators=(('uuid', tokens.generate_management_api_key),),
        severity=9.8,     # the whole account: every database's password, create, delete
        identified_by=CONTEXT,
        context_rule='detect_secrets_upstash.management_key:findings',
        context_anchor='detect_secrets_upstash.management_key:may_hold',
        placed=lambda key: f'UPSTASH_API_KEY={key}',
    ),
)

# --- products ---

VECTOR_HOST_SUFFIXES = ('-vector', '-search')
# The global endpoint first; a token answers only on its own region's host.
QSTASH_REGION_URLS = (
    'https://qstash.upstash.io',
    'https://qstash-us-east-1.upstash.io',
    'https://qstash-eu-central-1.upstash.io',
)


def _vector_endpoint_of_host(host: str) -> Optional[str]:
    label = host.lower().split('.', 1)[0]
    for suffix in VECTOR_HOST_SUFFIXES:
        if label.endswith(suffix):
            return label[:-len(suffix)]
    return None


def vector_urls(decoded: 'Decoded') -> Tuple[str, ...]:
    endpoint = decoded.endpoint if decoded is not None else None
    if not endpoint:
        return ()
    return tuple(f'https://{endpoint}{suffix}.upstash.io' for suffix in VECTOR_HOST_SUFFIXES)


# In the order hosts are matched: the first whose `serves_host` accepts a host's label
# serves it (Redis databases have free-form names, so Redis comes last and takes the rest).
def _redis_head_tail_conflict(decoded: 'Decoded') -> Optional[str]:
    head, tail = decoded.database_id, decoded.tail_number
    if head is not None and tail and tail != head:
        return (f"the token's head names database {head} but its tail names {tail}; "
                'which database it opens is not known offline')
    return None


PRODUCTS: Tuple[Product, ...] = (
    Product(
        id='management', display_name='Management API',
        # no database or index host is its: it has one host, outside upstash.io
        serves_host=lambda label: False,
        env_families=('UPSTASH_',),
        # `UPSTASH_MANAGEMENT_API_KEY=<a layout not seen yet>`: the name says which key it is
        name_words=('management', 'developer_api', 'personal_admin'),
        verify_probe='detect_secrets_upstash.verify.management:probe',
        derive_urls=lambda decoded: (MANAGEMENT_API_URL,),
        token_hosts=lambda host: host.lower().rstrip('.') == MANAGEMENT_API_HOST,
        needs_user='Upstash account email',
        url_override=MANAGEMENT_API_URL,
        remediation=f'{UPSTASH_CONSOLE}/account/api (Account -> Management API) -> delete the leaked '
                    'key, then create a new one for the tools that need it (read-only where a tool '
                    'only lists)',
        revokes='Deleting the key revokes it at once; the database passwords and tokens it could '
                'read stay valid, so reset those of the databases that matter too',
    ),
    Product(
        id='qstash', display_name='QStash',
        serves_host=lambda label: label.startswith('qstash'),
        env_families=('QSTASH_',),
        name_words=('qstash',),
        verify_probe='detect_secrets_upstash.verify.qstash:probe',
        derive_urls=lambda decoded: QSTASH_REGION_URLS,
        url_override='the regional Upstash hosts',
        remediation=f'{UPSTASH_CONSOLE}/qstash -> "Reset Token", then update every publisher',
        revokes='The reset revokes the old token only; signing keys are not changed, but roll '
                'them too (the token could read them)',
    ),
    Product(
        id='vector', display_name='Vector/Search',
        serves_host=lambda label: label.endswith(VECTOR_HOST_SUFFIXES),
        env_families=('UPSTASH_VECTOR_', 'UPSTASH_SEARCH_'),
        name_words=('vector', 'search'),
        verify_probe='detect_secrets_upstash.verify.vector:probe',
        derive_urls=vector_urls,
        url_override='the one derived from the token',
        no_url='no endpoint in the token; pass --vector-url',
        resource='index',
        pairing=Pairing(
            credential_key=lambda decoded: decoded.endpoint or None,
            host_key=_vector_endpoint_of_host,
            mismatch='token is for endpoint {credential} but the nearby URL names {host}: '
                     'the pair does not belong together (copied from two indexes?)',
        ),
        remediation=f'{UPSTASH_CONSOLE}/vector (or /search for a Search database) -> your index -> '
                    '"Reset Token", then update every app that queries the index',
        revokes='The reset revokes both the standard and the read-only token of the index',
    ),
    # Upstash Kafka hosts: no credential kind, but a Redis token is never paired with one.
    Product(id='kafka', display_name='Kafka', serves_host=lambda label: 'kafka' in label,
            env_families=('UPSTASH_KAFKA_',)),
    Product(
        id='redis', display_name='Redis',
        serves_host=lambda label: True,
        env_families=('UPSTASH_REDIS_', 'KV_', 'REDIS_'),
        name_words=('redis', 'kv_'),
        verify_probe='detect_secrets_upstash.verify.redis:probe',
        no_url='no REST URL known for this token (none near it in the file); pass --url to verify it',
        url_from_context=True,
        pairing=Pairing(
            credential_key=lambda decoded: decoded.database_id,
            host_key=lambda host: database_id_from_host(host),
            mismatch='token is for database {credential} but the nearby URL {host} names database '
                     '{host_key}: the pair does not belong together (copied from two databases?)',
            other_keys=lambda decoded: (decoded.tail_number,) if decoded.tail_number else (),
            self_conflict=_redis_head_tail_conflict,
            confirmed=lambda decoded: decoded.tail_number is not None and decoded.tail_number == decoded.database_id,
        ),
        in_url_password=True,
        remediation=f'{UPSTASH_CONSOLE}/redis -> your database -> Details -> "Reset Password", '
                    'then update every app and CI secret that uses the database',
        revokes='The reset revokes the password and both REST tokens, the standard and the '
                'read-only one: every client of the database must get the new values',
    ),
)
PRODUCTS_BY_ID: Dict[str, Product] = {product.id: product for product in PRODUCTS}
# A value given to the verifier that matches no kind is tried as this product's token.
FALLBACK_PRODUCT = 'redis'


def product_of(kind: 'Kind') -> Product:
    return PRODUCTS_BY_ID[kind.product]


def bare_password_kind(product_id: str) -> Optional[Kind]:
    """The kind of `product_id` whose passwords are found standing alone (`Kind.bare_password`)."""
    return next((kind for kind in KINDS if kind.product == product_id and kind.bare_password), None)


def product_for_host(host: str) -> Product:
    """The product an Upstash host serves (see PRODUCTS for the order)."""
    label = host.lower().split('.', 1)[0]
    return next(product for product in PRODUCTS if product.serves_host(label))


BY_ID = {kind.id: kind for kind in KINDS}
BY_SECRET_TYPE = {kind.secret_type: kind for kind in KINDS}
SECRET_TYPES = tuple(BY_SECRET_TYPE)
PUBLIC_VALUES = frozenset().union(*(kind.public_values for kind in KINDS))


_PUBLIC_UNPADDED = frozenset(value.rstrip('=') for value in PUBLIC_VALUES)


_PERCENT_PADDING = '%3D'


def reported_value(value: str, line: str = '') -> str:
    """A credential as findings carry it (hashed in baselines, handed to the verifier):
    as written, with percent escapes undone (`%3D` -> `=`), so that a token in a URL
    query and the same token written plainly are one finding, and the verifier sends
    the token the server knows.

    With the `line` it was found on, padding written as `%3D` right after an unpadded
    base64 value (`?token=AB...Q%3D%3D`, outside the value's textual shape) is restored.
    """
    if '%' in value:
        value = unquote(value)
    missing = -len(value) % 4
    if line and missing and not value.endswith('='):
        at = line.find(value)
        if at >= 0:
            tail = line[at + len(value):at + len(value) + 3 * missing].upper()
            if tail == _PERCENT_PADDING * missing:
                value += '=' * missing
    return value


def is_public_value(value: str) -> bool:
    """One of the public values, however written (padded or not, percent-encoded)."""
    return reported_value(value).rstrip('=') in _PUBLIC_UNPADDED


def identify(value: str, kinds: Optional[Tuple[Kind, ...]] = None) -> Optional[Tuple[Kind, Decoded]]:
    """The kind whose decoder accepts `value` (a bare credential), or None.

    Public values (the QStash dev-server credentials) are never identified.
    """
    if is_public_value(value):
        return None
    for kind in KINDS if kinds is None else kinds:
        if kind.identified_by != BYTES:     # its form alone (a UUID) says nothing
            continue
        decoded = kind.decode(value)
        if decoded is not None:
            return kind, decoded
    return None


def identify_frame(value: str, kinds: Tuple[Kind, ...] = KINDS) -> Optional[Tuple[Kind, Decoded]]:
    """The kind whose frame holds `value` (its decoder having refused it), or None."""
    if is_public_value(value):
        return None
    for kind in kinds:
        if kind.frame is not None:
            decoded = kind.frame(value)
            if decoded is not None:
                return kind, decoded
    return None


def markdown_table() -> str:
    """The README's table of detected kinds (a test keeps the README in step)."""
    rows = [
        '| Secret type | Product | Scope | Usual env names | How it is verified |',
        '|---|---|---|---|---|',
    ]
    for kind in KINDS:
        names = ', '.join(f'`{name}`' for name in kind.env_names)
        product = product_of(kind).display_name
        rows.append(f'| {kind.secret_type} | {product} | {kind.scope} | {names} | {kind.verify_how} |')
    return '\n'.join(rows)


def extend(kinds: Tuple[Kind, ...] = (), products: Tuple[Product, ...] = ()) -> None:
    """Add kinds and products at run time (a test, or a private build). Call it before
    anything scans: the scanner compiles the catalogue's shapes when it is first imported.
    New products are matched to hosts before Redis (which takes every remaining host)."""
    import sys
    if 'detect_secrets_upstash.scanner' in sys.modules:
        raise RuntimeError('catalogue.extend() must run before detect_secrets_upstash.scanner is imported')
    global KINDS, BY_ID, BY_SECRET_TYPE, SECRET_TYPES, PUBLIC_VALUES, _PUBLIC_UNPADDED
    global PRODUCTS, PRODUCTS_BY_ID
    PRODUCTS = PRODUCTS[:-1] + tuple(products) + PRODUCTS[-1:]
    PRODUCTS_BY_ID = {product.id: product for product in PRODUCTS}
    KINDS = KINDS + tuple(kinds)
    unknown = [kind.id for kind in KINDS if kind.product not in PRODUCTS_BY_ID]
    if unknown or len({kind.id for kind in KINDS}) != len(KINDS):
        raise ValueError(f'kinds without a product, or repeated: {unknown or [k.id for k in kinds]}')
    BY_ID = {kind.id: kind for kind in KINDS}
    BY_SECRET_TYPE = {kind.secret_type: kind for kind in KINDS}
    SECRET_TYPES = tuple(BY_SECRET_TYPE)
    PUBLIC_VALUES = frozenset().union(*(kind.public_values for kind in KINDS))
    _PUBLIC_UNPADDED = frozenset(value.rstrip('=') for value in PUBLIC_VALUES)
