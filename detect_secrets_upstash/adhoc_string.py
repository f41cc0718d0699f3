"""`scan --string`: our row of upstream's table, filled from our findings (wrappers; see `patches`).

Upstream keys the results by `plugin.secret_type`, our umbrella type that no finding
carries, so an Upstash credential printed as False; the row is filled from the findings
upstream's own `scan_line` yielded. A module of its own so that the pre-commit hook, which
imports `described_findings` for its message, does not import `contextvars`.
"""
import contextlib
import contextvars
import functools
from typing import Callable
from typing import Optional

from .described_findings import PLUGIN_CLASS
from .described_findings import audit_notes

# The findings upstream's `scan_line` yields while `scan_adhoc_string` runs.
_adhoc_findings: contextvars.ContextVar[Optional[list]] = contextvars.ContextVar('adhoc', default=None)


def recording_findings(scan_line: Callable) -> Callable:
    """`main.scan_line`, unchanged, also noting its findings for `adhoc_string_with_kinds`."""
    @functools.wraps(scan_line)
    def guarded(line: str):
        recorded = _adhoc_findings.get()
        for secret in scan_line(line):
            if recorded is not None:
                recorded.append(secret)
            yield secret

    return guarded


@contextlib.contextmanager
def _recording():
    recorded: list = []
    token = _adhoc_findings.set(recorded)
    try:
        yield recorded
    finally:
        _adhoc_findings.reset(token)


def adhoc_string_with_kinds(scan_adhoc_string: Callable) -> Callable:
    """Upstream's table, with our row filled from our findings (kind and notes)."""
    @functools.wraps(scan_adhoc_string)
    def guarded(line: str) -> str:
        from detect_secrets.core import plugins
        with _recording() as recorded:
            table = scan_adhoc_string(line)
        results = []
        for secret in recorded:
            if not audit_notes.is_upstash_type(secret.type):
                continue
            result = plugins.initialize.from_secret_type(secret.type).format_scan_result(secret)
            notes = audit_notes.notes_for_value(secret.secret_value, line)
            results.append(f'{result}  ({notes.summary() if notes is not None else secret.type})')
        if not results:
            return table
        rows = table.split('\n')
        for index, row in enumerate(rows):
            name, sep, _ = row.partition(': ')
            if sep and name.rstrip() == PLUGIN_CLASS:
                rows[index] = f'{name}: ' + '; '.join(sorted(results))
        return '\n'.join(rows)

    return guarded
