"""What `UpstashDetector.verify` calls (`scan --only-verified`, `audit`).

Upstream rules this code lives by:
- verify() may be called more than once per finding: answers are cached per process, keyed
  by exactly what would be sent (product, URLs, token);
- only `requests.RequestException` is caught upstream, and any other exception makes
  detect-secrets skip the REST OF THE FILE: so this never raises;
- upstream knows three answers: VERIFIED_TRUE (live), VERIFIED_FALSE (revoked; the finding
  is dropped) and UNVERIFIED (everything else, including every transient failure).

Network access happens only when the user asked for verification: `--only-verified`, or
UPSTASH_VERIFY=1 in the environment (e.g. for `audit` or a plain `scan`). A plain scan and
the pre-commit hook therefore never send a token anywhere. UPSTASH_VERIFY=0 turns it off.

The host policy is the CLI's: HTTPS to Upstash hosts only, plus the comma-separated hosts in
UPSTASH_VERIFY_ALLOW_HOSTS; UPSTASH_VERIFY_<PRODUCT>_URL is the CLI's --<product>-url, one for
each product record with a `url_override` (QSTASH: the regional hosts, VECTOR: the URL derived
from the token, MANAGEMENT: https://api.upstash.com; same policy applies);
UPSTASH_VERIFY_HTTPS_PROXY is the CLI's --https-proxy. UPSTASH_VERIFY_EMAIL is the CLI's --email
(the account email of Management API keys, instead of the one written beside a key).
"""
import os
import threading
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from detect_secrets.constants import VerifiedResult

from .. import catalogue
from ..findings import line_credentials
from ..findings import LineCredential
from ..plugins import scan_state
from ..scanner import Found
from ..verify_arguments import env_product_urls
from .http import HostPolicy
from .http import SafeSession
from .inputs import credential_from
from .model import Credential
from .model import LIVE
from .model import match_signing_key
from .model import Outcome
from .model import REVOKED
from .verifier import Job
from .verifier import Options
from .verifier import plan
from .verifier import run_job
from .verifier import settle

ENV_ENABLE = 'UPSTASH_VERIFY'
ENV_ALLOW_HOSTS = 'UPSTASH_VERIFY_ALLOW_HOSTS'
ENV_HTTPS_PROXY = 'UPSTASH_VERIFY_HTTPS_PROXY'
ENV_EMAIL = 'UPSTASH_VERIFY_EMAIL'
_VERIFICATION_FILTER = 'detect_secrets.filters.common.is_ignored_due_to_verification_policies'

_cache: Dict[Job, Outcome] = {}
_sessions: Dict[Tuple[HostPolicy, Optional[str]], SafeSession] = {}
_lock = threading.Lock()


def verify(secret: str, context=None) -> VerifiedResult:
    """Never raises. Live -> VERIFIED_TRUE, revoked -> VERIFIED_FALSE, else UNVERIFIED."""
    try:
        if not _enabled():
            return VerifiedResult.UNVERIFIED
        return _verify(secret, _context_lines(context))
    except Exception:       # noqa: BLE001  (upstream would skip the rest of the file)
        return VerifiedResult.UNVERIFIED


def _enabled() -> bool:
    setting = os.environ.get(ENV_ENABLE, '').strip().lower()
    if setting in ('0', 'false', 'no', 'off'):
        return False
    if setting in ('1', 'true', 'yes', 'on'):
        return True
    from detect_secrets.settings import get_settings
    policy = get_settings().filters.get(_VERIFICATION_FILTER) or {}
    return policy.get('min_level') == VerifiedResult.VERIFIED_TRUE.value     # --only-verified


def _context_lines(context) -> List[str]:
    lines = getattr(context, 'lines', None)
    return [str(line) for line in lines] if lines else []


def _env_list(name: str) -> Tuple[str, ...]:
    return tuple(item.strip() for item in os.environ.get(name, '').split(',') if item.strip())


def _options() -> Options:
    policy = HostPolicy.of(_env_list(ENV_ALLOW_HOSTS))
    proxy = os.environ.get(ENV_HTTPS_PROXY, '').strip() or None
    with _lock:
        session = _sessions.get((policy, proxy))
        if session is None:
            session = _sessions[(policy, proxy)] = SafeSession(policy, https_proxy=proxy)
    return Options(policy=policy, product_urls=env_product_urls(os.environ),
                   account_email=_env_email(), session=session)


_warned_email: List[str] = []


def _forget_scan() -> None:
    """At the start of a scan: no answer, pooled session or warning of an earlier scan in
    this process decides this one (a token revoked since then is asked again)."""
    with _lock:
        _cache.clear()
        _sessions.clear()       # their pooled connections close as they are collected
    del _warned_email[:]


scan_state.on_reset.append(_forget_scan)


def _env_email() -> Optional[str]:
    """UPSTASH_VERIFY_EMAIL as `--email` takes it: an address, or (said once on stderr) none,
    so a newline or an escape in it never reaches a request or an output."""
    import sys
    from ..verify_arguments import _EMAIL
    email = os.environ.get(ENV_EMAIL, '').strip()
    if not email:
        return None
    if _EMAIL.fullmatch(email):
        return email
    if not _warned_email:
        _warned_email.append(email)
        print(f'detect-secrets-upstash: warning: {ENV_EMAIL} is not an email address; ignored '
              '(Management API keys are verified with the email beside them, or skipped)', file=sys.stderr)
    return None


def _found(secret: str, lines: List[str]) -> Optional[LineCredential]:
    for line in lines:
        for credential in line_credentials(line, nearby=lines):
            if credential.value == secret:
                return credential           # keeps the host of a rediss:// URL the token sits in
    hit = catalogue.identify(secret)
    return LineCredential(Found(hit[0], secret, hit[1]), secret, secret, secret) if hit else None


def _outcome(job: Job, options: Options) -> Outcome:
    with _lock:
        cached = _cache.get(job)
    if cached is None:
        cached = run_job(options.new_session(), job)
        with _lock:
            _cache.setdefault(job, cached)
    return cached


def _as_verified(outcome: Outcome) -> VerifiedResult:
    if outcome.status == LIVE:
        return VerifiedResult.VERIFIED_TRUE
    if outcome.status == REVOKED:
        return VerifiedResult.VERIFIED_FALSE
    return VerifiedResult.UNVERIFIED


def _verify(secret: str, lines: List[str]) -> VerifiedResult:
    on_line = _found(secret, lines)
    if on_line is None:
        return VerifiedResult.UNVERIFIED
    found = on_line.found
    options = _options()
    credential = credential_from(found, lines, options.policy, '', on_line.token)
    if found.kind.checked_against_tokens:
        return _verify_signing_key(credential, lines, options)
    return verified_result(credential, options)


def verified_result(credential: Credential, options: Options) -> VerifiedResult:
    """What `upstash-verify` would decide for `credential` (`plan`, one request per distinct
    job, `settle`), as detect-secrets' three answers."""
    job = plan(credential, options)
    if not isinstance(job, tuple):      # decided without asking: skipped / unknown
        return VerifiedResult.UNVERIFIED
    return _as_verified(settle(credential, _outcome(job, options), options))


def _verify_signing_key(key: Credential, lines: List[str], options: Options) -> VerifiedResult:
    """Live when a live token of its product next to it (same +-5 lines; QStash) has it as a
    signing key."""
    for line in lines:
        for credential in line_credentials(line, nearby=lines):
            found = credential.found
            if found.kind.product != key.kind.product or found.kind.checked_against_tokens:
                continue
            job = plan(Credential(found.kind, credential.token, found.decoded), options)
            if not isinstance(job, tuple):
                continue
            outcome = _outcome(job, options)
            if outcome.status == LIVE and match_signing_key(key.value, [outcome.signing_keys]) is not None:
                return VerifiedResult.VERIFIED_TRUE
    return VerifiedResult.UNVERIFIED
