"""Verify many credentials at once: plan, ask each server once, then assemble results.

Library entry point: `verify_credentials(credentials, Options(...)) -> [Result]`.
"""
import importlib
import re
from concurrent.futures import as_completed
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Dict
from typing import List
from typing import Mapping
from typing import Optional
from typing import Sequence
from typing import Tuple

from .http import host_of
from .http import HostPolicy
from .http import Refused
from .http import SafeSession
from .http import TransportError
from .model import Credential
from .model import FROM_SERVER
from .model import FROM_TOKEN
from .model import LIVE
from .model import match_signing_key
from .model import Outcome
from .model import Result
from .model import REVOKED
from .model import scrub
from .model import shown_token
from .model import SKIPPED
from .model import UNKNOWN
from .. import catalogue
from ..redaction import redact_path

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class Options:
    policy: HostPolicy = HostPolicy()
    # product id -> URLs that replace those the product derives from a credential (the
    # QStash regional hosts, the Vector URL the token names: self-hosted servers, tests);
    # `--<id>-url` on the command line (`arguments.py`).
    product_urls: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # The account email for Management API keys (--email): it replaces the email found
    # beside a key, and the user vouches for it, so a refusal (401) then means revoked.
    account_email: Optional[str] = None
    concurrency: int = DEFAULT_CONCURRENCY
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    show_tokens: bool = False
    https_proxy: Optional[str] = None   # explicit only; environment proxies are never used
    session: Optional[SafeSession] = field(default=None, compare=False)

    def new_session(self) -> SafeSession:
        return self.session or SafeSession(self.policy, self.connect_timeout, self.read_timeout,
                                           https_proxy=self.https_proxy)


# A job is what is actually sent: identical (product, urls, token, user) are asked once
# (user: the account email of a Management API key, '' for every other product).
Job = Tuple[str, Tuple[str, ...], str, str]

# Email domains and local parts that documentation and templates use.
_PLACEHOLDER_EMAIL = re.compile(
    r'(?i)^(?:you|your|user|email|name|test|john|jane|foo)[._-]?(?:email|name|doe)?@|'
    r'@(?:[\w-]+\.)*(?:example|test|invalid|localhost|domain|email)(?:\.[a-z]+)?$|your[_-]?email')


def _allowed(policy: HostPolicy, urls: Sequence[str],
             product: Optional[catalogue.Product] = None) -> Tuple[List[str], List[str]]:
    allowed, reasons = [], []
    for url in urls:
        try:
            policy.check(url, product)
            allowed.append(url)
        except Refused as refused:
            reasons.append(str(refused))
    return allowed, reasons


def _product(credential: Credential) -> catalogue.Product:
    kind = credential.kind
    return catalogue.product_of(kind) if kind else catalogue.PRODUCTS_BY_ID[catalogue.FALLBACK_PRODUCT]


def plan(credential: Credential, options: Options):
    """A `Job` to run, or an `Outcome` decided without any network access (None: decided
    after the jobs, from their results)."""
    if credential.problem:
        return Outcome(UNKNOWN, credential.problem)
    kind = credential.kind
    if kind is not None and kind.not_verifiable:
        return Outcome(SKIPPED, kind.not_verifiable)
    if kind is not None and kind.checked_against_tokens:
        return None     # decided after the tokens of the same run
    product = _product(credential)
    if product.verify_probe is None:
        return Outcome(SKIPPED, f'{product.display_name} credentials are not verified')
    if credential.url:
        urls = [credential.url]
    else:
        urls = list(options.product_urls.get(product.id, ()) or product.derive_urls(credential.decoded))
    if not urls:
        return Outcome(SKIPPED, product.no_url or f'no {product.display_name} URL known for it')
    user = ''
    if product.needs_user:
        user = options.account_email or credential.user or ''
        if not user:
            return Outcome(SKIPPED, f'no {product.needs_user} near it (it is half of a user:key pair); '
                                    f'pass --email (UPSTASH_VERIFY_EMAIL for the plugin) to verify it')
        if not options.account_email and _PLACEHOLDER_EMAIL.search(user):
            return Outcome(SKIPPED, 'the email beside it is a placeholder; pass --email to verify it')
    allowed, reasons = _allowed(options.policy, urls, product)
    if not allowed:
        return Outcome(SKIPPED, 'not sent: ' + '; '.join(reasons), host=host_of(urls[0]))
    return (product.id, tuple(allowed), credential.value, user)


def _probe(product: catalogue.Product) -> Callable:
    module, _, function = product.verify_probe.partition(':')
    return getattr(importlib.import_module(module), function)


def run_job(session: SafeSession, job: Job) -> Outcome:
    """Never raises: every failure becomes an `unknown` (or `skipped`) outcome."""
    product_id, urls, token, user = job
    product = catalogue.PRODUCTS_BY_ID[product_id]
    bound = session.for_product(product)    # the probe's requests carry its product's record
    try:
        if product.needs_user:
            return _probe(product)(bound, urls, token, user)
        return _probe(product)(bound, urls, token)
    except Refused as refused:
        return Outcome(SKIPPED, f'not sent: {refused}')
    except TransportError as error:
        return Outcome(UNKNOWN, str(error))
    except Exception as error:      # noqa: BLE001  (a bug must not lose the other results)
        return Outcome(UNKNOWN, f'verification failed ({type(error).__name__})')


def settle(credential: Credential, outcome: Outcome, options: Options = Options()) -> Outcome:
    """The final word on one credential from the server's answer, for `upstash-verify` and
    the detect-secrets plugin alike (a revoked credential's finding is dropped by
    detect-secrets, so `revoked` must mean the token itself was refused)."""
    if outcome.status == REVOKED and credential.host_mismatch:
        # A database refusing another database's token proves nothing about the token.
        return Outcome(UNKNOWN, 'refused (401) by the host near it, which belongs to '
                                'another database', host=outcome.host)
    product = _product(credential)
    if outcome.status == REVOKED and product.needs_user and not options.account_email:
        # The pair was refused: the key is revoked, or the email written beside it is not
        # its account's. Only an email the user vouches for (--email) decides.
        return Outcome(UNKNOWN, f'{outcome.detail}, with the email written beside it: the key is '
                                f'revoked or that email is not its account; pass --email to decide',
                       host=outcome.host)
    return outcome


def _signing_key_outcome(credential: Credential, jobs: Dict[Job, Outcome]) -> Outcome:
    """A kind `checked_against_tokens` (QStash signing keys): live when a live token of its
    product in the same run read it."""
    product = catalogue.product_of(credential.kind).display_name
    live = [(job, outcome) for job, outcome in jobs.items()
            if job[0] == credential.kind.product and outcome.status == LIVE and outcome.signing_keys]
    if not live:
        return Outcome(UNKNOWN, f'signing keys are checked against the keys of a live {product} token '
                                'from the same input; there is none whose keys could be read')
    index = match_signing_key(credential.value, [outcome.signing_keys for _, outcome in live])
    if index is None:
        return Outcome(UNKNOWN, f'matches none of the signing keys of the {len(live)} live {product} '
                                f'token(s) in this input (rotated, or another account)')
    job, outcome = live[index]
    return Outcome(LIVE, f'is a signing key (current or next) of the live {product} token '
                         f'{shown_token(job[2], False)} ({outcome.host})', host=outcome.host)


def verify_credentials(credentials: Sequence[Credential], options: Options = Options(),
                       progress: Optional[Callable[[int, int], None]] = None) -> List[Result]:
    planned = [plan(credential, options) for credential in credentials]
    jobs: Dict[Job, Optional[Outcome]] = {}
    for item in planned:
        if isinstance(item, tuple):
            jobs.setdefault(item, None)

    session = options.new_session()
    total, done = len(jobs), 0
    if progress:
        progress(0, total)
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        futures = {pool.submit(run_job, session, job): job for job in jobs}
        for future in as_completed(futures):
            jobs[futures[future]] = future.result()
            done += 1
            if progress:
                progress(done, total)

    results = []
    for credential, item in zip(credentials, planned):
        if isinstance(item, tuple):
            outcome = settle(credential, jobs[item], options)
            urls = item[1]
        elif item is None:
            outcome, urls = _signing_key_outcome(credential, jobs), ()
        else:
            outcome, urls = item, ()
        results.append(_result(credential, outcome, urls, options))
    return results


def _result(credential: Credential, outcome: Outcome, urls: Sequence[str], options: Options) -> Result:
    host = outcome.host or (host_of(urls[0]) if urls else None) or host_of(credential.url)
    if outcome.scope is not None:
        scope, scope_source = outcome.scope, FROM_SERVER
    else:
        scope, scope_source = credential.token_scope, FROM_TOKEN
    decoded = credential.decoded
    database_id = None
    if decoded is not None and decoded.database_id is not None:
        database_id = decoded.database_id
    elif decoded is not None and decoded.endpoint:
        database_id = decoded.endpoint
    elif host and credential.kind is not None and catalogue.product_of(credential.kind).pairing:
        # The host names it (a Redis database id), as the context rules read it.
        database_id = catalogue.product_of(credential.kind).pairing.host_key(host)
    detail = outcome.detail
    if credential.note:
        detail = f'{detail}; {credential.note}'
    if not options.show_tokens:
        detail = scrub(detail, credential.value)
    return Result(
        kind=credential.kind_id,
        status=outcome.status,
        scope=scope,
        scope_source=scope_source,
        host=host,
        database_id=database_id,
        token=shown_token(credential.value, options.show_tokens),
        # a token can be a file name: the location is redacted like the detail
        location=(credential.location if options.show_tokens or not credential.location
                  else redact_path(credential.location, [credential.value])),
        detail=detail,
        evidence=decoded.evidence_text if decoded is not None else '',
        fingerprint=_fingerprint(credential),
    )


def _fingerprint(credential: Credential) -> str:
    if credential.value:
        from detect_secrets.core.potential_secret import PotentialSecret
        return PotentialSecret.hash_secret(credential.value)
    return f'{credential.kind_id}@{redact_path(credential.location or "")}'
