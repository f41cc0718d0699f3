"""`detect-secrets-upstash history`: every Upstash credential ever committed, and where.

Exit status: 1 when a credential is found, 0 when none is, 2 on an error (not a git
repository, an unknown revision, bad arguments); errors are one line on stderr.
"""
import argparse
import os
import re
import sys
import time
from typing import List
from typing import Optional

from .. import global_options
from ..verify_arguments import add_arguments as add_verify_arguments
from ..verify_arguments import options_of
from ..verify_arguments import policy_of
from .git import GitError
from .output import FORMATS
from .output import render
from .scan import DEFAULT_MAX_BLOB_BYTES
from .scan import Options
from .scan import scan_history
from .scan import verify

PROG = 'detect-secrets-upstash history'
EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
# Revision options git's rev-list and log both take that select commits and nothing else
# (`--output` or `--exec`-like options are never passed through).
_REVISION_OPTION = re.compile(r'--(?:not|branches|tags|remotes)(?:=.+)?\Z|--(?:glob|exclude)=.+\Z')
_HIDE = '\0'        # keeps argparse from reading a revision option as one of ours


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f'{self.prog}: error: {message}\n')


def _size(text: str) -> int:
    match = re.fullmatch(r'(\d+)\s*([kKmMgG]?)i?[bB]?', text.strip())
    if not match:
        raise ValueError(text)
    return int(match.group(1)) * {'': 1, 'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30}[match.group(2).lower()]


_size.__name__ = 'size (bytes, or with K/M/G)'


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description='Find Upstash credentials in every blob of a git history (nothing is checked '
                    'out; each blob is read once), with the commit that introduced each one, '
                    'where else it appears, and whether HEAD still holds it.',
        epilog='Revisions are git\'s: `origin/main..HEAD` scans only the commits of a push or pull '
               'request; `HEAD --not --remotes=origin` the commits no remote branch has. Exit status: '
               '1 credentials found, 0 none, 2 error. See docs/history.md.',
    )
    parser.add_argument('revisions', nargs='*', metavar='REVISION-RANGE',
                        help='commits to scan (default: every ref except the stash)')
    parser.add_argument('--repo', default='.', metavar='DIR', help='the repository (default: .)')
    parser.add_argument('--all', action='store_true', dest='all_refs',
                        help='every ref (branches, tags, remotes, notes), also with revisions given')
    parser.add_argument('--include-stash', action='store_true',
                        help='also every stash entry (work never committed)')
    parser.add_argument('--format', choices=FORMATS, default='text',
                        help='text (default), json (docs/history.md) or sarif (SARIF 2.1.0)')
    parser.add_argument('-o', '--output', metavar='FILE', help='write the report to FILE')
    parser.add_argument('--max-blob-size', type=_size, default=DEFAULT_MAX_BLOB_BYTES, metavar='SIZE',
                        help='skip (and name) blobs bigger than this (default 64M)')
    parser.add_argument('--verify', action='store_true',
                        help='ask Upstash whether each credential is live (HTTPS to Upstash hosts '
                             'only; read-only requests; see docs/verify.md)')
    add_verify_arguments(parser, when='with --verify: ')
    parser.add_argument('--pre-push', action='store_true',
                        help='as a pre-commit pre-push hook: scan the commits being pushed (from '
                             'PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF, or those no branch of the remote has)')
    parser.add_argument('--progress', choices=('auto', 'always', 'never'), default='auto',
                        help='progress on stderr (default: only when stderr is a terminal)')
    # as before `scan`; the blobs are read by one process whatever -c says
    global_options.add_to(parser, cores_help='accepted as before `scan` (history reads its blobs in one process)')
    return parser


def _hide_revision_options(argv: List[str]) -> List[str]:
    hidden, after_separator = [], False
    for arg in argv:
        if arg == '--' and not after_separator:
            after_separator = True
            continue
        hidden.append(_HIDE + arg if (_REVISION_OPTION.match(arg) or (after_separator and arg.startswith('-')))
                      else arg)
    return hidden


def pre_push_revisions(environ) -> Optional[tuple]:
    """What a push sends, as pre-commit describes it: `FROM..TO` for a branch the remote has;
    for a new branch, the commits no branch of the remote has."""
    from_ref, to_ref = environ.get('PRE_COMMIT_FROM_REF'), environ.get('PRE_COMMIT_TO_REF')
    if from_ref and to_ref:
        return (f'{from_ref}..{to_ref}',)
    remote = environ.get('PRE_COMMIT_REMOTE_NAME')
    if remote:
        return (to_ref or environ.get('PRE_COMMIT_LOCAL_BRANCH') or 'HEAD', '--not', f'--remotes={remote}')
    return None


def _progress_printer(mode: str):
    if mode == 'never' or (mode == 'auto' and not sys.stderr.isatty()):
        return None, None
    last = [0.0]

    def show(stats, found: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.2:
            return
        last[0] = now
        sys.stderr.write(f'\rhistory: {stats.blobs} blobs ({stats.bytes / 1e6:.1f} MB) read, '
                         f'{found} credential(s) so far')
        sys.stderr.flush()

    def done() -> None:
        if last[0]:
            sys.stderr.write('\n')
            sys.stderr.flush()
    return show, done


def _quiet_stdout() -> None:
    """stdout failed (a reader that left, a full disk): the interpreter's last flush must not
    raise again over the message we print."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Optional[List[str]] = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='backslashreplace')
    argv = list(sys.argv[1:] if argv is None else argv)
    from ..redaction import redact_stderr
    redact_stderr()                 # every message (a revision that is really a pasted token)
    parser = build_parser()
    args = parser.parse_args(_hide_revision_options(argv))
    global_options.check(args, parser)
    with global_options.applied(args):
        return _history(args, parser)


def _history(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.verify:
        verify_options = options_of(args, policy_of(args, parser))
    revisions = tuple(r[1:] if r.startswith(_HIDE) else r for r in args.revisions)
    for revision in revisions:
        if revision.startswith('-') and not _REVISION_OPTION.match(revision):
            print(f'{PROG}: error: {revision!r} is not a revision (options git takes here: --not, '
                  '--branches, --tags, --remotes, --glob=, --exclude=)', file=sys.stderr)
            return EXIT_ERROR
    if args.pre_push:
        if revisions:
            print(f'{PROG}: error: --pre-push takes its revisions from pre-commit, give none', file=sys.stderr)
            return EXIT_ERROR
        revisions = pre_push_revisions(os.environ)
        if revisions is None:
            print(f'{PROG}: error: --pre-push runs under pre-commit\'s pre-push stage (no '
                  'PRE_COMMIT_FROM_REF / PRE_COMMIT_REMOTE_NAME in the environment)', file=sys.stderr)
            return EXIT_ERROR
    if not args.output and (sys.stdout is None or sys.stdout.closed):
        print(f'{PROG}: error: stdout is closed: there is nowhere to write the report (use -o FILE)',
              file=sys.stderr)
        return EXIT_ERROR
    options = Options(revisions=revisions, all_refs=args.all_refs, include_stash=args.include_stash,
                      max_blob_bytes=args.max_blob_size)
    show, done = _progress_printer(args.progress)
    try:
        try:
            history = scan_history(args.repo, options, progress=show)
        finally:
            if done:
                done()
        if args.verify:
            verify(history, verify_options)
        report = render(history, args.format)
        if args.output:
            try:
                with open(args.output, 'w', encoding='utf-8') as handle:
                    handle.write(report + '\n')
            except OSError as error:
                print(f'{PROG}: error: cannot write the report to {args.output} '
                      f'({error.strerror or error})', file=sys.stderr)
                return EXIT_ERROR
        else:
            try:
                print(report)
                sys.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as error:
                _quiet_stdout()
                print(f'{PROG}: error: cannot write the report to stdout ({error.strerror or error})',
                      file=sys.stderr)
                return EXIT_ERROR
    except GitError as error:
        print(f'{PROG}: error: {error}', file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `history | head`: the reader left; keep the interpreter's last flush quiet
        _quiet_stdout()
    except OSError as error:
        print(f'{PROG}: error: {getattr(error, "filename", None) or ""}: {error.strerror or error}',
              file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f'{PROG}: interrupted', file=sys.stderr)
        return 130
    if args.format != 'text' or args.output:
        for note in history.notes():
            print(f'{PROG}: note: {note}', file=sys.stderr)
        if history.credentials:
            print(f'{PROG}: {len(history.credentials)} Upstash credential(s) found', file=sys.stderr)
    return EXIT_FOUND if history.credentials else EXIT_CLEAN


if __name__ == '__main__':
    sys.exit(main())
