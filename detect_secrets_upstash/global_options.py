"""detect-secrets' global options (`-v`, `-c N`, `-C DIR`) before our own subcommands.

`detect-secrets-upstash -c 2 scan` is upstream's parser; `report` and `history` are ours,
dispatched before it runs, so `-c 2 report` used to reach upstream's parser and fail with
"invalid choice: 'report'". The options written before our subcommand are moved behind its
name, and each of our parsers takes them with upstream's meaning.
"""
import argparse
import contextlib
import os
from typing import Iterator
from typing import List
from typing import Sequence

# Upstream's global options that take a value (`-c 2`, `-C dir`) and those that do not.
_WITH_VALUE = ('-c', '--cores', '-C')
_FLAGS = ('-v', '--verbose')


def _global_length(item: str) -> int:
    """How many argv items the global option at `item` spans (0: not a global option)."""
    if item in _WITH_VALUE:
        return 2
    if item in _FLAGS or (item.startswith('-v') and set(item[1:]) == {'v'}):
        return 1
    if item.startswith('--cores=') or (item[:2] in ('-c', '-C') and len(item) > 2):
        return 1
    return 0


def move_after_subcommand(argv: Sequence[str], subcommands: Sequence[str]) -> List[str]:
    """`-c 2 report x` -> `report -c 2 x` when the first word after the global options is one
    of `subcommands`; any other argv (upstream's `scan`, `audit`) is returned unchanged."""
    argv = list(argv)
    index = 0
    while index < len(argv):
        length = _global_length(argv[index])
        if not length:
            break
        index += length
    if 0 < index < len(argv) and argv[index] in subcommands:
        return [argv[index], *argv[:index], *argv[index + 1:]]
    return argv


def add_to(parser: argparse.ArgumentParser, cores_help: str) -> None:
    """Upstream's global options, with upstream's meaning, on one of our parsers."""
    parser.add_argument('-v', '--verbose', action='count', default=0,
                        help="detect-secrets' verbose mode (as before `scan`)")
    parser.add_argument('-c', '--cores', type=int, default=1, metavar='N', help=cores_help)
    parser.add_argument('-C', dest='custom_root', metavar='DIR',
                        help='run as if started in DIR, not in the current directory')


def check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    if args.cores < 0:
        parser.error(f'argument -c/--cores: {args.cores} is not a number of processes')
    if args.custom_root is not None and not os.path.isdir(args.custom_root):
        parser.error(f'argument -C: {args.custom_root} is not a directory')


@contextlib.contextmanager
def applied(args: argparse.Namespace) -> Iterator[None]:
    """`-v` sets detect-secrets' log level; `-C DIR` makes DIR the current directory while
    the command runs (every path, `-o FILE` included, is then read from there)."""
    from detect_secrets.core.log import log
    saved = os.getcwd()
    if args.verbose:
        log.set_debug_level(min(args.verbose, 2))     # upstream knows levels 0-2
    if args.custom_root is not None:
        os.chdir(args.custom_root)
    try:
        yield
    finally:
        # as upstream's process would end here: a later command in this process starts afresh
        if args.verbose:
            log.set_debug_level(0)
        os.chdir(saved)
