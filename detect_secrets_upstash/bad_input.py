"""Bad input becomes one clear line and exit 2, never a traceback.

detect-secrets raises on inputs it does not expect (a baseline that is a JSON list, an
empty or non-UTF-8 file, a missing path) and lets the traceback through; these helpers
turn such failures into a sentence, and catch before the scan what upstream lets pass
silently (`scan /nonexistent/dir` writes an empty baseline and exits 0).
"""
from __future__ import annotations

import json
import os
import stat
import sys


class BadInput(Exception):
    """The command cannot run on this input; the message says why (safe to print)."""


def describe(error: BaseException) -> str:
    """One line for an exception raised while reading input."""
    cause = error.__cause__ or error.__context__
    if type(error).__name__ == 'UnableToReadBaselineError' and cause is not None:
        error = cause
    if isinstance(error, BadInput):
        return str(error)
    if isinstance(error, RuntimeError) and 'lost sys.stdin' in str(error):
        return ('stdin is closed: audit asks for a decision on each secret there (answer on '
                'stdin, or use audit --report or --stats, which ask nothing)')
    if isinstance(error, RecursionError):
        return 'the input is nested too deeply to read'
    if isinstance(error, UnicodeDecodeError):
        return f'the input is not UTF-8 text (byte {error.start}: {error.reason})'
    if isinstance(error, json.JSONDecodeError):
        return f'the input is not JSON ({error.msg} at line {error.lineno} column {error.colno})'
    if isinstance(error, OSError):
        where = f'{error.filename}: ' if error.filename else ''
        return f'{where}{error.strerror or type(error).__name__}'
    name = type(error).__name__
    if name in ('InvalidBaselineError', 'UnableToReadBaselineError'):
        return 'the file is not a detect-secrets baseline'
    if isinstance(error, (TypeError, AttributeError, KeyError, IndexError)):
        # upstream indexing into a document of the wrong shape (a list, a string, ...)
        return f'the baseline is not a detect-secrets baseline (a JSON object with "results"): {name}'
    return f'{name}: {error}'


def check_path(path: str, what: str = 'path') -> None:
    """A path named on a command line must exist and be a file or directory (a FIFO or a
    device would block the scan or be skipped)."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        raise BadInput(f'{what} {path}: {error.strerror or "cannot be read"}')
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise BadInput(f'{what} {path}: not a regular file or directory')


def check_baseline_document(path: str) -> None:
    """A baseline must be a JSON object (upstream indexes into it without checking)."""
    check_path(path, 'baseline')
    if os.path.isdir(path):
        raise BadInput(f'baseline {path}: is a directory')
    with open(path, 'rb') as handle:
        data = handle.read()
    if not data.strip():
        raise BadInput(f'baseline {path}: the file is empty (write one with: '
                       f'detect-secrets-upstash scan > {path})')
    try:
        document = json.loads(data.decode('utf-8'))
    except UnicodeDecodeError as error:
        raise BadInput(f'baseline {path}: {describe(error)}')
    except (ValueError, RecursionError) as error:
        raise BadInput(f'baseline {path}: {describe(error)}')
    if not isinstance(document, dict) or not isinstance(document.get('results', {}), dict):
        raise BadInput(f'baseline {path}: not a detect-secrets baseline (a JSON object with "results")')


def checked_parse_args(parse_args):
    """The patch of `detect_secrets.main.parse_args` (see `patches`): the parsed `scan` /
    `audit` arguments are checked before anything runs."""
    import functools

    @functools.wraps(parse_args)
    def parse_and_check(argv=None):
        args = parse_args(argv)
        check_upstream_args(args)
        return args

    return parse_and_check


def check_upstream_args(args) -> None:
    """After detect-secrets parsed `scan` / `audit` arguments, before anything runs."""
    action = getattr(args, 'action', None)
    if action == 'scan':
        root = os.path.realpath(getattr(args, 'custom_root', None) or os.getcwd())
        paths = [] if getattr(args, 'string', None) is not None else getattr(args, 'path', None) or ()
        if paths and root == os.sep:
            # upstream cuts `len(root + '/')` characters off every path: from / it names no
            # file right and drops them all (an empty baseline, exit 0)
            raise BadInput('detect-secrets cannot scan with / as its root: it would skip every '
                           'file; run the scan from the directory to scan (cd there first)')
        for path in paths:
            check_path(path)
            # upstream names files relative to the root and drops every file outside it
            # without a word (an empty baseline, exit 0)
            if os.path.commonpath([root, os.path.realpath(path)]) != root:
                raise BadInput(f'path {path} is outside {root}: detect-secrets would skip every '
                               f'file in it; run the scan from a directory that holds it '
                               f'(cd there first)')
        if getattr(args, 'string', None) is True:        # `--string` alone: read stdin
            if sys.stdin is None or sys.stdin.closed:
                raise BadInput('scan --string without a value reads the line from stdin, which is closed')
            try:
                lines = sys.stdin.read().splitlines()
            except (OSError, ValueError) as error:
                raise BadInput(f'scan --string: cannot read stdin ({describe(error)})')
            if not lines:
                raise BadInput('scan --string without a value reads the line from stdin, which is empty')
            args.string = lines[0]


def check_documents(argv) -> None:
    """Before detect-secrets reads them: the baselines named by `audit FILE...` and
    `scan --baseline FILE` are JSON objects (upstream indexes into them unchecked)."""
    argv = list(argv)
    if argv[:1] == ['audit']:
        for item in argv[1:]:
            if not item.startswith('-'):
                check_baseline_document(item)
    if argv[:1] == ['scan']:
        check_baseline_option(argv)


def check_baseline_option(argv) -> None:
    """`--baseline FILE` (scan, the hook): an existing, non-empty FILE is a JSON object."""
    argv = list(argv)
    for index, item in enumerate(argv):
        path = None
        if item == '--baseline' and index + 1 < len(argv):
            path = argv[index + 1]
        elif item.startswith('--baseline='):
            path = item.split('=', 1)[1]
        if path and os.path.isfile(path) and os.path.getsize(path):
            check_baseline_document(path)
