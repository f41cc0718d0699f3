"""QStash tokens (one region each); signing keys are checked against live tokens' keys
(`model.match_signing_key`).

A token is checked with `GET /v2/keys`: a read that changes nothing and, when the run also
holds signing keys, returns the keys to compare them with. The body of `/v2/keys` is never
printed, logged or put into a result; only the comparison's outcome is. `/v2/keys/rotate`
changes state and is never called. A QStash-compatible server without `/v2/keys` (404) is
asked `GET /v2/schedules` for liveness; its signing keys then cannot be compared.
"""
from typing import List
from typing import Sequence

from .answers import ask
from .answers import fetch_json
from .answers import json_of
from .http import host_of
from .http import Refused
from .http import SafeSession
from .model import LIVE
from .model import not_live
from .model import Outcome
from .model import UNKNOWN
from ..catalogue import QSTASH_REGION_URLS

# The global endpoint first; a token answers only on its own region's host.
REGION_URLS = QSTASH_REGION_URLS


def _check_one(session: SafeSession, base_url: str, token: str) -> Outcome:
    host = host_of(base_url)
    reply = ask(session, 'GET', base_url.rstrip('/') + '/v2/keys', token)
    if isinstance(reply, Outcome):
        return reply
    if reply.status == 404:
        # A QStash-compatible server without /v2/keys: liveness from another read.
        return _check_read(session, base_url, token, host)
    document = json_of(reply, host)
    if isinstance(document, Outcome):
        return document
    if not isinstance(document, dict):
        return Outcome(UNKNOWN, f'{host}: answer is not a key set', host=host)
    keys = tuple(value for name in ('current', 'next')
                 if isinstance(value := document.get(name), str) and value)
    if not keys:
        return Outcome(UNKNOWN, f'{host}: answer holds no signing keys', host=host)
    return Outcome(LIVE, f'token accepted by {host}', host=host, signing_keys=keys)


def _check_read(session: SafeSession, base_url: str, token: str, host: str) -> Outcome:
    document = fetch_json(session, 'GET', base_url.rstrip('/') + '/v2/schedules', token)
    if isinstance(document, Outcome):
        return document
    return Outcome(LIVE, f'token accepted by {host} (no /v2/keys there: signing keys not compared)',
                   host=host)


def verify_token(session: SafeSession, token: str, urls: Sequence[str] = REGION_URLS) -> Outcome:
    """Live on the first region that accepts it; revoked only if every region says 401."""
    outcomes: List[Outcome] = []
    for url in urls:
        try:
            outcome = _check_one(session, url, token)
        except Refused as refused:
            outcome = Outcome(UNKNOWN, f'not asked: {refused}')
        if outcome.status == LIVE:
            return outcome
        outcomes.append(outcome)
    return not_live(outcomes, 'every QStash region')


def probe(session: SafeSession, urls: Sequence[str], token: str) -> Outcome:
    """The QStash product's verify probe (`catalogue.PRODUCTS`)."""
    return verify_token(session, token, urls)
