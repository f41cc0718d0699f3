"""Which files `upstash-semgrep` hands semgrep, run for real on generated projects.

The user's --include and the project's .semgrepignore apply to .mts/.cts files under their
real names (semgrep scans the staged copies only because they are named); dependencies and
build output stay out even when a .semgrepignore replaces semgrep's default ignore list;
files named on the command line (as the pre-commit hook names them) go through the
prefilter; the pack's own path patterns draw no warning from semgrep.
"""
import json
from pathlib import Path

import pytest

from tests.fixtures_semgrep import BUNDLER_CASES
from tests.helpers import run
from tests.helpers import write_files

pytestmark = [pytest.mark.semgrep]

PROG = 'upstash-semgrep'
LEAK = 'export const token = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n'
CLEAN = 'export function add(a: number, b: number) {\n  return a + b;\n}\n'


def _scan(project: Path, *args: str) -> dict:
    result = run([PROG, '--json', '--quiet', *args], cwd=project)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report['errors'] == []
    return report


def _reported(report: dict) -> set:
    return {r['path'] for r in report['results']}


def test_include_matches_the_real_names_of_mts_and_cts_files(tmp_path):
    project = write_files(tmp_path, {'src/env.mts': LEAK, 'src/env.ts': LEAK,
                                'other/env.mts': LEAK, 'other/env.cts': LEAK})
    assert _reported(_scan(project, '--include', 'src')) == {'src/env.mts', 'src/env.ts'}
    assert _reported(_scan(project, '--include', '*.mts')) == {'src/env.mts', 'other/env.mts'}
    # the staged copies' names (env.mts.ts) are not the user's files
    assert _reported(_scan(project, '--include', '*.mts.ts')) == set()


def test_semgrepignore_applies_to_mts_and_cts_files(tmp_path):
    project = write_files(tmp_path, {'.semgrepignore': 'legacy/\n', 'legacy/env.mts': LEAK,
                                'legacy/env.cts': LEAK, 'legacy/env.ts': LEAK, 'app/env.mts': LEAK})
    report = _scan(project)
    assert _reported(report) == {'app/env.mts'}
    assert not [p for p in report['paths']['scanned'] if p.startswith('legacy/')]


def test_dependencies_and_build_output_stay_out_when_a_semgrepignore_replaces_the_defaults(tmp_path):
    files = {'node_modules/pkg/index.ts': LEAK, 'node_modules/pkg/index.mts': LEAK,
             '.next/server/page.js': LEAK, 'app/env.ts': LEAK}
    project = write_files(tmp_path, files)
    assert _reported(_scan(project)) == {'app/env.ts'}
    # With its own .semgrepignore semgrep drops its default list (tests/ is scanned, as
    # semgrep documents), but dependencies and build output are still not the user's code.
    write_files(project, {'.semgrepignore': 'legacy/\n', 'tests/env.ts': LEAK})
    report = _scan(project)
    assert _reported(report) == {'app/env.ts', 'tests/env.ts'}
    assert not [p for p in report['paths']['scanned'] if 'node_modules' in p or '.next' in p]


def test_named_files_go_through_the_prefilter(tmp_path):
    # The pre-commit hook names each staged file: one in which no rule can match is read
    # once and not handed to semgrep; the findings are those of a run without the prefilter.
    project = write_files(tmp_path, {'app/leak.ts': LEAK, 'app/clean.ts': CLEAN, 'app/other.ts': LEAK})
    result = run([PROG, '--json', '--error', 'app/leak.ts', 'app/clean.ts'], cwd=project)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert _reported(report) == {'app/leak.ts'}
    assert report['paths']['scanned'] == ['app/leak.ts']
    assert 'upstash-semgrep: 1 more file(s) were read first' in result.stderr
    without = _scan(project, '--no-prefilter', 'app/leak.ts', 'app/clean.ts')
    assert sorted(without['paths']['scanned']) == ['app/clean.ts', 'app/leak.ts']
    assert [r['start'] for r in without['results']] == [r['start'] for r in report['results']]
    # Nothing named can match: nothing is scanned (not the current directory either).
    clean = run([PROG, '--error', '--json', 'app/clean.ts'], cwd=project)
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)['results'] == [] and json.loads(clean.stdout)['paths']['scanned'] == []
    text = run([PROG, '--error', '--quiet', 'app/clean.ts'], cwd=project)
    assert text.returncode == 0 and text.stdout.strip() == 'No Upstash findings.', text.stdout + text.stderr


DEPRECATION = 'will soon be interpreted'


def test_bundler_define_rule_reads_scripts_and_config_dirs_anywhere_without_a_warning(tmp_path,
                                                                                     python_front_end_scan):
    project = write_files(tmp_path, BUNDLER_CASES)
    result = run([PROG, '--json', '.'], cwd=project)
    assert result.returncode == 0, result.stderr
    found = {(r['path'], r['check_id']) for r in json.loads(result.stdout)['results']}
    assert found == {('deploy/scripts/bundle.mjs', 'upstash-secret-in-bundler-define'),
                     ('config/bundle.mjs', 'upstash-secret-in-bundler-define')}
    assert DEPRECATION not in result.stderr
    # Plain `semgrep scan` (the Python front end, docs/semgrep.md), which warned about
    # `scripts/**` on every run: its shared run with the whole pack over the pack's cases,
    # these build scripts among them under `bundler/` (tests/fixtures_semgrep.py).
    assert DEPRECATION not in python_front_end_scan['stderr']
    assert {r['path'] for r in python_front_end_scan['json']['results']
            if r['path'].startswith('bundler/') and r['check_id'] == 'upstash-secret-in-bundler-define'} == {
        'bundler/deploy/scripts/bundle.mjs', 'bundler/config/bundle.mjs'}
