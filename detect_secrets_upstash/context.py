"""What the lines around a credential say about it: which Upstash host it opens.

A token alone does not name its Redis database's host; the URL usually stands a
few lines away (`UPSTASH_REDIS_REST_URL=...` above `..._TOKEN=...`). detect-secrets
hands plugins +-5 lines of context; the verifier and audit output re-read the same window.

Hosts are matched to the credential's product: a Redis token is never paired with
the Vector or QStash URL that happens to stand next to it in a `.env` file.
"""
import re
from dataclasses import dataclass
from typing import Iterable
from typing import List
from typing import Optional

from .catalogue import database_id_from_host
from .catalogue import UPSTASH_HOST
from .scanner import Found

# https://host[:port] on an Upstash host (REST URLs); rediss://user:pass@host[:port] is
# matched by UPSTASH_HOST too, and maps to the same https REST URL.
_URL = re.compile(r'(?:https?|rediss?)://(?:[^\s/@"\'`<>]*@)?' + UPSTASH_HOST.pattern + r'(?::\d+)?',
                  re.IGNORECASE)
_VECTOR_SUFFIXES = ('-vector', '-search')


@dataclass(frozen=True)
class FindingContext:
    host: Optional[str] = None          # Upstash host named by the finding's URL or nearby lines
    rest_url: Optional[str] = None      # https://<host>, where a REST call would go
    mismatch: Optional[str] = None      # a sentence when the credential contradicts the host


def host_product(host: str) -> str:
    """Which Upstash product an Upstash host serves: redis | qstash | vector | kafka."""
    label = host.lower().split('.', 1)[0]
    if label.startswith('qstash'):
        return 'qstash'
    if label.endswith(_VECTOR_SUFFIXES):
        return 'vector'
    if 'kafka' in label:
        return 'kafka'
    return 'redis'


def upstash_hosts(lines: Iterable[str]) -> List[str]:
    """Upstash hosts named in `lines`, in order of appearance, without repeats."""
    hosts: List[str] = []
    for line in lines:
        for match in _URL.finditer(line):
            host = match.group(1).lower()
            if host not in hosts:
                hosts.append(host)
    return hosts


def describe(found: Found, lines: Iterable[str] = ()) -> FindingContext:
    """Host and consistency for a finding, from its own URL or the lines around it."""
    product = found.kind.product
    if found.host:
        candidates = [found.host]
    else:
        candidates = [host for host in upstash_hosts(lines) if host_product(host) == product]
    if not candidates:
        return FindingContext()
    if product == 'redis':
        return _redis(found, candidates)
    if product == 'vector':
        return _vector(found, candidates)
    # QStash: a token belongs to one region; the nearby URL says which.
    return FindingContext(candidates[0], f'https://{candidates[0]}')


def _redis(found: Found, candidates: List[str]) -> FindingContext:
    token_id = found.decoded.database_id
    # Prefer the host whose database id agrees with the token's bytes.
    for host in candidates:
        if token_id is not None and database_id_from_host(host) == token_id:
            return FindingContext(host, f'https://{host}')
    host = candidates[0]
    host_id = database_id_from_host(host)
    mismatch = None
    if token_id is not None and host_id is not None and host_id != token_id:
        mismatch = (f'token is for database {token_id} but the nearby URL {host} names database '
                    f'{host_id}: the pair does not belong together (copied from two databases?)')
    return FindingContext(host, f'https://{host}', mismatch)


def _vector(found: Found, candidates: List[str]) -> FindingContext:
    endpoint = found.decoded.endpoint
    for host in candidates:
        label = host.split('.', 1)[0]
        if endpoint and label in (endpoint + suffix for suffix in _VECTOR_SUFFIXES):
            return FindingContext(host, f'https://{host}')
    host = candidates[0]
    mismatch = None
    if endpoint:
        mismatch = (f'token is for endpoint {endpoint} but the nearby URL names {host}: '
                    f'the pair does not belong together (copied from two indexes?)')
    return FindingContext(host, f'https://{host}', mismatch)


# --- legacy passwords written apart from their host (Spring, docker-compose, .env) ---

# A password-ish key and a value of exactly 32 hex characters (legacy Upstash Redis
# passwords), alone as the value: `spring.data.redis.password=<hex>`, `REDIS_PASSWORD: "<hex>"`,
# `"password": "<hex>",`, `requirepass <hex>`.
_PASSWORD_ASSIGNMENT = re.compile(
    r'(?i)(?<![A-Za-z0-9])[\w.$-]*(?:password|passwd|requirepass)[\w.-]*["\']?'
    r'\s*(?:=>|[=:]|\s)\s*["\']?([0-9a-f]{32})["\']?\s*(?:[,;}#]|$)'
)
_BARE_HOST = re.compile(UPSTASH_HOST.pattern, re.IGNORECASE)


def may_hold_password(line: str) -> bool:
    """Cheap test run on every line without a credential, before `password_findings`: a key
    holding `ass`/`ASS` and room for 32 hex characters."""
    return len(line) >= 36 and ('ass' in line or 'ASS' in line)


def password_findings(line: str, nearby: Iterable[str]) -> List[Found]:
    """A legacy 32-hex Redis password under a password key on `line`, reported as
    `redis_password` only when the lines around it name an Upstash Redis host (bare,
    `spring.data.redis.host=us1-....upstash.io`, or in a URL). A 32-hex value alone could
    belong to any vendor, so without such a host nothing is reported."""
    # Imported here: the catalogue and tokens are needed only for the rare matching line.
    from . import catalogue
    from .tokens import is_legacy_redis_password

    match = _PASSWORD_ASSIGNMENT.search(line)
    if match is None or not is_legacy_redis_password(match.group(1)):
        return []
    hosts = [m.group(1).lower() for text in nearby for m in _BARE_HOST.finditer(text)]
    redis_hosts = [host for host in hosts if host_product(host) == 'redis' and host != 'upstash.io']
    if not redis_hosts:
        return []
    kind = catalogue.BY_ID['redis_password']
    return [Found(kind, match.group(1), catalogue.Decoded(kind.scope), host=redis_hosts[0])]
