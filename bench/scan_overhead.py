"""What adding our plugin costs a default detect-secrets scan, in instructions.

Three separate processes scan the same generated repository (bench/corpus.py) with
detect-secrets' default settings:

  baseline   plain detect-secrets, our package not even imported
  upstash    `import detect_secrets_upstash.plugins` (registers UpstashDetector and the
             guards that keep upstream filters and transformers from hiding a credential),
             then the default settings, which now include it: what users of our CLI get
  noop       baseline plus one extra plugin class whose analyze_line does nothing: the
             price detect-secrets charges per plugin class, before any regex runs

Each process runs under valgrind and counts instructions, which do not depend on the
load of the machine (wall time on a shared 2-core machine cannot resolve a few percent).
Startup is excluded by subtraction: every configuration also runs once with nothing to
scan after the same imports and warm-up scan (a tiny corpus holding one credential of
each kind, so lazy imports and caches are paid for before the measured scan), and that
count is taken off. The tool is cachegrind without cache simulation by default: the same
instruction counts as callgrind (`--tool callgrind`), about 3x faster.

    python bench/scan_overhead.py [--scale 1] [--tool callgrind] [--keep DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is not a package)

LIMIT = 0.05        # the ceiling for our plugin's overhead
AIM = 0.02
CONFIGS = ('baseline', 'upstash', 'noop')
DEFAULT_SCALE = 0.2     # ~0.9 MB: keeps the six valgrind runs near 4 CPU-minutes
def _scan_process(config: str, root: str, warm_root: str) -> None:
    """Body of one measured process: prints {"secrets": n, "upstash": n, "seconds": t}."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.core.secrets_collection import SecretsCollection
    from detect_secrets.settings import default_settings

    if config == 'upstash':
        import detect_secrets_upstash.plugins  # noqa: F401  (registers the plugin)
    elif config == 'noop':
        from detect_secrets.plugins.base import BasePlugin

        class NoopDetector(BasePlugin):
            """Finds nothing: what one more plugin class costs by itself."""
            secret_type = 'Bench No-op'

            def analyze_string(self, string):
                return iter(())

            def analyze_line(self, filename, line, line_number=0, context=None, **kwargs):
                return set()

        get_mapping_from_secret_type_to_class()[NoopDetector.secret_type] = NoopDetector
    elif config != 'baseline':
        raise SystemExit(f'unknown configuration {config!r}')

    def scan(directory: str) -> SecretsCollection:
        collection = SecretsCollection(root=directory)
        for path in corpus.files_under(directory):
            collection.scan_file(os.path.relpath(path, directory))
        return collection

    with default_settings():
        # Lazy imports, caches, transformer set-up: startup, not scanning. The startup-only
        # run (root == '-') stops here; its count is subtracted from the full run's.
        scan(warm_root)
        started = time.perf_counter()
        collection = scan(root) if root != '-' else SecretsCollection()
        seconds = time.perf_counter() - started
    types = [secret.type for _, secret in collection]
    print(json.dumps({'secrets': len(types), 'upstash': sum(t.startswith('Upstash') for t in types),
                      'seconds': seconds}))


# ---------------------------------------------------------------- the benchmark

def _count(config: str, root: str, warm_root: str, workdir: str, tool: str) -> dict:
    """Instructions of one process (or its wall time when tool == 'wall')."""
    env = {**os.environ, 'PYTHONHASHSEED': '0'}     # same dict/set order, same filter order
    command = [sys.executable, __file__, '--scan', config, root, warm_root]
    out_file = os.path.join(workdir, f'{tool}.{config}.{"startup" if root == "-" else "scan"}.out')
    if tool == 'cachegrind':
        command = ['valgrind', '--tool=cachegrind', '--cache-sim=no', '--branch-sim=no',
                   f'--cachegrind-out-file={out_file}', *command]
    elif tool == 'callgrind':
        command = ['valgrind', '--tool=callgrind', f'--callgrind-out-file={out_file}', *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f'{config} scan failed:\n{done.stderr[-3000:]}')
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if tool != 'wall':
        result['instructions'] = _valgrind_total(out_file)
    return result


def _valgrind_total(path: str) -> int:
    with open(path) as f:
        for line in f:
            if line.startswith(('summary:', 'totals:')):
                return int(line.split()[1])
    raise SystemExit(f'no instruction total in {path}')


def measure(config: str, root: str, warm_root: str, workdir: str, tool: str) -> dict:
    """Instructions of the scan alone: full run minus a startup-only run of the same process."""
    full = _count(config, root, warm_root, workdir, tool)
    if tool == 'wall':
        full['cost'] = full['seconds']
        return full
    startup = _count(config, '-', warm_root, workdir, tool)
    full['startup'] = startup['instructions']
    full['cost'] = full['instructions'] - startup['instructions']
    return full


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--scale', type=float, default=DEFAULT_SCALE,
                        help=f'corpus size factor (default {DEFAULT_SCALE}; 1.0 = 4.4 MB, 291 files, '
                             '~15 min under valgrind)')
    parser.add_argument('--tool', choices=('cachegrind', 'callgrind', 'wall'), default='cachegrind',
                        help='count instructions with valgrind (cachegrind without cache simulation '
                             'is ~3x faster than callgrind; same counts) or time the scans (noisy)')
    parser.add_argument('--keep', metavar='DIR', help='write corpus and valgrind files here and keep them')
    args = parser.parse_args(argv)

    if args.tool != 'wall' and not shutil.which('valgrind'):
        print('scan overhead: valgrind not found; install it, or pass --tool wall for noisy wall times')
        return 1
    workdir = args.keep or tempfile.mkdtemp(prefix='bench-overhead-')
    try:
        root, warm_root = os.path.join(workdir, 'repo'), os.path.join(workdir, 'warm')
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(warm_root, ignore_errors=True)
        stats = corpus.generate(root, scale=args.scale)
        corpus.generate_warm_up(warm_root)
        print(f'scan overhead: default detect-secrets scan of a generated repository: {stats["files"]} files, '
              f'{stats["bytes"] / 1e6:.1f} MB, {stats["credentials"]} generated Upstash credentials '
              f'({args.tool})', flush=True)
        results = {}
        for config in CONFIGS:
            started = time.monotonic()
            results[config] = result = measure(config, root, warm_root, workdir, args.tool)
            figure = (f'{result["cost"]:,} instructions' if args.tool != 'wall'
                      else f'{result["cost"]:.2f} s')
            print(f'  {config:9} {figure:>28}   ({result["secrets"]} findings, {result["upstash"]} Upstash; '
                  f'measured in {time.monotonic() - started:.0f} s)', flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    key = 'cost'
    base = results['baseline'][key]
    overhead = results['upstash'][key] / base - 1
    noop = results['noop'][key] / base - 1
    plugins = 27   # default plugin classes of detect-secrets 1.5.0
    print(f'overhead: {overhead:.1%} (limit {LIMIT:.0%}, aim {AIM:.0%})')
    print(f'cost model: one do-nothing plugin class adds {noop:.1%}; our plugin adds '
          f'{overhead - noop:+.1%} on top of that (regex, decoding, findings)')
    print(f'           (detect-secrets ships {plugins} default plugin classes)')
    missing = stats['credentials'] - results['upstash']['upstash']
    if missing > 0:
        print(f'ERROR: the scan with our plugin missed {missing} of {stats["credentials"]} credentials')
        return 1
    return 0 if overhead <= LIMIT else 1


if __name__ == '__main__':
    if len(sys.argv) == 5 and sys.argv[1] == '--scan':
        _scan_process(*sys.argv[2:])
    else:
        sys.exit(main())
