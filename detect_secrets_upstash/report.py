"""`detect-secrets-upstash report`: the Upstash credentials in a project, for people.

    detect-secrets-upstash report [PATH ...] [--all-files] [--baseline FILE]
                                  [--format text|json|sarif] [--verify] [-o FILE]

It scans PATHs as `scan` does (git-tracked files by default, every file with
`--all-files`; a directory outside any git work tree is scanned whole, with a note), or
reads the findings of an existing baseline. Text output is one block per credential
(kind, scope, file:line, database and host, the redacted value, how it was identified,
what to do), then a summary line; colour only on a terminal. JSON is for scripts, SARIF
for code scanning (`sarif.py`).

Exit status: 1 an Upstash credential was found, 0 none, 2 error (bad arguments, an
unreadable baseline, a path that does not exist). With `--verify`, still 1 for any
finding: a revoked credential in the code is a finding too (see `upstash-verify
--fail-on` to gate on liveness).
"""
import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from dataclasses import field
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from . import catalogue
from . import global_options
from .redaction import redact_path
from .redaction import shown_path
from .tokens import ACCOUNT
from .tokens import READ_ONLY
from .tokens import READ_WRITE
from .tokens import SCOPE_UNKNOWN
from .tokens import redact
from .verify_arguments import add_arguments as add_verify_arguments
from .verify_arguments import options_of
from .verify_arguments import policy_of

PROG = 'detect-secrets-upstash report'
EXIT_NONE, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
FORMATS = ('text', 'json', 'sarif')
JSON_VERSION = 1


class ReportError(Exception):
    """A one-line reason the report cannot be made (no token in it)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f'{self.prog}: error: {message}\n')


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description='Say which Upstash credentials a project holds, how bad each is and what to '
                    'do about it. Scans PATHs (default: .) like `scan`, or reads a baseline.',
        epilog='exit status: 1 Upstash credentials found, 0 none, 2 error. See docs/cli.md.',
    )
    parser.add_argument('paths', nargs='*', metavar='PATH', help='files or directories (default: .)')
    parser.add_argument('--all-files', action='store_true',
                        help='scan every file, not only git-tracked ones (.git/ itself never)')
    parser.add_argument('--baseline', metavar='FILE',
                        help='report the Upstash findings of this baseline instead of scanning')
    parser.add_argument('--format', choices=FORMATS, default='text',
                        help='text (default), json or sarif (SARIF 2.1.0, for code scanning)')
    parser.add_argument('-o', '--output', metavar='FILE', help='write the report to FILE')
    parser.add_argument('--verify', action='store_true',
                        help='ask Upstash whether each credential is live (read-only requests, '
                             'HTTPS to Upstash hosts only; see docs/verify.md)')
    add_verify_arguments(parser, when='with --verify: ')
    parser.add_argument('--color', choices=('auto', 'always', 'never'), default='auto',
                        help='colour in text output (default: only on a terminal, and never '
                             'with NO_COLOR set)')
    parser.add_argument('-q', '--quiet', action='store_true', help='no progress on stderr')
    parser.add_argument('--progress-interval', type=float, default=5.0, metavar='SECONDS',
                        help='off a terminal, a progress line every SECONDS (default 5)')
    global_options.add_to(parser, cores_help='processes that scan the files (default 1; 0: one per core)')
    return parser


@dataclass
class Finding:
    kind: catalogue.Kind
    filename: str
    line_number: int
    fingerprint: str                # detect-secrets' hash of the value (as baselines store it)
    redacted: str = ''
    scope: str = ''
    database: Optional[str] = None
    host: Optional[str] = None
    identified: str = ''
    layer: Optional[str] = None     # which evidence identified it (catalogue.LAYERS)
    evidence: Optional[str] = None  # the hook's and the verifier's `Decoded.evidence_text`
    warning: Optional[str] = None   # e.g. token and URL name different databases
    problem: Optional[str] = None   # set when the value could not be recovered from the file
    status: Optional[str] = None    # with --verify: live | revoked | unknown | skipped
    status_detail: Optional[str] = None
    # the credential itself, never shown: masked wherever it stands in the file name
    secrets: Tuple[str, ...] = field(default=(), repr=False)

    @property
    def location(self) -> str:
        # a token can be a file name: masked, and control characters escaped (text output)
        shown = shown_path(self.filename, self.secrets)
        return f'{shown}:{self.line_number}' if self.line_number else shown

    @property
    def shown_filename(self) -> str:
        return redact_path(self.filename, self.secrets)


# --- collecting findings ---

def _scan(paths: Sequence[str], all_files: bool, num_processors: int = 1) -> dict:
    """A baseline document of PATHs' Upstash findings, scanned with our plugin alone."""
    from detect_secrets.core import baseline
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import transient_settings
    from .cli import print_run_notes
    from .plugins import run_log

    run_log.start()
    targets: List[str] = []
    walk: List[str] = []
    for path in paths:
        if not os.path.exists(path):
            raise ReportError(f'{path}: no such file or directory')
        if not os.path.isdir(path):
            targets.append(path)
        elif all_files:
            walk.append(path)
        else:
            tracked = _tracked_files(path)
            if tracked is None:
                print(f'{PROG}: note: {path} is not in a git work tree; scanning all its files '
                      '(as --all-files)', file=sys.stderr)
                walk.append(path)
            else:
                targets.extend(tracked)
    for directory in walk:
        targets.extend(_walked_files(directory))
    with transient_settings({'plugins_used': [{'name': 'UpstashDetector'}]}):
        secrets = SecretsCollection()
        if targets:
            secrets.scan_files(*targets, num_processors=num_processors)
        document = baseline.format_for_output(secrets)
    print_run_notes()
    return document


def _walked_files(directory: str) -> List[str]:
    """Every file under `directory`, as detect-secrets' `--all-files` walk lists them (`.git/`
    left out by our patch, symbolic links to files outside the directory skipped), named as
    the user would write them.

    Upstream names each file relative to the current directory, and silently drops every
    file outside it, so also every file when run from `/` (it cuts `len(cwd + '/')`
    characters off each path). A directory there is walked with itself as the root instead,
    and its files named by joining the root-relative names back onto the path as given.
    """
    from detect_secrets.core.scan import get_files_to_scan
    real = os.path.realpath(directory)
    cwd = os.path.realpath(os.getcwd())
    if cwd != os.sep and os.path.commonpath([cwd, real]) == cwd:
        return list(get_files_to_scan(directory, should_scan_all_files=True))
    if real == os.sep:
        raise ReportError(f'{directory}: detect-secrets cannot walk the whole file system from '
                          '/; name the directories to scan')
    files = []
    for relative in get_files_to_scan(real, should_scan_all_files=True, root=real):
        path = os.path.normpath(os.path.join(directory, relative))
        # upstream cuts a symbolic link's target outside the root into a name that is no file
        if os.path.isfile(path):
            files.append(path)
    return files


def _tracked_files(directory: str) -> Optional[List[str]]:
    """The git-tracked files under `directory` (paths as the user would write them), or None
    when it is not in a git work tree. (Upstream's scan compares paths relative to the cwd
    with `git ls-files` of the repository root, which finds nothing when run in a
    subdirectory.)"""
    try:
        result = subprocess.run(['git', '-C', directory, 'ls-files', '-z', '--cached', '--', '.'],
                                capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    names = [name for name in result.stdout.decode('utf-8', 'surrogateescape').split('\0') if name]
    files = [os.path.normpath(os.path.join(directory, name)) for name in names]
    return [path for path in files if os.path.isfile(path)]


def _read_baseline(path: str) -> dict:
    from .verify.inputs import InputError, _load_baseline
    try:
        return _load_baseline(path)
    except InputError as error:
        raise ReportError(str(error))


def _identified(kind: catalogue.Kind, notes, decoded) -> str:
    """How the finding was identified, in the layer the hook names (`notes`, else the
    verifier's `decoded`): a token-bytes finding by what its bytes say, a frame or context
    finding by its evidence, never as if its bytes had decoded."""
    source = notes if notes is not None else decoded
    parts = []
    if source is not None and source.layout:
        parts.append(f'{source.layout} layout')
    if source is not None and source.database_id is not None:
        parts.append(f'database {source.database_id}')
    if source is not None and source.endpoint:
        parts.append(f'endpoint {source.endpoint}')
    detail = f' ({", ".join(parts)})' if parts else ''
    layer, evidence = _evidence(notes, decoded)
    product = catalogue.product_of(kind)
    if kind.identified_by == catalogue.CONTEXT:
        # a common form (a UUID) that only its place makes this kind's
        text = f'its place: {evidence}' if evidence else 'its place in the file'
    elif layer is not None and layer != catalogue.BYTES:
        # a frame around unknown bytes, or a value under an Upstash name: that evidence
        text = evidence + ''.join(f'; {part}' for part in parts)
    else:
        text = kind.identified_how or f'its bytes decode as an Upstash {product.display_name} token{detail}'
        if kind.identified_apart and notes is not None and notes.host_source != 'URL':
            text = kind.identified_apart
    if notes is not None and notes.host and notes.host_source != 'URL':
        text += f'; host from the {notes.host_source}'
    return text


def _evidence(notes, decoded) -> (Optional[str], Optional[str]):
    """(layer, evidence text) as the hook prints them (its notes), else as the verifier does."""
    if notes is not None:
        return notes.layer, notes.evidence
    if decoded is not None:
        return decoded.layer, decoded.evidence_text
    return None, None


def _findings(document: dict, baseline_dir: str, policy) -> (List[Finding], list, int):
    from detect_secrets.core.potential_secret import PotentialSecret
    from . import audit_notes
    from .verify.inputs import from_baseline_document

    credentials, others = from_baseline_document(document, baseline_dir, policy)
    entries = [(filename, entry) for filename, items in document['results'].items()
               for entry in items if entry['type'] in catalogue.BY_SECRET_TYPE]
    findings = []
    lines_by_file: Dict[str, List[str]] = {}
    for (filename, entry), credential in zip(entries, credentials):
        kind = catalogue.BY_SECRET_TYPE[entry['type']]
        line_number = entry.get('line_number') or 0
        finding = Finding(kind, filename, line_number, entry['hashed_secret'], scope=kind.scope)
        if credential.problem:
            finding.problem = credential.problem
            finding.identified = 'recorded in the baseline'
            findings.append(finding)
            continue
        path = filename if os.path.isfile(filename) else os.path.join(baseline_dir, filename)
        if path not in lines_by_file:
            lines_by_file[path] = audit_notes.read_lines(path)
        notes = audit_notes.notes_for(kind.secret_type, entry['hashed_secret'],
                                      lines_by_file[path], line_number)
        finding.redacted = redact(credential.value)
        finding.secrets = (credential.value,)
        finding.fingerprint = PotentialSecret.hash_secret(credential.value)
        if credential.decoded is not None:
            finding.scope = credential.decoded.scope
            if credential.decoded.database_id is not None:
                finding.database = str(credential.decoded.database_id)
            elif credential.decoded.endpoint:
                finding.database = credential.decoded.endpoint
        if notes is not None:
            finding.host = notes.host
            if finding.database is None and notes.database_id is not None:
                finding.database = str(notes.database_id)
            finding.warning = notes.mismatch
        finding.layer, finding.evidence = _evidence(notes, credential.decoded)
        finding.identified = _identified(kind, notes, credential.decoded)
        findings.append(finding)
    return findings, credentials, others


def _verify(findings: List[Finding], credentials, args, policy) -> None:
    from .verify.progress import Progress
    from .verify.verifier import verify_credentials

    options = options_of(args, policy)
    with Progress('verifying', quiet=args.quiet, interval=args.progress_interval) as progress:
        results = verify_credentials(credentials, options, progress=progress.update)
    for finding, result in zip(findings, results):
        finding.status, finding.status_detail = result.status, result.detail
        if result.scope_source == 'server':
            finding.scope = result.scope
        finding.host = finding.host or result.host


# --- rendering ---

_STATUS_ORDER = {'live': 0, 'unknown': 1, None: 2, 'skipped': 3, 'revoked': 4}


def _sorted(findings: List[Finding]) -> List[Finding]:
    return sorted(findings, key=lambda f: (_STATUS_ORDER.get(f.status, 2), f.scope == READ_ONLY,
                                           f.filename, f.line_number))


class _Style:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not codes:
            return text
        return f'\x1b[{";".join(codes)}m{text}\x1b[0m'


BOLD, RED, YELLOW, GREEN, DIM = '1', '31', '33', '32', '2'


def _wrap(label: str, text: str, width: int = 100) -> List[str]:
    import textwrap
    return textwrap.wrap(text, width=width, initial_indent=f'  {label:<12}',
                         subsequent_indent=' ' * 14, break_on_hyphens=False) or [f'  {label}']


def render_text(findings: List[Finding], others: int, style: _Style, verified: bool) -> str:
    from .remediation import HISTORY
    if not findings:
        line = 'No Upstash credentials found.'
        if others:
            line += f' ({others} finding(s) of other secret types in the baseline, not reported here.)'
        return line
    blocks = []
    first_of_kind: Dict[str, int] = {}
    for number, finding in enumerate(_sorted(findings), 1):
        kind = finding.kind
        colour = RED if finding.scope != READ_ONLY else YELLOW
        title = f'{number}. {kind.secret_type} ({_scope_title(finding.scope)})'
        if finding.status:
            status_colour = {'live': RED, 'revoked': GREEN}.get(finding.status, YELLOW)
            title += '  ' + style(finding.status.upper(), BOLD, status_colour)
        lines = [style(title, BOLD, colour)]
        lines += _wrap('where:', finding.location)
        if finding.database:
            lines += _wrap(f'{catalogue.product_of(kind).resource}:',
                           ' on '.join(filter(None, [finding.database, finding.host])))
        elif finding.host:
            lines += _wrap('host:', finding.host)
        if finding.redacted:
            lines += _wrap('value:', f'{finding.redacted} (redacted)')
        lines += _wrap('identified:', finding.identified)
        if finding.warning:
            lines += _wrap('warning:', finding.warning)
        if finding.problem:
            lines += _wrap('note:', finding.problem)
        if finding.status_detail:
            lines += _wrap('verified:', finding.status_detail)
        advice = kind.remediation
        if kind.id in first_of_kind:
            lines += _wrap('what to do:', f'as for {first_of_kind[kind.id]} above (same kind).')
        else:
            first_of_kind[kind.id] = number
            lines += _wrap('opens:', _sentence(advice.opens))
            lines += _wrap('rotate:', f'{_sentence(advice.rotate)} {_sentence(advice.revokes)}')
            lines += _wrap('instead:', _sentence(advice.belongs))
        blocks.append('\n'.join(lines))
    import textwrap
    out = ['\n\n'.join(blocks), '', style(summary_line(findings, others, verified), BOLD),
           textwrap.fill(HISTORY, width=100, break_on_hyphens=False)]
    return '\n'.join(out)


def _scope_title(scope: str) -> str:
    return 'scope unknown' if scope == SCOPE_UNKNOWN else scope


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(('.', '!', '?')) else text + '.'


def summary_line(findings: List[Finding], others: int = 0, verified: bool = False) -> str:
    files = len({f.filename for f in findings})
    by_scope = {scope: sum(1 for f in findings if f.scope == scope)
                for scope in (READ_WRITE, READ_ONLY, ACCOUNT, SCOPE_UNKNOWN)}
    line = (f'{len(findings)} Upstash credential(s) in {files} file(s): '
            f'{by_scope[READ_WRITE]} read-write, {by_scope[READ_ONLY]} read-only')
    if by_scope[ACCOUNT]:
        line += f', {by_scope[ACCOUNT]} account-wide'
    if by_scope[SCOPE_UNKNOWN]:
        # a context finding whose name does not say: not counted as what it may be
        line += f', {by_scope[SCOPE_UNKNOWN]} of unknown scope (treat as read-write until verified)'
    if verified:
        counts = {}
        for finding in findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
        line += '; ' + ', '.join(f'{counts.get(s, 0)} {s}' for s in ('live', 'unknown', 'revoked', 'skipped'))
    if others:
        line += f' ({others} other finding(s) in the baseline not reported)'
    return line + '.'


def render_json(findings: List[Finding], others: int, verified: bool) -> str:
    items = []
    for finding in _sorted(findings):
        advice = finding.kind.remediation
        items.append({
            'kind': finding.kind.id, 'secret_type': finding.kind.secret_type,
            'product': finding.kind.product, 'scope': finding.scope,
            'filename': finding.shown_filename, 'line_number': finding.line_number,
            'database': finding.database, 'host': finding.host, 'value': finding.redacted or None,
            'hashed_secret': finding.fingerprint, 'identified_by': finding.identified,
            'layer': finding.layer, 'evidence': finding.evidence,
            'warning': finding.warning, 'problem': finding.problem,
            'status': finding.status, 'status_detail': finding.status_detail,
            'remediation': {'opens': advice.opens, 'rotate': advice.rotate,
                            'revokes': advice.revokes, 'instead': advice.belongs},
        })
    return json.dumps({'version': JSON_VERSION, 'findings': items,
                       'summary': summary_line(findings, others, verified)}, indent=2, ensure_ascii=False)


_SARIF_LEVEL = {'live': 'error', 'unknown': 'warning', 'skipped': 'warning', 'revoked': 'note'}


def render_sarif(findings: List[Finding]) -> str:
    from . import sarif
    kinds = []
    for finding in findings:
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    rules = [sarif.kind_rule(kind) for kind in kinds]
    results = []
    for finding in _sorted(findings):
        level = _SARIF_LEVEL.get(finding.status) or ('error' if finding.scope != READ_ONLY else 'warning')
        message = f'{finding.kind.secret_type} ({_scope_title(finding.scope)})'
        if finding.database:
            message += f', {catalogue.product_of(finding.kind).resource} {finding.database}'
        if finding.redacted:
            message += f': {finding.redacted}'
        if finding.status:
            message += f'; verification: {finding.status}'
        message += f'. {_sentence(finding.kind.remediation.rotate)}'
        results.append(sarif.result(
            finding.kind.id, message, sarif.file_location(finding.shown_filename, finding.line_number),
            fingerprint=finding.fingerprint, level=level,
            properties={'scope': finding.scope, 'status': finding.status, 'host': finding.host,
                        'layer': finding.layer, 'evidence': finding.evidence}))
    return sarif.dumps(sarif.log('detect-secrets-upstash', rules, results))


# --- the command ---

def _use_colour(choice: str, to_file: bool) -> bool:
    if choice != 'auto':
        return choice == 'always'
    return not to_file and sys.stdout.isatty() and not os.environ.get('NO_COLOR') \
        and os.environ.get('TERM') != 'dumb'


def main(argv: Optional[List[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='backslashreplace')
    parser = build_parser()
    args = parser.parse_args(argv)
    global_options.check(args, parser)
    with global_options.applied(args):
        return _report(args, parser)


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    policy = policy_of(args, parser)
    try:
        if args.baseline:
            if args.paths or args.all_files:
                raise ReportError('give either --baseline FILE or PATHs to scan, not both')
            document = _read_baseline(args.baseline)
            baseline_dir = os.path.dirname(os.path.abspath(args.baseline))
        else:
            document = _scan(args.paths or ['.'], args.all_files, args.cores or None)
            baseline_dir = os.getcwd()
        findings, credentials, others = _findings(document, baseline_dir, policy)
        if args.verify and findings:
            _verify(findings, credentials, args, policy)
        if args.format == 'json':
            text = render_json(findings, others, args.verify)
        elif args.format == 'sarif':
            text = render_sarif(findings)
        else:
            text = render_text(findings, others, _Style(_use_colour(args.color, bool(args.output))),
                               args.verify)
        _write(text, args.output)
    except ReportError as error:
        print(f'{PROG}: error: {error}', file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_FOUND if findings else EXIT_NONE


def _write(text: str, output: Optional[str]) -> None:
    if output is None:
        print(text)
        sys.stdout.flush()
        return
    try:
        with open(output, 'w', encoding='utf-8') as handle:
            handle.write(text + '\n')
    except OSError as error:
        raise ReportError(f'cannot write {output}: {error.strerror or error}')
