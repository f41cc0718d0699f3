"""`upstash-semgrep`'s prefilter: files no rule can match are kept out of the scan, and nothing else.

The prefilter reads each file once and keeps out of semgrep's run (by `--exclude`) the files
that fail every rule's semgrep-core prefilter formula. It must be exact: the findings with
and without it (`--no-prefilter`) are the same, on the pack's own test files, the held-out
set, the correct-code fixtures and a generated monorepo with planted misuse, in and out of
a git work tree, and it must really leave files out (or it proves nothing). The literal
gates it derives from the rules' regular expressions are checked as a property: every text
a regex matches contains one of the gate's literals.
"""
import fnmatch
import json
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from bench.semgrep_speed import generate_tree
from detect_secrets_upstash import semgrep as upstash_semgrep
from detect_secrets_upstash import semgrep_prefilter
from detect_secrets_upstash import tokens
from tests.fixtures_semgrep import FRONT_ENDS_LEAVE_OUT
from tests.fixtures_semgrep import JOBS
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run

pytestmark = [pytest.mark.semgrep]

PROG = 'upstash-semgrep'


def _report(cwd: Path, *args: str) -> dict:
    # one semgrep thread (JOBS, tests/fixtures_semgrep.py): the same findings for less CPU
    result = run([PROG, '--json', '--quiet', *JOBS, *args], cwd=cwd, timeout=900)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return json.loads(result.stdout)


def _findings(report: dict) -> list:
    return sorted((r['path'], r['start']['line'], r['start']['col'], r['end']['line'],
                   r['end']['col'], r['check_id'], r['extra']['severity'], r['extra']['message'])
                  for r in report['results'])


def _errors(report: dict) -> list:
    return sorted(json.dumps(e, sort_keys=True) for e in report['errors'])


def assert_exact(cwd: Path, *args: str) -> dict:
    """Both runs agree on every finding and error; the prefilter left files out."""
    return assert_same(_report(cwd, *args), _report(cwd, '--no-prefilter', *args))


def assert_same(with_prefilter: dict, without: dict) -> dict:
    """The report with the prefilter and the one without agree on every finding and error;
    the prefilter left files out."""
    assert _findings(with_prefilter) == _findings(without)
    assert _errors(with_prefilter) == _errors(without)
    assert without['results'], 'a comparison without findings proves nothing'
    scanned_with = set(with_prefilter['paths']['scanned'])
    scanned_without = set(without['paths']['scanned'])
    assert scanned_with < scanned_without, 'the prefilter left nothing out'
    # every file with a finding was scanned in both runs
    assert {r['path'] for r in without['results']} <= scanned_with
    return {'left_out': len(scanned_without - scanned_with), 'scanned': len(scanned_with),
            'findings': len(without['results'])}


# ---- exact on the pack's own cases ---------------------------------------------------------------
# The rule test files, the correct-code fixtures and the held-out set beside a generated app,
# copied outside git (tests/fixtures_semgrep.py): one run with and one without the prefilter
# over all four scanning roots, shared with the held-out tests; each part's test reads its own
# slice of the two reports.

PARTS = ['rules', 'correct', 'heldout']


def _within(report: dict, roots) -> dict:
    """`report` cut down to the files under `roots` (errors without a path stay in)."""
    def inside(path):
        return path is None or any(path.startswith(root + '/') for root in roots)
    return {'results': [r for r in report['results'] if inside(r['path'])],
            'errors': [e for e in report['errors'] if inside(e.get('path'))],
            'paths': {'scanned': [p for p in report['paths']['scanned'] if inside(p)]}}


def _without_paths(report: dict, pattern: str) -> dict:
    """`report` without the files whose path matches `pattern` (errors without a path stay in)."""
    def kept(path):
        return path is None or not fnmatch.fnmatch(path, pattern)
    return {'results': [r for r in report['results'] if kept(r['path'])],
            'errors': [e for e in report['errors'] if kept(e.get('path'))],
            'paths': {'scanned': [p for p in report['paths']['scanned'] if kept(p)]}}


@pytest.mark.slow
def test_the_prefilter_changes_no_finding_on_the_packs_cases(upstash_semgrep_case_reports):
    with_prefilter, without = upstash_semgrep_case_reports['prefilter'], upstash_semgrep_case_reports['no_prefilter']
    # The run without the prefilter leaves out the QStash rules' TypeScript test files
    # (FRONT_ENDS_LEAVE_OUT, for their cost): the prefilter keeps every one of them in, so its
    # findings there are semgrep's on the whole file, and the rest is compared.
    left_out = sorted(str(p.relative_to(REPO_ROOT / 'semgrep-rules').parent / p.name)
                      for p in (REPO_ROOT / 'semgrep-rules').glob(FRONT_ENDS_LEAVE_OUT.split('/', 1)[1]))
    assert len(left_out) > 10
    assert {f'rules/{name}' for name in left_out} <= set(with_prefilter['paths']['scanned'])
    assert not any(fnmatch.fnmatch(p, FRONT_ENDS_LEAVE_OUT) for p in without['paths']['scanned'])
    with_prefilter = _without_paths(with_prefilter, FRONT_ENDS_LEAVE_OUT)
    assert_same(with_prefilter, without)
    for part in PARTS:
        # each part beside the generated app, so that there is something to leave out
        assert_same(_within(with_prefilter, [part, 'app']), _within(without, [part, 'app']))
        assert any(p.startswith(part + '/') for p in without['paths']['scanned']), f'{part} was not scanned'


@pytest.mark.slow
def test_the_ocaml_front_end_reports_what_the_python_front_end_does(python_front_end_scan,
                                                                    ocaml_front_end_scans):
    # upstash-semgrep runs `semgrep scan --experimental` (osemgrep) for its start-up cost; it
    # must find, fail on and list exactly what plain `semgrep scan` does with the same pack,
    # over every copied case. The Python front end runs once (shared with the pack's strict
    # scan) and writes both reports (--json, and a copy by --sarif-output); osemgrep writes no
    # --sarif-output copy, so it runs once per format.
    python, python_sarif = python_front_end_scan['json'], python_front_end_scan['sarif']
    ocaml, ocaml_sarif = ocaml_front_end_scans['json'], ocaml_front_end_scans['sarif']
    assert _findings(ocaml) == _findings(python) and len(python['results']) > 100
    assert _errors(ocaml) == _errors(python)
    assert sorted(ocaml['paths']['scanned']) == sorted(python['paths']['scanned'])
    key = lambda r: json.dumps(r, sort_keys=True)       # noqa: E731
    python_run, ocaml_run = python_sarif['runs'][0], ocaml_sarif['runs'][0]
    assert len(python_run['results']) == len(python['results'])
    assert sorted(map(key, ocaml_run['results'])) == sorted(map(key, python_run['results']))
    assert ocaml_run['invocations'] == python_run['invocations']
    assert ocaml_run['tool']['driver']['rules'] == python_run['tool']['driver']['rules']


@pytest.mark.slow
def test_the_prefilter_changes_no_finding_on_a_generated_monorepo_in_a_git_work_tree(tmp_path):
    repo = git_repo(tmp_path / 'repo')
    generate_tree(repo, 600)
    key = tokens.generate_signing_key()
    token = tokens.generate_redis_token(7)
    planted = {
        'apps/web/.env.local': f'NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN={token}\n',
        'apps/web/lib/receiver.ts': ('import { Receiver } from "@upstash/qstash";\n'
                                     f'export const receiver = new Receiver({{ currentSigningKey: "{key}", '
                                     'nextSigningKey: "" });\n'),
        'apps/web/vite.config.mts': ('import { defineConfig, loadEnv } from "vite";\n'
                                     'export default defineConfig(({ mode }) => {\n'
                                     '  const env = loadEnv(mode, process.cwd(), "");\n'
                                     '  return { define: { "process.env": env } };\n});\n'),
        'apps/worker/handler.py': ('def handler(request):\n'
                                   '    signature = request.headers.get("Upstash-Signature")\n'
                                   '    return {"ok": True, "signature": signature}\n'),
    }
    for name, text in planted.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    subprocess.run(['git', 'add', '-A'], cwd=repo, check=True, capture_output=True)
    # With the prefilter from the top, and from a subdirectory (semgrep anchors --exclude at
    # the git root), each against one run without it from the top: without the prefilter a
    # file's findings do not depend on where the scan starts (the same file, the same rules),
    # so its report cut down to the subdirectory's files is what each run must report.
    without = _report(repo, '--no-prefilter', '.')
    top = assert_same(_report(repo, '.'), without)
    assert top['left_out'] > 400
    assert_same(_report(repo / 'apps', '.'), _rebased(_within(without, ['apps']), 'apps/'))
    assert_same(_report(repo, 'apps/web', 'apps/worker'), _within(without, ['apps/web', 'apps/worker']))


def _rebased(report: dict, prefix: str) -> dict:
    """`report` (of files under `prefix`) with paths as a scan started in `prefix` names them."""
    def strip(path):
        return path[len(prefix):] if path is not None and path.startswith(prefix) else path
    return {'results': [{**r, 'path': strip(r['path'])} for r in report['results']],
            'errors': [{**e, 'path': strip(e['path'])} if 'path' in e else e for e in report['errors']],
            'paths': {'scanned': [strip(p) for p in report['paths']['scanned']]}}


@pytest.mark.slow
def test_a_pattern_that_could_name_a_file_of_another_scanning_root_is_not_used(tmp_path):
    # Two scanning roots, one inside the other, outside git: semgrep anchors each root's
    # --exclude patterns at that root, so `/a.ts` for the inner root's free `a.ts` would also
    # name the outer root's `a.ts`, which has a misuse.
    outer = tmp_path / 'outer'
    (outer / 'inner').mkdir(parents=True)
    (outer / 'a.ts').write_text('export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n')
    (outer / 'inner' / 'a.ts').write_text('export const a = 1;\n')
    for n in range(5):
        (outer / 'inner' / f'free{n}.ts').write_text(f'export const b{n} = {n};\n')
    args = upstash_semgrep.parse_args([str(outer), str(outer / 'inner')])
    rules = [rule for _, rule in upstash_semgrep.load_rules(upstash_semgrep.rules_dir())]
    config = tmp_path / 'rules.json'
    config.write_text(json.dumps({'rules': rules}))
    prefilter = semgrep_prefilter.Prefilter.for_config(upstash_semgrep.semgrep_executable(), config, rules)
    patterns = upstash_semgrep.plan_exclusions(args, prefilter).patterns
    assert '/a.ts' not in patterns              # names outer/a.ts too
    assert '/free0.ts' in patterns              # outer/free0.ts does not exist
    assert '/inner' in patterns                 # the inner directory, within the outer root
    assert_exact(tmp_path, 'outer', 'outer/inner')



def test_next_route_directories_with_brackets_and_groups_are_left_out(tmp_path):
    # App Router paths: `(group)` and `[param]` / `[[...slug]]` directories. Brackets are glob
    # syntax, so the pattern escapes them; a pattern that named nothing left every such file in.
    app = tmp_path / 'p' / 'app'
    leak = 'export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n'
    for directory in ('(ee)/[id]', '[[...slug]]', '(marketing)/blog/[slug]'):
        (app / directory).mkdir(parents=True)
        (app / directory / 'page.tsx').write_text('export default function Page() { return null; }\n')
        (app / directory / 'leak.ts').write_text(leak)
    (app / '[id]').mkdir()
    (app / '[id]' / 'page.tsx').write_text('export default function Page() { return 1; }\n')
    outcome = assert_exact(tmp_path / 'p')
    report = _report(tmp_path / 'p')
    scanned = set(report['paths']['scanned'])
    assert {'app/(ee)/[id]/leak.ts', 'app/[[...slug]]/leak.ts'} <= scanned
    assert not any(path.endswith('page.tsx') for path in scanned), sorted(scanned)
    assert outcome['findings'] == 3

# ---- what the user sees -----------------------------------------------------------------------

def test_left_out_files_are_not_reported_as_skipped(tmp_path):
    project = tmp_path / 'p'
    generate_tree(project, 60)
    (project / 'leak.ts').write_text('export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n')
    result = run([PROG, '--json', '.'], cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [r['path'] for r in report['results']] == ['leak.ts']
    assert report['errors'] == []
    assert 'matching --exclude patterns' not in result.stderr     # osemgrep's wording
    assert re.search(r'upstash-semgrep: \d+ more file\(s\) were read first and hold none of the '
                     r'words the rules need', result.stderr)
    quiet = run([PROG, '--json', '--quiet', '.'], cwd=project)
    assert quiet.stderr == ''


def test_the_users_own_excludes_are_still_counted(tmp_path):
    project = tmp_path / 'p'
    generate_tree(project, 40)
    (project / 'leak.ts').write_text('export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n')
    (project / 'skipme.ts').write_text('export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n')
    result = run([PROG, '--json', '--exclude', 'skipme.ts', '.'], cwd=project)
    report = json.loads(result.stdout)
    assert [r['path'] for r in report['results']] == ['leak.ts']
    assert re.search(r'Scan skipped: 1 file matching --exclude patterns\b', result.stderr), \
        result.stderr[-2000:]
    # osemgrep's product banner is not shown: the summary starts at the scan's status
    assert 'Semgrep Code (SAST)' not in result.stderr and 'Scan Status' in result.stderr


def test_semgrep_summary_loses_only_the_prefilters_count():
    heading = 'Some files were skipped or only partially analyzed.\n'
    footer = '  For a full list of skipped files, run semgrep with the --verbose flag.\n'
    summary = (heading + '  Scan skipped: 7 files matching --exclude patterns, 1 files larger than '
               '1 MB, 4 files matching .semgrepignore patterns.\n' + footer + '\nRan 41 rules\n')
    assert upstash_semgrep.semgrep_summary_without(summary, 5) == summary.replace(
        '7 files matching --exclude', '2 files matching --exclude')
    alone = heading + '  Scan skipped: 5 files matching --exclude patterns.\n' + footer + '\nRan 41 rules\n'
    assert upstash_semgrep.semgrep_summary_without(alone, 5) == '\nRan 41 rules\n'


# ---- the literal gates ------------------------------------------------------------------------

def _pack_regexes():
    rules = [rule for _, rule in upstash_semgrep.load_rules(upstash_semgrep.rules_dir())]
    found = set()

    def visit(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'pattern-regex' and isinstance(value, str):
                    found.add(value)
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)
    visit(rules)
    return sorted(found)


PACK_REGEXES = [r for r in _pack_regexes() if semgrep_prefilter.python_regex(r) is not None]


def test_the_packs_regexes_are_read_by_the_prefilter():
    assert len(PACK_REGEXES) >= 10
    assert len(PACK_REGEXES) == len(_pack_regexes())


# 20 texts per regex, ~900 over the pack: drawing from the anchored, look-ahead-heavy
# regexes is slow in hypothesis (at 40 the property cost ~18 CPU-s a run, a tenth of the suite)
@pytest.mark.parametrize('pattern', PACK_REGEXES)
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_text_a_regex_matches_holds_a_gate_literal(pattern, data):
    regex = semgrep_prefilter.python_regex(pattern)
    gate = semgrep_prefilter.regex_gate(pattern)
    if gate is None:
        return
    # ASCII drawn directly (python_regex promises the same matches on ASCII text): drawing any
    # code point and filtering for ASCII threw away most draws, ~90 s of CPU for the pack.
    text = data.draw(st.from_regex(re.compile(regex.pattern, regex.flags), fullmatch=False,
                                   alphabet=st.characters(codec='ascii')))
    assert text.isascii()
    if regex.search(text) is None:
        return
    assert any((word in text.casefold()) if folded else (word in text) for word, folded in gate)


# Literals over a small alphabet, so that one often lies inside another or overlaps it: the
# walk looks for a literal only where a shorter one inside it was found, and that shortcut
# must find exactly the literals a plain search finds, in bytes and in str, either case, also
# in text whose case folding changes its length (`\u00df` folds to `ss`, `\u0130` to two code points).
# (A case-insensitive literal is kept case-folded, as regex_gate gives it.)
_LITERAL = st.tuples(st.text(alphabet='abAB_', min_size=1, max_size=4), st.booleans()).map(
    lambda literal: (literal[0].casefold(), True) if literal[1] else literal)


@settings(max_examples=200, deadline=None)
@given(gates=st.lists(st.frozensets(_LITERAL, min_size=1, max_size=4), min_size=1, max_size=5),
       text=st.text(alphabet='abAB_ .\u00df\u0130\u00e9', max_size=40))
def test_a_file_kind_finds_exactly_the_literals_a_plain_search_finds(gates, text):
    kind = semgrep_prefilter.FileKind([(gate, lambda text, ascii_text: True) for gate in gates])
    folded_text = text.casefold()
    expected = {(word, folded) for gate in gates for word, folded in gate
                if (word in folded_text if folded else word in text)}
    assert kind.present(text, folded_text, False) == expected
    assert kind.present(text.encode(), folded_text.encode(), True) == expected


@pytest.mark.parametrize('pcre, python_match, python_miss', [
    (r'(?s)\A.*\bsig_x.*\z', 'a sig_x b\n', 'a sig_y'),
    (r'abc\Z', 'abc\n', 'abc\n\n'),
    (r'(?i)upstash-signature', 'UPSTASH-Signature', 'upstash signature'),
])
def test_pcre_is_read_with_the_same_matches(pcre, python_match, python_miss):
    regex = semgrep_prefilter.python_regex(pcre)
    assert regex.search(python_match) and not regex.search(python_miss)


@pytest.mark.parametrize('pcre', [r'\p{L}+', r'a\Kb', r'\h', r'(?x) a b', r'\Qa.b\E'])
def test_pcre_features_python_lacks_leave_the_check_passed(pcre):
    assert semgrep_prefilter.python_regex(pcre) is None


# ---- semgrep-core's formulas are kept between runs -------------------------------------------------

def _pack_config(tmp_path: Path) -> Path:
    config = tmp_path / 'pack.json'
    config.write_text(upstash_semgrep.combined_rules(upstash_semgrep.rules_dir()), encoding='utf-8')
    return config


def test_formulas_are_cached_and_a_damaged_cache_is_asked_again(tmp_path):
    core = semgrep_prefilter.core_executable(upstash_semgrep.semgrep_executable())
    config, cache = _pack_config(tmp_path), tmp_path / 'cache'
    first = semgrep_prefilter.rule_formulas(core, config, cache)
    (written,) = cache.glob('prefilter-*.json')
    assert semgrep_prefilter.rule_formulas(core, config, cache) == first
    # a damaged or truncated entry is not trusted: semgrep-core is asked and it is rewritten
    written.write_text('[{"rule_id": 1}', encoding='utf-8')
    assert semgrep_prefilter.rule_formulas(core, config, cache) == first
    assert json.loads(written.read_text(encoding='utf-8'))
    # other rules, another entry (never the formulas of the pack before)
    rules = json.loads(config.read_text(encoding='utf-8'))['rules']
    config.write_text(json.dumps({'rules': rules[:1]}), encoding='utf-8')
    assert set(semgrep_prefilter.rule_formulas(core, config, cache)) == {rules[0]['id']}
    assert len(list(cache.glob('prefilter-*.json'))) == 2


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path):
    core = semgrep_prefilter.core_executable(upstash_semgrep.semgrep_executable())
    blocked = tmp_path / 'not-a-directory'
    blocked.write_text('', encoding='utf-8')
    formulas = semgrep_prefilter.rule_formulas(core, _pack_config(tmp_path), blocked / 'cache')
    assert 'upstash-qstash-signature-not-verified' in formulas


def test_parsed_rules_are_cached_by_content_and_a_damaged_entry_is_parsed_again(tmp_path):
    family = tmp_path / 'pack' / 'exposure'
    family.mkdir(parents=True)
    rule_file = family / 'r.yaml'
    rule_file.write_text('rules:\n  - id: one\n    languages: [regex]\n    severity: INFO\n'
                         '    message: m\n    pattern-regex: abc\n', encoding='utf-8')
    cache = tmp_path / 'cache'
    first = upstash_semgrep.load_rules(tmp_path / 'pack', cache)
    assert [(f, r['id']) for f, r in first] == [('exposure', 'one')]
    (written,) = cache.glob('rules-*.json')
    assert upstash_semgrep.load_rules(tmp_path / 'pack', cache) == first
    written.write_text('[["exposure", {"id": "one"', encoding='utf-8')
    assert upstash_semgrep.load_rules(tmp_path / 'pack', cache) == first
    # the same size and another content: parsed again, never the rules of before
    rule_file.write_text(rule_file.read_text(encoding='utf-8').replace('one', 'two'), encoding='utf-8')
    assert [r['id'] for _, r in upstash_semgrep.load_rules(tmp_path / 'pack', cache)] == ['two']
    rule_file.write_text('rules: [\n', encoding='utf-8')
    with pytest.raises(upstash_semgrep.SemgrepUnavailable, match='cannot be read'):
        upstash_semgrep.load_rules(tmp_path / 'pack', cache)


def test_gates_are_cached_and_a_damaged_entry_is_read_again(tmp_path):
    core = semgrep_prefilter.core_executable(upstash_semgrep.semgrep_executable())
    formulas = semgrep_prefilter.rule_formulas(core, _pack_config(tmp_path), tmp_path / 'cache')
    read = {rule: None if f is None else semgrep_prefilter.formula_gate(f) for rule, f in formulas.items()}
    assert any(read.values())
    cache = tmp_path / 'gates'
    assert semgrep_prefilter.rule_gates(formulas, cache) == read
    (written,) = cache.glob('gates-*.json')
    assert semgrep_prefilter.rule_gates(formulas, cache) == read
    written.write_text('{"upstash-qstash-signature-not-verified": [["x", false]]}', encoding='utf-8')
    assert semgrep_prefilter.rule_gates(formulas, cache) == read


def test_an_entry_that_cannot_replace_its_name_leaves_no_partial_file(tmp_path):
    # the entry's name taken by a directory: the write is given up, the run still gets its rules,
    # and no half-written pid-named file is left to pile up in the cache directory
    family = tmp_path / 'pack' / 'exposure'
    family.mkdir(parents=True)
    (family / 'r.yaml').write_text('rules:\n  - id: one\n    languages: [regex]\n    severity: INFO\n'
                                   '    message: m\n    pattern-regex: abc\n', encoding='utf-8')
    cache = tmp_path / 'cache'
    first = upstash_semgrep.load_rules(tmp_path / 'pack', cache)
    (written,) = cache.glob('rules-*.json')
    written.unlink()
    (written / 'occupied').mkdir(parents=True)
    assert upstash_semgrep.load_rules(tmp_path / 'pack', cache) == first
    assert sorted(p.name for p in cache.iterdir()) == [written.name]


def _pack_prefilter(tmp_path: Path):
    rules = [rule for _, rule in upstash_semgrep.load_rules(upstash_semgrep.rules_dir())]
    config = tmp_path / 'rules.json'
    config.write_text(json.dumps({'rules': rules}))
    return rules, semgrep_prefilter.Prefilter.for_config(upstash_semgrep.semgrep_executable(),
                                                        config, rules)


def test_files_judged_by_several_processes_get_the_verdicts_of_one(tmp_path):
    # The children judge every n-th file and send their verdicts back: any slip in the
    # interleaving would keep a file with a misuse out of the scan.
    generate_tree(tmp_path / 'tree', 900)
    _, prefilter = _pack_prefilter(tmp_path)
    hits = prefilter.no_directory_hits()
    files = sorted((str(p), hits, p.name) for p in (tmp_path / 'tree').rglob('*') if p.is_file())
    assert len(files) >= semgrep_prefilter.PARALLEL_MIN_FILES
    alone = semgrep_prefilter.judge_files(prefilter, files, 1)
    assert True in alone and False in alone
    for workers in (2, 3, 5):
        assert semgrep_prefilter.judge_files(prefilter, files, workers) == alone


def test_only_the_rules_a_scanned_file_can_match_are_given_to_semgrep(tmp_path):
    # A tree with one client-side leak: semgrep needs the exposure rule, not the QStash ones.
    project = tmp_path / 'p'
    (project / 'src').mkdir(parents=True)
    (project / 'src' / 'leak.ts').write_text(
        'export const t = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n')
    for n in range(5):
        (project / 'src' / f'free{n}.ts').write_text(f'export const b{n} = {n};\n')
    rules, prefilter = _pack_prefilter(tmp_path)
    args = upstash_semgrep.parse_args([str(project)])
    exclusions = upstash_semgrep.plan_exclusions(args, prefilter)
    needed = upstash_semgrep.rules_needed(args, prefilter, exclusions, {})
    assert needed is not None and 'upstash-secret-in-public-env-var' in needed
    assert not any(rule_id.startswith('upstash-qstash-') for rule_id in needed)
    assert len(needed) < len(rules)
    # SARIF lists the rules that ran: the whole pack.
    sarif = upstash_semgrep.parse_args(['--sarif', str(project)])
    assert upstash_semgrep.rules_needed(sarif, prefilter, exclusions, {}) is None
    # A file not judged (behind a symlink, in a directory semgrep may scan but the walk
    # skips) leaves the rules it could need unknown: the whole pack runs.
    (project / 'dist').mkdir()
    (project / 'dist' / 'handler.ts').write_text('export const x = 1;\n')
    exclusions = upstash_semgrep.plan_exclusions(upstash_semgrep.parse_args(['--respect-git-ignore', str(project)]), prefilter)
    assert upstash_semgrep.rules_needed(args, prefilter, exclusions, {}) is None
    (project / 'dist' / 'handler.ts').unlink()
    (project / 'dist').rmdir()
    (project / 'linked.ts').symlink_to(project / 'src' / 'leak.ts')
    exclusions = upstash_semgrep.plan_exclusions(args, prefilter)
    assert upstash_semgrep.rules_needed(args, prefilter, exclusions, {}) is None
    # And the scan with the smaller configuration still reports the leak.
    (project / 'linked.ts').unlink()
    report = _report(tmp_path, str(project))
    assert [r['check_id'] for r in report['results']] == ['upstash-secret-in-public-env-var']
