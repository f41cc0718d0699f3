"""Vector and Search tokens: the token names its endpoint, so the URL is derived offline.

`GET <url>/info` is a read. A Vector endpoint lives at `<endpoint>-vector.upstash.io`, a
Search one at `<endpoint>-search.upstash.io`; the token does not say which product it is
for, so both are tried, Vector first.

Scope: the server's answer outranks the token's user field (admin/readonly). Once `/info`
accepted the token, `POST <url>/delete {"ids": [<random 128-bit id>]}` asks for a write that
deletes nothing (no vector has that id): refused -> read-only, accepted -> read-write.
"""
import secrets
from typing import List
from typing import Sequence

from .answers import fetch_json
from .http import host_of
from .http import SafeSession
from .http import TransportError
from .model import LIVE
from .model import not_live
from .model import Outcome
from .model import SKIPPED
from ..catalogue import Decoded
from ..catalogue import vector_urls
from ..tokens import READ_ONLY
from ..tokens import READ_WRITE
from .model import UNKNOWN


def derived_urls(endpoint: str) -> List[str]:
    return list(vector_urls(Decoded(READ_WRITE, endpoint=endpoint)))


def _check_one(session: SafeSession, base_url: str, token: str) -> Outcome:
    host = host_of(base_url)
    # A host that does not exist (a Vector endpoint has no -search twin) is no vote.
    document = fetch_json(session, 'GET', base_url.rstrip('/') + '/info', token, missing_host_votes=False)
    if isinstance(document, Outcome):
        return document
    if not isinstance(document, dict):
        return Outcome(UNKNOWN, f'{host}: answer is not an index description', host=host)
    return Outcome(LIVE, f'token accepted by {host}', host=host)


def verify(session: SafeSession, token: str, urls: Sequence[str]) -> Outcome:
    """Live on the first URL that accepts it; revoked only if every URL says 401."""
    outcomes = []
    for url in urls:
        outcome = _check_one(session, url, token)
        if outcome.status == LIVE:
            return _with_scope(session, url, token, outcome)
        outcomes.append(outcome)
    # A host that does not exist (a Vector endpoint has no -search twin) is not a vote.
    return not_live(outcomes, ', '.join(o.host or '?' for o in outcomes if o.status != SKIPPED))


def probe_id() -> str:
    return 'upstash-verify-probe-' + secrets.token_hex(16)     # 128 random bits: no such vector


def _with_scope(session: SafeSession, base_url: str, token: str, live: Outcome) -> Outcome:
    try:
        reply = session.request('POST', base_url.rstrip('/') + '/delete', token, {'ids': [probe_id()]})
    except TransportError as error:
        return Outcome(LIVE, f'{live.detail}; write probe failed ({error})', host=live.host)
    if reply.status == 200:
        return Outcome(LIVE, f'{live.detail}; server allows writes (no-op delete of a random id)',
                       scope=READ_WRITE, host=live.host)
    if reply.status in (401, 403):
        return Outcome(LIVE, f'{live.detail}; server refuses writes ({reply.status})',
                       scope=READ_ONLY, host=live.host)
    return Outcome(LIVE, f'{live.detail}; write probe inconclusive ({reply.status})', host=live.host)


def probe(session: SafeSession, urls: Sequence[str], token: str) -> Outcome:
    """The Vector/Search product's verify probe (`catalogue.PRODUCTS`)."""
    return verify(session, token, urls)
