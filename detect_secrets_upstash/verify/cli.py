"""`upstash-verify`: which leaked Upstash credentials are live, and what can they do.

Exit status (`--fail-on`, default `live`):
  0  nothing that fails the run: with `live`, no credential is live; with `unknown`, none
     is live, unknown or skipped (every one was proven revoked); with `any`, there was no
     credential at all;
  1  the run fails: a live credential (`live`), a credential not proven revoked
     (`unknown`), or any credential (`any`);
  2  usage or input error.
"""
import argparse
import os
import sys
from typing import List
from typing import Optional
from urllib.parse import urlsplit

from .inputs import from_baseline
from .inputs import from_env_lines
from .inputs import from_pair
from .inputs import InputError
from .model import LIVE
from .model import REVOKED
from .model import SKIPPED
from .model import UNKNOWN
from .output import FORMATS
from .output import render
from .verifier import DEFAULT_CONCURRENCY
from .verifier import verify_credentials
from ..redaction import redact_message
from ..redaction import redact_stderr
from ..verify_arguments import add_arguments
from ..verify_arguments import check_urls
from ..verify_arguments import options_of
from ..verify_arguments import policy_of

EXIT_NOTHING_LIVE, EXIT_LIVE, EXIT_USAGE = 0, 1, 2
EXIT_PASS, EXIT_FAIL = EXIT_NOTHING_LIVE, EXIT_LIVE
FAIL_ON = ('live', 'unknown', 'any')

# argparse echoes unknown arguments, and paths go into messages: either may be a token
# pasted in the wrong place. Every message goes through `redact_message`.
_redact_text = redact_message


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f'{self.prog}: error: {_redact_text(message)}\n')


MAX_CONCURRENCY = 64


def _pool_size(text: str) -> int:
    value = int(text)
    if not 1 <= value <= MAX_CONCURRENCY:
        raise ValueError(text)
    return value


_pool_size.__name__ = f'pool size (1-{MAX_CONCURRENCY})'


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


_positive_float.__name__ = 'positive number'


def _proxy_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ValueError(text)
    return text


_proxy_url.__name__ = 'proxy URL (http://host:port)'


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog='upstash-verify',
        description='Verify Upstash credentials safely: live or revoked, read-write or read-only. '
                    'Tokens are sent only over HTTPS to Upstash hosts (or hosts you allow), no '
                    'redirects are followed, and nothing is written.',
        epilog='exit status: 1 when a credential fails the run (--fail-on: live = a live credential; '
               'unknown = a credential not proven revoked: live, unknown or skipped; any = any '
               'credential), 0 otherwise, 2 usage or input error. See docs/verify.md.',
    )
    parser.add_argument('source', nargs='?',
                        help='a baseline written by `detect-secrets-upstash scan`, or - to read '
                             'KEY=VALUE lines (a .env) from stdin')
    parser.add_argument('--url', help='where to verify --token: the Redis REST URL (or a QStash / '
                                      'Vector URL for those tokens)')
    parser.add_argument('--token', help='one token to verify (prefer stdin: command lines are '
                                        'visible to other users of the machine)')
    parser.add_argument('--format', choices=FORMATS, default='text',
                        help='text (default), json (a list of results) or sarif (SARIF 2.1.0)')
    add_arguments(parser)
    parser.add_argument('--concurrency', type=_pool_size, default=DEFAULT_CONCURRENCY, metavar='N',
                        help=f'requests in flight at once (default {DEFAULT_CONCURRENCY})')
    parser.add_argument('--connect-timeout', type=_positive_float, default=5.0, metavar='SECONDS',
                        help='per connection (default 5)')
    parser.add_argument('--read-timeout', type=_positive_float, default=10.0, metavar='SECONDS',
                        help='per answer, body included (default 10)')
    parser.add_argument('--https-proxy', type=_proxy_url, metavar='URL',
                        help='tunnel HTTPS requests through this proxy (CONNECT: the proxy sees host '
                             'names, not tokens). Environment proxy variables are never used.')
    from ..versions import version_line
    parser.add_argument('--version', action='version', version=version_line('upstash-verify'))
    parser.add_argument('--fail-on', choices=FAIL_ON, default='live',
                        help='what makes the exit status 1: live (default) credentials; unknown: '
                             'anything not proven revoked (live, unknown, skipped), for CI that '
                             'must not pass when Upstash is unreachable; any: any credential')
    parser.add_argument('-q', '--quiet', action='store_true',
                        help='no progress and no warnings on stderr (errors still)')
    parser.add_argument('--progress-interval', type=_positive_float, default=5.0, metavar='SECONDS',
                        help='when stderr is not a terminal, a progress line every SECONDS (default 5)')
    parser.add_argument('--show-tokens', action='store_true',
                        help='print full tokens in the output (default: first and last 4 characters)')
    return parser


def _credentials(args, parser, policy):
    if args.token is not None:
        if args.source is not None:
            parser.error('give either a baseline / - or --token, not both')
        return from_pair(args.url, args.token, args.email)
    if args.url is not None:
        parser.error('--url goes with --token')
    if args.source is None:
        parser.error('nothing to verify: give a baseline, - (stdin), or --url URL --token TOKEN')
    if args.source == '-':
        if sys.stdin is None or sys.stdin.closed:
            raise InputError('stdin is closed: nothing to read (give a .env on stdin, or a baseline)')
        # bytes, decoded leniently: a stray non-UTF-8 byte must not end in a traceback
        return from_env_lines(sys.stdin.buffer.read().decode('utf-8', 'replace'), policy)
    credentials, ignored = from_baseline(args.source, policy)
    if ignored:
        print(f'upstash-verify: {ignored} finding(s) of other secret types ignored', file=sys.stderr)
    return credentials


def fails(results, fail_on: str) -> bool:
    """Whether `results` fail the run under `--fail-on`."""
    if fail_on == 'any':
        return bool(results)
    if fail_on == 'unknown':
        return any(result.status != REVOKED for result in results)
    return any(result.status == LIVE for result in results)


def _error(message: str) -> int:
    if sys.stderr is not None:
        print(f'upstash-verify: error: {redact_message(message)}', file=sys.stderr)
    return EXIT_USAGE


def main(argv: Optional[List[str]] = None) -> int:
    """Bad input of any kind (unreadable, too deeply nested, closed or full streams) ends in
    one line on stderr and exit 2, never a traceback."""
    try:
        return _main(argv)
    except InputError as error:
        return _error(str(error))
    except Exception as error:      # noqa: BLE001
        from ..bad_input import describe
        return _error(describe(error))


def _main(argv: Optional[List[str]] = None) -> int:
    # A terminal or pipe that cannot encode '…' (used in redacted tokens) must not crash us.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, 'reconfigure'):
            stream.reconfigure(errors='backslashreplace')
    redact_stderr()
    parser = build_parser()
    args = parser.parse_args(argv)
    policy = policy_of(args, parser)
    if sys.stdout is None:
        # checked before anything is sent: results nobody can read are not worth a request
        return _error('stdout is closed: there is nowhere to write the results')
    check_urls(parser, '--url', [args.url] if args.url is not None else [])
    credentials = _credentials(args, parser, policy)
    options = options_of(args, policy, concurrency=args.concurrency,
                         connect_timeout=args.connect_timeout, read_timeout=args.read_timeout,
                         show_tokens=args.show_tokens, https_proxy=args.https_proxy)
    from .progress import Progress
    with Progress('verifying', quiet=args.quiet, interval=args.progress_interval) as progress:
        results = verify_credentials(credentials, options, progress=progress.update)
    try:
        print(render(results, args.format))
        sys.stdout.flush()
    except BrokenPipeError:
        # `upstash-verify ... | head`: the reader left. Point stdout at /dev/null so the
        # interpreter's final flush does not complain (as the Python docs recommend).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        # /dev/full, a closed descriptor: say so, and keep the final flush from failing again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _error(f'cannot write the results to stdout ({error.strerror or error})')
    unproven = sum(1 for result in results if result.status in (UNKNOWN, SKIPPED))
    if unproven and not args.quiet:
        hint = '' if args.fail_on != 'live' else '; --fail-on unknown makes that fail the run'
        print(f'upstash-verify: warning: {unproven} of {len(results)} credential(s) could not be '
              f'verified (unknown or skipped){hint}', file=sys.stderr)
    return EXIT_FAIL if fails(results, args.fail_on) else EXIT_PASS


if __name__ == '__main__':
    sys.exit(main())
