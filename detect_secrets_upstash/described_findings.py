"""What upstream's outputs say about an Upstash finding (wrappers; see `patches`).

detect-secrets assumes one secret type per plugin class. Ours reports the kind of each
credential as its secret type (one class keeps scans cheap, see plugins/upstash.py), so
the outputs that key by class or by `plugin.secret_type` get their Upstash parts fixed
after upstream produced them:

- `scan --string`: upstream keys results by `plugin.secret_type` (our umbrella type, never
  emitted), so our finding printed as False (`adhoc_string`);
- `audit --stats`: upstream labels statistics by class name, so the kinds overwrote each
  other in `--json` and printed as identical "Plugin: UpstashDetector" blocks; each type's
  block is made by upstream and relabelled with the secret type;
- `audit` (interactive), `audit --report` and the hook say nothing beyond the type; we add
  what our decoders and context know (`audit_notes`).

Every other plugin's output stays exactly upstream's.
"""
from __future__ import annotations

import copy
import functools
import sys
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Tuple

from .findings import context_window


class _ImportedOnFirstUse:
    """A module imported the first time one of its names is read: the hook wraps upstream's
    output with the functions below at start-up, and they need `audit_notes` (records,
    context descriptions) only once there is a finding to describe."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        import importlib
        return getattr(importlib.import_module(self._name), attribute)


audit_notes = _ImportedOnFirstUse('detect_secrets_upstash.audit_notes')

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
    remediation = notes.kind.remediation
    lines += [f'Opens:       {remediation.opens}', f'Rotate:      {remediation.rotate}']
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
        remediation = notes.kind.remediation
        entry['upstash']['remediation'] = {
            'opens': remediation.opens, 'rotate': remediation.rotate,
            'revokes': remediation.revokes, 'instead': remediation.belongs,
        }


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


# --- the pre-commit hook ---

def with_hook_notes(pretty_print_diagnostics: Callable) -> Callable:
    """The hook's message: each Upstash finding says what it is (kind, scope, database,
    host), and the advice is ours (what it opens, how to rotate it, where it belongs) in
    place of upstream's "ask in #security". Upstream's message if ours cannot be made."""
    @functools.wraps(pretty_print_diagnostics)
    def guarded(secrets, width: int = 80, *args: Any, **kwargs: Any) -> None:
        try:
            text = hook_diagnostics(secrets, width)
        except Exception as error:
            # The notes are extra: the findings must still be printed (and the commit refused).
            print(f'detect-secrets-upstash: warning: could not describe the findings '
                  f'({type(error).__name__}: {error})', file=sys.stderr)
            return pretty_print_diagnostics(secrets, width, *args, **kwargs)
        print(text)

    return guarded


def scope_words(scope: str) -> str:
    """A scope as the outputs say it; an unknown one is not called what it may be."""
    from .tokens import SCOPE_UNKNOWN
    if scope == SCOPE_UNKNOWN:
        return 'scope unknown: treat as read-write until verified'
    return scope


def _scopes_at(found: List[Tuple[str, str]]) -> str:
    """`(read-write) at a:1, b:2`, or with each location's scope when they differ."""
    scopes = {scope for _, scope in found}
    if len(scopes) == 1:
        return f'({scope_words(scopes.pop())}) at ' + ', '.join(location for location, _ in found)
    return 'at ' + ', '.join(f'{location} ({scope_words(scope)})' for location, scope in found)


def hook_diagnostics(secrets, width: int = 80) -> str:
    """The hook's message for `secrets` (a SecretsCollection, iterated as (file, secret))."""
    import os
    import textwrap
    from detect_secrets.util.color import AnsiColor, colorize
    from . import catalogue
    from .remediation import HISTORY

    blocks: List[str] = []
    upstash: Dict[str, List[Tuple[str, str]]] = {}  # secret type -> (location, scope), in order
    others = False
    from .redaction import shown_path
    for _, secret in secrets:
        # upstream's block, with the file name redacted (a token can be a file name) and
        # its control characters escaped (a newline in a name keeps the layout)
        shown = shown_path(secret.filename, [secret.secret_value] if secret.secret_value else ())
        block = str(secret).rstrip('\n').replace(f'Location:    {secret.filename}:',
                                                  f'Location:    {shown}:', 1)
        if audit_notes.is_upstash_type(secret.type):
            notes = audit_notes.notes_for(secret.type, secret.secret_hash,
                                          audit_notes.read_lines(secret.filename),
                                          secret.line_number or 0)
            scope = notes.scope if notes is not None else catalogue.BY_SECRET_TYPE[secret.type].scope
            upstash.setdefault(secret.type, []).append((f'{shown}:{secret.line_number}', scope))
            if notes is not None:
                block += '\n' + '\n'.join(notes.lines())
        else:
            others = True
        blocks.append(block)

    out = [textwrap.fill(colorize('ERROR: Potential secrets about to be committed to git repo!',
                                  AnsiColor.RED), width=width), '']
    out += ['\n\n'.join(blocks), '']
    for secret_type, found in upstash.items():
        kind = catalogue.BY_SECRET_TYPE[secret_type]
        out.append(colorize(f'What to do about the {secret_type} {_scopes_at(found)}:', AnsiColor.BOLD))
        for step in kind.remediation.steps(history=False):
            out.append(textwrap.fill(step, width=width, initial_indent='  ',
                                     subsequent_indent=' ' * 11, break_on_hyphens=False))
        out.append('')
    if upstash:
        out += [textwrap.fill(HISTORY, width=width, break_on_hyphens=False), '']
    if others:
        team = os.environ.get('DETECT_SECRETS_SECURITY_TEAM')
        advice = ('Other secrets: move them to a secret store or a server-side environment '
                  'variable, and rotate any that was ever pushed'
                  + (f'; ask {team} for help' if team else '') + '. '
                  'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/'
                  'removing-sensitive-data-from-a-repository explains cleaning history.')
        out += [textwrap.fill(advice, width=width), '']
    out.append(textwrap.fill(
        'A false positive? Mark its line with an inline `pragma: allowlist secret` comment, or '
        'accept it into the baseline: detect-secrets-upstash scan --baseline .secrets.baseline, '
        'then detect-secrets-upstash audit .secrets.baseline.', width=width))
    return '\n'.join(out)
