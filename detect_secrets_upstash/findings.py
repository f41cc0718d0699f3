"""Every Upstash credential on a line, exactly as the plugin reports it.

Scanning (the plugin), audit notes and the verifier (recovering values from a baseline,
and `verify()`) all read lines through `line_credentials`, so a baseline's hash always
leads back to the same credential, and the verifier sends what a server knows even
where the finding carries another form of it (a Kubernetes `data:` value).
"""
from dataclasses import dataclass
from functools import lru_cache
from typing import List
from typing import Sequence

from .catalogue import reported_value
from .context import may_hold_password
from .context import password_findings
from .context_evidence import context_findings
from .context_evidence import may_stand_in_context
from .encoded import encoded_credentials
from .encoded import is_manifest
from .scanner import find_credentials
from .scanner import Found


# detect-secrets hands plugins +-5 lines of context; audit notes and the verifier look at
# the same window, so they see the URL the plugin saw.
CONTEXT_LINES = 5


def context_window(lines: Sequence[str], index: int) -> Sequence[str]:
    """The lines around `lines[index]` (0-based) that detect-secrets gives a plugin."""
    return lines[max(0, index - CONTEXT_LINES):index + CONTEXT_LINES + 1]


@dataclass(frozen=True)
class LineCredential:
    found: Found        # kind, decoded bytes, URL host; `found.value` is the credential
    value: str          # what the finding carries (hashed in baselines)
    token: str          # what a server would be sent


def line_credentials(line: str, filename: str = '', nearby: Sequence[str] = ()) -> List[LineCredential]:
    """Credentials on `line`. `nearby` (the +-5 lines) lets a bare legacy password next to an
    Upstash host count; base64-wrapped credentials are looked for in YAML/JSON files, or
    anywhere when no file name is given (a value the user handed over)."""
    found = find_credentials(line)
    if not found:
        # The common case (no credential): keep it to cheap checks, this runs on every line.
        if nearby and may_hold_password(line):
            found = password_findings(line, nearby)
        encoded = []
        if not found and (not filename or _is_manifest(filename)):
            encoded = [LineCredential(inner, run, reported_value(inner.value))
                       for run, inner in encoded_credentials(line)]
        if not found and may_stand_in_context(line):
            # last resort: a token-like value standing where Upstash credentials stand
            found = context_findings(line, nearby, known=[c.value for c in encoded])
        if not found:
            return encoded
        return encoded + [LineCredential(f, reported_value(f.value, line), reported_value(f.value, line))
                          for f in found]
    elif may_stand_in_context(line):
        # another value on the same line may stand where a credential stands
        found = found + context_findings(line, nearby, known=[f.value for f in found])
    return [LineCredential(f, reported_value(f.value, line), reported_value(f.value, line))
            for f in found]


# One answer per file name: asked for every line of every file.
_is_manifest = lru_cache(maxsize=1024)(is_manifest)


def holds_credential(text: str, filename: str = '') -> bool:
    """Whether `text` (a line or a whole file) holds an Upstash credential the plugin would
    report: the one predicate of the scan's guards, so they let through exactly what the
    plugin then finds. Base64-wrapped values count in YAML/JSON files, or anywhere when no
    file name is given."""
    return bool(line_credentials(text, filename))
