"""What upstream's outputs say about an Upstash finding (wrappers; see `patches`).

detect-secrets assumes one secret type per plugin class. Ours reports the kind of each
credential as its secret type (one class keeps scans cheap, see plugins/upstash.py), so
the outputs that key by class or by `plugin.secret_type` get their Upstash parts fixed
after upstream produced them:

- `scan --string`: upstream keys results by `plugin.secret_type` (our umbrella type, never
  emitted), so our finding printed as False; we fill our row from the findings upstream's
  own `scan_line` yielded;
- `audit --stats`: upstream labels statistics by class name, so the kinds overwrote each
  other in `--json` and printed as identical "Plugin: UpstashDetector" blocks; each type's
  block is made by upstream and relabelled with the secret type;
- `audit` (interactive), `audit --report` and the hook say nothing beyond the type; we add
  what our decoders and context know (`audit_notes`).

Every other plugin's output stays exactly upstream's.
"""
import contextlib
import contextvars
import copy
import functools
import sys
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from . import audit_notes
from .findings import context_window

PLUGIN_CLASS = 'UpstashDetector'


def _described(describe, fallback, *args):
    # The notes are extra information: if describing a finding fails, the user still gets
    # upstream's audit / report unchanged, with a one-line warning instead of a traceback.
    try:
        return describe(*args)
    except Exception as error:
        print(f'detect-secrets-upstash: warning: could not describe an Upstash finding '
              f'({type(error).__name__}: {error})', file=sys.stderr)
        return fallback


# --- audit (interactive) ---

def with_upstash_header(print_context: Callable) -> Callable:
    """`io.print_context` is called once per finding found on its line (by `audit` and
    `audit --diff`), with a `SecretContext` whose `header` upstream prints right under
    "Secret Type:" and otherwise only uses for --diff's ADDED/REMOVED status. Extending that
    field changes nothing else (prompt, labelling, saving, back-stepping stay upstream's)."""
    @functools.wraps(print_context)
    def guarded(context):
        return print_context(_described(_header, context, context))

    return guarded


def _header(context):
    if not audit_notes.is_upstash_type(context.secret.type):
        return context
    from detect_secrets.audit.common import open_file
    secret = context.secret
    notes = audit_notes.notes_for(secret.type, secret.secret_hash,
                                  open_file(secret.filename).raw_lines, secret.line_number or 0)
    if notes is None:
        return context
    # `audit --diff` already uses the header for the ADDED / REMOVED status: keep it first.
    lines = ([context.header] if context.header else []) + notes.lines()
    return context._replace(header='\n'.join(lines) + '\n' + '-' * 10)


# --- audit --report ---

def with_report_notes(generate_report: Callable) -> Callable:
    """`audit --report` builds a dict and main() dumps it; extend each Upstash entry."""
    @functools.wraps(generate_report)
    def guarded(*args: Any, **kwargs: Any) -> Dict[str, List[Dict[str, Any]]]:
        output = generate_report(*args, **kwargs)
        for entry in output.get('results', []):
            _described(_add_report_notes, None, entry)
        return output

    return guarded


def _add_report_notes(entry: Dict[str, Any]) -> None:
    types = [t for t in entry.get('types', []) if audit_notes.is_upstash_type(t)]
    if not types or not entry.get('lines'):
        return
    lines = audit_notes.read_lines(entry['filename'])
    line_number = min(int(n) for n in entry['lines'])
    value = entry.get('secrets', '')
    index = line_number - 1
    nearby = context_window(lines, index)
    line = lines[index] if 0 <= index < len(lines) else value
    notes = audit_notes.notes_for_value(value, line, nearby)
    if notes is not None:
        entry['upstash'] = notes.json()


# --- audit --stats ---

def _per_type(aggregator):
    """(secret type, a copy of `aggregator` holding that type alone)."""
    for secret_type, framework in aggregator.data.items():
        single = copy.copy(aggregator)
        single.data = {secret_type: framework}
        yield secret_type, single


def statistics_text_by_type(aggregator_str: Callable) -> Callable:
    @functools.wraps(aggregator_str)
    def guarded(self) -> str:
        output = ''
        for secret_type, single in _per_type(self):
            text = aggregator_str(single)
            if audit_notes.is_upstash_type(secret_type):
                text = text.replace(f'Plugin: {PLUGIN_CLASS}\n', f'Plugin: {secret_type}\n', 1)
            output += text
        return output

    return guarded


def statistics_json_by_type(aggregator_json: Callable) -> Callable:
    @functools.wraps(aggregator_json)
    def guarded(self) -> Dict[str, Any]:
        output: Dict[str, Any] = {}
        for secret_type, single in _per_type(self):
            part = aggregator_json(single)
            if audit_notes.is_upstash_type(secret_type):
                part = {secret_type: part[PLUGIN_CLASS]}
            output.update(part)
        return output

    return guarded


# --- scan --string ---

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


# --- the pre-commit hook ---

def with_hook_notes(pretty_print_diagnostics: Callable) -> Callable:
    """After upstream's list of findings, say what each Upstash credential is and can do."""
    @functools.wraps(pretty_print_diagnostics)
    def guarded(secrets, *args: Any, **kwargs: Any) -> None:
        pretty_print_diagnostics(secrets, *args, **kwargs)
        blocks = []
        for _, secret in secrets:
            if not audit_notes.is_upstash_type(secret.type):
                continue
            lines = audit_notes.read_lines(secret.filename)
            notes = audit_notes.notes_for(secret.type, secret.secret_hash, lines,
                                          secret.line_number or 0)
            if notes is not None:
                blocks.append(f'Location:    {secret.filename}:{secret.line_number}\n'
                              + '\n'.join(notes.lines()))
        if blocks:
            print('Upstash credentials in these changes (rotate them in the Upstash console '
                  'if they were ever pushed):\n')
            print('\n\n'.join(blocks))
            print()

    return guarded
