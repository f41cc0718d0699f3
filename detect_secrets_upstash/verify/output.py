"""Render results as text (for people), JSON (for scripts) or SARIF 2.1.0 (for code scanning).

Results already hold the redacted token; nothing here sees a full token unless the user
asked for them (`--show-tokens`).
"""
import json
from typing import List
from typing import Sequence

from .. import catalogue
from ..redaction import escape_controls
from .model import LIVE
from .model import Result
from .model import REVOKED
from .model import SKIPPED
from .model import UNKNOWN

FORMATS = ('text', 'json', 'sarif')


def render(results: Sequence[Result], fmt: str) -> str:
    return {'text': text, 'json': as_json, 'sarif': sarif}[fmt](results)


def as_json(results: Sequence[Result]) -> str:
    return json.dumps([result.as_dict() for result in results], indent=2, ensure_ascii=False)


def _scope_text(result: Result) -> str:
    return f'{result.scope} ({result.scope_source})'


def text(results: Sequence[Result]) -> str:
    if not results:
        return 'No Upstash credentials to verify.'
    order = {LIVE: 0, UNKNOWN: 1, REVOKED: 2, SKIPPED: 3}
    lines: List[str] = []
    for result in sorted(results, key=lambda r: order.get(r.status, 9)):
        where = escape_controls(result.location) if result.location else '-'
        host = result.host or 'no host'
        database = f' db {result.database_id}' if result.database_id is not None else ''
        lines.append(f'{result.status.upper():8} {_scope_text(result):22} {result.kind:24} '
                     f'{result.token:14} {where}  {host}{database}')
        lines.append(f'         {result.detail}')
        if result.evidence:
            lines.append(f'         identified by {result.evidence}')
        kind = catalogue.BY_ID.get(result.kind)
        if kind is not None and result.status in (LIVE, UNKNOWN):
            remediation = kind.remediation
            lines.append(f'         what to do: {remediation.rotate}. {remediation.revokes}.')
    counts = {status: sum(1 for r in results if r.status == status) for status in order}
    lines.append('')
    lines.append(', '.join(f'{counts[s]} {s}' for s in order) + f' of {len(results)} credential(s)')
    return '\n'.join(lines)


_LEVEL = {LIVE: 'error', UNKNOWN: 'warning', REVOKED: 'note', SKIPPED: 'note'}


def sarif(results: Sequence[Result]) -> str:
    from .. import sarif as builder
    rule_ids: List[str] = []
    for result in results:
        if result.kind not in rule_ids:
            rule_ids.append(result.kind)
    rules = [builder.kind_rule(catalogue.BY_ID.get(rule_id), rule_id) for rule_id in rule_ids]
    sarif_results = []
    for result in results:
        message = (f'{result.status} Upstash credential {result.token} '
                   f'({result.scope}, from {result.scope_source}); {result.detail}')
        sarif_results.append(builder.result(
            result.kind, message, builder.location_of(result.location),
            fingerprint=result.fingerprint, level=_LEVEL.get(result.status, 'warning'),
            properties={key: value for key, value in result.as_dict().items()
                        if key != 'detail'}))
    return builder.dumps(builder.log('upstash-verify', rules, sarif_results))
