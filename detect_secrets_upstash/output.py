"""Output fixes for detect-secrets commands, applied only inside our own CLI processes.

detect-secrets assumes one secret type per plugin class. Ours reports the kind of each
credential as its secret type (one class keeps scans cheap, see plugins/upstash.py), so
a few outputs that key by class or by `plugin.secret_type` need help:

- `scan --string`: results are keyed by `plugin.secret_type` (our umbrella type, never
  emitted), so our finding printed as False;
- `audit --stats`: statistics are keyed by class name, so the kinds overwrote each other
  in `--json` and printed as identical "Plugin: UpstashDetector" blocks;
- `audit` (interactive), `audit --report` and the hook say nothing beyond the type; we add
  what our decoders and context know (`audit_notes`).

Each fix replaces one function or method, named below, keeping upstream's behaviour for
every other plugin.
"""
import sys
from typing import Any
from typing import Dict
from typing import List

from . import audit_notes
from .findings import context_window

_installed = False


def install() -> None:
    """For `detect-secrets-upstash` (scan / audit)."""
    global _installed
    if _installed:
        return
    _installed = True

    import detect_secrets.main
    detect_secrets.main.scan_adhoc_string = scan_adhoc_string

    from detect_secrets.audit import analytics
    analytics.StatisticsAggregator.__str__ = _statistics_str
    analytics.StatisticsAggregator.json = _statistics_json

    # The narrowest hook point for the interactive audit: `io.print_context` is called once
    # per finding that was found on its line (by `audit` and `audit --diff`), with a
    # `SecretContext` whose `header` field upstream prints right under "Secret Type:" and
    # otherwise only uses for --diff's ADDED/REMOVED status. Extending that field changes
    # nothing else (prompt, labelling, saving, back-stepping stay upstream's), and
    # `audit.py` / `compare.py` look the function up on the `io` module at call time.
    from detect_secrets.audit import io
    original_print_context = io.print_context

    def print_context(context):
        return original_print_context(_described(_with_upstash_header, context, context))

    io.print_context = print_context

    # Answers usually come from a terminal; when they come from a pipe or file and run out,
    # upstream's `input()` raises EOFError (a traceback, and every label of the session
    # lost). Running out of answers means "quit": upstream then saves what was labelled.
    original_get_user_decision = io.get_user_decision

    def get_user_decision(*args: Any, **kwargs: Any):
        try:
            return original_get_user_decision(*args, **kwargs)
        except EOFError:
            print()
            return io.InputOptions.QUIT

    io.get_user_decision = get_user_decision

    # Upstream's audit first fills the settings with every default plugin (its argument
    # parsing does that for commands without `--baseline`), then *merges* the audited
    # baseline's plugins into them: a baseline made with `--disable-plugin X` is saved back
    # with X enabled again, and the next hook run reports what X finds. Audit must keep
    # exactly the baseline's plugins, so start from none before loading it.
    from detect_secrets.audit import audit as audit_module, common as audit_common
    original_get_baseline = audit_common.get_baseline_from_file

    def get_baseline_from_file(filename: str):
        from detect_secrets.settings import get_settings
        get_settings().disable_plugins(*list(get_settings().plugins))
        return original_get_baseline(filename)

    audit_module.get_baseline_from_file = get_baseline_from_file

    # `audit --report` builds a dict and main() dumps it; extend each Upstash entry.
    from detect_secrets.audit import report
    original_generate_report = report.generate_report

    def generate_report(*args: Any, **kwargs: Any) -> Dict[str, List[Dict[str, Any]]]:
        output = original_generate_report(*args, **kwargs)
        for entry in output.get('results', []):
            _described(_add_report_notes, None, entry)
        return output

    report.generate_report = generate_report


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

def _with_upstash_header(context):
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

def _statistics_label(secret_type: str) -> str:
    # Upstream labels by plugin class; for our kinds the secret type is the useful label.
    if audit_notes.is_upstash_type(secret_type):
        return secret_type
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    return get_mapping_from_secret_type_to_class()[secret_type].__name__


def _statistics_str(self) -> str:
    output = ''
    for secret_type, framework in self.data.items():
        output += f'Plugin: {_statistics_label(secret_type)}\n'
        for value in framework.values():
            output += f'Statistics: {value}\n\n'
    return output


def _statistics_json(self) -> Dict[str, Any]:
    return {
        _statistics_label(secret_type): {key: value.json() for key, value in framework.items()}
        for secret_type, framework in self.data.items()
    }


# --- scan --string ---

def scan_adhoc_string(line: str) -> str:
    """Upstream's `scan_adhoc_string`, keyed by plugin class so our kinds are shown."""
    from detect_secrets.core import plugins
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import get_plugins

    registered = get_plugins()
    results: Dict[str, List[str]] = {}
    for secret in scan_line(line):
        plugin = plugins.initialize.from_secret_type(secret.type)
        result = plugin.format_scan_result(secret)
        if audit_notes.is_upstash_type(secret.type):
            notes = audit_notes.notes_for_value(secret.secret_value, line)
            described = notes.summary() if notes is not None else secret.type
            result = f'{result}  ({described})'
        results.setdefault(type(plugin).__name__, []).append(result)

    width = max(len(type(plugin).__name__) for plugin in registered)
    return '\n'.join(
        ('{:%d}: {}' % width).format(name, '; '.join(sorted(results.get(name, ['False']))))
        for name in sorted(type(plugin).__name__ for plugin in registered)
    )


# --- the pre-commit hook ---

def install_hook_notes(pre_commit_hook) -> None:
    """After upstream's list of findings, say what each Upstash credential is and can do."""
    original = pre_commit_hook.pretty_print_diagnostics
    if getattr(original, 'upstash_notes', False):
        return

    def pretty_print_diagnostics(secrets, *args: Any, **kwargs: Any) -> None:
        original(secrets, *args, **kwargs)
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

    pretty_print_diagnostics.upstash_notes = True
    pre_commit_hook.pretty_print_diagnostics = pretty_print_diagnostics

