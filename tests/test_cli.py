"""`detect-secrets-upstash`: the real detect-secrets CLI with our plugins.

Every credential is generated here (`tokens.generate_*`). Commands that check findings and
output call the entry point in this process (`cli`, tests.in_process); those where the
process matters (the Quick start command as typed, worker processes, the token kept out of
the audit's output) run the installed console script (`run`). Upstream detect-secrets crashes on a custom plugin in several of these
commands (issue #611: audit, audit --report, audit --stats, --disable-plugin); the
Yelp-side comparison lives in test_yelp_hook.py.
"""
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli

CLI = 'detect-secrets-upstash'
PLUGIN = 'UpstashDetector'


def upstash_results(baseline: dict) -> dict:
    """{filename: sorted secret types} of our findings in a baseline."""
    found = {}
    for filename, secrets in baseline['results'].items():
        types = sorted(s['type'] for s in secrets if s['type'] in catalogue.BY_SECRET_TYPE)
        if types:
            found[filename] = types
    return found


def scan(cwd, *args, **kwargs) -> dict:
    result = cli([CLI, *args], cwd=cwd, **kwargs)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def git_add(repo: Path, *names: str) -> None:
    subprocess.run(['git', 'add', *names], cwd=repo, check=True)


class Leaks:
    """One set of generated credentials, written into repositories by `fill`."""

    def __init__(self):
        self.redis_id = 10123
        self.redis_host = f'brave-otter-{self.redis_id}.upstash.io'
        self.redis = tokens.generate_redis_token(self.redis_id)
        self.vector_endpoint = 'calm-finch-70022-eu1'
        self.vector_ro = tokens.generate_vector_token(self.vector_endpoint, read_only=True)
        self.qstash = tokens.generate_qstash_token()

    def fill(self, repo: Path) -> Path:
        git_repo(repo)
        write(repo / '.env.local', f'UPSTASH_REDIS_REST_URL=https://{self.redis_host}\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={self.redis}\n')
        write(repo / 'config' / 'search.yml', f'vector:\n  token: "{self.vector_ro}"\n')
        git_add(repo, '.env.local', 'config/search.yml')
        # Not tracked by git: only `--all-files` scans it.
        write(repo / 'scratch.txt', f'QSTASH_TOKEN={self.qstash}\n')
        return repo


@pytest.fixture
def leaks():
    return Leaks()


@pytest.fixture
def repo(tmp_path, leaks):
    return leaks.fill(tmp_path / 'repo')


TRACKED = {
    '.env.local': ['Upstash Redis REST Token'],
    'config/search.yml': ['Upstash Vector Read-Only Token'],
}


def test_scan_reports_kinds_of_git_tracked_files_and_all_files(repo):
    assert upstash_results(scan(repo, 'scan')) == TRACKED
    assert upstash_results(scan(repo, 'scan', '--all-files')) == {
        **TRACKED, 'scratch.txt': ['Upstash QStash Token'],
    }


def test_baseline_has_no_machine_specific_paths(tmp_path, leaks):
    first = leaks.fill(tmp_path / 'checkout-one')
    second = leaks.fill(tmp_path / 'elsewhere' / 'checkout-two')
    baselines = []
    for checkout in (first, second):
        text = cli([CLI, 'scan'], cwd=checkout).stdout
        assert 'file://' not in text and str(tmp_path) not in text
        baseline = json.loads(text)
        assert {'name': PLUGIN} in baseline['plugins_used']
        assert all('path' not in plugin for plugin in baseline['plugins_used'])
        baseline.pop('generated_at')
        baselines.append(baseline)
    assert baselines[0] == baselines[1]
    assert upstash_results(baselines[0]) == TRACKED


def test_scan_with_baseline_updates_it_and_keeps_audit_labels(repo):
    baseline_file = repo / '.secrets.baseline'
    baseline_file.write_text(cli([CLI, 'scan'], cwd=repo).stdout)
    labelled = json.loads(baseline_file.read_text())
    for secret in labelled['results']['.env.local']:
        secret['is_secret'] = True
    baseline_file.write_text(json.dumps(labelled, indent=2))

    write(repo / 'worker.py', f'QSTASH = "{tokens.generate_qstash_token()}"\n')
    git_add(repo, 'worker.py')
    result = cli([CLI, 'scan', '--baseline', '.secrets.baseline'], cwd=repo)
    assert result.returncode == 0, result.stderr

    updated = json.loads(baseline_file.read_text())
    assert upstash_results(updated) == {**TRACKED, 'worker.py': ['Upstash QStash Token']}
    assert all(s['is_secret'] is True for s in updated['results']['.env.local'])


def audit_baseline(repo: Path, *extra: str) -> Path:
    baseline_file = repo / '.secrets.baseline'
    baseline_file.write_text(cli([CLI, 'scan', *extra], cwd=repo).stdout)
    return baseline_file


def test_audit_labels_findings_from_answers_on_stdin(repo):
    # Only our plugin, so the audit walks exactly our two findings (in file order).
    baseline_file = audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString',
                                   '--disable-plugin', 'KeywordDetector')
    # "Should this string be committed?"  n -> a real secret, y -> a false positive.
    result = cli([CLI, 'audit', '.secrets.baseline'], cwd=repo, input='n\ny\n')
    assert result.returncode == 0, result.stderr
    assert 'Saving progress' in result.stdout
    labels = {name: [s.get('is_secret') for s in secrets]
              for name, secrets in json.loads(baseline_file.read_text())['results'].items()}
    assert labels == {'.env.local': [True], 'config/search.yml': [False]}


def test_audit_keeps_the_plugins_the_baseline_disabled_off(repo):
    # Upstream's audit saves the baseline with every default plugin switched back on; the
    # hook would then report what the disabled plugins find.
    baseline_file = audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString',
                                   '--disable-plugin', 'KeywordDetector')
    before = json.loads(baseline_file.read_text())['plugins_used']
    result = cli([CLI, 'audit', '.secrets.baseline'], cwd=repo, input='n\ny\n')
    assert result.returncode == 0, result.stderr
    assert json.loads(baseline_file.read_text())['plugins_used'] == before
    hook = cli(['detect-secrets-upstash-hook', '--baseline', '.secrets.baseline', '.env.local'], cwd=repo)
    assert hook.returncode == 0, hook.stdout + hook.stderr


def test_audit_saves_the_labels_given_when_answers_run_out(repo):
    baseline_file = audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString',
                                   '--disable-plugin', 'KeywordDetector')
    result = cli([CLI, 'audit', '.secrets.baseline'], cwd=repo, input='n\n')   # 1 answer, 2 findings
    assert result.returncode == 0, result.stderr
    assert 'Traceback' not in result.stderr and 'Saving progress' in result.stdout
    labels = {name: [s.get('is_secret') for s in secrets]
              for name, secrets in json.loads(baseline_file.read_text())['results'].items()}
    assert labels == {'.env.local': [True], 'config/search.yml': [None]}


def test_audit_diff_describes_added_upstash_findings(repo, leaks):
    old = audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString',
                         '--disable-plugin', 'KeywordDetector')
    old.rename(repo / 'old.baseline')
    write(repo / 'worker.env', f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token(555, read_only=True)}\n')
    git_add(repo, 'worker.env')
    audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString', '--disable-plugin', 'KeywordDetector')
    result = cli([CLI, 'audit', '--diff', 'old.baseline', '.secrets.baseline'], cwd=repo, input='s\n' * 3)
    assert result.returncode == 0, result.stderr
    assert 'ADDED' in result.stdout
    assert 'Kind:        redis_read_only_token (Upstash Redis, read-only)' in result.stdout
    assert 'Database:    555' in result.stdout


def test_audit_says_kind_scope_database_and_host_without_printing_the_token(repo, leaks):
    audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString',
                   '--disable-plugin', 'KeywordDetector')
    result = run([CLI, 'audit', '.secrets.baseline'], cwd=repo, input='s\ns\n')
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert 'Secret Type: Upstash Redis REST Token' in out
    assert 'Kind:        redis_rest_token (Upstash Redis, read-write' in out
    assert f'Database:    {leaks.redis_id}' in out
    assert f'Host:        {leaks.redis_host} (from the nearby URL)' in out
    assert 'Kind:        vector_read_only_token (Upstash Vector/Search, read-only)' in out
    assert f'Endpoint:    {leaks.vector_endpoint}' in out
    # Our lines never hold the credential (upstream's own snippet shows the user's line).
    ours = [line for line in out.splitlines()
            if re.match(r'(Kind|Database|Endpoint|Host|Warning): ', line)]
    assert len(ours) == 5
    assert not any(leaks.redis in line or leaks.vector_ro in line for line in ours)


def test_audit_warns_when_the_token_belongs_to_another_database_than_the_url(tmp_path):
    repo = git_repo(tmp_path / 'repo')
    token = tokens.generate_redis_token(33150)
    write(repo / 'app.env', 'UPSTASH_REDIS_REST_URL=https://light-koala-12007.upstash.io\n'
                            f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    git_add(repo, 'app.env')
    audit_baseline(repo, '--disable-plugin', 'Base64HighEntropyString')
    out = cli([CLI, 'audit', '.secrets.baseline'], cwd=repo, input='s\n').stdout
    warning = next(line for line in out.splitlines() if line.startswith('Warning:'))
    assert '33150' in warning and '12007' in warning and token not in warning


def test_audit_report_names_kinds_and_adds_what_the_token_says(repo, leaks):
    audit_baseline(repo)
    result = cli([CLI, 'audit', '--report', '.secrets.baseline'], cwd=repo)
    assert result.returncode == 0, result.stderr
    entries = {(e['filename'], t): e for e in json.loads(result.stdout)['results'] for t in e['types']}
    redis = entries[('.env.local', 'Upstash Redis REST Token')]
    remediation = redis['upstash'].pop('remediation')
    # what to do, from the catalogue: the reset and what it revokes
    assert 'Reset Password' in remediation['rotate']
    assert 'read-only' in remediation['revokes'] and remediation['opens'] and remediation['instead']
    assert redis['upstash'] == {
        'kind': 'redis_rest_token', 'secret_type': 'Upstash Redis REST Token', 'product': 'redis',
        'scope': 'read-write', 'database_id': leaks.redis_id, 'endpoint': None,
        'host': leaks.redis_host, 'mismatch': None,
        'layer': 'token bytes', 'layout': 'current', 'evidence': 'token bytes (current layout)',
    }
    vector = entries[('config/search.yml', 'Upstash Vector Read-Only Token')]
    assert vector['upstash']['scope'] == 'read-only'
    assert vector['upstash']['endpoint'] == leaks.vector_endpoint

    only_false = cli([CLI, 'audit', '--report', '--only-false', '.secrets.baseline'], cwd=repo)
    assert only_false.returncode == 0, only_false.stderr
    assert json.loads(only_false.stdout) == {'results': []}


def test_audit_stats_count_each_kind_separately(repo):
    baseline_file = audit_baseline(repo, '--all-files')
    labelled = json.loads(baseline_file.read_text())
    for filename, is_secret in (('.env.local', True), ('config/search.yml', False)):
        for secret in labelled['results'][filename]:
            secret['is_secret'] = is_secret
    baseline_file.write_text(json.dumps(labelled))

    result = cli([CLI, 'audit', '--stats', '--json', '.secrets.baseline'], cwd=repo)
    assert result.returncode == 0, result.stderr
    raw = {name: entry['stats']['raw'] for name, entry in json.loads(result.stdout).items()}
    assert raw['Upstash Redis REST Token'] == {'true-positives': 1, 'false-positives': 0, 'unknown': 0}
    assert raw['Upstash Vector Read-Only Token'] == {
        'true-positives': 0, 'false-positives': 1, 'unknown': 0}
    assert raw['Upstash QStash Token'] == {'true-positives': 0, 'false-positives': 0, 'unknown': 1}

    text = cli([CLI, 'audit', '--stats', '.secrets.baseline'], cwd=repo)
    assert text.returncode == 0, text.stderr
    assert 'Plugin: Upstash QStash Token\nStatistics: True Positives: 0, False Positives: 0, ' \
           'Unknown: 1' in text.stdout


def test_disable_plugin_removes_upstash_findings(repo):
    baseline = scan(repo, 'scan', '--disable-plugin', PLUGIN)
    assert upstash_results(baseline) == {}
    assert PLUGIN not in {plugin['name'] for plugin in baseline['plugins_used']}
    # And it stays off when the baseline is re-scanned.
    (repo / '.secrets.baseline').write_text(json.dumps(baseline))
    assert cli([CLI, 'scan', '--baseline', '.secrets.baseline'], cwd=repo).returncode == 0
    assert upstash_results(json.loads((repo / '.secrets.baseline').read_text())) == {}


def test_parallel_scan_with_worker_processes_finds_the_same(repo):
    serial = scan(repo, '-c', '1', 'scan', '--all-files')
    parallel = run([CLI, '-c', '2', 'scan', '--all-files'], cwd=repo)     # worker processes: for real
    assert parallel.returncode == 0, parallel.stderr
    parallel = json.loads(parallel.stdout)
    assert upstash_results(parallel) == upstash_results(serial)
    assert len(upstash_results(parallel)) == 3


def test_global_options_before_our_subcommands_work_as_before_scan(repo, leaks, tmp_path):
    # `report` and `history` are ours, not upstream's subparsers: `-c 2 report` used to be
    # "invalid choice: 'report'" while `-c 2 scan` worked
    expected = ['.env.local:2', 'config/search.yml:2', 'scratch.txt:1']
    parallel = run([CLI, '-c', '2', 'report', '--all-files', '--format', 'json'], cwd=repo)
    assert parallel.returncode == 1, parallel.stderr          # worker processes: for real
    assert sorted(f"{f['filename']}:{f['line_number']}"
                  for f in json.loads(parallel.stdout)['findings']) == expected
    for options in (['--cores=2'], ['-c2', '-v'], ['-vv', '-c', '1'], ['-C', str(repo)]):
        report = cli([CLI, *options, 'report', '--all-files'], cwd=repo if '-C' not in options else tmp_path)
        assert report.returncode == 1, (options, report.stderr)
        assert sorted(re.findall(r'^  where: +(\S+)$', report.stdout, re.MULTILINE)) == expected
        assert 'invalid choice' not in report.stderr and leaks.redis not in report.stdout
    verbose = cli([CLI, '-v', 'report', '.env.local'], cwd=repo)
    assert 'Checking file: .env.local' in verbose.stderr     # detect-secrets' own -v log
    subprocess.run(['git', '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit',
                    '-qm', 'leak'], cwd=repo, check=True)
    for options in (['-c', '2'], ['-v'], ['-C', str(repo)]):
        history = cli([CLI, *options, 'history', '--format', 'json'],
                      cwd=repo if '-C' not in options else tmp_path)
        assert history.returncode == 1, (options, history.stderr)
        assert 'invalid choice' not in history.stderr
    bad = cli([CLI, '-c', '-1', 'report'], cwd=repo)
    assert bad.returncode == 2 and 'is not a number of processes' in bad.stderr
    nowhere = cli([CLI, '-C', str(tmp_path / 'nowhere'), 'history'], cwd=repo)
    assert nowhere.returncode == 2 and 'is not a directory' in nowhere.stderr
    assert 'Traceback' not in bad.stderr + nowhere.stderr


@pytest.mark.parametrize('start_method', ['spawn', 'forkserver'])
def test_parallel_scan_workers_started_fresh_register_the_plugin(repo, start_method):
    # macOS starts pool workers with spawn, Linux from Python 3.14 with forkserver: a fresh
    # interpreter that must load our plugin itself. Same entry point as the console script.
    program = (f'import multiprocessing, sys; multiprocessing.set_start_method({start_method!r})\n'
               'from detect_secrets_upstash.cli import main\n'
               'sys.exit(main(["-c", "2", "scan", "--all-files"]))\n')
    result = run([sys.executable, '-c', program], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert upstash_results(json.loads(result.stdout)) == upstash_results(scan(repo, 'scan', '--all-files'))


def test_scan_string_names_the_kind(leaks):
    result = cli([CLI, 'scan', '--string', f'token: {leaks.redis}'])
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith(PLUGIN))
    assert line.split(':', 1)[1].strip().startswith('True')
    assert f'(Upstash Redis REST Token, read-write, database {leaks.redis_id})' in line
    assert leaks.redis not in result.stdout + result.stderr

    from_stdin = cli([CLI, 'scan', '--string'], input=leaks.vector_ro + '\n')
    line = next(line for line in from_stdin.stdout.splitlines() if line.startswith(PLUGIN))
    assert f'Upstash Vector Read-Only Token, read-only, endpoint {leaks.vector_endpoint}' in line

    nothing = cli([CLI, 'scan', '--string', 'UPSTASH_REDIS_REST_TOKEN="<your-token>"'])
    line = next(line for line in nothing.stdout.splitlines() if line.startswith(PLUGIN))
    assert line.split(':', 1)[1].strip() == 'False'


def test_list_all_plugins_includes_ours(repo):
    result = cli([CLI, 'scan', '--list-all-plugins'], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert PLUGIN in result.stdout.split()


# --- the bundled sample and the Quick start command of docs/cli.md ---

SAMPLE = REPO_ROOT / 'examples' / 'sample'
# (file in the sample, secret type our scan must report there)
SAMPLE_FINDINGS = {
    ('.env.local', 'Upstash Redis REST Token'),
    ('.env.local', 'Upstash Redis Read-Only Token'),
    ('.env.local', 'Upstash QStash Token'),
    ('.env.local', 'Upstash QStash Signing Key'),
    ('.github/workflows/deploy.yml', 'Upstash Vector Token'),
    ('.github/workflows/deploy.yml', 'Upstash Redis REST Token'),     # in a rediss:// URL
    ('warmup.ipynb', 'Upstash Redis REST Token'),
    ('src/cache.ts', 'Upstash Redis REST Token'),                     # legacy layout
    ('search.py', 'Upstash Vector Read-Only Token'),
}
# Lines that hold placeholders or public values: nothing of ours may be reported there.
SAMPLE_NOT_SECRETS = ('<your-token>', 'AXXXxxx', '${QSTASH_TOKEN}', 'sig_5ZB6DVzB1wjE8S6rZ7eenA8Pdnhs')


def quick_start_command() -> str:
    text = (REPO_ROOT / 'docs' / 'cli.md').read_text()
    section = text.split('## Quick start', 1)[1]
    block = re.search(r'```(?:sh|bash|shell)?\n(.*?)```', section, re.S).group(1).strip()
    assert '\n' not in block, 'the Quick start command is one line'
    return block


def test_quick_start_command_scans_the_sample_and_finds_every_kind(tmp_path):
    command = quick_start_command()
    steps = [step.strip() for step in command.split('&&')]
    assert steps[0].startswith('python3 -m venv .venv')
    assert any(re.fullmatch(r'\.venv/bin/(python -m )?pip install( -q)? \.', s) for s in steps)
    # The venv and `pip install .` are what CI's scripts/test.sh does too; here the last step
    # runs against the suite's own install, from a copy of the repository's sample.
    scan_step = steps[-1]
    assert scan_step.startswith('.venv/bin/detect-secrets-upstash ')
    argv = shlex.split(scan_step)
    argv[0] = str(BIN / 'detect-secrets-upstash')
    shutil.copytree(SAMPLE, tmp_path / 'examples' / 'sample')
    # `report` (readable text; tests/test_report.py reads it): here its JSON form, from a
    # copy outside any git repository, where it scans every file and says so
    result = run([*argv, '--format', 'json'], cwd=tmp_path)
    assert result.returncode == 1, result.stderr         # 1: credentials found
    assert 'not in a git work tree' in result.stderr
    found = {(f['filename'][len('examples/sample/'):], f['secret_type'])
             for f in json.loads(result.stdout)['findings']}
    assert found == SAMPLE_FINDINGS


def test_sample_credentials_are_generated_and_decode_to_their_kinds():
    from detect_secrets_upstash.scanner import find_credentials
    kinds_seen = set()
    for path in SAMPLE.rglob('*'):
        if not path.is_file():
            continue
        for line in path.read_text().splitlines():
            for found in find_credentials(line):
                kind = catalogue.identify(found.value)
                assert kind is not None and kind[0] is found.kind
                kinds_seen.add(found.kind.id)
            if any(marker in line for marker in SAMPLE_NOT_SECRETS):
                assert find_credentials(line) == [], line
    assert len(kinds_seen) >= 6
    # None of the catalogue's own examples was reused: the sample's values are its own.
    sample_text = ''.join(p.read_text() for p in SAMPLE.rglob('*') if p.is_file())
    for kind in catalogue.KINDS:
        for example in kind.examples:
            assert example not in sample_text


PUBLIC_FILTER = 'detect_secrets_upstash.filters.is_public_upstash_credential'


def _qstash_dev_files(directory: Path) -> None:
    """What `npx @upstash/qstash-cli dev` users commit: its public token and signing keys."""
    qstash = catalogue.BY_ID['qstash_token'].public_values
    signing = sorted(catalogue.BY_ID['qstash_signing_key'].public_values)
    (token,) = qstash
    write(directory / '.env.development', 'QSTASH_URL=http://127.0.0.1:8080\n'
                                          f'QSTASH_TOKEN={token}\n'
                                          f'QSTASH_CURRENT_SIGNING_KEY={signing[0]}\n'
                                          f'QSTASH_NEXT_SIGNING_KEY={signing[1]}\n')
    write(directory / 'dev.ts', f'const c = new Client({{ baseUrl: "http://127.0.0.1:8080", token: "{token}" }});\n'
                                f'const r = new Receiver({{ currentSigningKey: "{signing[0]}", '
                                f'nextSigningKey: "{signing[1]}" }});\n')


def test_public_qstash_dev_credentials_are_reported_by_no_plugin(tmp_path):
    _qstash_dev_files(tmp_path)
    baseline = scan(tmp_path, 'scan', '--all-files')
    assert baseline['results'] == {}
    assert {'path': PUBLIC_FILTER} in baseline['filters_used']      # portable: an import path
    # the filter is what keeps upstream's entropy plugin quiet, and it can be turned off
    unfiltered = scan(tmp_path, 'scan', '--all-files', '--disable-filter', PUBLIC_FILTER)
    assert {s['type'] for found in unfiltered['results'].values() for s in found} == {'Base64 High Entropy String'}
    assert {'path': PUBLIC_FILTER} not in unfiltered['filters_used']

    # a real token next to them is still reported, by our plugin and upstream's
    token = tokens.generate_qstash_token()
    write(tmp_path / '.env.production', f'QSTASH_TOKEN={token}\n')
    baseline = scan(tmp_path, 'scan', '--all-files')
    assert set(baseline['results']) == {'.env.production'}
    assert upstash_results(baseline) == {'.env.production': ['Upstash QStash Token']}


def test_hook_passes_a_qstash_dev_server_env_file(tmp_path):
    repo = git_repo(tmp_path / 'repo')
    _qstash_dev_files(repo)
    git_add(repo, '.env.development', 'dev.ts')
    result = cli(['detect-secrets-upstash-hook', '.env.development', 'dev.ts'], cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_baseline_with_the_public_value_filter_works_in_plain_detect_secrets(tmp_path):
    # Yelp's own CLI, with this package installed and our plugin loaded from a file as
    # docs/yelp-hook.md describes: it imports the recorded filter by path and applies it.
    repo = git_repo(tmp_path / 'repo')
    _qstash_dev_files(repo)
    write(repo / 'upstash_plugin.py', 'from detect_secrets_upstash.plugins import UpstashDetector  # noqa: F401\n')
    baseline = scan(repo, 'scan', '--all-files')
    for plugin in baseline['plugins_used']:
        if plugin['name'] == PLUGIN:
            plugin['path'] = 'file://upstash_plugin.py'
    (repo / '.secrets.baseline').write_text(json.dumps(baseline, indent=2))
    result = run(['detect-secrets', '-v', 'scan', '--all-files', '--baseline', '.secrets.baseline'], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert 'Invalid filter' not in result.stderr
    updated = json.loads((repo / '.secrets.baseline').read_text())
    assert {'path': PUBLIC_FILTER} in updated['filters_used']
    assert updated['results'] == {}
    hook = run(['detect-secrets-hook', '--baseline', '.secrets.baseline', '.env.development', 'dev.ts'], cwd=repo)
    assert hook.returncode == 0, hook.stdout + hook.stderr


def test_percent_encoded_padding_is_one_finding_with_the_plain_token_and_audit_finds_it(tmp_path):
    token = tokens.generate_qstash_token()
    assert token.endswith('=')
    redis_token = tokens.generate_redis_token(layout='legacy')     # padded base64url
    assert redis_token.endswith('=')
    vector_token = tokens.generate_vector_token('calm-finch-7002-eu1')   # this endpoint length pads with '=='
    assert vector_token.endswith('==')
    bare_vector = vector_token.rstrip('=')
    write(tmp_path / 'job.ts', f'fetch("https://example.com/api/job?_token={token[:-1]}%3D&x=1");\n'
                               f'const url = "rediss://default:{redis_token[:-1]}%3D@brave-otter-10123.upstash.io:6379";\n'
                               f'fetch("https://calm-finch-7002-eu1-vector.upstash.io/info?_token={bare_vector}%3d%3D");\n')
    write(tmp_path / '.env', f'QSTASH_TOKEN={token}\nUPSTASH_REDIS_REST_TOKEN={redis_token}\n'
                             f'UPSTASH_VECTOR_REST_TOKEN={vector_token}\n')
    baseline = scan(tmp_path, 'scan', '--all-files')
    by_file = {name: {(s['type'], s['hashed_secret']) for s in found if s['type'].startswith('Upstash')}
               for name, found in baseline['results'].items()}
    assert by_file['job.ts'] == by_file['.env']
    assert {t for t, _ in by_file['job.ts']} == {'Upstash QStash Token', 'Upstash Redis REST Token',
                                                 'Upstash Vector Token'}

    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli([CLI, 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = [e for e in json.loads(result.stdout)['results']
               if e['filename'] == 'job.ts' and e['types'][0].startswith('Upstash')]
    assert {(e['types'][0], e['upstash']['kind']) for e in entries} == {
        ('Upstash QStash Token', 'qstash_token'), ('Upstash Redis REST Token', 'redis_rest_token'),
        ('Upstash Vector Token', 'vector_token')}
    assert {e['secrets'] for e in entries} == {token, redis_token, vector_token}    # as the server knows it

    # the public dev token, percent-encoded, is still not a leak
    (dev,) = catalogue.BY_ID['qstash_token'].public_values
    write(tmp_path / 'dev.ts', f'fetch("http://127.0.0.1:8080/?_token={dev[:-1]}%3D");\n')
    assert 'dev.ts' not in scan(tmp_path, 'scan', '--all-files')['results']


def test_in_process_runs_do_not_carry_settings_into_the_next(repo):
    # The in-process runs above share one interpreter: a run's plugin settings (here our
    # plugin switched off) and a hook's unreadable-file list must not reach the next run.
    assert upstash_results(scan(repo, 'scan', '--disable-plugin', PLUGIN)) == {}
    assert upstash_results(scan(repo, 'scan')) == TRACKED
    missing = cli(['detect-secrets-upstash-hook', 'no-such.env'], cwd=repo)
    assert missing.returncode == 2
    hook = cli(['detect-secrets-upstash-hook', '.env.local'], cwd=repo)
    assert hook.returncode == 1 and 'Upstash Redis REST Token' in hook.stdout, hook.stderr
    assert 'refusing' not in hook.stderr
