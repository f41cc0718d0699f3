"""What the lines around a credential say about it: which Upstash host it opens.

A token alone does not name its Redis database's host; the URL usually stands a
few lines away (`UPSTASH_REDIS_REST_URL=...` above `..._TOKEN=...`). detect-secrets
hands plugins +-5 lines of context; the verifier and audit output re-read the same window.

Hosts are matched to the credential's product: a Redis token is never paired with
the Vector or QStash URL that happens to stand next to it in a `.env` file.
"""
from __future__ import annotations

import re
from typing import Iterable
from typing import List
from typing import Sequence

from . import lazy_re
from . import catalogue
from .catalogue import UPSTASH_HOST
from .context_evidence import is_listed_value
from .context_evidence import listed_name
from .context_evidence import names_upstash_host
from .scanner import Found

# https://host[:port] on an Upstash host (REST URLs); rediss://user:pass@host[:port] is
# matched by UPSTASH_HOST too, and maps to the same https REST URL.
_URL = lazy_re.compile(r'(?:https?|rediss?)://(?:[^\s/@"\'`<>]*@)?' + UPSTASH_HOST.pattern + r'(?::\d+)?',
                       re.IGNORECASE)


def __getattr__(name):
    # `FindingContext` lives in `finding_context`, created when a finding is first described
    # (audit, report, hook output), not when the scan imports this module.
    if name == 'FindingContext':
        from .finding_context import FindingContext
        return FindingContext
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def host_product(host: str) -> str:
    """The id of the Upstash product an Upstash host serves (`catalogue.PRODUCTS`)."""
    return catalogue.product_for_host(host).id


def upstash_hosts(lines: Iterable[str]) -> List[str]:
    """Upstash hosts named in `lines`, in order of appearance, without repeats."""
    hosts: List[str] = []
    for line in lines:
        for match in _URL.finditer(line):
            host = match.group(1).lower()
            if host not in hosts:
                hosts.append(host)
    return hosts


def describe(found: Found, lines: Iterable[str] = ()) -> 'FindingContext':
    """Host and consistency for a finding, from its own URL or the lines around it."""
    from .finding_context import FindingContext
    product = catalogue.product_of(found.kind)
    if found.host:
        candidates = [found.host]
    else:
        candidates = [host for host in upstash_hosts(lines) if catalogue.product_for_host(host) is product]
    if not candidates:
        return FindingContext()
    if product.pairing is None:
        # e.g. QStash: a token belongs to one region; the nearby URL says which.
        return FindingContext(candidates[0], f'https://{candidates[0]}')
    return _paired(found, candidates, product.pairing)


def _paired(found: Found, candidates: List[str], pairing: catalogue.Pairing) -> 'FindingContext':
    from .finding_context import FindingContext
    key = pairing.credential_key(found.decoded)
    keys = {k for k in (key, *pairing.other_keys(found.decoded)) if k is not None}
    # Prefer the host whose key (database id, endpoint) one of the credential's own keys names.
    for host in candidates:
        if keys and pairing.host_key(host) in keys:
            return FindingContext(host, f'https://{host}')
    host = candidates[0]
    host_key = pairing.host_key(host)
    mismatch = pairing.self_conflict(found.decoded) if pairing.self_conflict else None
    # Otherwise warn only when the credential's own evidence agrees (a Redis token's head and
    # tail): in public code a head id alone sometimes differs from its own host's number.
    if (mismatch is None and key is not None and host_key is not None and host_key != key
            and pairing.confirmed(found.decoded)):
        mismatch = pairing.mismatch.format(credential=key, host=host, host_key=host_key)
    return FindingContext(host, f'https://{host}', mismatch)


# --- legacy passwords written apart from their host (Spring, docker-compose, .env) ---

# A password-ish key and a value of exactly 32 hex characters (legacy Upstash Redis
# passwords), alone as the value: `spring.data.redis.password=<hex>`, `REDIS_PASSWORD: "<hex>"`,
# `"password": "<hex>",`, `requirepass <hex>`.
# JSON-escaped quotes (a notebook cell's `os.environ[\"REDIS_PASSWORD\"] = \"<hex>\"\n",`)
# are quotes too.
_PASSWORD_ASSIGNMENT = lazy_re.compile(
    r'(?i)(?<![A-Za-z0-9])[\w.$-]*(?:password|passwd|requirepass)[\w.-]*(?:\\?["\'])?\]?'
    r'\s*(?:=>|[=:]|\s)\s*\\?["\']?([0-9a-f]{32})(?:\\?["\'])?(?:\\n)?["\']?\s*(?:[,;})\]#]|$)'
)
_PASSWORD_NAME = lazy_re.compile(r'(?i)password|passwd|requirepass')
# A list entry's value whose name (`- name: REDIS_PASSWORD`, Terraform `key = "..."`) stands
# on the line before.
_LISTED_VALUE = lazy_re.compile(r'(?i)\s*(?:-\s+|\{\s*)?["\']?value["\']?\s*[:=]\s*["\']?([0-9a-f]{32})["\']?\s*[,}]?\s*$')
_BARE_HOST = lazy_re.compile(UPSTASH_HOST.pattern, re.IGNORECASE)


# `a=` and 32 hex characters, the shortest line `password_findings` reports on.
SHORTEST_PASSWORD_LINE = 36


def may_hold_password(line: str) -> bool:
    """Cheap test run on every line without a credential, before `password_findings`: a key
    holding `ass`/`ASS` (or a list entry's `value:`, its name on the line before) and room
    for 32 hex characters."""
    return len(line) >= SHORTEST_PASSWORD_LINE and ('ass' in line or 'ASS' in line or is_listed_value(line))


def password_findings(line: str, nearby: Sequence[str]) -> List[Found]:
    """A legacy 32-hex Redis password under a password key on `line`, reported as
    `redis_password` only when the lines around it name an Upstash Redis host (bare,
    `spring.data.redis.host=us1-....upstash.io`, or in a URL). A 32-hex value alone could
    belong to any vendor, so without such a host nothing is reported."""
    # An Upstash host around it is required: looking for one first (one character-class
    # scan per line) keeps the assignment regex off password lines of other services.
    if not names_upstash_host(nearby):
        return []
    match = _PASSWORD_ASSIGNMENT.search(line)
    if match is None and is_listed_value(line) and _PASSWORD_NAME.search(listed_name(line, nearby)):
        match = _LISTED_VALUE.match(line)
    if match is None:
        return []
    hosts = [m.group(1).lower() for text in nearby for m in _BARE_HOST.finditer(text)]
    for kind in catalogue.KINDS:
        # the kinds whose passwords stand alone (`Kind.bare_password`), by their own decoder
        if not kind.bare_password or kind.decode(match.group(1)) is None:
            continue
        product = catalogue.product_of(kind)
        own_hosts = [host for host in hosts
                     if catalogue.product_for_host(host) is product and host != 'upstash.io']
        if own_hosts:
            return [Found(kind, match.group(1), catalogue.Decoded(kind.scope), host=own_hosts[0])]
    return []
