"""What our plugin costs a pre-commit run: start-up, one file, many small files (instructions).

Three parts, each against stock detect-secrets on the same input, each under valgrind
(cachegrind without cache simulation: instruction counts, which do not depend on the
load of the machine):

  start-up   `detect-secrets-hook FILE` against `detect-secrets-upstash-hook FILE` on one
             tiny clean file: imports, plugin registration, patches and a scan of a few
             lines, i.e. what a pre-commit run on a tiny commit pays. Bytecode is compiled
             first (one unmeasured run of each hook with bytecode writing on, then
             `compileall` on both packages), since an installed package has its .pyc files;
             the test environment sets PYTHONDONTWRITEBYTECODE, which would otherwise make
             every import a compile. The CPU time of each hook (best of --repeat runs,
             without valgrind) is printed beside it.
  one file   one ~300-line file scanned in-process (`SecretsCollection.scan_file`, as
             bench/scan_overhead.py does), start-up subtracted. With two or more files
             detect-secrets' CLI forks a pool worker and callgrind counts the parent's
             start-up twice, so the file is scanned in-process.
  300 files  300 small files (10 lines each) in-process, start-up subtracted: the
             per-file cost (gates, settings lookups) that a line count alone hides.

Targets: start-up at most 5% over stock; the scan parts at most 2% over stock.

    python bench/startup.py [--part startup|file|files] [--repeat 5]
    python bench/run.py startup
"""
import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/ is not a package)
import scan_overhead  # noqa: E402

STARTUP_LIMIT = 0.05
SCAN_LIMIT = 0.02
SMALL_FILES = 300
SMALL_FILE_LINES = 10
ONE_FILE_LINES = 300

TINY_FILE = '''"""A small module, as a tiny commit holds it."""
import os


def greeting(name: str) -> str:
    return f'Hello, {name}! Your home is {os.path.expanduser("~")}'
'''


def _script(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f'startup: {name} not found beside {sys.executable} or on PATH')
    return found


def _env(bytecode: bool) -> dict:
    env = {**os.environ, 'PYTHONHASHSEED': '0'}
    if bytecode:
        env.pop('PYTHONDONTWRITEBYTECODE', None)
    return env


def _compile_bytecode() -> None:
    """Write the .pyc files an installed package has (the test env may forbid writing them)."""
    import detect_secrets
    import detect_secrets_upstash
    for package in (detect_secrets, detect_secrets_upstash):
        compileall.compile_dir(os.path.dirname(package.__file__), quiet=1)


def _instructions(command, workdir: str, label: str) -> int:
    out_file = os.path.join(workdir, f'cachegrind.{label}.out')
    done = subprocess.run(['valgrind', '--tool=cachegrind', '--cache-sim=no', '--branch-sim=no',
                           f'--cachegrind-out-file={out_file}', *command],
                          env=_env(True), capture_output=True, text=True, timeout=600, cwd=workdir)
    if done.returncode != 0:
        raise SystemExit(f'startup: {" ".join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}')
    return scan_overhead._valgrind_total(out_file)


def _cpu_ms(command, workdir: str, repeat: int) -> float:
    best = None
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, env=_env(True), capture_output=True, timeout=120, cwd=workdir, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = cpu if best is None else min(best, cpu)
    return best * 1000


def part_startup(workdir: str, repeat: int) -> bool:
    path = os.path.join(workdir, 'tiny.py')
    with open(path, 'w') as f:
        f.write(TINY_FILE)
    commands = {'stock': [_script('detect-secrets-hook'), 'tiny.py'],
                'upstash': [_script('detect-secrets-upstash-hook'), 'tiny.py']}
    for command in commands.values():        # warm-up: writes .pyc files for everything imported
        subprocess.run(command, env=_env(True), capture_output=True, timeout=120, cwd=workdir, check=True)
    _compile_bytecode()
    counts = {name: _instructions(command, workdir, name) for name, command in commands.items()}
    cpu = {name: _cpu_ms(command, workdir, repeat) for name, command in commands.items()}
    ratio = counts['upstash'] / counts['stock'] - 1
    print('start-up: pre-commit hook on one tiny clean file (bytecode compiled first)')
    print(f'  detect-secrets-hook          {counts["stock"]:>15,} instructions   {cpu["stock"]:6.0f} ms CPU')
    print(f'  detect-secrets-upstash-hook  {counts["upstash"]:>15,} instructions   {cpu["upstash"]:6.0f} ms CPU')
    print(f'  start-up over stock: {ratio:+.1%} (target <= {STARTUP_LIMIT:.0%}); '
          f'{cpu["upstash"] - cpu["stock"]:+.0f} ms CPU (best of {repeat})')
    return ratio <= STARTUP_LIMIT


def _source_lines(root: str):
    """Lines of the generated corpus's ordinary text files (no minified bundle, no lockfile)."""
    for path in corpus.files_under(root):
        name = os.path.basename(path)
        if name.endswith(('.min.js', '-lock.json', '.lock')):
            continue
        with open(path, encoding='utf-8') as f:
            lines = [line for line in f.read().splitlines() if len(line) < 400]
        if lines:
            yield path, lines


def _write_one_file(corpus_root: str, root: str) -> str:
    """One ~300-line Python file made of the corpus's Python lines."""
    lines = []
    for path, file_lines in _source_lines(corpus_root):
        if path.endswith('.py'):
            lines.extend(file_lines)
        if len(lines) >= ONE_FILE_LINES:
            break
    os.makedirs(root)
    with open(os.path.join(root, 'module.py'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines[:ONE_FILE_LINES]) + '\n')
    return f'1 file, {min(len(lines), ONE_FILE_LINES)} lines'


def _write_small_files(corpus_root: str, root: str) -> str:
    """300 files of 10 lines each, cut from the corpus's files (their extensions kept)."""
    written = 0
    os.makedirs(root)
    for path, lines in _source_lines(corpus_root):
        extension = os.path.splitext(path)[1] or '.txt'
        for start in range(0, len(lines) - SMALL_FILE_LINES + 1, SMALL_FILE_LINES):
            with open(os.path.join(root, f'f{written:03}{extension}'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines[start:start + SMALL_FILE_LINES]) + '\n')
            written += 1
            if written == SMALL_FILES:
                return f'{written} files of {SMALL_FILE_LINES} lines'
    return f'{written} files of {SMALL_FILE_LINES} lines'


def _scan_part(title: str, root: str, warm_root: str, workdir: str, files: int) -> bool:
    results = {config: scan_overhead.measure(config, root, warm_root, workdir, 'cachegrind')
               for config in ('baseline', 'upstash')}
    base, ours = results['baseline']['cost'], results['upstash']['cost']
    ratio = ours / base - 1
    print(title)
    print(f'  detect-secrets          {base:>15,} instructions   ({base // files:,} per file)')
    print(f'  with our plugin         {ours:>15,} instructions   ({ours // files:,} per file)')
    print(f'  scan cost over stock: {ratio:+.1%} (target <= {SCAN_LIMIT:.0%}); '
          f'{(ours - base) // files:+,} instructions per file')
    return ratio <= SCAN_LIMIT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--part', choices=('startup', 'file', 'files'), action='append',
                        help='run only this part (repeatable; default: all three)')
    parser.add_argument('--repeat', type=int, default=5, help='CPU-time runs per hook (best is kept)')
    args, _ = parser.parse_known_args(argv)     # bench/run.py passes every part the same extras
    parts = args.part or ['startup', 'file', 'files']
    if not shutil.which('valgrind'):
        print('startup: valgrind not found; install it (apt-get install valgrind)')
        return 1
    workdir = tempfile.mkdtemp(prefix='bench-startup-')
    ok = True
    try:
        if 'startup' in parts:
            ok &= part_startup(workdir, args.repeat)
        if {'file', 'files'} & set(parts):
            corpus_root, warm_root = os.path.join(workdir, 'corpus'), os.path.join(workdir, 'warm')
            corpus.generate(corpus_root, scale=0.2)
            corpus.generate_warm_up(warm_root)
        if 'file' in parts:
            root = os.path.join(workdir, 'one')
            what = _write_one_file(corpus_root, root)
            ok &= _scan_part(f'one file in-process ({what}), start-up subtracted', root, warm_root, workdir, 1)
        if 'files' in parts:
            root = os.path.join(workdir, 'small')
            what = _write_small_files(corpus_root, root)
            ok &= _scan_part(f'small files in-process ({what}), start-up subtracted', root, warm_root,
                             workdir, SMALL_FILES)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
