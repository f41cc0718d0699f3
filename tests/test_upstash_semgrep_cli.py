"""`upstash-semgrep` and the `upstash-semgrep` pre-commit hook, run for real.

A temporary Next.js-style project gets planted misuse (generated credentials only); the
console script must find every case through the real semgrep binary, keep credentials out
of its output, and exit as semgrep does. The hook runs through real pre-commit against a
temporary git repository; its environment installs semgrep from PyPI once per session.
"""
import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from detect_secrets_upstash import tokens
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run

PROG = 'upstash-semgrep'

# (path, rule id) of every case planted by `misuse_project`.
EXPECTED = {
    ('.env.local', 'upstash-write-token-in-public-dotenv'),
    ('app/page.tsx', 'upstash-client-in-use-client-file'),
    ('lib/redis.ts', 'upstash-hardcoded-write-token-in-sdk-client'),
    ('next.config.js', 'upstash-secret-in-next-config-env'),
    ('web/next.config.mjs', 'upstash-secret-in-next-config-env'),
    ('mobile/app.config.js', 'upstash-secret-in-expo-extra'),
    ('services/jobs.py', 'upstash-hardcoded-write-token-in-python-sdk-client'),
    ('src/env.ts', 'upstash-secret-in-public-env-var'),
    ('src/routes/+page.svelte', 'upstash-secret-in-public-env-var-in-components'),
    # a QStash rule: its finding quotes a signing key the report must not print
    ('app/api/webhook/route.ts', 'upstash-qstash-hardcoded-signing-key'),
}

ROUTE_HANDLER = '''import { Redis } from "@upstash/redis";
const redis = Redis.fromEnv();
export async function GET() {
  return Response.json({ views: await redis.incr("views") });
}
'''


@pytest.fixture(scope='module')
def credentials():
    return {
        'redis': tokens.generate_redis_token(10123),
        'public_redis': tokens.generate_redis_token(10123),
        'qstash': tokens.generate_qstash_token(),
        'current_signing_key': tokens.generate_signing_key(),
        'next_signing_key': tokens.generate_signing_key(),
    }


@pytest.fixture(scope='module')
def misuse_project(tmp_path_factory, credentials):
    project = git_repo(tmp_path_factory.mktemp('misuse') / 'shop')
    files = {
        '.gitignore': '.env*.local\nnode_modules/\n.next/\n',
        # git-ignored, yet Next.js inlines NEXT_PUBLIC_ values from it into the build
        '.env.local': f'NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN={credentials["public_redis"]}\n',
        'app/page.tsx': '"use client";\nimport { Redis } from "@upstash/redis";\n'
                        'export default function Page() {\n  const redis = Redis.fromEnv();\n'
                        '  return <p>{String(redis)}</p>;\n}\n',
        'lib/redis.ts': 'import { Redis } from "@upstash/redis";\nexport const redis = new Redis({\n'
                        '  url: "https://brave-otter-10123.upstash.io",\n'
                        f'  token: "{credentials["redis"]}",\n}});\n',
        'next.config.js': 'module.exports = { env: { KV_REST_API_TOKEN: process.env.KV_REST_API_TOKEN } };\n',
        'web/next.config.mjs': 'export default { env: { QSTASH_TOKEN: process.env.QSTASH_TOKEN } };\n',
        'mobile/app.config.js': 'module.exports = { name: "shop", extra: { upstashRedisRestToken: '
                                'process.env.UPSTASH_REDIS_REST_TOKEN } };\n',
        'services/jobs.py': f'from qstash import QStash\n\nclient = QStash("{credentials["qstash"]}")\n',
        'src/env.ts': 'export const token = import.meta.env.VITE_UPSTASH_REDIS_REST_TOKEN;\n',
        'src/routes/+page.svelte': "<script>\n  import { PUBLIC_QSTASH_TOKEN } from '$env/static/public';\n"
                                   '</script>\n<p>{PUBLIC_QSTASH_TOKEN.length}</p>\n',
        'app/api/webhook/route.ts':
            'import { Receiver } from "@upstash/qstash";\nconst receiver = new Receiver({\n'
            f'  currentSigningKey: "{credentials["current_signing_key"]}",\n'
            f'  nextSigningKey: "{credentials["next_signing_key"]}",\n}});\n'
            'export async function POST(request: Request) {\n  const body = await request.text();\n'
            '  try {\n    await receiver.verify({ signature: request.headers.get("upstash-signature")!, body, url: request.url });\n'
            '  } catch {\n    return new Response("invalid signature", { status: 401 });\n  }\n'
            '  return new Response("ok");\n}\n',
        # correct code and things that must not be scanned
        'app/api/views/route.ts': ROUTE_HANDLER,
        'jest.config.js': 'module.exports = { env: { KV_REST_API_TOKEN: "x" } };\n',
        '.next/static/chunks/page.js': f'const t = "{credentials["redis"]}"; new Redis({{ token: t }});\n',
    }
    for name, text in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project


def findings(report: dict) -> set:
    return {(r['path'], r['check_id']) for r in report['results']}


def assert_no_credential(output: str, credentials: dict) -> None:
    for name, value in credentials.items():
        assert value not in output, f'the {name} credential was printed in full'


def test_json_with_error_finds_every_planted_case_and_exits_1(misuse_project, credentials):
    result = run([PROG, '--json', '--error'], cwd=misuse_project)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report['errors'] == []
    assert findings(report) == EXPECTED
    by_path = {r['path']: r['extra']['severity'] for r in report['results']}
    assert by_path['lib/redis.ts'] == 'ERROR' and by_path['src/env.ts'] == 'WARNING'
    assert_no_credential(result.stdout + result.stderr, credentials)


def test_sarif_to_a_file_without_error_flag_exits_0(misuse_project, credentials, tmp_path):
    report = tmp_path / 'upstash.sarif'
    result = run([PROG, '--sarif', '--quiet', '-o', str(report)], cwd=misuse_project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ''
    sarif = json.loads(report.read_text(encoding='utf-8'))
    assert sarif['version'] == '2.1.0'
    reported = {(r['locations'][0]['physicalLocation']['artifactLocation']['uri'], r['ruleId'])
                for r in sarif['runs'][0]['results']}
    assert reported == EXPECTED
    assert_no_credential(result.stdout + result.stderr + report.read_text(encoding='utf-8'), credentials)


def test_text_report_shows_findings_with_credentials_redacted(misuse_project, credentials):
    result = run([PROG, '--quiet'], cwd=misuse_project)
    assert result.returncode == 0, result.stderr
    for path, rule_id in EXPECTED:
        assert f'{path}:' in result.stdout and rule_id in result.stdout
    assert 'lib/redis.ts:4: ERROR upstash-hardcoded-write-token-in-sdk-client' in result.stdout
    assert tokens.redact(credentials['redis']) in result.stdout
    assert 'Reset the token' in result.stdout              # the advice comes with the finding
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r'\d+ finding\(s\): \d+ ERROR, 3 WARNING', summary), summary
    assert int(summary.split()[0]) == result.stdout.count(': ERROR ') + result.stdout.count(': WARNING ')
    assert_no_credential(result.stdout + result.stderr, credentials)


def test_show_secrets_respect_git_ignore_and_passthrough(misuse_project, credentials):
    result = run([PROG, '--quiet', '--show-secrets', '--respect-git-ignore', '--', '--exclude', 'services'],
                 cwd=misuse_project)
    assert result.returncode == 0, result.stderr
    assert 'services/jobs.py' not in result.stdout         # `--exclude services` reached semgrep
    assert credentials['redis'] in result.stdout           # the user asked for it
    assert '.env.local' not in result.stdout               # git-ignored, and told to skip those
    assert 'lib/redis.ts:4: ERROR' in result.stdout


@pytest.mark.parametrize('offline', [['--metrics=off', '--disable-version-check'],
                                     ['--disable-version-check', '--metrics', 'off']])
def test_offline_flags_repeated_after_double_dash_are_accepted(misuse_project, offline):
    # docs/semgrep.md says "always --metrics=off --disable-version-check"; semgrep exits 2 on a
    # repeated --metrics, so the copies of the flags upstash-semgrep passes itself are dropped.
    result = run([PROG, '--quiet', '--', *offline, '--exclude', 'services'], cwd=misuse_project)
    assert result.returncode == 0, result.stderr
    assert 'cannot be repeated' not in result.stderr
    assert 'lib/redis.ts:4: ERROR' in result.stdout        # the scan ran
    assert 'services/jobs.py' not in result.stdout         # the rest of the arguments still reach semgrep


def test_clean_code_passes_with_error_flag(misuse_project):
    result = run([PROG, '--error', '--quiet', 'app/api/views/route.ts', 'jest.config.js'],
                 cwd=misuse_project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == 'No Upstash findings.'


def test_missing_path_is_an_error_not_a_clean_scan(misuse_project):
    result = run([PROG, '--error', 'no-such-dir'], cwd=misuse_project)
    assert result.returncode == 2
    assert 'no-such-dir' in result.stderr
    assert 'Traceback' not in result.stderr
    assert 'incomplete' in result.stdout



# Lines 3-4 do not parse; lines 1-2 do, and read the signature without verifying it.
PARTLY_PARSED_HANDLER = (
    'export async function POST(req: Request) {\n'
    '  const sig = req.headers.get("upstash-signature");\n'
    '  return new Response(sig)) ;; }}} (((\n'
    '}\n'
)
# No line of it parses.
UNPARSABLE_HANDLER = '}}}} ((( ;; req.headers.get("upstash-signature") )))\n))) {{{\n'


@pytest.mark.parametrize('output', [[], ['--json'], ['--sarif']])
def test_error_flag_fails_a_scan_with_a_target_of_which_nothing_parsed(tmp_path, output):
    # A handler semgrep cannot parse is not a handler without findings: with --error the
    # scan fails (exit 2) in every output format and says why; without --error the report
    # still says the scan is incomplete and the exit status stays semgrep's.
    project = tmp_path / 'broken'
    project.mkdir()
    (project / 'route.ts').write_text(UNPARSABLE_HANDLER)
    (project / 'views.ts').write_text(ROUTE_HANDLER)
    result = run([PROG, '--error', *output, '.'], cwd=project)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'the scan is incomplete' in result.stderr and '--error' in result.stderr
    assert 'Traceback' not in result.stderr
    if not output:
        assert 'route.ts' in result.stderr
    else:
        json.loads(result.stdout)           # the report itself is still complete JSON/SARIF
    lenient = run([PROG, *output, '.'], cwd=project)
    assert lenient.returncode == 0, lenient.stderr
    if not output:
        assert 'incomplete' in lenient.stdout


@pytest.mark.parametrize('output', [[], ['--json'], ['--sarif']])
def test_a_partly_parsed_target_is_scanned_with_a_warning_naming_the_lines_left(tmp_path, output):
    # semgrep recovers from the syntax error and matches the lines it parsed: the finding
    # there is reported, the lines it could not read are named, and --error fails the scan
    # for the finding (exit 1), not as incomplete (exit 2).
    project = tmp_path / 'partly'
    project.mkdir()
    (project / 'route.ts').write_text(PARTLY_PARSED_HANDLER)
    result = run([PROG, '--error', '--quiet', *output, '.'], cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'warning: route.ts: semgrep could not parse lines 3-4' in result.stderr
    assert 'incomplete' not in result.stderr + result.stdout
    assert 'upstash-qstash-signature-not-verified' in result.stdout
    if output == ['--json']:
        errors = json.loads(result.stdout)['errors']
        assert [e['path'] for e in errors] == ['route.ts']     # the report keeps semgrep's word
    if not output:
        assert '1 file(s) only partly parsed' in result.stdout


def test_rules_come_from_the_installed_package():
    result = run([PROG, '--rules-dir'])
    assert result.returncode == 0, result.stderr
    installed = Path(result.stdout.strip())
    source = REPO_ROOT / 'semgrep-rules'
    assert sorted(p.relative_to(installed) for p in installed.rglob('*.yaml')) == \
        sorted(p.relative_to(source) for p in source.rglob('*.yaml'))
    if installed.resolve() != source.resolve():
        assert not (installed.parent / 'setup.cfg').exists(), (
            f'{PROG} reads the rules of another checkout ({installed.parent}), not {REPO_ROOT}: '
            "run pip install -e '.[test]' here (tests/test_suite_environment.py)")
        # A real (non-editable) install carries the rules and nothing else: no test files.
        assert installed.parts[-2:] == ('detect_secrets_upstash', 'semgrep_rules')
        assert {p.suffix for p in installed.rglob('*') if p.is_file()} == {'.yaml'}


def test_without_semgrep_says_how_to_install_it(tmp_path):
    bare = tmp_path / 'bare-venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(bare)], check=True, timeout=120)
    python = bare / ('Scripts' if os.name == 'nt' else 'bin') / 'python'
    path = os.pathsep.join(d for d in os.environ.get('PATH', '').split(os.pathsep)
                           if d and not (Path(d) / 'semgrep').exists())
    # Our package and its dependencies stay importable; only the semgrep program is missing.
    importable = os.pathsep.join([str(REPO_ROOT), sysconfig.get_paths()['purelib']])
    result = run([str(python), '-m', 'detect_secrets_upstash.semgrep', '--error', '.'], cwd=tmp_path,
                 env={'PATH': path, 'PYTHONPATH': importable})
    assert result.returncode == 2
    assert 'semgrep is not installed' in result.stderr
    assert "pip install 'detect-secrets-upstash[semgrep]'" in result.stderr
    assert 'Traceback' not in result.stderr


# --- the pre-commit hook ---

def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return run(['git', *args], cwd=repo)


def test_pre_commit_hook_blocks_misuse_and_passes_the_fix(tmp_path, hook_repo, pre_commit_env, credentials):
    # The hook is installed from a snapshot of this checkout (tests/fixtures_precommit.py).
    repo = git_repo(tmp_path / 'app')
    (repo / '.pre-commit-config.yaml').write_text(
        f'repos:\n- repo: {hook_repo.path}\n  rev: {hook_repo.rev}\n  hooks:\n  - id: upstash-semgrep\n')
    (repo / 'lib').mkdir()
    (repo / 'lib' / 'redis.ts').write_text(
        'import { Redis } from "@upstash/redis";\n'
        f'export const redis = new Redis({{ url: "https://brave-otter-10123.upstash.io", token: "{credentials["redis"]}" }});\n')
    (repo / '.env.production').write_text(f'VITE_UPSTASH_REDIS_REST_TOKEN={credentials["public_redis"]}\n')
    (repo / 'README.md').write_text('NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN is not a file the hook reads\n')
    (repo / 'wrangler.toml').write_text(f'[vars]\nQSTASH_CURRENT_SIGNING_KEY = "{tokens.generate_signing_key()}"\n')
    # pip does not compile the hook environment's ~70 packages to bytecode while pre-commit
    # builds it (PIP_COMPILE=false is `pip install --no-compile`): ~4 of its ~12 CPU-s. The
    # modules a hook run imports are compiled when first imported, as usual.
    env = {**pre_commit_env, 'SKIP': '', 'PIP_COMPILE': 'false'}

    installed = run(['pre-commit', 'install'], cwd=repo, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert git(repo, 'add', '.').returncode == 0
    # First use builds the hook's environment: our package plus the hook's additional_dependencies
    # (semgrep), by pip, from the session's wheelhouse of the suite's own packages
    # (tests/fixtures_precommit.py says why not from the index).
    blocked = run(['git', 'commit', '-m', 'add redis client'], cwd=repo, env=env, timeout=1800)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert 'upstash-hardcoded-write-token-in-sdk-client' in output
    assert 'upstash-write-token-in-public-dotenv' in output
    assert 'upstash-qstash-hardcoded-signing-key-in-config' in output
    assert_no_credential(output, credentials)
    assert git(repo, 'rev-parse', '--verify', 'HEAD').returncode != 0, 'the commit went through'

    (repo / 'lib' / 'redis.ts').write_text(ROUTE_HANDLER)
    (repo / '.env.production').write_text('UPSTASH_REDIS_REST_URL=https://brave-otter-10123.upstash.io\n')
    (repo / 'wrangler.toml').write_text('[vars]\nQSTASH_URL = "https://qstash.upstash.io"\n')
    assert git(repo, 'add', '.').returncode == 0
    passed = run(['git', 'commit', '-m', 'read credentials from the environment'], cwd=repo, env=env,
                 timeout=600)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert 'Upstash semgrep rules' in passed.stdout + passed.stderr     # the hook did run
    assert git(repo, 'rev-parse', '--verify', 'HEAD').returncode == 0


@pytest.mark.parametrize('output', [[], ['--json'], ['--sarif']])
def test_tokens_in_config_files_bearer_headers_and_redis_urls_are_reported_but_never_printed(tmp_path, output):
    # The rules whose finding is the token itself, outside an SDK client: the report must
    # still point at each and quote none in full.
    credentials = {'redis': tokens.generate_redis_token(),
                   'vector': tokens.generate_vector_token(tokens.generate_endpoint()),
                   'qstash': tokens.generate_qstash_token(),
                   'bearer': tokens.generate_redis_token(),
                   'url_password': tokens.generate_redis_token(),
                   'tcp_password': tokens.generate_redis_token(),
                   'legacy_password': tokens.generate_legacy_redis_password()}
    (tmp_path / 'config').mkdir()
    (tmp_path / 'config' / 'default.json').write_text(json.dumps(
        {'upstash': {'redisRestToken': credentials['redis'], 'vectorToken': credentials['vector']}},
        indent=2))
    (tmp_path / 'wrangler.toml').write_text(f'[vars]\nQSTASH_TOKEN = "{credentials["qstash"]}"\n')
    (tmp_path / 'components').mkdir()
    (tmp_path / 'components' / 'Tags.jsx').write_text(
        '"use client";\nexport const load = () => fetch("https://example-10004.upstash.io/get/k", '
        f'{{ headers: {{ Authorization: "Bearer {credentials["bearer"]}" }} }});\n')
    # Redis over TCP: the password in a connection URL (a token, or a legacy 32-hex password)
    # and as ioredis' `password`.
    host = f'{tokens.generate_host_name()}.upstash.io'
    (tmp_path / 'cache.ts').write_text(
        'import Redis from "ioredis";\n'
        f'export const cache = new Redis("rediss://default:{credentials["url_password"]}@{host}:6379");\n'
        f'export const tcp = new Redis({{ host: "{host}", password: "{credentials["tcp_password"]}", tls: {{}} }});\n')
    (tmp_path / 'worker.py').write_text(
        'import redis\n\n'
        f'broker = redis.from_url("redis://default:{credentials["legacy_password"]}@us1-{host}:30458")\n')
    result = run([PROG, '--quiet', *output, '.'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    for path, rule_id in [('cache.ts', 'upstash-hardcoded-redis-url'),
                          ('cache.ts', 'upstash-hardcoded-write-token-in-sdk-client'),
                          ('worker.py', 'upstash-hardcoded-redis-url'),
                          ('config/default.json', 'upstash-hardcoded-token-in-config'),
                          ('wrangler.toml', 'upstash-hardcoded-token-in-config'),
                          ('components/Tags.jsx', 'upstash-hardcoded-token-in-bearer-header')]:
        assert path in text and rule_id in text, (path, rule_id)
    if output == ['--json']:
        reported = sorted((r['path'], r['check_id']) for r in json.loads(text)['results'])
        assert reported == [('cache.ts', 'upstash-hardcoded-redis-url'),
                            ('cache.ts', 'upstash-hardcoded-write-token-in-sdk-client'),
                            ('components/Tags.jsx', 'upstash-hardcoded-token-in-bearer-header'),
                            ('config/default.json', 'upstash-hardcoded-token-in-config'),
                            ('config/default.json', 'upstash-hardcoded-token-in-config'),
                            ('worker.py', 'upstash-hardcoded-redis-url'),
                            ('wrangler.toml', 'upstash-hardcoded-token-in-config')]
    assert_no_credential(result.stdout + result.stderr, credentials)
