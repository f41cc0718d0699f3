"""The semgrep rule pack (`semgrep-rules/`), checked with the real semgrep binary, offline.

Two semgrep runs for the whole pack (each start costs seconds):
* `semgrep --test semgrep-rules/`: every `ruleid:` line is found and nothing else is;
* `semgrep scan --strict` with the pack over its own test files and over correct code
  (`tests/fixtures/semgrep/correct/`): no rule or parse error, every rule fires somewhere,
  and correct code draws no WARNING or ERROR.
Layout and metadata are checked without semgrep.
"""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import run

PACK = REPO_ROOT / 'semgrep-rules'
CORRECT_CODE = REPO_ROOT / 'tests' / 'fixtures' / 'semgrep' / 'correct'
OFFLINE = ['--metrics=off', '--disable-version-check']
SEVERITIES = {'INFO', 'WARNING', 'ERROR'}
LEVELS = {'LOW', 'MEDIUM', 'HIGH'}
ANNOTATION = re.compile(r'\b(?:todo)?(ruleid|ok):\s*([\w., -]+)')


def semgrep() -> str:
    found = BIN / 'semgrep'
    if found.exists():
        return str(found)
    found = shutil.which('semgrep')
    assert found, "semgrep is part of the test extra: pip install '.[test]'"
    return found


def rule_files():
    return sorted(PACK.rglob('*.yaml'))


def rules():
    for path in rule_files():
        for rule in yaml.safe_load(path.read_text())['rules']:
            yield path, rule


def test_pack_layout_is_packagable():
    # setup.cfg maps `detect_secrets_upstash.semgrep_rules` to this directory: a `.py` file at
    # its top would be installed as a module, and a rule at its top would have no family.
    top_level = [p.name for p in PACK.iterdir() if p.is_file()]
    assert not [name for name in top_level if name.endswith(('.py', '.yaml', '.yml'))], top_level
    assert {p.parent.name for p in rule_files()} >= {'exposure', 'qstash'}
    # `.yml` would not be packaged (package_data is **/*.yaml) and would silently vanish.
    assert not list(PACK.rglob('*.yml'))


@pytest.mark.parametrize('path', rule_files(), ids=lambda p: p.stem)
def test_every_rule_file_has_an_annotated_test_file(path):
    tests = [p for p in path.parent.glob(path.stem + '.*') if p.suffix != '.yaml']
    assert tests, f'{path.name} has no test file beside it'
    annotated = set()
    for test in tests:
        for _, ids in ANNOTATION.findall(test.read_text()):
            annotated |= {i.strip() for i in ids.split(',') if i.strip()}
    ids = {rule['id'] for rule in yaml.safe_load(path.read_text())['rules']}
    assert ids <= annotated, f'rules without test cases: {ids - annotated}'


def test_rule_ids_are_unique():
    ids = [rule['id'] for _, rule in rules()]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize('rule', [pytest.param(rule, id=rule['id']) for _, rule in rules()])
def test_registry_style_metadata(rule):
    assert rule['severity'] in SEVERITIES
    # a message says what is wrong and how to fix it: more than a one-liner
    assert len(rule['message'].split()) >= 20, rule['id']
    meta = rule['metadata']
    assert meta['category'] == 'security'
    assert meta['subcategory'] and set(meta['subcategory']) <= {'vuln', 'audit', 'secure default'}
    assert all(re.match(r'CWE-\d+: ', cwe) for cwe in meta['cwe'])
    assert all(re.match(r'A\d\d:20\d\d - ', owasp) for owasp in meta['owasp'])
    assert {meta['confidence'], meta['likelihood'], meta['impact']} <= LEVELS
    assert 'upstash' in meta['technology']
    assert any(ref.startswith('https://upstash.com/docs/') for ref in meta['references'])
    # Read-only credentials are allowed or INFO only (issue 4).
    if 'read-only' in rule['id']:
        assert rule['severity'] == 'INFO'


def test_semgrep_test_passes_for_the_whole_pack():
    result = run([semgrep(), '--test', '--json', *OFFLINE, str(PACK)], cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = json.loads(result.stdout)
    assert report['config_missing_tests'] == []
    assert report['config_with_errors'] == []
    tested = {Path(config).resolve() for config in report['results']}
    assert tested == {p.resolve() for p in rule_files()}, 'semgrep --test skipped rule files'
    for config, outcome in report['results'].items():
        for rule_id, check in outcome['checks'].items():
            assert check['passed'], (config, rule_id, check)
            assert check['errors'] == [], (config, rule_id)
            expected = [line for match in check['matches'].values() for line in match['expected_lines']]
            assert expected, f'{rule_id} has no `ruleid:` case'


def test_strict_scan_is_clean_and_correct_code_draws_no_warning():
    correct = sorted(p for p in CORRECT_CODE.iterdir() if p.is_file())
    assert len(correct) >= 5
    # Files are listed one by one: semgrep's default ignore list skips `tests/` directories.
    result = run([semgrep(), 'scan', '--strict', '--json', *OFFLINE, '--no-git-ignore',
                  '--no-rewrite-rule-ids', '--config', str(PACK), str(PACK), *map(str, correct)],
                 cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout)
    assert report['errors'] == []
    scanned = {Path(p).resolve() for p in report['paths']['scanned']}
    assert {p.resolve() for p in correct} <= scanned, 'a correct-code file was not scanned'

    # Every rule fires on its own test file in a real scan too, except rules limited by
    # `paths.include` to names a test file cannot have (next.config.*: see the CLI tests).
    fired = {r['check_id'] for r in report['results']}
    unrestricted = {rule['id'] for _, rule in rules()
                    if not any(name.startswith('next.config') for name in
                               rule.get('paths', {}).get('include', ()))}
    assert unrestricted - fired == set()

    on_correct_code = [
        f"{r['path']}:{r['start']['line']} {r['check_id']} {r['extra']['severity']}"
        for r in report['results']
        if Path(r['path']).resolve().parent == CORRECT_CODE.resolve()
        and r['extra']['severity'] in ('WARNING', 'ERROR')
    ]
    assert on_correct_code == []
