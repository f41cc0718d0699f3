"""The rule pack on a held-out set: handlers and configs per framework, written apart from the rules.

`tests/fixtures/semgrep/heldout/<framework>/misuse/` holds files that each contain one misuse
(the rule that should report it is named on an `expect:` line at the top), `.../correct/`
files that do it right. They are written like the public code studied for each framework
(Hono on Workers and Bun, Elysia, NestJS, Fastify, Koa, SvelteKit, Nuxt/h3, Remix, Astro,
Deno, Next.js Pages and App Router, AWS Lambda in JS and Python, Django, Flask blueprints,
FastAPI, Vite, Expo, Gatsby, dotenv files, and an Upstash SDK's own source), not like the
rules' own test files. The whole set goes through `upstash-semgrep` once, as a user runs it
(a copy, in one run with the pack's other cases: tests/fixtures_semgrep.py).

The bar: at least 95% of the misuse files draw the expected finding, and no correct file
draws a WARNING or ERROR. The counts are printed (`pytest -s`) and kept in docs/semgrep.md.
"""
import re
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

pytestmark = [pytest.mark.semgrep, pytest.mark.slow]

HELDOUT = REPO_ROOT / 'tests' / 'fixtures' / 'semgrep' / 'heldout'
EXPECT = re.compile(r'expect:\s*([\w-]+)')
FRAMEWORKS = {'hono', 'elysia', 'nestjs', 'fastify', 'koa', 'sveltekit', 'nuxt', 'remix', 'astro',
              'deno', 'nextjs-pages', 'nextjs-app', 'aws-lambda', 'django', 'flask', 'fastapi',
              'vite', 'expo', 'gatsby', 'dotenv', 'sdk'}


def _files(kind: str):
    return sorted(p for p in HELDOUT.glob(f'*/{kind}/**/*') if p.is_file() and p.name != 'package.json')


def _expected(path: Path) -> str:
    found = EXPECT.search('\n'.join(path.read_text().splitlines()[:3]))
    assert found, f'{path} names no expected rule on an `expect:` line'
    return found.group(1)


@pytest.fixture(scope='module')
def heldout_report(upstash_semgrep_case_reports):
    # `upstash-semgrep --json` over a copy of the set (outside `tests/`, which semgrep's default
    # ignore list skips) beside the pack's other cases, as a user runs it, prefilter and all:
    # one run shared with the prefilter's tests (tests/fixtures_semgrep.py).
    report = upstash_semgrep_case_reports['prefilter']
    in_copy = [e for e in report['errors'] if (e.get('path') or '').startswith('heldout/')]
    assert in_copy == [], in_copy
    # every file of the set reaches semgrep: no ignore list skips one (the run without the
    # prefilter scans each file it does not skip)
    scanned = set(upstash_semgrep_case_reports['no_prefilter']['paths']['scanned'])
    unscanned = [str(p.relative_to(HELDOUT)) for p in _files('misuse') + _files('correct')
                 if f'heldout/{p.relative_to(HELDOUT)}' not in scanned]
    assert unscanned == []
    by_file = {}
    for finding in report['results']:
        if finding['path'].startswith('heldout/'):
            by_file.setdefault((HELDOUT / finding['path'][len('heldout/'):]).resolve(), []).append(finding)
    return by_file


def test_the_set_covers_every_framework_with_misuse_and_correct_files():
    misuse, correct = _files('misuse'), _files('correct')
    frameworks = {p.relative_to(HELDOUT).parts[0] for p in misuse + correct}
    assert frameworks == FRAMEWORKS
    assert len(misuse) >= 57 and len(correct) >= 31
    for path in misuse:
        _expected(path)


def test_misuse_recall_is_at_least_95_percent(heldout_report):
    by_file = heldout_report
    misuse = _files('misuse')
    missed = [f'{p.relative_to(HELDOUT)} ({_expected(p)})' for p in misuse
              if _expected(p) not in {f['check_id'] for f in by_file.get(p.resolve(), [])}]
    found = len(misuse) - len(missed)
    print(f'\nheld-out misuse: {found}/{len(misuse)} found ({found / len(misuse):.1%}); missed: {missed}')
    assert found / len(misuse) >= 0.95, missed


def test_correct_files_draw_no_warning_or_error(heldout_report):
    by_file = heldout_report
    correct = _files('correct')
    flagged = [f"{p.relative_to(HELDOUT)}:{f['start']['line']} {f['check_id']} {f['extra']['severity']}"
               for p in correct for f in by_file.get(p.resolve(), [])
               if f['extra']['severity'] in ('WARNING', 'ERROR')]
    infos = sum(1 for p in correct for f in by_file.get(p.resolve(), []))
    print(f'\nheld-out correct: {len(correct) - len({x.split(":")[0] for x in flagged})}/{len(correct)} '
          f'clean of WARNING/ERROR ({infos - len(flagged)} INFO findings)')
    assert flagged == []


def test_each_misuse_is_reported_once(heldout_report):
    by_file = heldout_report
    for path in _files('misuse'):
        expected = [f for f in by_file.get(path.resolve(), []) if f['check_id'] == _expected(path)]
        lines = [f['start']['line'] for f in expected]
        assert len(lines) == len(set(lines)), (path, lines)
