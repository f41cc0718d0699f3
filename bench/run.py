"""Run the benchmarks: every bench/*.py module that has a main() (corpus.py is a helper).

    python bench/run.py                 # all of them, in a fixed order
    python bench/run.py scan            # parts whose name contains 'scan' (scan_overhead)
    python bench/run.py linearity verify
    python bench/run.py --list

Each part prints its own figures and ratios; the exit status is non-zero when a part
missed its target or failed to run. Arguments after `--` go to every selected part
(e.g. `python bench/run.py scan -- --scale 1`).
"""
import argparse
import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Cheap and decisive parts first; the valgrind-heavy scan overhead last.
ORDER = ('linearity', 'verify_latency', 'semgrep_speed', 'history', 'startup', 'scan_overhead')
HELPERS = {'run', 'corpus'}


def discover():
    """{name: path} of bench modules with a main(), in run order."""
    found = {}
    for path in sorted(HERE.glob('*.py')):
        name = path.stem
        if name in HELPERS or name.startswith('_'):
            continue
        if 'def main(' in path.read_text(encoding='utf-8'):
            found[name] = path
    rank = {name: index for index, name in enumerate(ORDER)}
    return {name: found[name] for name in sorted(found, key=lambda n: (rank.get(n, len(ORDER)), n))}


def _load(name, path):
    sys.path.insert(0, str(HERE))
    spec = importlib.util.spec_from_file_location(f'bench_{name}', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(name, path, extra):
    module = _load(name, path)
    saved_argv = sys.argv
    sys.argv = [str(path), *extra]       # parts that parse sys.argv themselves see only their args
    try:
        try:
            status = module.main(extra) if _takes_argv(module.main) else module.main()
        except SystemExit as exit:
            status = exit.code
    finally:
        sys.argv = saved_argv
    if status is None or status is True:
        return 0
    return status if isinstance(status, int) else 1


def _takes_argv(function):
    code = function.__code__
    return code.co_argcount + code.co_kwonlyargcount > 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    extra = []
    if '--' in argv:
        at = argv.index('--')
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description='Run the detect-secrets-upstash benchmarks.')
    parser.add_argument('parts', nargs='*', help='run only parts whose name contains one of these')
    parser.add_argument('--list', action='store_true', help='list the parts and exit')
    args = parser.parse_args(argv)

    parts = discover()
    if args.list:
        print('\n'.join(parts))
        return 0
    if args.parts:
        parts = {name: path for name, path in parts.items() if any(word in name for word in args.parts)}
        if not parts:
            print(f'bench: no part matches {" ".join(args.parts)} (parts: {", ".join(discover())})')
            return 2
    failed = []
    for name, path in parts.items():
        print(f'== {name}', flush=True)
        started = time.monotonic()
        try:
            status = _run(name, path, extra)
        except Exception:       # one broken part must not hide the others' figures
            traceback.print_exc()
            status = 1
        print(f'== {name}: {"ok" if status == 0 else "FAILED"} ({time.monotonic() - started:.0f} s)\n', flush=True)
        if status != 0:
            failed.append(name)
    if failed:
        print(f'bench: {len(failed)} of {len(parts)} parts missed their target or failed: {", ".join(failed)}')
        return 1
    print(f'bench: all {len(parts)} parts met their targets')
    return 0


if __name__ == '__main__':
    sys.exit(main())
