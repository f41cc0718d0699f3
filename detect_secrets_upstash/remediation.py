"""What to do about a leaked credential, per catalogue kind (and so per scope).

Part of the catalogue: `catalogue.Kind.remediation` reads it, and the hook, `report`,
`audit` and the verifier print it, so the advice is written down once. Each record says
what the credential opens, how to rotate it (the console page and the action), what the
rotation revokes, and where the credential belongs instead. Every record ends with the
same reminder: a pushed credential stays in git history.
"""
from dataclasses import dataclass
from typing import Dict
from typing import List

CONSOLE = 'https://console.upstash.com'
HISTORY = ('A pushed credential stays in git history: deleting the line does not un-leak it. '
           'Rotate first; `detect-secrets-upstash history` lists every commit that holds it.')


@dataclass(frozen=True)
class Remediation:
    opens: str          # what the credential gives to whoever holds it
    rotate: str         # where in the console, which action
    revokes: str        # what that action invalidates (and what keeps working)
    belongs: str        # where it should live instead

    def steps(self, history: bool = True) -> List[str]:
        """`Label:   text` lines (the history reminder last, unless said once elsewhere)."""
        steps = [f'Opens:   {_sentence(self.opens)}', f'Rotate:  {_sentence(self.rotate)}',
                 f'Revokes: {_sentence(self.revokes)}', f'Instead: {_sentence(self.belongs)}']
        return steps + ([f'History: {HISTORY}'] if history else [])

    def text(self) -> str:
        return ' '.join(_sentence(part) for part in
                        (self.opens, self.rotate, self.revokes, self.belongs, HISTORY))

    def markdown(self) -> str:
        return '\n'.join([
            f'**What it opens.** {_sentence(self.opens)}', '',
            f'**Rotate it.** {_sentence(self.rotate)} {_sentence(self.revokes)}', '',
            f'**Where it belongs.** {_sentence(self.belongs)}', '',
            f'**Git history.** {HISTORY}',
        ])


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(('.', '!', '?')) else text + '.'


_REDIS_RESET = (f'{CONSOLE}/redis -> your database -> Details -> "Reset Password", '
                'then update every app and CI secret that uses the database')
_REDIS_REVOKES = ('The reset revokes the password and both REST tokens, the standard and the '
                  'read-only one: every client of the database must get the new values')
_VECTOR_RESET = (f'{CONSOLE}/vector (or /search for a Search database) -> your index -> '
                 '"Reset Token", then update every app that queries the index')
_VECTOR_REVOKES = 'The reset revokes both the standard and the read-only token of the index'

_BY_KIND: Dict[str, Remediation] = {
    'redis_rest_token': Remediation(
        opens='Read and write every key of the Redis database (any command the REST API '
              'takes, FLUSHDB included)',
        rotate=_REDIS_RESET,
        revokes=_REDIS_REVOKES,
        belongs='A server-side environment variable or secret store (never a NEXT_PUBLIC_ / '
                'VITE_ variable); code that runs in a browser gets the read-only token at most',
    ),
    'redis_read_only_token': Remediation(
        opens='Read every key of the Redis database (no writes); whatever the database holds '
              'is exposed',
        rotate=_REDIS_RESET + ' (the read-only token cannot be reset on its own)',
        revokes=_REDIS_REVOKES,
        belongs='A server-side environment variable; if a browser must read, serve the data '
                'through your own API rather than shipping any token',
    ),
    'redis_password': Remediation(
        opens='Full read and write access to the Redis database over TCP (redis-cli, ioredis, '
              'redis-py)',
        rotate=_REDIS_RESET,
        revokes=_REDIS_REVOKES,
        belongs='A server-side environment variable (REDIS_URL) or secret store, never in a '
                'committed URL',
    ),
    'qstash_token': Remediation(
        opens='Publish messages to any URL on your account\'s bill, read, cancel and delete '
              'messages, schedules and queues, and read the signing keys',
        rotate=f'{CONSOLE}/qstash -> "Reset Token", then update every publisher',
        revokes='The reset revokes the old token only; signing keys are not changed, but roll '
                'them too (the token could read them)',
        belongs='A server-side environment variable (QSTASH_TOKEN) of the services that '
                'publish; never in client code',
    ),
    'qstash_signing_key': Remediation(
        opens='Sign requests that your QStash handlers accept as genuine (forged webhook '
              'calls)',
        rotate=f'{CONSOLE}/qstash -> Signing Keys -> "Roll keys", then set both '
               'QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY in every handler',
        revokes='Keys roll: the next key becomes the current one and a new next key is made. '
                'One roll retires a leaked current key; a leaked next key becomes current, so '
                'roll twice (updating the handlers between the rolls)',
        belongs='A server-side environment variable of the webhook handlers only',
    ),
    'vector_token': Remediation(
        opens='Read, overwrite and delete every vector (or Search document) and its metadata '
              'in the index',
        rotate=_VECTOR_RESET,
        revokes=_VECTOR_REVOKES,
        belongs='A server-side environment variable; clients get the read-only token at most',
    ),
    'vector_read_only_token': Remediation(
        opens='Query and fetch every vector (or Search document) and its metadata in the index',
        rotate=_VECTOR_RESET + ' (the read-only token cannot be reset on its own)',
        revokes=_VECTOR_REVOKES,
        belongs='A server-side environment variable; serve queries through your own API',
    ),
}

GENERIC = Remediation(
    opens='Whatever the credential is for',
    rotate=f'{CONSOLE}: reset the credential of the resource it belongs to',
    revokes='A reset revokes the old value',
    belongs='A server-side environment variable or secret store',
)


def for_kind(kind_id: str) -> Remediation:
    """The kind's record; for a kind added at run time (`catalogue.extend`) without one, its
    product's `remediation` text (the Product record's slot) as the way to rotate it."""
    record = _BY_KIND.get(kind_id)
    if record is not None:
        return record
    from . import catalogue
    kind = catalogue.BY_ID.get(kind_id)
    if kind is None:
        return GENERIC
    product = catalogue.product_of(kind)
    if not product.remediation:
        return GENERIC
    return Remediation(opens=f'{kind.scope} access to an Upstash {product.display_name} resource',
                       rotate=product.remediation, revokes=GENERIC.revokes, belongs=GENERIC.belongs)


def kind_ids() -> List[str]:
    return list(_BY_KIND)
