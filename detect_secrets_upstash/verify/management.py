"""Management (Developer) API keys: one read of the account, and only a count comes back.

`GET https://api.upstash.com/v2/redis/databases` with HTTP Basic `email:key` lists the
account's Redis databases. It is a read and changes nothing. Its body holds every
database's password and REST tokens, so it is never printed, logged or put into a result:
it is parsed here, counted, and dropped. Only `https://api.upstash.com` (or a host the user
allowed that no other product claims) ever gets the key (`Product.token_hosts`).

A 401 means the pair was refused: the key is revoked, or the email is not its account's.
The verifier (`settle`) calls that revoked only when the user gave the email (--email).
"""
from typing import Sequence

from .answers import fetch_json
from .http import host_of
from .http import SafeSession
from .model import LIVE
from .model import Outcome
from .model import REVOKED
from .model import UNKNOWN

LISTING = '/v2/redis/databases'


def _count(body) -> int:
    """How many databases a listing holds (a JSON list of database records)."""
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise ValueError('not a database listing')
    return len(body)


def _check_one(session: SafeSession, base_url: str, key: str, email: str) -> Outcome:
    host = host_of(base_url)
    # `session` sends the key only where the product's record lets it (the verifier binds
    # each probe's session to its product).
    document = fetch_json(session, 'GET', base_url.rstrip('/') + LISTING, key, user=email,
                          refused='the email:key pair was refused')
    if isinstance(document, Outcome):
        return document
    try:
        count = _count(document)
    except ValueError:
        return Outcome(UNKNOWN, f'{host}: answer is not a database listing', host=host)
    finally:
        del document        # the listing holds every database's password
    return Outcome(LIVE, f'account key accepted by {host}: the account has {count} Redis '
                         f'database(s) (the listing holds their passwords; it is not shown)', host=host)


def probe(session: SafeSession, urls: Sequence[str], token: str, user: str) -> Outcome:
    """The Management API product's verify probe (`catalogue.PRODUCTS`): `user` is the
    account email."""
    outcome = Outcome(UNKNOWN, 'no Management API URL')
    for url in urls:
        outcome = _check_one(session, url, token, user)
        if outcome.status in (LIVE, REVOKED):
            return outcome
    return outcome
