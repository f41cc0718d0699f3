"""What to do about a leaked credential: the product's console steps, and what each kind adds.

Part of the catalogue. A `Product` record says where in the Upstash console its credentials
are rotated and what that revokes (`Product.remediation`, `Product.revokes`); the records
here say, per kind, what the credential opens and where it belongs instead, and only where
the kind differs from its product, how it is rotated (`rotate`, `revokes`) or a note on it
(`rotate_note`). `catalogue.Kind.remediation` (`for_kind`) puts the two together, and the
hook, `report`, `audit`, SARIF and the verifier print that, so the advice is written down
once. Every record ends with the same reminder: a pushed credential stays in git history.
"""
from dataclasses import dataclass
from dataclasses import replace
from typing import Dict
from typing import List

from .catalogue import UPSTASH_CONSOLE as CONSOLE
HISTORY = ('A pushed credential stays in git history: deleting the line does not un-leak it. '
           'Rotate first; `detect-secrets-upstash history` lists every commit that holds it.')


@dataclass(frozen=True)
class Remediation:
    opens: str = ''         # what the credential gives to whoever holds it
    rotate: str = ''        # where in the console, which action ('': its product's)
    revokes: str = ''       # what that action invalidates, and what keeps working ('': its product's)
    belongs: str = ''       # where it should live instead
    rotate_note: str = ''   # what differs for this kind, after its product's way to rotate

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


# What a kind adds to its product's record (catalogue.PRODUCTS).
_BY_KIND: Dict[str, Remediation] = {
    'redis_rest_token': Remediation(
        opens='Read and write every key of the Redis database (any command the REST API '
              'takes, FLUSHDB included)',
        belongs='A server-side environment variable or secret store (never a NEXT_PUBLIC_ / '
                'VITE_ variable); code that runs in a browser gets the read-only token at most',
    ),
    'redis_read_only_token': Remediation(
        opens='Read every key of the Redis database (no writes); whatever the database holds '
              'is exposed',
        rotate_note='the read-only token cannot be reset on its own',
        belongs='A server-side environment variable; if a browser must read, serve the data '
                'through your own API rather than shipping any token',
    ),
    'redis_password': Remediation(
        opens='Full read and write access to the Redis database over TCP (redis-cli, ioredis, '
              'redis-py)',
        belongs='A server-side environment variable (REDIS_URL) or secret store, never in a '
                'committed URL',
    ),
    'qstash_token': Remediation(
        opens='Publish messages to any URL on your account\'s bill, read, cancel and delete '
              'messages, schedules and queues, and read the signing keys',
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
        belongs='A server-side environment variable; clients get the read-only token at most',
    ),
    'vector_read_only_token': Remediation(
        opens='Query and fetch every vector (or Search document) and its metadata in the index',
        rotate_note='the read-only token cannot be reset on its own',
        belongs='A server-side environment variable; serve queries through your own API',
    ),
    'management_api_key': Remediation(
        opens='The whole account through the Management (Developer) API: list every database '
              'with its password and REST tokens, create and delete databases, indexes and '
              'QStash resources, change plans (on your bill)',
        belongs='A secret store or CI secret of the tools that provision (Terraform, Pulumi, the '
                'Upstash CLI); never in a repository, a committed tfvars file or plain Pulumi '
                'config (`pulumi config set --secret`)',
    ),
}

GENERIC = Remediation(
    opens='Whatever the credential is for',
    rotate=f'{CONSOLE}: reset the credential of the resource it belongs to',
    revokes='A reset revokes the old value',
    belongs='A server-side environment variable or secret store',
)


def for_kind(kind_id: str) -> Remediation:
    """The kind's advice: its product's way to rotate (and what that revokes) unless the
    kind's record says otherwise, with the kind's note after it, and the kind's `opens` and
    `belongs`. A kind without a record (one added at run time with `catalogue.extend`) gets
    its product's text and generic words for the rest."""
    from . import catalogue
    kind = catalogue.BY_ID.get(kind_id)
    product = catalogue.product_of(kind) if kind is not None else None
    record = _BY_KIND.get(kind_id)
    if record is None:
        if product is None or not product.remediation:
            return GENERIC
        record = Remediation(opens=f'{kind.scope} access to an Upstash {product.display_name} resource')
    rotate = record.rotate or (product.remediation if product is not None else '') or GENERIC.rotate
    if record.rotate_note:
        rotate = f'{rotate} ({record.rotate_note})'
    return replace(record, rotate=rotate,
                   revokes=record.revokes or (product.revokes if product is not None else '') or GENERIC.revokes,
                   belongs=record.belongs or GENERIC.belongs, rotate_note='')


def kind_ids() -> List[str]:
    return list(_BY_KIND)
