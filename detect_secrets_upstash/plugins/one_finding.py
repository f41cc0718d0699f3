"""One finding per secret.

detect-secrets runs every plugin on every line, so an Upstash token is also found by the
generic plugins (as a Base64 High Entropy String, a Secret Keyword, Basic Auth
Credentials in a `rediss://` URL): the hook lists it twice and `audit` asks for two
labels. When our plugin names a credential on a line, the generic findings of that same
secret on that line say nothing more and are dropped. Other plugins' findings, and
generic findings of other secrets on the line, are kept.

"The same secret": the values are equal, or one holds the other (a generic plugin may
take a token with its percent-encoded padding, or a URL's password part only). Only
hashes are left in a baseline, so there equal hashes decide (`drop_from_baseline`).
"""
from __future__ import annotations

import functools
from typing import Callable
from typing import Dict
from typing import Iterable
from typing import List
from typing import Tuple
from urllib.parse import unquote

from .. import catalogue

GENERIC_TYPES = frozenset({
    'Base64 High Entropy String',
    'Hex High Entropy String',
    'Secret Keyword',
    'Basic Auth Credentials',
})
# A generic value shorter than this is not taken as "part of" a credential: it could be
# any short word that happens to occur inside a token.
_MIN_OVERLAP = 12


def _same_secret(generic: str, ours: str) -> bool:
    if not generic or not ours:
        return False
    if generic == ours:
        return True
    generic = unquote(generic).strip('\'"`')
    if generic == ours:
        return True
    return len(generic) >= _MIN_OVERLAP and (generic in ours or ours in generic)


def duplicates(secrets: Iterable) -> List:
    """The generic findings in `secrets` (PotentialSecret) that repeat an Upstash finding."""
    ours: Dict[Tuple[str, int], List[str]] = {}
    secrets = list(secrets)
    for secret in secrets:
        if secret.type in catalogue.BY_SECRET_TYPE and secret.secret_value:
            ours.setdefault((secret.filename, secret.line_number), []).append(secret.secret_value)
    if not ours:
        return []
    return [
        secret for secret in secrets
        if secret.type in GENERIC_TYPES and any(
            _same_secret(secret.secret_value or '', value)
            for value in ours.get((secret.filename, secret.line_number), ()))
    ]


def without_duplicates(secrets: Iterable) -> List:
    secrets = list(secrets)
    dropped = {id(secret) for secret in duplicates(secrets)}
    return [secret for secret in secrets if id(secret) not in dropped]


def one_finding_per_secret(scan_file: Callable) -> Callable:
    """Wrap upstream's `scan_file` (scan, baselines, the hook, `-c N` workers): a file's
    findings are collected, then the generic repeats of Upstash findings dropped."""
    @functools.wraps(scan_file)
    def deduplicated(filename: str):
        yield from without_duplicates(scan_file(filename))

    return deduplicated


def scan_file_for_our_commands(scan_file: Callable) -> Callable:
    """The patch of `scan_file` in our commands (see `patches`): the eager pass kept
    (`eager_pass`), and outermost the repeats dropped, seeing the findings of both passes."""
    from .eager_pass import keep_eager_pass
    return one_finding_per_secret(keep_eager_pass(scan_file))


def drop_from_baseline(baseline: dict) -> int:
    """Remove, in place, generic entries of a baseline (`results` as detect-secrets writes
    them) whose hash and line are those of an Upstash entry of the same file: what a
    baseline written before this rule holds. Returns how many were removed."""
    removed = 0
    for filename, entries in (baseline.get('results') or {}).items():
        if not isinstance(entries, list):
            continue
        ours = {(entry.get('hashed_secret'), entry.get('line_number')) for entry in entries
                if isinstance(entry, dict) and entry.get('type') in catalogue.BY_SECRET_TYPE}
        if not ours:
            continue
        kept = [entry for entry in entries
                if not (isinstance(entry, dict) and entry.get('type') in GENERIC_TYPES
                        and (entry.get('hashed_secret'), entry.get('line_number')) in ours)]
        removed += len(entries) - len(kept)
        entries[:] = kept
    return removed


def deduplicated_on_load(load: Callable) -> Callable:
    """Wrap upstream's `baseline.load` (audit, `audit --diff`, `scan --baseline`, the hook's
    `--baseline`): a baseline written before this rule is read as if written after it, so
    `audit` asks once per secret and saves the baseline back without the repeats."""
    @functools.wraps(load)
    def deduplicated(baseline: dict, *args, **kwargs):
        if isinstance(baseline, dict):
            drop_from_baseline(baseline)
        return load(baseline, *args, **kwargs)

    return deduplicated
