"""What we know about one Upstash finding, said in a few lines for people auditing it.

detect-secrets stores a finding as (file, line, secret type, hash of the value). To say
more -- which database, which host, read-only or not -- we re-find the credential on its
line, match it by hash, decode it (`scanner`) and look at the lines around it (`context`).

The notes never contain the credential itself: kind, scope, database id, Vector endpoint
and host are not secrets (the host is in the user's own URL line anyway).
"""
from dataclasses import dataclass
from typing import List
from typing import Optional
from typing import Sequence

from detect_secrets.core.potential_secret import PotentialSecret

from . import catalogue
from .catalogue import reported_value
from .context import describe
from .findings import context_window
from .findings import line_credentials
from .scanner import Found
from . import text_files

@dataclass(frozen=True)
class Notes:
    kind: catalogue.Kind
    scope: str
    database_id: Optional[int] = None
    layout: Optional[str] = None
    endpoint: Optional[str] = None
    host: Optional[str] = None
    host_source: Optional[str] = None     # 'URL' (the credential sits in it) | 'nearby URL'
    mismatch: Optional[str] = None
    # which evidence identified it: `token bytes (current layout)`, `token frame (...)`,
    # `context (under MYAPP_KV_REST_API_TOKEN)` (catalogue.Decoded.evidence_text)
    evidence: Optional[str] = None
    layer: Optional[str] = None

    def lines(self) -> List[str]:
        """`label: value` lines, aligned like detect-secrets' audit header."""
        product = catalogue.product_of(self.kind).display_name
        out = [f'Kind:        {self.kind.id} (Upstash {product}, {self.scope})']
        if self.database_id is not None:
            layout = f', {self.layout} token layout' if self.layout else ''
            out.append(f'Database:    {self.database_id}{layout}')
        if self.endpoint:
            out.append(f'Endpoint:    {self.endpoint}')
        if self.host:
            out.append(f'Host:        {self.host} (from the {self.host_source})')
        if self.evidence:
            out.append(f'Evidence:    {self.evidence}')
        if self.mismatch:
            out.append(f'Warning:     {self.mismatch}')
        return out

    def summary(self) -> str:
        """One line: `Upstash Redis REST Token, read-write, database 10123`."""
        parts = [self.kind.secret_type, self.scope]
        if self.database_id is not None:
            parts.append(f'database {self.database_id}')
        if self.endpoint:
            parts.append(f'endpoint {self.endpoint}')
        if self.host:
            parts.append(f'host {self.host}')
        if self.layer and self.layer != catalogue.BYTES:
            parts.append(f'identified by {self.evidence}')
        return ', '.join(parts)

    def json(self) -> dict:
        return {
            'kind': self.kind.id,
            'secret_type': self.kind.secret_type,
            'product': self.kind.product,
            'scope': self.scope,
            'database_id': self.database_id,
            'endpoint': self.endpoint,
            'host': self.host,
            'mismatch': self.mismatch,
            'layer': self.layer,
            'layout': self.layout,
            'evidence': self.evidence,
        }


def is_upstash_type(secret_type: str) -> bool:
    return secret_type in catalogue.BY_SECRET_TYPE


def _notes(found: Found, nearby: Sequence[str]) -> Notes:
    context = describe(found, nearby)
    host, source = None, None
    if found.host:
        # A URL password carries its user (maybe ''); a password found under a key does not.
        host, source = found.host, ('URL' if found.user is not None else 'nearby host name')
    elif context.host:
        host, source = context.host, 'nearby URL'
    return Notes(
        kind=found.kind,
        scope=found.decoded.scope,
        database_id=found.decoded.database_id,
        layout=found.decoded.layout,
        endpoint=found.decoded.endpoint,
        host=host,
        host_source=source,
        mismatch=context.mismatch,
        evidence=found.decoded.evidence_text,
        layer=found.decoded.layer,
    )


def notes_for(secret_type: str, secret_hash: str, lines: Sequence[str],
              line_number: int = 0) -> Optional[Notes]:
    """Notes for the finding `secret_hash` of `secret_type` at `line_number` (1-based) in `lines`.

    With no usable line number, every line is searched (as `audit --report` does).
    None when the type is not ours or the credential is no longer there.
    """
    if not is_upstash_type(secret_type):
        return None
    if 0 < line_number <= len(lines):
        candidates = [line_number - 1]
    else:
        candidates = range(len(lines))
    for index in candidates:
        window = context_window(lines, index)
        for credential in line_credentials(lines[index], nearby=window):
            if credential.found.kind.secret_type == secret_type and PotentialSecret.hash_secret(credential.value) == secret_hash:
                return _notes(credential.found, window)
    return None


def notes_for_value(value: str, line: str = '', nearby: Sequence[str] = ()) -> Optional[Notes]:
    """Notes for a credential given as text (`scan --string`): found on `line`, else on its own."""
    nearby = nearby or [line or value]
    for credential in line_credentials(line or value, nearby=nearby):
        if credential.value == reported_value(value):
            return _notes(credential.found, nearby)
    return None


def read_lines(filename: str) -> List[str]:
    """The file's lines as the scan read them; [] if it cannot be read."""
    try:
        return text_files.read_lines(filename)
    except OSError:
        return []
