"""Our regexes stay linear on adversarial lines.

For each family of hostile lines (long base64 runs, runs of 'A' or 'g' that start
like a token, repeated `rediss://x:` prefixes, repeated `sig_`, repeated QStash
prefixes, JSON-escape runs, a URL whose host never ends in upstash.io, ...) a line
10x longer must take at most 15x the time, through `find_credentials` and through
`UpstashDetector.analyze_line` (what detect-secrets calls). Then one 1 MB line of
each family must scan in well under a second.

Times are CPU time (`time.process_time`), the minimum of alternating repeated
samples of equal length, which drops most of the noise of a shared machine: a regex
that backtracks quadratically grows 100x for 10x the length, far beyond what load fakes.

    python bench/linearity.py [--short 20000]
"""
import argparse
import base64
import random
import sys
import time
from typing import Callable
from typing import Dict

from detect_secrets_upstash.plugins import UpstashDetector
from detect_secrets_upstash.scanner import find_credentials

GROWTH_LIMIT = 15.0         # a 10x longer line may cost at most 15x
MEGABYTE = 1_000_000
MEGABYTE_LIMIT = 0.5        # seconds for a 1 MB line: "well under a second"


def _base64_run(n: int) -> str:
    rng = random.Random(7)
    return base64.b64encode(rng.randbytes(n)).decode()[:n]


def _repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


# name -> function making a line of (about) n characters
FAMILIES: Dict[str, Callable[[int], str]] = {
    'base64 run': _base64_run,
    'run of A': _repeat('A'),
    'run of g': _repeat('g'),
    'A then base64 run': lambda n: 'A' + _base64_run(n - 1),
    'rediss://x: repeated': _repeat('rediss://x:'),
    'redis URL, password never ends': lambda n: 'redis://default:' + 'p' * (n - 16),
    'redis URL, host never ends': lambda n: 'redis://u:' + 'p' * 32 + '@' + _repeat('a.')(n - 43),
    'redis:// user never ends': lambda n: 'redis://' + 'u' * (n - 8),
    'redis repeated (one long run)': _repeat('redis'),
    'base64 run with redis every 50': _repeat('A' * 45 + 'redis'),
    'eyJ repeated': _repeat('eyJ'),
    'sig_ repeated': _repeat('sig_'),
    'sig_ + base58 repeated': _repeat('sig_' + '2' * 30 + ' '),
    'eyJVc2VySUQiOi repeated': _repeat('eyJVc2VySUQiOi'),
    'JSON escapes \\n\\n...': _repeat('\\n'),
    'JSON escapes then A run': lambda n: _repeat('\\n')(n // 2) + 'A' * (n - n // 2),
    '\\nA repeated': _repeat('\\nA'),
    'token-sized runs, = separated': _repeat('A' * 45 + '='),
    'ordinary code': _repeat('const value = await redis.get(`user:${id}`); // cache hit\n'),
}


def _cpu_seconds(function: Callable[[str], object], line: str, calls: int = 1) -> float:
    started = time.process_time()
    for _ in range(calls):
        function(line)
    return time.process_time() - started


def growth(function: Callable[[str], object], short: str, long: str, rounds: int = 5) -> float:
    """time(long) / time(short), long being 10x short. Both samples take about as long
    (ten calls on the short line, one on the long one) and alternate, so load hits both
    alike; the minimum of each is kept."""
    best_short = best_long = float('inf')
    for _ in range(rounds):
        best_short = min(best_short, _cpu_seconds(function, short, calls=10) / 10)
        best_long = min(best_long, _cpu_seconds(function, long))
    return best_long / max(best_short, 1e-9)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--short', type=int, default=20_000, help='length of the short line (the long one is 10x)')
    args = parser.parse_args(argv)

    detector = UpstashDetector()
    functions = {
        'find_credentials': find_credentials,
        'analyze_line': lambda line: detector.analyze_line(filename='bench.txt', line=line, line_number=1),
    }
    failures = []
    print(f'linearity: time(line of {10 * args.short:,} chars) / time({args.short:,} chars), '
          f'limit {GROWTH_LIMIT:.0f}x; 1 MB line, limit {MEGABYTE_LIMIT} s')
    print(f'  {"family":34} {"find_credentials":>17} {"analyze_line":>13} {"1 MB line":>10}')
    for family, make in FAMILIES.items():
        short, long = make(args.short), make(10 * args.short)
        ratios = []
        for name, function in functions.items():
            ratio = growth(function, short, long)
            ratios.append(ratio)
            if ratio > GROWTH_LIMIT:
                failures.append(f'{family}: {name} grew {ratio:.1f}x for 10x the length')
        line = make(MEGABYTE)
        megabyte = min(_cpu_seconds(functions['analyze_line'], line) for _ in range(3))
        if megabyte > MEGABYTE_LIMIT:
            failures.append(f'{family}: a 1 MB line took {megabyte:.2f} s')
        print(f'  {family:34} {ratios[0]:16.1f}x {ratios[1]:12.1f}x {megabyte * 1000:8.0f} ms', flush=True)
    for failure in failures:
        print(f'FAIL: {failure}')
    print('linearity: ' + ('all families linear' if not failures else f'{len(failures)} failures'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
