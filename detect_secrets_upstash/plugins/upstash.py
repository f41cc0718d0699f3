"""One detect-secrets plugin class for every Upstash kind.

detect-secrets calls every plugin class on every line, and that call alone costs
about as much as a regex search; one class per secret type would cost ~6% of a
scan before any regex ran. So a single class scans, and each finding carries the
secret type of its kind from the catalogue.
"""
from __future__ import annotations

from typing import Any
from typing import Set

from detect_secrets.constants import VerifiedResult
from detect_secrets.core.potential_secret import PotentialSecret
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.settings import get_settings

from ..findings import line_credentials
from . import scan_state

_VERIFICATION_FILTER = 'detect_secrets.filters.common.is_ignored_due_to_verification_policies'


class UpstashDetector(RegexBasedDetector):
    """Scans for Upstash credentials (see `detect_secrets_upstash.catalogue`)."""

    # Never emitted: findings use their kind's secret type. Registration maps every
    # catalogue secret type to this class so audit/report find it.
    secret_type = 'Upstash Credential'
    # A RegexBasedDetector subclass, so that detect-secrets' `is_likely_id_string`
    # heuristic (which skips non-regex plugins) leaves our findings alone.
    denylist = ()

    def analyze_string(self, string: str):
        for credential in line_credentials(string):
            yield credential.value

    def analyze_line(self, filename: str, line: str, line_number: int = 0,
                     context: Any = None, **kwargs: Any) -> Set[PotentialSecret]:
        quiet = scan_state.quiet_lines
        if quiet is not None:
            # a line of a file that holds no credential (see `file_reading`): the very line
            # object of that file at this place (`scan_state.is_quiet`, inlined: every line)
            try:
                target = context.target_index
                index = context.start_line + target
                if index < len(quiet) and quiet[index] is context.lines[target]:
                    return set()
            except (AttributeError, IndexError, TypeError):
                pass
        found = line_credentials(line, filename, getattr(context, 'lines', None) or ())
        if not found:
            return set()
        # As upstream's BasePlugin.analyze_line: record the verification result in the
        # finding (baselines' `is_verified`, audit reports) unless `--no-verify` removed
        # the policy filter. verify() itself decides whether the network may be used.
        verifying = _VERIFICATION_FILTER in get_settings().filters
        return {
            PotentialSecret(
                type=credential.found.kind.secret_type,
                filename=filename,
                secret=credential.value,
                line_number=line_number,
                is_verified=(verifying and self.verify(credential.value, context)
                             == VerifiedResult.VERIFIED_TRUE),
            )
            for credential in found
        }

    def verify(self, secret: str, context: Any = None):
        # Imported here: scanning without verification never loads the verifier.
        from ..verify.plugin import verify
        return verify(secret, context)
