"""Session fixtures for the semgrep tests: the pack's cases, and the scans of them that several
tests assert on, run once per test session.

Scanning the pack's cases with the whole pack costs several CPU-seconds a run (most of it the
rules' own test files), and four test modules assert on such a run: the pack's strict scan,
the held-out set, the prefilter's exactness and the two semgrep front ends. Each scan here
runs once per session, workers included: under pytest-xdist the first worker to need a scan
runs it under a lock and stores its exit status and output; the others read them. A worker
that needs a scan the other is running runs another scan the session needs meanwhile, rather
than wait on the lock.
"""
import fcntl
import json
import shutil
from pathlib import Path
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple

import pytest

from detect_secrets_upstash import semgrep as upstash_semgrep
from tests.fixtures_precommit import exclusive
from tests.fixtures_precommit import shared_dir
from tests.helpers import REPO_ROOT
from tests.helpers import run
from tests.helpers import write_files

FIXTURES = REPO_ROOT / 'tests' / 'fixtures' / 'semgrep'
# The scanning roots of the copied cases: the rules' test files, the correct-code fixtures,
# the held-out set, a generated app of unrelated files, and build scripts that inline a
# credential by a bundler's `define` (tests/test_upstash_semgrep_targets.py).
CASE_PARTS = ('rules', 'correct', 'heldout', 'app', 'bundler')
BUILD_SCRIPT = ('import * as esbuild from "esbuild";\n\n'
                'await esbuild.build({\n  entryPoints: ["src/index.ts"],\n'
                '  define: { "process.env.UPSTASH_REDIS_REST_TOKEN": '
                'JSON.stringify(process.env.UPSTASH_REDIS_REST_TOKEN) },\n});\n')
# The bundler rule reads build scripts in `scripts/` and `config/` directories at any depth,
# not every file that calls a bundler.
BUNDLER_CASES = {'deploy/scripts/bundle.mjs': BUILD_SCRIPT, 'config/bundle.mjs': BUILD_SCRIPT,
                 'src/bundle.mjs': BUILD_SCRIPT}


class Scan(NamedTuple):
    returncode: int
    stdout: str
    stderr: str
    outputs: Path       # the directory of the files the command wrote (--sarif-output=...)


class PackCases(NamedTuple):
    root: Path          # the copied cases, the scans' working directory
    config: Path        # the whole pack in one JSON file, as upstash-semgrep hands it to semgrep
    scan: Callable[[str], Scan]


# One thread per scan. Under pytest-xdist the other core runs the other worker, so semgrep's
# own parallelism (`--jobs` defaults to the number of cores) buys no time here, and it costs
# CPU: over these cases a scan with `--jobs 2` took ~5.5 CPU-s, with `--jobs 1` ~3.2 (more
# still on a loaded machine). The number of jobs changes no finding, error or scanned path.
JOBS = ('--jobs', '1')


# The QStash rules' TypeScript test files cost ~10 of the ~12 CPU-s of a scan of all the cases
# (semgrep's matching of the handler rules on them). Only the run as a user runs it
# (`upstash-semgrep`, with the prefilter) scans them: it is the one that proves every rule
# fires on its own test files. The comparisons of two runs (the front ends, the prefilter
# against --no-prefilter) leave them out; each still compares ~600 files and >100 findings,
# and the prefilter's test checks that it kept every one of them in (so that its findings
# there are the full scan's by construction).
FRONT_ENDS_LEAVE_OUT = 'rules/qstash/*.ts'


def _front_end_command(config: Path, front_end, *output: str) -> List[str]:
    return [upstash_semgrep.semgrep_executable(), *front_end, *upstash_semgrep.OFFLINE_FLAGS, *JOBS,
            *output, '--no-git-ignore', '--no-rewrite-rule-ids', '--exclude', FRONT_ENDS_LEAVE_OUT,
            '--config', str(config), '.']


def _upstash_semgrep_command(*args: str) -> List[str]:
    return ['upstash-semgrep', '--json', '--quiet', *JOBS, *args, *CASE_PARTS]


# Every scan of the copied cases, by name: `command(config, output_dir)`.
SCANS: Dict[str, Callable[[Path, Path], List[str]]] = {
    # plain `semgrep scan --strict` (the Python front end): JSON on stdout and a SARIF copy
    'python-front-end': lambda config, out: _front_end_command(
        config, ['scan', '--strict'], '--json', f'--sarif-output={out / "python.sarif"}'),
    # semgrep's OCaml front end as upstash-semgrep runs it; it writes no --sarif-output copy
    'ocaml-front-end-json': lambda config, out: _front_end_command(
        config, upstash_semgrep.FRONT_END, '--json', '--quiet'),
    'ocaml-front-end-sarif': lambda config, out: _front_end_command(
        config, upstash_semgrep.FRONT_END, '--sarif', '--quiet'),
    'upstash-semgrep': lambda config, out: _upstash_semgrep_command(),
    # semgrep reads a pattern with a slash from each scanning root (`rules` here), so the
    # pattern drops its first part
    'upstash-semgrep-no-prefilter': lambda config, out: _upstash_semgrep_command(
        '--no-prefilter', '--exclude', FRONT_ENDS_LEAVE_OUT.split('/', 1)[1]),
}
# The scans each fixture below reads: a session needs the scans of its tests' fixtures.
SCANS_OF_FIXTURE = {
    'python_front_end_scan': ('python-front-end',),
    'ocaml_front_end_scans': ('ocaml-front-end-json', 'ocaml-front-end-sarif'),
    'upstash_semgrep_case_reports': ('upstash-semgrep', 'upstash-semgrep-no-prefilter'),
}


def _scans_needed(session) -> List[str]:
    needed = {name: None for item in session.items for fixture in getattr(item, 'fixturenames', ())
              for name in SCANS_OF_FIXTURE.get(fixture, ())}
    return list(needed)


def _locked_if_free(lock: Path):
    """The open lock file of `lock`, held exclusively, or None if another worker holds it."""
    handle = open(lock / '.lock', 'w')
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


@pytest.fixture(scope='session')
def pack_cases(tmp_path_factory, request) -> PackCases:
    """The rule test files, the correct-code fixtures and the held-out set, copied outside any
    git work tree and away from semgrep's default ignore list (`tests/`), beside 300 unrelated
    generated files, as in a real project; and `scan(name)`, which runs the command
    `SCANS[name]` there once per session and returns what it did.

    Under pytest-xdist a worker that needs a scan another worker is running does not wait
    idle on its lock: it runs a scan of this session that nobody has started (one some test
    will read), then looks again."""
    shared = shared_dir(tmp_path_factory, 'semgrep-pack-cases')
    root, config = shared / 'cases', shared / 'pack.json'
    with exclusive(shared):
        if not (shared / 'copied').exists():
            from bench.semgrep_speed import generate_tree
            shutil.rmtree(root, ignore_errors=True)
            shutil.copytree(REPO_ROOT / 'semgrep-rules', root / 'rules',
                            ignore=shutil.ignore_patterns('*.yaml'))
            shutil.copytree(FIXTURES / 'correct', root / 'correct')
            shutil.copytree(FIXTURES / 'heldout', root / 'heldout')
            generate_tree(root / 'app', 300)
            write_files(root / 'bundler', BUNDLER_CASES)
            config.write_text(upstash_semgrep.combined_rules(upstash_semgrep.rules_dir()))
            (shared / 'copied').write_text('')
    scans = shared / 'scans'
    scans.mkdir(exist_ok=True)
    needed = _scans_needed(request.session)

    def lock_of(name: str) -> Path:
        lock = scans / '.locks' / name          # not inside the outputs, which a retry clears
        lock.mkdir(parents=True, exist_ok=True)
        return lock

    def record_of(name: str) -> Path:
        return scans / name / 'scan.json'

    def run_if_free(name: str) -> bool:
        """Run scan `name` unless it is done or another worker holds it; True if it is done."""
        held = _locked_if_free(lock_of(name))
        if held is None:
            return False
        with held:
            if not record_of(name).exists():
                outputs = scans / name
                shutil.rmtree(outputs, ignore_errors=True)
                outputs.mkdir()
                argv = [str(part) for part in SCANS[name](config, outputs)]
                done = run(argv, cwd=root, timeout=900)
                record_of(name).write_text(json.dumps({'argv': argv, 'returncode': done.returncode,
                                                       'stdout': done.stdout, 'stderr': done.stderr}))
        return True

    def run_for_another_test(name: str) -> bool:
        try:
            return run_if_free(name)
        except Exception:           # e.g. a timeout: the scan's own test runs it again and fails
            return False

    def scan(name: str) -> Scan:
        while not record_of(name).exists() and not run_if_free(name):
            others = [other for other in needed if other != name and not record_of(other).exists()]
            if not any(run_for_another_test(other) for other in others):
                with exclusive(lock_of(name)):      # nothing else to do: wait for it
                    pass
        stored = json.loads(record_of(name).read_text())
        return Scan(stored['returncode'], stored['stdout'], stored['stderr'], scans / name)

    return PackCases(root, config, scan)


@pytest.fixture(scope='session')
def python_front_end_scan(pack_cases) -> Dict[str, Any]:
    """Plain `semgrep scan --strict` (the Python front end) with the whole pack over every
    copied case but FRONT_ENDS_LEAVE_OUT: `json` (stdout), `sarif` (its --sarif-output copy) and `stderr`
    (not --quiet: the front end's warnings about the rules, e.g. their path patterns).
    --strict: a rule or parse error fails the run."""
    done = pack_cases.scan('python-front-end')
    assert done.returncode == 0, done.stderr[-4000:]
    return {'json': json.loads(done.stdout), 'stderr': done.stderr,
            'sarif': json.loads((done.outputs / 'python.sarif').read_text())}


@pytest.fixture(scope='session')
def ocaml_front_end_scans(pack_cases) -> Dict[str, dict]:
    """semgrep's OCaml front end as upstash-semgrep runs it (`scan --experimental`), over every
    copied case but FRONT_ENDS_LEAVE_OUT: `json` and `sarif`, one run each (it writes no --sarif-output copy)."""
    reports = {}
    for output in ('json', 'sarif'):
        done = pack_cases.scan(f'ocaml-front-end-{output}')
        assert done.returncode == 0, done.stderr[-2000:]
        reports[output] = json.loads(done.stdout)
    return reports


def _upstash_semgrep_report(pack_cases, name: str) -> dict:
    done = pack_cases.scan(name)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope='session')
def upstash_semgrep_case_reports(pack_cases) -> Dict[str, dict]:
    """`upstash-semgrep --json` over every copied case (five scanning roots in one run), as a
    user runs it (`prefilter`; with `--jobs 1`, see JOBS), and with `--no-prefilter` over every
    copied case but FRONT_ENDS_LEAVE_OUT."""
    return {'prefilter': _upstash_semgrep_report(pack_cases, 'upstash-semgrep'),
            'no_prefilter': _upstash_semgrep_report(pack_cases, 'upstash-semgrep-no-prefilter')}
