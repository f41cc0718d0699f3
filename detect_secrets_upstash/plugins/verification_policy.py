"""`scan --only-verified` for Upstash findings: unknown is not revoked.

Upstream's `--only-verified` drops every finding its plugin could not verify, so an
unreachable Upstash (no network in CI, a timeout, a 5xx) silently empties the report. For
Upstash findings we keep those whose verification was impossible, and say so on stderr;
`--drop-unknown` restores upstream's behaviour. Live findings are kept and revoked ones
dropped, as upstream does; other plugins' findings are upstream's business.

The filter is looked up by its dotted path when the filter cache fills, and detect-secrets
injects its arguments by name: the wrapper keeps the name and the parameters.
"""
from __future__ import annotations

import functools
import os
from typing import Callable

from . import run_log

FILTER = 'detect_secrets.filters.common.is_ignored_due_to_verification_policies'
ENV_DROP_UNKNOWN = 'UPSTASH_VERIFY_DROP_UNKNOWN'
TOPIC = 'unverified'


def keep_unknown_upstash_findings(is_ignored: Callable) -> Callable:
    """The patch of `filters.common.is_ignored_due_to_verification_policies` (see `patches`)."""
    @functools.wraps(is_ignored)
    def guarded(secret: str, plugin, context) -> bool:
        if type(plugin).__name__ != 'UpstashDetector' or not _only_verified():
            return is_ignored(secret=secret, plugin=plugin, context=context)
        from detect_secrets.constants import VerifiedResult
        result = plugin.verify(secret, context)         # cached: asked once per credential
        if result == VerifiedResult.VERIFIED_TRUE:
            return False
        if result == VerifiedResult.VERIFIED_FALSE:
            return True
        drop = os.environ.get(ENV_DROP_UNKNOWN) == '1'
        # one note per credential (a file's eager second pass asks again): its baseline hash
        from detect_secrets.core.potential_secret import PotentialSecret
        mark = f'{"dropped" if drop else "kept"}:{PotentialSecret.hash_secret(secret)}'
        if not run_log.note(TOPIC, mark):
            _warn_now(drop)
        return drop

    return guarded


def _only_verified() -> bool:
    from detect_secrets.constants import VerifiedResult
    from detect_secrets.settings import get_settings
    policy = get_settings().filters.get(FILTER) or {}
    return policy.get('min_level') == VerifiedResult.VERIFIED_TRUE.value


def _warn_now(drop: bool) -> None:
    import sys
    print(f'detect-secrets-upstash: warning: an Upstash credential could not be verified '
          f'(no usable answer); {"dropped (--drop-unknown)" if drop else "kept"}', file=sys.stderr)


def summary(notes) -> str:
    """The stderr line for the notes of one run ('' when every credential was verified)."""
    kept = len({note for note in notes if note.startswith('kept:')})
    dropped = len({note for note in notes if note.startswith('dropped:')})
    if not kept and not dropped:
        return ''
    if dropped:
        return (f'detect-secrets-upstash: warning: {dropped} Upstash finding(s) could not be '
                'verified (no network, a timeout, a server error, or a kind that cannot be '
                'verified) and were dropped (--drop-unknown)')
    return (f'detect-secrets-upstash: warning: {kept} Upstash finding(s) could not be verified '
            '(no network, a timeout, a server error, or a kind that cannot be verified); kept '
            'in the output with is_verified false. Pass --drop-unknown to drop them.')
