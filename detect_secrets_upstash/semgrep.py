"""`upstash-semgrep`: run the real semgrep, offline, with the Upstash rule pack bundled in this package.

    upstash-semgrep [--json | --sarif] [--error] [options] [PATHS ...] [-- SEMGREP-ARGS ...]

* semgrep is an optional extra (`pip install 'detect-secrets-upstash[semgrep]'`); when it is
  missing we say so and exit 2 instead of raising.
* Always offline: `--metrics=off --disable-version-check` (without them semgrep waits ~100 s
  on a version check that cannot connect) and only the local rule pack as configuration.
* Git-ignored files ARE scanned by default (`--no-git-ignore`): `.env.local` and friends are
  git-ignored by design, yet Next.js, Vite and the others inline their public variables into
  the build from exactly those files. `--respect-git-ignore` restores semgrep's default.
  Build output of the usual frameworks is skipped (it is generated from the sources we scan).
* A finding's source line can hold the credential itself (a hard-coded token). Every
  Upstash credential in the report is cut to its first and last 4 characters unless
  `--show-secrets` is given. JSON and SARIF are redacted string by string after parsing (so
  JSON escapes cannot hide a token); the text report is written here from semgrep's JSON,
  because semgrep's own text output wraps long lines and can split a token across two.
* `.mts` / `.cts` files, which semgrep has no language for, are scanned with the TypeScript
  rules through staged copies; findings in an Upstash SDK's own package are not app leaks;
  a misuse matched several ways is reported once (`semgrep_findings`).
* The exit status is semgrep's (0 clean, 1 findings with `--error`, 2+ errors), except that
  with `--error` a scan in which semgrep could not read a target, or parse any line of it,
  exits 2 (semgrep itself would exit 0 or 1): CI must not pass a handler nobody looked at. A
  target parsed in part draws a warning naming the lines left (`semgrep_errors`).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Set
from typing import Tuple

from . import redaction
from . import semgrep_errors
from . import semgrep_findings
from . import semgrep_launch
from . import semgrep_prefilter
from . import tokens

PROG = 'upstash-semgrep'
EXIT_UNAVAILABLE = 2            # semgrep's own exit status for "could not run"
EXIT_INCOMPLETE = 2             # --error and semgrep skipped (part of) a target
INSTALL_HINT = "pip install 'detect-secrets-upstash[semgrep]'"
# Generated framework output: scanning it would repeat every finding of the sources.
BUILD_OUTPUT_DIRS = ('.next', '.nuxt', '.output', '.svelte-kit', '.vercel', '.astro', '.turbo',
                     '.netlify', '.expo')
# Installed dependencies and tool caches: third-party code, never the user's. semgrep's
# default ignore list skips them, but a project's own .semgrepignore replaces that list
# (node_modules would be scanned), so they are excluded here in every case.
DEPENDENCY_DIRS = ('node_modules', 'bower_components', '.npm', '.yarn', '.pnpm-store', '.venv',
                   'venv', '.tox')
OFFLINE_FLAGS = ('--metrics=off', '--disable-version-check')
# semgrep's OCaml front end (osemgrep): the same engine, targets and reports as the Python
# front end (`semgrep scan`), without its ~2.5 CPU-s of Python start-up, rule validation
# and output formatting per run (bench/semgrep_speed.py).
FRONT_END = ('scan', '--experimental')
OFFLINE_ENV = {'SEMGREP_ENABLE_VERSION_CHECK': '0', 'SEMGREP_SEND_METRICS': 'off'}


class SemgrepUnavailable(Exception):
    """semgrep cannot be run: the message says why and what to do."""


def rules_dir() -> Path:
    """The rule pack of the installed package (`detect_secrets_upstash/semgrep_rules/`).

    A source checkout or an editable install has no such directory: the pack then lives in
    the repository's `semgrep-rules/` beside the package (setup.cfg maps one to the other).
    """
    # What importlib.resources.files() names for a package on disk, without its ~5 ms import.
    installed = Path(__file__).parent / 'semgrep_rules'
    candidates = [installed, Path(__file__).resolve().parent.parent / 'semgrep-rules']
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.rglob('*.yaml')):
            return candidate
    raise SemgrepUnavailable(
        'the Upstash rule pack is missing from this installation (looked in '
        + ', '.join(str(c) for c in candidates) + '); reinstall detect-secrets-upstash')


def load_rules(directory: Path, cache: Optional[Path] = None) -> List[Any]:
    """(family, rule) for every rule of the pack; the family is its directory (`exposure`).

    Parsed once per content of the rule files: the result is kept in `cache` (default
    `semgrep_prefilter.cache_dir()`) under a hash of their names and bytes, which costs less
    than importing PyYAML. A cache that cannot be read or written is passed over."""
    texts: List[Tuple[Path, bytes]] = []
    for path in sorted(directory.rglob('*.yaml')):
        try:
            texts.append((path, path.read_bytes()))
        except OSError as error:
            raise SemgrepUnavailable(f'rule file {path} cannot be read: {error}') from error
    import hashlib
    digest = hashlib.sha256(b'upstash-semgrep rules 1\0')
    for path, text in texts:
        name = path.relative_to(directory).as_posix()
        digest.update(f'{name}\0{len(text)}\0'.encode('utf-8', 'surrogateescape'))
        digest.update(text)
    cache = semgrep_prefilter.cache_dir() if cache is None else cache
    cached = cache / f'rules-{digest.hexdigest()}.json'
    try:
        document = json.loads(cached.read_text(encoding='utf-8'))
        if isinstance(document, list) and all(isinstance(entry, list) and len(entry) == 2
                                              and isinstance(entry[1], dict) for entry in document):
            return [(family, rule) for family, rule in document]
    except (OSError, ValueError):
        pass                    # none yet, or unreadable: parse the YAML
    rules = _parse_rules(texts)
    semgrep_prefilter.write_json_cache(cached, rules)
    return rules


def _parse_rules(texts: Sequence[Tuple[Path, bytes]]) -> List[Any]:
    import yaml     # PyYAML comes with detect-secrets
    # libyaml's loader when PyYAML has it: ~5x faster on the pack
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    rules: List[Any] = []
    for path, text in texts:
        try:
            # universal newlines, as read_text() gave them
            source = text.decode('utf-8').replace('\r\n', '\n').replace('\r', '\n')
            document = yaml.load(source, Loader=loader)
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            raise SemgrepUnavailable(f'rule file {path} cannot be read: {error}') from error
        if not isinstance(document, dict) or not isinstance(document.get('rules'), list):
            raise SemgrepUnavailable(f'rule file {path} has no `rules:` list')
        rules.extend((path.parent.name, rule) for rule in document['rules'])
    return rules


def combined_rules(directory: Path, rules: Optional[List[Any]] = None) -> str:
    """Every rule of the pack in one JSON document (JSON is YAML to semgrep).

    semgrep spends ~0.15 s loading each configuration file, more than it spends scanning a
    2,000-file tree with the whole pack; one file instead of one per rule keeps the pack's
    cost close to that of a single trivial rule (bench/semgrep_speed.py).
    """
    loaded = load_rules(directory) if rules is None else rules
    return json.dumps({'rules': [rule for _, rule in loaded]})


def semgrep_executable() -> str:
    """semgrep from PATH, else the one installed beside this Python (a venv not on PATH)."""
    found = shutil.which('semgrep')
    if found:
        return found
    beside = Path(sys.executable).parent / ('semgrep.exe' if os.name == 'nt' else 'semgrep')
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    raise SemgrepUnavailable(f'semgrep is not installed; install it with: {INSTALL_HINT}')


def redact_credentials(text: str) -> str:
    """`text` with every Upstash credential cut to its first and last 4 characters."""
    return redaction.redact_credentials(text)


# A source line shown with a finding may hold a credential the catalogue cannot decode (a
# layout it does not know yet, a key of another length). Lines of code are shown for
# context only, so anything secret-shaped in them is cut too: a run of 32+ base64
# characters mixing upper case, lower case and digits (or 40+ without a digit:
# `redaction.looks_random`), or `sig_` and 20+ characters.
_SECRET_SHAPED = re.compile(r'(?<![A-Za-z0-9+/_-])(?:sig_[A-Za-z0-9]{20,}|[A-Za-z0-9+/_-]{32,}={0,2})'
                            r'(?![A-Za-z0-9+/_-])')
# Report fields that quote source code (semgrep JSON `lines`, SARIF `snippet`).
_CODE_FIELDS = ('lines', 'snippet')


def _secret_shaped(match: 're.Match[str]') -> str:
    value = match.group(0)
    shaped = redaction.looks_random(value) or value.startswith('sig_')
    return tokens.redact(value) if shaped else value


def redact_code(line: str) -> str:
    """A line of source code for display: credentials and secret-shaped runs cut."""
    return _SECRET_SHAPED.sub(_secret_shaped, redact_credentials(line))


def _redact_document(node: Any, code: bool = False,
                     done: Optional[Dict[Tuple[str, bool], str]] = None) -> Any:
    """`node` with every string redacted; `done`: the strings redacted so far (a report
    repeats each rule's message and metadata once per finding)."""
    if done is None:
        done = {}
    if isinstance(node, str):
        redacted = done.get((node, code))
        if redacted is None:
            redacted = redact_code(node) if code else redact_credentials(node)
            done[node, code] = redacted
        return redacted
    if isinstance(node, list):
        return [_redact_document(item, code, done) for item in node]
    if isinstance(node, dict):
        return {key: _redact_document(value, code or key in _CODE_FIELDS, done)
                for key, value in node.items()}
    return node


def redact_json_report(report: str) -> str:
    """A JSON or SARIF report with every string redacted; line-wise if it is not JSON."""
    try:
        document = json.loads(report)
    except ValueError:
        return redact_credentials(report)
    return json.dumps(_redact_document(document), ensure_ascii=False) + '\n'


def _source_lines(path: str, start: int, end: int, limit: int = 5) -> List[str]:
    try:
        with open(path, encoding='utf-8', errors='replace') as source:
            lines = source.read().splitlines()
    except OSError:
        return []
    return lines[start - 1:min(end, start - 1 + limit)]


def text_report(document: Dict[str, Any], show_secrets: bool,
                assessment: Optional[semgrep_errors.Assessment] = None) -> str:
    """One block per finding: `path:line: SEVERITY rule-id`, the code, then the advice."""
    import textwrap     # only the text report wraps lines
    results = sorted(document.get('results', []),
                     key=lambda r: (r.get('path', ''), r.get('start', {}).get('line', 0)))
    blocks = []
    for result in results:
        extra = result.get('extra', {})
        start, end = result.get('start', {}).get('line', 0), result.get('end', {}).get('line', 0)
        block = [f"{result.get('path')}:{start}: {extra.get('severity', '?')} {result.get('check_id')}"]
        for line in _source_lines(result.get('path', ''), start, end):
            block.append('    | ' + (line if show_secrets else redact_code(line)).rstrip())
        message = ' '.join(str(extra.get('message', '')).split())
        block += textwrap.wrap(message, width=100, initial_indent='    ', subsequent_indent='    ')
        blocks.append('\n'.join(block))
    counts: Dict[str, int] = {}
    for result in results:
        severity = result.get('extra', {}).get('severity', '?')
        counts[severity] = counts.get(severity, 0) + 1
    if results:
        by_severity = ', '.join(f'{counts[s]} {s}' for s in ('ERROR', 'WARNING', 'INFO') if s in counts)
        summary = f'{len(results)} finding(s): {by_severity}'
    else:
        summary = 'No Upstash findings.'
    if assessment is None:
        assessment = semgrep_errors.assess(document.get('errors', []))
    if assessment.unchecked:
        # Never let "no findings" stand for a scan that did not look at everything.
        summary += (f' semgrep reported {len(assessment.unchecked)} error(s) (above): the scan '
                    f'is incomplete.')
    if assessment.partly_parsed:
        summary += (f' {len(assessment.partly_parsed)} file(s) only partly parsed (warnings '
                    f'above).')
    return '\n\n'.join([*blocks, summary]) + '\n'


def sarif_notifications(report: str) -> int:
    """How many problems (unparsable or unreadable targets, timeouts) a SARIF report lists."""
    try:
        document = json.loads(report)
    except ValueError:
        return 0        # no report at all: semgrep failed and its exit status says so
    if not isinstance(document, dict):
        return 0
    return sum(len(invocation.get('toolExecutionNotifications') or [])
               for run in document.get('runs') or []
               for invocation in run.get('invocations') or [])


def report_errors_of(report: str) -> Optional[List[Dict[str, Any]]]:
    """The `errors` of a JSON report (None: no report)."""
    try:
        document = json.loads(report)
    except ValueError:
        return None
    return document.get('errors') or [] if isinstance(document, dict) else None


def report_errors(assessment: 'semgrep_errors.Assessment') -> None:
    """semgrep's errors (unparsable files, rule problems) and the lines it could not parse of
    files it otherwise scanned, on stderr: never silently skipped."""
    for error in assessment.unchecked:
        where = error.get('path') or (error.get('spans') or [{}])[0].get('file') or ''
        message = ' '.join(str(error.get('message', error.get('type', 'error'))).split())
        print(f"{PROG}: semgrep {error.get('level', 'error')}: {where + ': ' if where else ''}{message}",
              file=sys.stderr)


def report_partly_parsed(assessment: 'semgrep_errors.Assessment') -> None:
    for partly in assessment.partly_parsed:
        print(semgrep_errors.warning_line(PROG, partly), file=sys.stderr)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description='Run semgrep offline with the Upstash rule pack: Upstash credentials that '
                    'reach the browser or sit in code, and QStash handlers that do not verify '
                    'signatures. Arguments after `--` go to `semgrep scan` unchanged.',
    )
    parser.add_argument('paths', nargs='*', metavar='PATH',
                        help='files or directories to scan (default: the current directory)')
    output = parser.add_mutually_exclusive_group()
    output.add_argument('--json', action='store_true', help="semgrep's JSON output")
    output.add_argument('--sarif', action='store_true', help="semgrep's SARIF output")
    parser.add_argument('--error', action='store_true',
                        help='exit 1 when there are findings (for CI and pre-commit)')
    parser.add_argument('-o', '--output', metavar='FILE',
                        help='write the report to FILE instead of standard output')
    parser.add_argument('--severity', action='append', choices=('INFO', 'WARNING', 'ERROR'),
                        help='report only findings of this severity (repeatable)')
    parser.add_argument('--exclude', action='append', metavar='PATTERN', default=[],
                        help='skip files and directories matching PATTERN (repeatable)')
    parser.add_argument('--include', action='append', metavar='PATTERN', default=[],
                        help='scan only files matching PATTERN (repeatable)')
    parser.add_argument('-j', '--jobs', type=int, metavar='N', help='parallel semgrep jobs')
    parser.add_argument('-q', '--quiet', action='store_true', help='only the findings')
    parser.add_argument('--respect-git-ignore', action='store_true',
                        help='skip git-ignored files (by default they are scanned, because '
                             '.env.local files are git-ignored yet bundled)')
    parser.add_argument('--include-sdk-code', action='store_true',
                        help='also report exposure findings in the code of an Upstash SDK package '
                             '(package.json name @upstash/...), which are library fallbacks, '
                             'not app leaks; dropped by default')
    parser.add_argument('--no-prefilter', action='store_true',
                        help='hand every file to semgrep, also those that contain none of the '
                             'words the rules need (slower; the same findings)')
    parser.add_argument('--show-secrets', action='store_true',
                        help='print credentials in full in the report (redacted by default)')
    parser.add_argument('--version', action='store_true',
                        help="print this package's and semgrep's versions and exit")
    parser.add_argument('--rules-dir', action='store_true',
                        help='print the directory of the bundled rule pack and exit')
    return parser.parse_args(argv)


def without_offline_flags(passthrough: Sequence[str]) -> List[str]:
    """The arguments after `--` less the OFFLINE_FLAGS semgrep is always given: semgrep exits 2
    on a repeated `--metrics`, and users following "always pass these flags" repeat them."""
    kept: List[str] = []
    rest = iter(passthrough)
    for arg in rest:
        if arg in OFFLINE_FLAGS:
            continue
        if arg == '--metrics':
            value = next(rest, None)
            if value == 'off':
                continue
            kept.append(arg)
            if value is not None:
                kept.append(value)
            continue
        kept.append(arg)
    return kept


def excluded_dirs(args: argparse.Namespace) -> Tuple[str, ...]:
    """The directory names semgrep is told to skip in every scan (besides the user's --exclude)."""
    return (() if args.respect_git_ignore else BUILD_OUTPUT_DIRS) + DEPENDENCY_DIRS


def target_flags(args: argparse.Namespace, passthrough: Sequence[str]) -> List[str]:
    """The flags that decide which files semgrep scans (the scan and the .mts/.cts selection)."""
    flags: List[str] = [] if args.respect_git_ignore else ['--no-git-ignore']
    for directory in excluded_dirs(args):
        flags += ['--exclude', directory]
    for pattern in args.exclude:
        flags += ['--exclude', pattern]
    for pattern in args.include:
        flags += ['--include', pattern]
    return flags + list(passthrough)


def semgrep_command(semgrep: str, config: Path, args: argparse.Namespace,
                    passthrough: Sequence[str], staged: Sequence[str] = (),
                    left_out: Sequence[str] = (),
                    targets: Optional[Sequence[str]] = None) -> List[str]:
    command = [semgrep, *FRONT_END, *OFFLINE_FLAGS, '--config', str(config),
               # keep the rule ids users write in `nosemgrep:` comments, not the install path
               '--no-rewrite-rule-ids']
    # The text report is built here from semgrep's JSON (see the module docstring).
    command.append('--sarif' if args.sarif else '--json')
    if args.error:
        command.append('--error')
    for severity in args.severity or ():
        command += ['--severity', severity]
    # Files no rule can match (semgrep_prefilter); `=` keeps a pattern from reading as a flag.
    command += [f'--exclude={pattern}' for pattern in left_out]
    if args.jobs is not None:
        command += ['--jobs', str(args.jobs)]
    if args.quiet:
        command.append('--quiet')
    command += target_flags(args, passthrough)
    command += list(args.paths or ['.']) if targets is None else list(targets)
    # Staged copies of .mts/.cts files, named one by one: semgrep scans a named file whatever
    # its --include, --exclude and ignore files say, so the real files were selected by
    # those first (select_unmapped).
    command += list(staged)
    return command


# A rule that matches nothing but lets semgrep choose the .mts/.cts files as it chooses every
# target (.semgrepignore, .gitignore, --include/--exclude, its default ignore list): the
# `paths.scanned` of a run with it are the real files a staged copy may stand for.
_SELECTION_RULE = {'id': 'upstash-semgrep-target-selection', 'languages': ['regex'],
                   'severity': 'INFO', 'message': 'target selection',
                   'paths': {'include': ['*' + ext for ext in semgrep_findings.UNMAPPED_EXTENSIONS]},
                   'pattern-regex': '\\A\\z(?<=x)'}


def _normal(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def select_unmapped(semgrep: str, args: argparse.Namespace, passthrough: Sequence[str],
                    scratch: Path, candidates: Sequence[Path],
                    launcher: Optional[semgrep_launch.Launcher] = None) -> List[Path]:
    """The candidates semgrep would scan were they files of a language it maps: the user's
    --include, --exclude and .semgrepignore apply to their real names. If semgrep gives no
    answer, every candidate (the copies are scanned as before)."""
    if not candidates:
        return []
    config = scratch / 'target-selection.json'
    config.write_text(json.dumps({'rules': [_SELECTION_RULE]}), encoding='utf-8')
    command = [semgrep, *FRONT_END, *OFFLINE_FLAGS, '--config', str(config), '--json', '--quiet',
               *target_flags(args, passthrough), *(args.paths or ['.'])]
    try:
        completed = semgrep_launch.run(launcher, command, {**os.environ, **OFFLINE_ENV},
                                       capture_output=True, stdin=subprocess.DEVNULL)
        scanned = json.loads(completed.stdout)['paths']['scanned']
    except (OSError, ValueError, KeyError, TypeError):
        return list(candidates)
    chosen = {_normal(str(path)) for path in scanned}
    return [path for path in candidates if _normal(str(path)) in chosen]


def stage_unmapped_files(args: argparse.Namespace, scratch: Path,
                         prefilter: Optional[semgrep_prefilter.Prefilter] = None,
                         semgrep: Optional[str] = None,
                         passthrough: Sequence[str] = (),
                         launcher: Optional[semgrep_launch.Launcher] = None) -> Dict[str, str]:
    """Copies of the .mts/.cts files to scan, under names semgrep maps: {copy: real path}.

    With a prefilter, only those in which a rule can match are copied."""
    targets = [t for t in (args.paths or ['.']) if os.path.exists(t)]
    # Walked generously (semgrep chooses among them); never into what is always excluded.
    skipped_dirs = DEPENDENCY_DIRS + (() if args.respect_git_ignore else BUILD_OUTPUT_DIRS)
    files = semgrep_findings.unmapped_files(targets, skipped_dirs, args.exclude)
    if prefilter is not None:
        files = [f for f in files if prefilter.may_match(str(Path(f).resolve()))]
    if semgrep is not None:
        files = select_unmapped(semgrep, args, passthrough, scratch, files, launcher)
    return semgrep_findings.stage_unmapped(files, scratch / 'staged')


def scan_targets(args: argparse.Namespace, prefilter: Optional[semgrep_prefilter.Prefilter],
                 empty: Path) -> Tuple[List[str], int]:
    """The targets to hand semgrep, and how many named files were left out: a file named on
    the command line (the pre-commit hook names each staged file) in which no rule can match
    is not handed over (semgrep would scan a named file whatever an --exclude says). If
    nothing is left, an empty directory: semgrep given no target would scan `.`."""
    named = args.paths or ['.']
    if prefilter is None:
        return list(named), 0
    kept = [target for target in named
            if os.path.islink(target) or not os.path.isfile(target)
            or prefilter.may_match(os.path.abspath(target))]
    if not kept:
        empty.mkdir(exist_ok=True)
        kept = [str(empty)]
    return kept, sum(1 for target in named if target not in kept)


def load_prefilter(args: argparse.Namespace, semgrep: str, config_file: Path, rules: List[Any],
                   passthrough: Sequence[str]) -> Optional[semgrep_prefilter.Prefilter]:
    """The prefilter for this run, or None: turned off, or extra semgrep arguments given (they
    may change what semgrep reads, e.g. --max-target-bytes), or semgrep-core's formulas
    unavailable (then every file is scanned, as without it)."""
    if args.no_prefilter or passthrough:
        return None
    try:
        return semgrep_prefilter.Prefilter.for_config(semgrep, config_file, rules)
    except semgrep_prefilter.PrefilterUnavailable as error:
        if not args.quiet:
            print(f'{PROG}: note: every file goes to semgrep ({error})', file=sys.stderr)
        return None


def plan_exclusions(args: argparse.Namespace, prefilter: Optional[semgrep_prefilter.Prefilter]
                    ) -> Optional[semgrep_prefilter.Exclusions]:
    """The files of the scanned directories that no rule can match (None: no prefilter)."""
    if prefilter is None:
        return None
    roots = [Path(t).resolve() for t in (args.paths or ['.']) if os.path.isdir(t)]
    skipped = set(semgrep_findings.DEFAULT_SKIPPED_DIRS) | set(BUILD_OUTPUT_DIRS)
    always_excluded = {*excluded_dirs(args), '.git'}
    excluded = args.exclude

    def walk_skipped(directory: Path) -> bool:
        # Directories semgrep's default ignore list or the --exclude patterns may skip: not
        # read, and left to semgrep as they are.
        return directory.name in skipped or semgrep_findings.matches_exclude(Path(directory.name),
                                                                             excluded)

    def never_scanned(directory: Path) -> bool:
        # What target_flags excludes in every case, and .git.
        return directory.name in always_excluded or semgrep_findings.matches_exclude(
            Path(directory.name), excluded)

    exclusions = semgrep_prefilter.Exclusions(prefilter, walk_skipped, never_scanned=never_scanned)
    exclusions.plan(roots)
    return exclusions


def rules_needed(args: argparse.Namespace, prefilter: Optional[semgrep_prefilter.Prefilter],
                 exclusions: Optional[semgrep_prefilter.Exclusions],
                 staged: Dict[str, str]) -> Optional[Set[str]]:
    """The ids of the only rules that can match in what semgrep will scan, when that is known:
    every target a directory, walked whole, and the .mts/.cts copies judged too. semgrep
    spends ~2 ms loading each rule, more than the scan of a few dozen files, so rules no file
    can match are left out of the configuration. None (every rule) for SARIF, whose report
    lists the rules that ran, and whenever in doubt."""
    if prefilter is None or exclusions is None or args.sarif \
            or not all(os.path.isdir(t) and not os.path.islink(t) for t in (args.paths or ['.'])):
        return None
    needed = exclusions.rules_needed()
    if needed is None:
        return None
    for copy in staged:
        path = Path(copy)
        rules = prefilter.rules_may_match(copy, prefilter.path_hits(path.parent.parts), path.name)
        if rules is None:
            return None
        needed |= rules
    return needed


# osemgrep's summary of skipped targets, one line: "  Scan skipped: 3 files matching
# --exclude patterns, 1 files larger than 1 MB, 2 files matching .semgrepignore patterns."
_SKIPPED_LINE = re.compile(r'^(?P<head>\s*Scan skipped: )(?P<parts>.*?)\.?\s*$')
_EXCLUDE_PART = re.compile(r'^(?P<count>\d+) files? matching --exclude patterns$')
_SKIPPED_HEADING = 'Some files were skipped or only partially analyzed.'
_SKIPPED_FOOTER = 'For a full list of skipped files'


def semgrep_summary_without(stderr: str, left_out_patterns: int) -> str:
    """semgrep's stderr with the files kept out by the prefilter taken out of its count of
    files "matching --exclude patterns" (they were not skipped: no rule can match them).

    osemgrep counts an excluded directory once, as it counts each of our patterns."""
    lines = stderr.splitlines(keepends=True)
    out: List[str] = []
    dropped_skip_line = False
    for line in lines:
        found = _SKIPPED_LINE.match(line.rstrip('\n'))
        if not found:
            out.append(line)
            continue
        parts = []
        for part in found.group('parts').split(', '):
            excluded = _EXCLUDE_PART.match(part)
            if excluded:
                count = int(excluded.group('count')) - left_out_patterns
                if count <= 0:
                    continue
                part = f"{count} file{'s' if count > 1 else ''} matching --exclude patterns"
            parts.append(part)
        if parts:
            out.append(f"{found.group('head')}{', '.join(parts)}.\n")
        else:
            dropped_skip_line = True
    if dropped_skip_line:
        # Nothing else was skipped: no heading and footer around an empty list.
        kept = [line for line in out if not line.strip().startswith(_SKIPPED_FOOTER)]
        heading = [i for i, line in enumerate(kept) if line.strip() == _SKIPPED_HEADING]
        partly_parsed = any('partial' in line.lower() for line in kept
                            if line.strip() != _SKIPPED_HEADING)
        if heading and not partly_parsed:
            del kept[heading[0]]
        out = kept
    return ''.join(out)


# osemgrep opens with a box naming semgrep's products, the paid ones ticked off ("✘ Semgrep
# Code (SAST)"): noise for an offline scan with local rules, so the summary starts at
# "Scan Status".
def without_banner(stderr: str) -> str:
    lines = stderr.splitlines(keepends=True)
    if not any('Semgrep CLI' in line for line in lines[:5]):
        return stderr
    for index, line in enumerate(lines):
        if 'Scan Status' in line:
            return ''.join(lines[max(index - 1, 0):])
    return stderr


def print_semgrep_summary(stderr: str, left_out_patterns: int, left_out_files: int) -> None:
    try:
        sys.stderr.write(semgrep_summary_without(without_banner(stderr), left_out_patterns))
        if not left_out_files:
            sys.stderr.flush()
            return
        print(f'{PROG}: {left_out_files} more file(s) were read first and hold none of the words '
              f'the rules need, so no rule can match in them (--no-prefilter hands them to '
              f'semgrep as well)', file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def postprocessed(report: str, post: 'semgrep_findings.Postprocess',
                  sarif: bool) -> Tuple[Optional[Dict[str, Any]], Optional[int]]:
    """semgrep's JSON or SARIF document with real paths, SDK library findings dropped,
    duplicates merged, and how many findings remain; (None, None) when `report` is no JSON
    object."""
    try:
        document = json.loads(report)
    except ValueError:
        return None, None
    if not isinstance(document, dict):
        return None, None
    if sarif:
        document = post.sarif_report(document)
        remaining = sum(len(run.get('results') or []) for run in document.get('runs') or [])
    else:
        document = post.json_report(document)
        remaining = len(document.get('results') or [])
    return document, remaining


def postprocess_report(report: str, post: 'semgrep_findings.Postprocess',
                       sarif: bool) -> Tuple[str, Optional[int]]:
    """`postprocessed` as text (`report` itself when it is no JSON object)."""
    document, remaining = postprocessed(report, post, sarif)
    if document is None:
        return report, None
    return json.dumps(document, ensure_ascii=False) + '\n', remaining


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    redaction.redact_stderr()       # our own messages (semgrep's go to the descriptor directly)
    passthrough: List[str] = []
    if '--' in argv:
        cut = argv.index('--')
        argv, passthrough = argv[:cut], without_offline_flags(argv[cut + 1:])
    args = parse_args(argv)
    if args.version:
        from .versions import version_line
        print(version_line(PROG, detect_secrets=False, semgrep=True))
        return 0
    if not args.output and (sys.stdout is None or sys.stdout.closed):
        print(f'{PROG}: error: stdout is closed: there is nowhere to write the report (use -o FILE)',
              file=sys.stderr)
        return EXIT_UNAVAILABLE
    try:
        rules = rules_dir()
        if args.rules_dir:
            print(rules)
            return 0
        semgrep = semgrep_executable()
    except SemgrepUnavailable as error:
        print(f'{PROG}: error: {error}', file=sys.stderr)
        return EXIT_UNAVAILABLE

    try:
        loaded = load_rules(rules)
        config = combined_rules(rules, loaded)
    except SemgrepUnavailable as error:
        print(f'{PROG}: error: {error}', file=sys.stderr)
        return EXIT_UNAVAILABLE
    families = {rule.get('id', ''): family for family, rule in loaded}
    # semgrep's Python wrapper skipped where it would only exec semgrep-core (semgrep_launch)
    launcher = semgrep_launch.Launcher(semgrep)
    with tempfile.TemporaryDirectory(prefix='upstash-semgrep-') as scratch_name:
        scratch = Path(scratch_name).resolve()
        config_file = scratch / 'upstash-rules.yaml'
        config_file.write_text(config, encoding='utf-8')
        prefilter = load_prefilter(args, semgrep, config_file, [rule for _, rule in loaded],
                                   passthrough)
        try:
            staged = stage_unmapped_files(args, scratch, prefilter, semgrep, passthrough, launcher)
        except OSError as error:
            print(f'{PROG}: error: cannot stage .mts/.cts files for scanning: {error}', file=sys.stderr)
            return EXIT_UNAVAILABLE
        exclusions = plan_exclusions(args, prefilter)
        left_out = exclusions.patterns if exclusions is not None else []
        left_out_files = exclusions.files_left_out if exclusions is not None else 0
        targets, named_left_out = scan_targets(args, prefilter, scratch / 'nothing-to-scan')
        needed = rules_needed(args, prefilter, exclusions, staged)
        if needed and len(needed) < len(loaded):
            config_file = scratch / 'upstash-rules-needed.yaml'
            config_file.write_text(combined_rules(rules, [(family, rule) for family, rule in loaded
                                                          if rule.get('id') in needed]),
                                   encoding='utf-8')
        post = semgrep_findings.Postprocess(staged, str(scratch), families, args.include_sdk_code)
        command = semgrep_command(semgrep, config_file, args, passthrough, list(staged), left_out,
                                  targets)
        env = {**os.environ, **OFFLINE_ENV}
        try:
            # stdout is the report (redacted below); stderr (progress, errors) is passed on
            # without osemgrep's banner and with the prefilter's files taken out of its count.
            summary = not args.quiet
            completed = semgrep_launch.run(launcher, command, env, stdout=subprocess.PIPE,
                                           stdin=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE if summary else None)
            if summary:
                print_semgrep_summary(completed.stderr.decode('utf-8', errors='replace'),
                                      len(left_out), left_out_files + named_left_out)
            errors = None
            if args.sarif and sarif_notifications(completed.stdout.decode('utf-8', errors='replace')):
                # SARIF names a syntax error without the lines semgrep could not parse (and
                # osemgrep has no --json-output beside --sarif): the same scan as JSON says
                # which, so a file parsed in part is told from one not parsed at all. Paid
                # only when the scan reported a problem.
                as_json = [('--json' if arg == '--sarif' else arg) for arg in command]
                if '--quiet' not in as_json:
                    as_json.insert(len(FRONT_END) + 1, '--quiet')
                rerun = semgrep_launch.run(launcher, as_json, env, capture_output=True,
                                           stdin=subprocess.DEVNULL)
                errors = report_errors_of(postprocess_report(
                    rerun.stdout.decode('utf-8', errors='replace'), post, False)[0])
                if errors is None:      # no answer: every notification counts as a problem
                    errors = [{'message': 'semgrep reported a problem (see the SARIF report)'}] \
                        * sarif_notifications(completed.stdout.decode('utf-8', errors='replace'))
        except OSError as error:
            print(f'{PROG}: error: cannot run {semgrep}: {error}', file=sys.stderr)
            return EXIT_UNAVAILABLE
    # Read once: the errors, the redaction and the report are taken from the same document.
    report = completed.stdout.decode('utf-8', errors='replace')
    processed, remaining = postprocessed(report, post, args.sarif)
    if errors is None:
        errors = (processed.get('errors') or []) if processed is not None else []
    assessment = semgrep_errors.assess(errors)
    incomplete = len(assessment.unchecked) if args.error else 0
    # A file semgrep parsed in part: the lines it could not read, named in every output mode.
    report_partly_parsed(assessment)
    if args.json or args.sarif:
        if processed is not None:
            report = json.dumps(processed if args.show_secrets else _redact_document(processed),
                                ensure_ascii=False) + '\n'
        elif not args.show_secrets:
            report = redact_json_report(report)
    else:
        document: Any = processed
        if document is None:
            try:
                document = json.loads(report)
            except ValueError:
                # No JSON: semgrep failed before scanning and said why on stderr.
                document = None
        if document is None:
            report = '' if args.show_secrets else redact_credentials(report)
        else:
            report_errors(assessment)
            report = text_report(document, args.show_secrets, assessment)
    if args.output:
        try:
            Path(args.output).write_text(report, encoding='utf-8')
        except OSError as error:
            print(f'{PROG}: error: cannot write {args.output}: {error}', file=sys.stderr)
            return EXIT_UNAVAILABLE
    else:
        try:
            sys.stdout.write(report)
            sys.stdout.flush()
        except OSError as error:    # a full disk, a reader that left
            try:                    # keep the interpreter's last flush from failing again
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            print(f'{PROG}: error: cannot write the report to stdout ({error.strerror or error})',
                  file=sys.stderr)
            return EXIT_UNAVAILABLE
    if completed.returncode < 0:        # killed by a signal
        print(f'{PROG}: error: semgrep was stopped by signal {-completed.returncode}', file=sys.stderr)
        return EXIT_UNAVAILABLE
    if incomplete and completed.returncode in (0, 1):
        print(f'{PROG}: error: semgrep reported {incomplete} problem(s) that left targets '
              f'unchecked (a file of which no line parsed, an unreadable file, a timeout; see '
              f'above or the report\'s errors): the scan is incomplete, so --error fails it '
              f'(exit {EXIT_INCOMPLETE})', file=sys.stderr)
        return EXIT_INCOMPLETE
    if args.error and completed.returncode == 1 and remaining == 0:
        return 0        # every finding was SDK library code or a duplicate
    return completed.returncode


if __name__ == '__main__':
    sys.exit(main())
