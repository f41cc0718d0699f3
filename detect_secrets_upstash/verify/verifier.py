"""Verify many credentials at once: plan, ask each server once, then assemble results.

Library entry point: `verify_credentials(credentials, Options(...)) -> [Result]`.
"""
from concurrent.futures import as_completed
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from . import qstash
from . import redis
from . import vector
from .http import host_of
from .http import HostPolicy
from .http import Refused
from .http import SafeSession
from .http import TransportError
from .model import Credential
from .model import FROM_SERVER
from .model import FROM_TOKEN
from .model import LIVE
from .model import Outcome
from .model import Result
from .model import REVOKED
from .model import scrub
from .model import shown_token
from .model import SKIPPED
from .model import UNKNOWN
from ..catalogue import database_id_from_host

DEFAULT_CONCURRENCY = 8


@dataclass(frozen=True)
class Options:
    policy: HostPolicy = HostPolicy()
    qstash_urls: Sequence[str] = ()     # override the regional hosts (self-hosted, tests)
    vector_urls: Sequence[str] = ()     # override the URL derived from the token
    concurrency: int = DEFAULT_CONCURRENCY
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    show_tokens: bool = False
    https_proxy: Optional[str] = None   # explicit only; environment proxies are never used
    session: Optional[SafeSession] = field(default=None, compare=False)

    def new_session(self) -> SafeSession:
        return self.session or SafeSession(self.policy, self.connect_timeout, self.read_timeout,
                                           https_proxy=self.https_proxy)


# A job is what is actually sent: identical (product, urls, token) triples are asked once.
Job = Tuple[str, Tuple[str, ...], str]


def _allowed(policy: HostPolicy, urls: Sequence[str]) -> Tuple[List[str], List[str]]:
    allowed, reasons = [], []
    for url in urls:
        try:
            policy.check(url)
            allowed.append(url)
        except Refused as refused:
            reasons.append(str(refused))
    return allowed, reasons


def plan(credential: Credential, options: Options):
    """A `Job` to run, or an `Outcome` decided without any network access."""
    if credential.problem:
        return Outcome(UNKNOWN, credential.problem)
    kind = credential.kind
    product = kind.product if kind else 'redis'
    if kind is not None and kind.id == 'redis_password':
        return Outcome(SKIPPED, 'TCP-only password (legacy redis:// URL): not verifiable over '
                                'REST; rotate it')
    if kind is not None and kind.id == 'qstash_signing_key':
        return None     # decided after the QStash tokens of the same run
    if product == 'redis':
        if not credential.url:
            return Outcome(SKIPPED, 'no REST URL known for this token (none near it in the file); '
                                    'pass --url to verify it')
        urls = [credential.url]
    elif product == 'qstash':
        urls = [credential.url] if credential.url else list(options.qstash_urls or qstash.REGION_URLS)
    elif product == 'vector':
        endpoint = credential.decoded.endpoint if credential.decoded else None
        urls = ([credential.url] if credential.url else
                list(options.vector_urls or (vector.derived_urls(endpoint) if endpoint else ())))
        if not urls:
            return Outcome(SKIPPED, 'no endpoint in the token; pass --vector-url')
    else:
        return Outcome(SKIPPED, f'{product} credentials are not verified')
    allowed, reasons = _allowed(options.policy, urls)
    if not allowed:
        return Outcome(SKIPPED, 'not sent: ' + '; '.join(reasons), host=host_of(urls[0]))
    return (product, tuple(allowed), credential.value)


def run_job(session: SafeSession, job: Job) -> Outcome:
    """Never raises: every failure becomes an `unknown` (or `skipped`) outcome."""
    product, urls, token = job
    try:
        if product == 'redis':
            return redis.verify(session, urls[0], token)
        if product == 'qstash':
            return qstash.verify_token(session, token, urls)
        return vector.verify(session, token, urls)
    except Refused as refused:
        return Outcome(SKIPPED, f'not sent: {refused}')
    except TransportError as error:
        return Outcome(UNKNOWN, str(error))
    except Exception as error:      # noqa: BLE001  (a bug must not lose the other results)
        return Outcome(UNKNOWN, f'verification failed ({type(error).__name__})')


def settle(credential: Credential, outcome: Outcome) -> Outcome:
    """The final word on one credential from the server's answer, for `upstash-verify` and
    the detect-secrets plugin alike (a revoked credential's finding is dropped by
    detect-secrets, so `revoked` must mean the token itself was refused)."""
    if outcome.status == REVOKED and credential.host_mismatch:
        # A database refusing another database's token proves nothing about the token.
        return Outcome(UNKNOWN, 'refused (401) by the host near it, which belongs to '
                                'another database', host=outcome.host)
    return outcome


def _signing_key_outcome(credential: Credential, jobs: Dict[Job, Outcome]) -> Outcome:
    live = [(job, outcome) for job, outcome in jobs.items()
            if job[0] == 'qstash' and outcome.status == LIVE and outcome.signing_keys]
    if not live:
        return Outcome(UNKNOWN, 'signing keys are checked against the keys of a live QStash token '
                                'from the same input; there is none whose keys could be read')
    index = qstash.match_signing_key(credential.value, [outcome.signing_keys for _, outcome in live])
    if index is None:
        return Outcome(UNKNOWN, f'matches none of the signing keys of the {len(live)} live QStash '
                                f'token(s) in this input (rotated, or another account)')
    job, outcome = live[index]
    return Outcome(LIVE, f'is a signing key (current or next) of the live QStash token '
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
            outcome = settle(credential, jobs[item])
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
    elif host and credential.kind is not None and credential.kind.product == 'redis':
        database_id = database_id_from_host(host)
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
        location=credential.location,
        detail=detail,
        fingerprint=_fingerprint(credential),
    )


def _fingerprint(credential: Credential) -> str:
    if credential.value:
        from detect_secrets.core.potential_secret import PotentialSecret
        return PotentialSecret.hash_secret(credential.value)
    return f'{credential.kind_id}@{credential.location}'
