"""The semgrep rule pack (`semgrep-rules/`), checked with the real semgrep binary, offline.

Two semgrep runs for the whole pack (each start costs seconds):
* `semgrep --test semgrep-rules/`: every `ruleid:` line is found and nothing else is;
* `semgrep scan --strict` with the pack over its own test files and over correct code
  (`tests/fixtures/semgrep/correct/`): no rule or parse error, every rule fires somewhere,
  and correct code draws no WARNING or ERROR. That run (over copies of both, and more) is
  shared with the front-end comparison in test_upstash_semgrep_prefilter.py
  (`python_front_end_scan`, tests/fixtures_semgrep.py).
Layout and metadata are checked without semgrep.
"""
import fnmatch
import functools
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
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


@functools.lru_cache(maxsize=None)
def _parsed_rules():
    # parsed once: the scope tests look rules up by id hundreds of times (~10 CPU-s of YAML)
    return tuple((path, rule) for path in rule_files()
                 for rule in yaml.safe_load(path.read_text())['rules'])


def rules():
    yield from _parsed_rules()


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


@pytest.mark.slow
def test_semgrep_test_passes_for_the_whole_pack():
    # `--experimental` runs `semgrep --test` in semgrep's own OCaml front end (osemgrep, the
    # same semgrep-core engine): every rule file and its test files in one process, ~0.5 s of
    # CPU, where the Python front end starts a scan per rule file (~18 s). Its JSON is the
    # same, check for check (expected and reported lines of every rule in every test file).
    result = run([semgrep(), '--test', '--experimental', '--json', *OFFLINE, str(PACK)], cwd=REPO_ROOT)
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


def _includes_its_test_files(path, rule):
    include = rule.get('paths', {}).get('include')
    if not include:
        return True
    tests = [p.name for p in path.parent.glob(path.stem + '.*') if p.suffix != '.yaml']
    return any(fnmatch.fnmatch(name, glob) for name in tests for glob in include)


@pytest.mark.slow
def test_strict_scan_is_clean_and_correct_code_draws_no_warning(pack_cases, python_front_end_scan,
                                                                upstash_semgrep_case_reports):
    # `semgrep scan --strict` with the whole pack over copies of its test files (but the
    # QStash rules' TypeScript ones, FRONT_ENDS_LEAVE_OUT), the correct-code fixtures and more
    # (tests/fixtures_semgrep.py, outside `tests/`, which semgrep's default ignore list skips);
    # the run exited 0, so no rule or parse error.
    report = python_front_end_scan['json']
    # upstash-semgrep as a user runs it, over all the copies: no error either
    full = upstash_semgrep_case_reports['prefilter']
    assert full['errors'] == []
    correct = sorted(p.name for p in CORRECT_CODE.iterdir() if p.is_file())
    assert len(correct) >= 5
    assert report['errors'] == []
    scanned = set(report['paths']['scanned'])
    assert {f'correct/{name}' for name in correct} <= scanned, 'a correct-code file was not scanned'

    # Every rule fires on its own test files in a real scan too, except rules limited by
    # `paths.include` to names a test file cannot have (next.config.*, app.config.*: the CLI
    # tests plant those files).
    fired = {r['check_id'] for r in full['results'] if r['path'].startswith('rules/')}
    scannable = {rule['id'] for path, rule in rules() if _includes_its_test_files(path, rule)}
    assert scannable - fired == set()

    on_correct_code = [
        f"{r['path']}:{r['start']['line']} {r['check_id']} {r['extra']['severity']}"
        for r in report['results']
        if r['path'].startswith('correct/') and r['extra']['severity'] in ('WARNING', 'ERROR')
    ]
    assert on_correct_code == []


# --- the literal-token rules tell read-write from read-only by the value's leading bytes ---

def _regexes(node, keys=('regex', 'pattern-regex')):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in keys and isinstance(value, str):
                yield value
            else:
                yield from _regexes(value, keys)
    elif isinstance(node, list):
        for item in node:
            yield from _regexes(item, keys)


def _rule(rule_id):
    return next(rule for _, rule in rules() if rule['id'] == rule_id)


def _literal_regex(rule_id):
    """The metavariable-regex that says which literal a rule reports."""
    (regex,) = list(_regexes(_rule(rule_id), keys=('regex',)))
    return re.compile(regex)


def _file_guards(rule_id):
    """The rule's whole-file `pattern-regex` prefilters (PCRE `\\z` read as Python's `\\Z`)."""
    return [re.compile(r.replace('\\z', '\\Z')) for r in _regexes(_rule(rule_id), keys=('pattern-regex',))]


def _generated(kind_id, count=40):
    # every layout the catalogue knows how to generate, in turn
    generators = [generate for _, generate in catalogue.BY_ID[kind_id].generators]
    generated = [generators[i % len(generators)]() for i in range(count)]
    # catalogue examples that are bare credentials (others are whole lines or URLs)
    examples = [e for e in catalogue.BY_ID[kind_id].examples if catalogue.identify(e)]
    return generated + examples


@pytest.mark.parametrize('language_suffix', ['sdk-client', 'python-sdk-client'])
def test_literal_rules_agree_with_the_catalogue_on_scope(language_suffix):
    write = _literal_regex(f'upstash-hardcoded-write-token-in-{language_suffix}')
    read_only = _literal_regex(f'upstash-hardcoded-read-only-token-in-{language_suffix}')
    for kind_id in ('redis_rest_token', 'vector_token', 'qstash_token',
                    'redis_read_only_token', 'vector_read_only_token'):
        scope = catalogue.BY_ID[kind_id].scope
        for value in _generated(kind_id):
            assert catalogue.identify(value)[0].id == kind_id
            assert bool(write.match(value)) == (scope == tokens.READ_WRITE), (kind_id, value[:8])
            assert bool(read_only.match(value)) == (scope == tokens.READ_ONLY), (kind_id, value[:8])
            # a file-level prefilter must let every reported literal through, in any quotes
            rule_id = f'upstash-hardcoded-{"write" if scope == tokens.READ_WRITE else "read-only"}-token-in-{language_suffix}'
            for guard in _file_guards(rule_id):
                for quote in '"\'`':
                    assert guard.search(f'new Redis({{ token: {quote}{value}{quote} }})'), (rule_id, value[:8])
    for value in (*catalogue.PUBLIC_VALUES, 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8w'):
        assert not write.match(value) and not read_only.match(value)


def test_the_environment_file_rule_agrees_with_the_catalogue_on_scope():
    # read-write Redis and Vector tokens only: a QStash token literal is the QStash rule's
    write = _literal_regex('upstash-write-token-in-browser-environment-file')
    (guard,) = _file_guards('upstash-write-token-in-browser-environment-file')
    for kind_id in ('redis_rest_token', 'vector_token', 'qstash_token',
                    'redis_read_only_token', 'vector_read_only_token'):
        reported = kind_id in ('redis_rest_token', 'vector_token')
        for value in _generated(kind_id):
            assert bool(write.match(value)) == reported, (kind_id, value[:8])
            if reported:
                for quote in '"\'`':
                    assert guard.search(f'export const environment = {{ token: {quote}{value}{quote} }};')
    for value in catalogue.PUBLIC_VALUES:
        assert not write.match(value)


@pytest.mark.parametrize('rule_id', ['upstash-hardcoded-token-in-config', 'upstash-hardcoded-token-in-notebook'])
def test_byte_matched_token_rules_agree_with_the_catalogue_on_scope(rule_id):
    # read-write Redis, Vector and QStash tokens, in the quoting of JSON, YAML and notebooks
    (matches,) = _file_guards(rule_id)
    for kind_id in ('redis_rest_token', 'vector_token', 'qstash_token',
                    'redis_read_only_token', 'vector_read_only_token'):
        reported = catalogue.BY_ID[kind_id].scope == tokens.READ_WRITE
        for value in _generated(kind_id):
            for line in (f'"token": "{value}"', f'token: {value}', f'"    token=\\"{value}\\",\\n"'):
                assert bool(matches.search(line)) == reported, (kind_id, value[:8], line[:12])
    for value in catalogue.PUBLIC_VALUES:
        assert not matches.search(f'"token": "{value}"')


def test_redis_url_rules_agree_with_the_catalogue_on_scope():
    # A connection URL's password is the standard token (user `default`), the read-only one
    # (`default_ro`) or, for a legacy database, 32 hex characters: every layout the catalogue
    # generates is reported at its scope, and nothing built from the environment or a
    # placeholder is.
    (write,) = [re.compile(r) for r in _regexes(_rule('upstash-hardcoded-redis-url'))]
    (read_only,) = [re.compile(r) for r in _regexes(_rule('upstash-hardcoded-read-only-redis-url'))]
    for kind_id in ('redis_rest_token', 'redis_read_only_token'):
        for value in _generated(kind_id):
            host = f'{tokens.generate_host_name()}.upstash.io'
            if catalogue.BY_ID[kind_id].scope == tokens.READ_WRITE:
                url = f'rediss://default:{value}@{host}:6379'
                assert write.search(f'new Redis("{url}")') and not read_only.search(url), value[:8]
                assert write.search(f'rediss://:{value}@{host}'), value[:8]
            else:
                url = f'rediss://default_ro:{value}@{host}:6379'
                assert read_only.search(f"redis.from_url('{url}')") and not write.search(url), value[:8]
    for url in [*(catalogue.BY_ID['redis_password'].examples), tokens.generate_legacy_redis_url()]:
        assert write.search(url), url
    token = tokens.generate_redis_token()
    for not_a_leak in ('rediss://default:${process.env.UPSTASH_REDIS_PASSWORD}@x-1.upstash.io:6379',
                       'rediss://default:<PASSWORD>@<ENDPOINT>.upstash.io:6379',
                       f'rediss://default:{token}@localhost:6379',
                       f'rediss://default:{token}@x-1.upstash.io.example.com:6379',
                       f'rediss://default:{token[:30]}@x-1.upstash.io:6379'):
        assert not write.search(not_a_leak) and not read_only.search(not_a_leak), not_a_leak


# The kinds a public .env name can expose, read-write and read-only.
DOTENV_KINDS = ('redis_rest_token', 'vector_token', 'qstash_token', 'qstash_signing_key',
                'redis_read_only_token', 'vector_read_only_token')


def test_dotenv_rules_agree_with_the_catalogue_on_scope():
    (write,) = [re.compile(r) for r in _regexes(_rule('upstash-write-token-in-public-dotenv'))]
    (read_only,) = [re.compile(r) for r in _regexes(_rule('upstash-read-only-token-in-public-dotenv'))]
    for kind_id in DOTENV_KINDS:
        scope = catalogue.BY_ID[kind_id].scope
        for value in _generated(kind_id, count=10):
            line = f'NEXT_PUBLIC_ANY_NAME_AT_ALL="{value}"'
            assert bool(write.search(line)) == (scope == tokens.READ_WRITE), (kind_id, value[:8])
            assert bool(read_only.search(line)) == (scope == tokens.READ_ONLY), (kind_id, value[:8])
            # the same value under a server-only name is not exposed
            assert not write.search(f'UPSTASH_ANY_NAME={value}') and not read_only.search(f'X={value}')
    for value in catalogue.PUBLIC_VALUES:
        assert not write.search(f'NEXT_PUBLIC_QSTASH_VALUE={value}')
    for look_alike in catalogue.LOOK_ALIKES:
        value = look_alike.split('=', 1)[-1] if '=' in look_alike else look_alike
        if '${' in value:
            continue        # `${UPSTASH_REDIS_REST_TOKEN}` under a public name IS reported
        assert not write.search(f'NEXT_PUBLIC_X={value}'), look_alike
        assert not read_only.search(f'NEXT_PUBLIC_X={value}'), look_alike


# --- the whole-file pattern-regex prefilters do not hide the smallest file a rule fires on ---

def _alone_cases():
    token = tokens.generate_redis_token()
    return {
        # JSON, limited by `paths` to app.json: the prefilter and the target list must keep it.
        'upstash-secret-in-expo-app-json': (
            'app.json',
            f'{{"expo": {{"name": "app", "extra": {{"upstashRedisRestToken": "{token}"}}}}}}\n'),
        'upstash-qstash-verification-skipped-without-keys': (
            'ternary.ts',
            'import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";\n'
            'async function handler(req: Request) { return new Response("ok"); }\n'
            'export const POST = process.env.NODE_ENV === "production" ? verifySignatureAppRouter(handler) : handler;\n'),
        'upstash-secret-returned-from-loader': (
            'root.tsx',
            'export async function clientLoader() {\n'
            '  return { token: process.env.UPSTASH_REDIS_REST_TOKEN };\n}\n'),
        'upstash-secret-in-browser-env-helper': (
            'env.server.ts',
            'export function getBrowserEnv() {\n'
            '  return { TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN };\n}\n'),
        'upstash-hardcoded-write-token-in-sdk-client': (
            'redis.ts',
            'import { Redis } from "@upstash/redis";\n'
            f'export const redis = new Redis({{ url: "https://x.upstash.io", token: `{token}` }});\n'),
        'upstash-qstash-verify-result-check-is-dead': (
            'route.ts',
            'import { Receiver } from "@upstash/qstash";\nconst receiver = new Receiver();\n'
            'export async function POST(req: Request) {\n  const body = await req.text();\n'
            '  if (!(await receiver.verify({ signature: req.headers.get("upstash-signature")!, body, url: req.url }))) {\n'
            '    return new Response("no", { status: 401 });\n  }\n  return new Response("ok");\n}\n'),
    }


def test_guarded_rules_fire_on_a_file_holding_only_their_case(tmp_path):
    cases = _alone_cases()
    for number, (rule_id, (name, text)) in enumerate(cases.items()):
        (tmp_path / str(number)).mkdir()
        (tmp_path / str(number) / name).write_text(text, encoding='utf-8')
    result = run([str(BIN / 'upstash-semgrep'), '--json', '--quiet', str(tmp_path)], cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    found = {(Path(r['path']).parent.name, r['check_id']) for r in json.loads(result.stdout)['results']}
    for number, rule_id in enumerate(cases):
        assert (str(number), rule_id) in found, (rule_id, sorted(found))


# Every prefix the dotenv rules name, as the frameworks spell them.
PUBLIC_PREFIXES = ('NEXT_PUBLIC_', 'VITE_', 'REACT_APP_', 'VUE_APP_', 'NX_PUBLIC_', 'EXPO_PUBLIC_',
                   'NUXT_PUBLIC_', 'PUBLIC_', 'GATSBY_')


def test_dotenv_rules_name_every_public_prefix():
    for rule_id in ('upstash-write-token-in-public-dotenv', 'upstash-read-only-token-in-public-dotenv'):
        (regex,) = _regexes(_rule(rule_id))
        named = re.search(r'\(\?:((?:[A-Z_]+\|)+[A-Z_]+)\)', regex).group(1).split('|')
        assert set(named) == set(PUBLIC_PREFIXES), rule_id


def test_every_generated_credential_under_every_public_prefix_is_reported_in_one_scan(tmp_path):
    # Generated values, several per layout, under each prefix and each way a .env line is
    # written: a rule that matched some random values and not others (a length bound, a
    # character class) shows here as a missing line. One scan, as a user runs it.
    # Each kind's variable names from the catalogue, in turn.
    forms = ('{name}={value}', '{name}="{value}"', "export {name}='{value}'", '{name}: {value}')
    expected, lines = {}, []
    for prefix in PUBLIC_PREFIXES:
        for kind_id in DOTENV_KINDS:
            kind = catalogue.BY_ID[kind_id]
            rule_id = ('upstash-write-token-in-public-dotenv' if kind.scope == tokens.READ_WRITE
                       else 'upstash-read-only-token-in-public-dotenv')
            for number, value in enumerate(_generated(kind_id, count=8)[:8]):
                name = prefix + kind.env_names[number % len(kind.env_names)]
                lines.append(forms[number % len(forms)].format(name=name, value=value))
                expected[len(lines)] = rule_id
    (tmp_path / '.env.production').write_text('\n'.join(lines) + '\n', encoding='utf-8')
    result = run([str(BIN / 'upstash-semgrep'), '--json', '--quiet', str(tmp_path)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]      # findings alone do not fail a scan
    found = {}
    for finding in json.loads(result.stdout)['results']:
        found.setdefault(finding['start']['line'], set()).add(finding['check_id'])
    missed = [lines[n - 1].split('=')[0].split(':')[0] for n, rule_id in expected.items()
              if found.get(n) != {rule_id}]
    assert not missed, (len(missed), missed[:10])
