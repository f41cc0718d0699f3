"""What goes into verification (a `Credential`) and what comes out (a `Result`)."""
import hmac
from dataclasses import asdict
from dataclasses import dataclass
from typing import Iterable
from typing import Optional
from typing import Sequence
from typing import Union

from ..catalogue import Decoded
from ..catalogue import Kind
from ..tokens import ACCOUNT
from ..tokens import READ_ONLY
from ..tokens import READ_WRITE
from ..redaction import redact_message
from ..tokens import redact

# status
LIVE = 'live'
REVOKED = 'revoked'
UNKNOWN = 'unknown'      # we asked, and the answer proves nothing (5xx, 429, timeout, garbage, ...)
SKIPPED = 'skipped'      # we did not ask (host not allowed, no URL known, kind not verifiable)
STATUSES = (LIVE, REVOKED, UNKNOWN, SKIPPED)

# scope
SCOPE_UNKNOWN = 'unknown'
SCOPES = (READ_WRITE, READ_ONLY, ACCOUNT, SCOPE_UNKNOWN)

# scope_source
FROM_SERVER = 'server'   # the server refused (or accepted) a no-op write
FROM_TOKEN = 'token'     # the token's own bytes (or its kind) say so


@dataclass(frozen=True)
class Credential:
    """One credential to verify, with everything known about where it came from."""
    kind: Optional[Kind]               # None: not an Upstash format (given with --token)
    value: str
    decoded: Optional[Decoded] = None
    url: Optional[str] = None          # REST base URL to ask (Redis: from context or --url)
    location: Optional[str] = None     # file:line
    note: Optional[str] = None         # context remark, e.g. token/host database mismatch
    problem: Optional[str] = None      # set when the value could not be recovered at all
    type_name: Optional[str] = None    # secret type as recorded (for unrecovered findings)
    host_mismatch: bool = False        # the URL names another database than the token's bytes
    # The user half of a user:key pair (a Management API key's account email), as found
    # beside it; None when none was found or the product needs none.
    user: Optional[str] = None

    @property
    def kind_id(self) -> str:
        if self.kind is not None:
            return self.kind.id
        return self.type_name or 'unrecognised'

    @property
    def token_scope(self) -> str:
        if self.decoded is not None:
            return self.decoded.scope
        if self.kind is not None:
            return self.kind.scope
        return SCOPE_UNKNOWN


@dataclass(frozen=True)
class Outcome:
    """What a product-specific check learned from the server (no presentation details)."""
    status: str
    detail: str
    scope: Optional[str] = None        # only when the server told us
    host: Optional[str] = None         # host actually answering (QStash region, Vector/Search)
    signing_keys: tuple = ()           # QStash: keys of a live token; compared, never printed


def status_outcome(status: int, host: Optional[str] = None,
                   refused: str = 'token refused') -> Optional[Outcome]:
    """What an HTTP status alone decides, for every product: only a 401 means revoked
    (`refused` says what was refused); 429 and 5xx prove nothing. None when the body has
    to be read."""
    where = f'{host}: ' if host else ''
    if status == 401:
        return Outcome(REVOKED, f'{where}{refused} (401)', host=host)
    if status == 429:
        return Outcome(UNKNOWN, f'{where}rate limited (429); try again later', host=host)
    if status >= 500:
        return Outcome(UNKNOWN, f'{where}server error ({status})', host=host)
    return None


def not_live(outcomes, what: str) -> Outcome:
    """Combine the answers of several hosts none of which accepted the token: revoked only
    if every host that answered refused it (a host that does not exist is no vote)."""
    answered = [o for o in outcomes if o.status != SKIPPED]
    if answered and all(o.status == REVOKED for o in answered):
        return Outcome(REVOKED, f'refused (401) by {what}', host=answered[0].host)
    return Outcome(UNKNOWN, '; '.join(o.detail for o in outcomes if o.status != REVOKED)
                   or 'no host answered')


@dataclass(frozen=True)
class Result:
    kind: str
    status: str
    scope: str
    scope_source: str
    host: Optional[str]
    database_id: Union[int, str, None]
    token: str
    location: Optional[str]
    detail: str
    # which evidence identified the credential (`token bytes (current layout)`,
    # `context (under MYAPP_KV_REST_API_TOKEN)`); '' for a value given with --token
    evidence: str = ''
    # detect-secrets' hash of the value (as baselines store it): SARIF's per-secret
    # fingerprint. Not part of the JSON output.
    fingerprint: str = ''

    def as_dict(self) -> dict:
        fields = asdict(self)
        del fields['fingerprint']
        return fields


def shown_token(value: str, show_tokens: bool) -> str:
    return value if show_tokens else redact(value)


def scrub(text: str, value: str) -> str:
    """A result's detail safe to print: the token and any 12+ character piece of it (a
    server's error message or a redirect's host name could echo it, in any letter case,
    broken across lines), and anything else secret-shaped, masked."""
    return redact_message(text, [value])


def match_signing_key(key: str, live_key_sets: Iterable[Sequence[str]]) -> Optional[int]:
    """Index of the live key set holding `key` (a kind `checked_against_tokens`: the keys a
    live token of its product read), compared in constant time, or None."""
    found = None
    wanted = key.encode()
    for index, key_set in enumerate(live_key_sets):
        for candidate in key_set:
            # compare every candidate (no early exit) so timing says nothing about the keys
            if hmac.compare_digest(wanted, candidate.encode()) and found is None:
                found = index
    return found
