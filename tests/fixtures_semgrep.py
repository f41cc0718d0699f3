"""Session fixtures for the semgrep tests: the pack's cases, and the scans of them that several
tests assert on, run once per test session.

Scanning the pack's cases with the whole pack costs several CPU-seconds a run (most of it the
rules' own test files), and four test modules assert on such a run: the pack's strict scan,
the held-out set, the prefilter's exactness and the two semgrep front ends. Each scan here
runs once per session, workers included: under pytest-xdist the first worker to need a scan
runs it under a lock and stores its exit status and output; the others read them.
"""
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
    scan: Callable[[str, Callable[[Path], List[str]]], Scan]


@pytest.fixture(scope='session')
def pack_cases(tmp_path_factory) -> PackCases:
    """The rule test files, the correct-code fixtures and the held-out set, copied outside any
    git work tree and away from semgrep's default ignore list (`tests/`), beside 300 unrelated
    generated files, as in a real project; and `scan(name, command)`, which runs
    `command(output_dir)` there once per session and returns what it did."""
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

    def scan(name: str, command: Callable[[Path], List[str]]) -> Scan:
        outputs = scans / name
        argv = [str(part) for part in command(outputs)]
        lock = scans / '.locks' / name          # not inside `outputs`, which a retry clears
        lock.mkdir(parents=True, exist_ok=True)
        with exclusive(lock):
            record = outputs / 'scan.json'
            if not record.exists():
                shutil.rmtree(outputs, ignore_errors=True)
                outputs.mkdir()
                done = run(argv, cwd=root, timeout=900)
                record.write_text(json.dumps({'argv': argv, 'returncode': done.returncode,
                                              'stdout': done.stdout, 'stderr': done.stderr}))
        stored = json.loads(record.read_text())
        assert stored['argv'] == argv, f'two different commands share the scan name {name!r}'
        return Scan(stored['returncode'], stored['stdout'], stored['stderr'], outputs)

    return PackCases(root, config, scan)


def _front_end_command(config: Path, front_end, *output: str) -> List[str]:
    return [upstash_semgrep.semgrep_executable(), *front_end, *upstash_semgrep.OFFLINE_FLAGS,
            *output, '--no-git-ignore', '--no-rewrite-rule-ids', '--config', str(config), '.']


@pytest.fixture(scope='session')
def python_front_end_scan(pack_cases) -> Dict[str, Any]:
    """Plain `semgrep scan --strict` (the Python front end, ~6 CPU-s here) with the whole pack
    over every copied case: `json` (stdout), `sarif` (its --sarif-output copy) and `stderr`
    (not --quiet: the front end's warnings about the rules, e.g. their path patterns).
    --strict: a rule or parse error fails the run."""
    done = pack_cases.scan('python-front-end', lambda out: _front_end_command(
        pack_cases.config, ['scan', '--strict'], '--json', f'--sarif-output={out / "python.sarif"}'))
    assert done.returncode == 0, done.stderr[-4000:]
    return {'json': json.loads(done.stdout), 'stderr': done.stderr,
            'sarif': json.loads((done.outputs / 'python.sarif').read_text())}


@pytest.fixture(scope='session')
def ocaml_front_end_scans(pack_cases) -> Dict[str, dict]:
    """semgrep's OCaml front end as upstash-semgrep runs it (`scan --experimental`), over every
    copied case: `json` and `sarif`, one run each (it writes no --sarif-output copy)."""
    reports = {}
    for output in ('json', 'sarif'):
        done = pack_cases.scan(f'ocaml-front-end-{output}', lambda out: _front_end_command(
            pack_cases.config, upstash_semgrep.FRONT_END, f'--{output}', '--quiet'))
        assert done.returncode == 0, done.stderr[-2000:]
        reports[output] = json.loads(done.stdout)
    return reports


def _upstash_semgrep_report(pack_cases, name: str, *args: str) -> dict:
    done = pack_cases.scan(name, lambda out: ['upstash-semgrep', '--json', '--quiet', *args, *CASE_PARTS])
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope='session')
def upstash_semgrep_case_reports(pack_cases) -> Dict[str, dict]:
    """`upstash-semgrep --json` over every copied case (four scanning roots in one run), as a
    user runs it (`prefilter`) and with `--no-prefilter`."""
    return {'prefilter': _upstash_semgrep_report(pack_cases, 'upstash-semgrep'),
            'no_prefilter': _upstash_semgrep_report(pack_cases, 'upstash-semgrep-no-prefilter',
                                                    '--no-prefilter')}
