"""A made-up product with one made-up kind, added at run time (docs/extending.md).

`tests/test_extension.py` runs our commands with these added to the catalogue and checks
they flow through scan, the hook, audit notes, the verifier (against the stand-in, which
gets one route for the product) and the README table. Nothing here is a real format.
"""
import hashlib
import re
import secrets
from typing import Optional

from detect_secrets_upstash import catalogue
from detect_secrets_upstash.tokens import READ_WRITE

PREFIX = 'xmpl_'
PATH_PREFIX = '/example/'


def _check(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:4]


def generate_example_key() -> str:
    body = secrets.token_hex(16)
    return PREFIX + body + _check(body)


def decode_example_key(value: str) -> Optional[catalogue.Decoded]:
    body, check = value[len(PREFIX):-4], value[-4:]
    return catalogue.Decoded(READ_WRITE) if value.startswith(PREFIX) and _check(body) == check else None


PRODUCT = catalogue.Product(
    id='example', display_name='Example',
    serves_host=lambda label: label.startswith('example-'),
    env_families=('UPSTASH_EXAMPLE_',),
    name_words=('example',),
    verify_probe='tests.extension_example:probe',
    no_url='no Example URL near it',
    url_from_context=True,
    url_override='the URL near the key',     # gives --example-url / UPSTASH_VERIFY_EXAMPLE_URL
    remediation='https://console.upstash.com/example -> your key -> "Revoke", then issue a new one',
    revokes='Revoking retires the key at once',
)

KIND = catalogue.Kind(
    id='example_key',
    secret_type='Upstash Example Key',
    product='example', scope=READ_WRITE,
    pattern=r'(?<![A-Za-z0-9_])xmpl_[0-9a-f]{36}(?![A-Za-z0-9_])',
    decode=decode_example_key,
    env_names=('UPSTASH_EXAMPLE_KEY',),
    examples=(),
    verify_how='`GET /example/ping` on the URL near it',
    generators=(('hex', generate_example_key),),
)


def extend() -> None:
    catalogue.extend(kinds=(KIND,), products=(PRODUCT,))


# --- the verifier's probe ---

def probe(session, urls, token):
    from detect_secrets_upstash.verify.answers import fetch_json
    from detect_secrets_upstash.verify.http import host_of
    from detect_secrets_upstash.verify.model import LIVE, Outcome, UNKNOWN
    host = host_of(urls[0])
    document = fetch_json(session, 'GET', urls[0].rstrip('/') + PATH_PREFIX + 'ping', token)
    if isinstance(document, Outcome):
        return document
    if document == {'result': 'pong'}:
        return Outcome(LIVE, f'token accepted by {host}', host=host)
    return Outcome(UNKNOWN, f'{host}: answer is not a pong', host=host)


# --- the stand-in's route ---

def answer(credential, path):
    """(status, document) for a request under PATH_PREFIX."""
    if credential is None or credential.product != PRODUCT.id or credential.revoked:
        return 401, {'error': 'Unauthorized'}
    if re.fullmatch(re.escape(PATH_PREFIX) + 'ping', path):
        return 200, {'result': 'pong'}
    return 404, {'error': 'not found'}
