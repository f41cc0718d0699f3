"""`detect-secrets-upstash report`: one readable block per Upstash credential, a summary
line, exit 1 found / 0 none / 2 error, JSON for scripts and SARIF that GitHub takes.

Every run checks that no full token is printed. The README command and the verifying runs
are the installed console script; the others call its entry point in-process
(tests.in_process), the same code and output.
"""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from detect_secrets_upstash import tokens
from detect_secrets_upstash.scanner import find_credentials
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli
from tests.sarif_validation import assert_github_ready

CLI = 'detect-secrets-upstash'
SAMPLE = REPO_ROOT / 'examples' / 'sample'
ANSI = re.compile(r'\x1b\[[0-9;]*m')


def tokens_in(directory: Path):
    found = []
    for path in directory.rglob('*'):
        if path.is_file() and '.git' not in path.parts:
            for line in path.read_text(encoding='utf-8', errors='replace').splitlines():
                found += [f.value for f in find_credentials(line)]
    return found


def assert_clean(proc, secrets):
    for secret in secrets:
        assert secret not in proc.stdout and secret not in proc.stderr, 'full token printed'
    assert 'Traceback' not in proc.stderr


def blocks(text: str):
    return [b for b in re.split(r'\n(?=\d+\. Upstash )', text.split('\n\n' + text.splitlines()[-3])[0])
            if b.strip()]


@pytest.fixture(scope='module')
def sample_scan():
    """The plain scan of the sample, for comparing: the report must list exactly its findings."""
    result = cli([CLI, 'scan', '--all-files', 'examples/sample'], cwd=REPO_ROOT)   # also outside git (an sdist)
    assert result.returncode == 0, result.stderr
    return [(name, entry['line_number'], entry['type'])
            for name, entries in json.loads(result.stdout)['results'].items() for entry in entries]


def test_the_readme_command_reads_as_one_block_per_credential(sample_scan):
    result = run([CLI, 'report', 'examples/sample'], cwd=REPO_ROOT)
    assert_clean(result, tokens_in(SAMPLE))
    assert result.returncode == 1
    out = result.stdout
    assert not ANSI.search(out), 'no colour when stdout is not a terminal'
    titles = re.findall(r'^\d+\. (Upstash [A-Za-z -]+?) \((read-write|read-only)\)$', out, re.MULTILINE)
    assert sorted(t for t, _ in titles) == sorted(t for _, _, t in sample_scan)
    locations = re.findall(r'^  where: +(\S+)$', out, re.MULTILINE)
    assert sorted(locations) == sorted(f'{name}:{line}' for name, line, _ in sample_scan)
    for block in re.split(r'\n\n(?=\d+\. )', out.split('\n\n9 Upstash')[0]):
        assert re.search(r'^  value: +\S+…\S+ \(redacted\)$', block, re.MULTILINE), block
        assert re.search(r'^  identified: ', block, re.MULTILINE), block
        assert re.search(r'^  (rotate|what to do): ', block, re.MULTILINE), block
    assert re.search(r'^  database: +24817 on fond-heron-24817\.upstash\.io$', out, re.MULTILINE)
    assert re.search(rf'^{len(sample_scan)} Upstash credential\(s\) in \d+ file\(s\): '
                     r'\d+ read-write, \d+ read-only\.$', out, re.MULTILINE)
    assert 'detect-secrets-upstash history' in out


def test_colour_only_when_asked_or_on_a_terminal():
    forced = cli([CLI, 'report', '--color', 'always', 'examples/sample'], cwd=REPO_ROOT)
    assert ANSI.search(forced.stdout)
    assert ANSI.sub('', forced.stdout) == cli([CLI, 'report', 'examples/sample'], cwd=REPO_ROOT).stdout


@pytest.fixture
def project(tmp_path):
    repo = git_repo(tmp_path / 'repo')
    token = tokens.generate_redis_token(24817)
    signing_key = tokens.generate_signing_key()
    (repo / 'app').mkdir()
    (repo / 'app' / '.env').write_text('UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\n'
                                       f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    (repo / 'app' / 'handler.py').write_text(f'SIGNING_KEY = "{signing_key}"\n')
    (repo / 'README.md').write_text('nothing secret\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    (repo / 'app' / 'untracked.env').write_text(f'QSTASH_TOKEN={tokens.generate_qstash_token()}\n')
    return repo, [token, signing_key]


def _locations(out: str):
    return sorted(re.findall(r'^  where: +(\S+)$', out, re.MULTILINE))


def test_git_tracked_files_by_default_and_every_file_with_all_files(project):
    repo, secrets = project
    tracked = cli([CLI, 'report'], cwd=repo)
    assert_clean(tracked, secrets)
    assert tracked.returncode == 1
    assert _locations(tracked.stdout) == ['app/.env:2', 'app/handler.py:1']
    everything = cli([CLI, 'report', '--all-files'], cwd=repo)
    assert _locations(everything.stdout) == ['app/.env:2', 'app/handler.py:1', 'app/untracked.env:1']


def test_run_in_a_subdirectory_of_the_repository(project):
    # upstream's scan finds nothing there (it compares cwd-relative paths with the root's files)
    repo, secrets = project
    result = cli([CLI, 'report', '.'], cwd=repo / 'app')
    assert_clean(result, secrets)
    assert _locations(result.stdout) == ['.env:2', 'handler.py:1']


def test_a_directory_outside_git_is_scanned_whole_with_a_note(tmp_path):
    (tmp_path / 'loose').mkdir()
    token = tokens.generate_redis_token()
    (tmp_path / 'loose' / 'config.env').write_text(f'TOKEN={token}\n')
    result = cli([CLI, 'report', 'loose'], cwd=tmp_path)
    assert_clean(result, [token])
    assert result.returncode == 1
    assert _locations(result.stdout) == ['loose/config.env:1']
    assert 'not in a git work tree' in result.stderr


def test_exit_0_and_one_line_when_nothing_is_found(tmp_path):
    repo = git_repo(tmp_path / 'clean')
    (repo / 'a.txt').write_text('UPSTASH_REDIS_REST_TOKEN=<your-token>\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    result = cli([CLI, 'report'], cwd=repo)
    assert (result.returncode, result.stdout.strip()) == (0, 'No Upstash credentials found.')
    as_json = cli([CLI, 'report', '--format', 'json'], cwd=repo)
    assert as_json.returncode == 0 and json.loads(as_json.stdout)['findings'] == []


@pytest.mark.parametrize('args, message', [
    (['report', 'no/such/dir'], 'no/such/dir: no such file or directory'),
    (['report', '--baseline', 'missing.json'], 'cannot read baseline missing.json'),
    (['report', '--baseline', 'not-json.txt'], 'is not a JSON baseline'),
    (['report', '--baseline', 'not-json.txt', 'app'], 'not both'),
    (['report', '--format', 'xml'], "invalid choice: 'xml'"),
    (['report', '-o', 'no/such/dir/out.txt', 'app'], 'cannot write no/such/dir/out.txt'),
])
def test_errors_exit_2_with_one_line(project, args, message):
    repo, secrets = project
    (repo / 'not-json.txt').write_text('hello\n')
    result = cli([CLI, *args], cwd=repo)
    assert_clean(result, secrets)
    assert result.returncode == 2
    assert message in result.stderr
    assert len([line for line in result.stderr.splitlines() if 'error' in line]) == 1


def test_reads_a_baseline_and_says_what_it_does_not_report(project):
    repo, secrets = project
    (repo / 'other.py').write_text('aws_secret = "' + tokens._random_hex(40) + '"\n')
    subprocess.run(['git', 'add', 'other.py'], cwd=repo, check=True)
    scan = cli([CLI, 'scan'], cwd=repo)
    (repo / '.secrets.baseline').write_text(scan.stdout)
    from_baseline = cli([CLI, 'report', '--baseline', '.secrets.baseline'], cwd=repo)
    assert_clean(from_baseline, secrets)
    assert from_baseline.returncode == 1
    assert _locations(from_baseline.stdout) == ['app/.env:2', 'app/handler.py:1']
    assert 'other finding(s) in the baseline not reported' in from_baseline.stdout
    # a baseline read from another directory resolves its files next to the baseline
    elsewhere = cli([CLI, 'report', '--baseline', str(repo / '.secrets.baseline')], cwd=repo.parent)
    assert _locations(elsewhere.stdout) == ['app/.env:2', 'app/handler.py:1']
    assert '(redacted)' in elsewhere.stdout


def test_json_for_scripts(project):
    repo, secrets = project
    result = cli([CLI, 'report', '--format', 'json'], cwd=repo)
    assert_clean(result, secrets)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document['version'] == 1
    by_kind = {f['kind']: f for f in document['findings']}
    redis = by_kind['redis_rest_token']
    assert (redis['filename'], redis['line_number'], redis['scope']) == ('app/.env', 2, 'read-write')
    assert redis['database'] == '24817' and redis['host'] == 'fond-heron-24817.upstash.io'
    assert '…' in redis['value'] and 'Reset Password' in redis['remediation']['rotate']
    assert by_kind['qstash_signing_key']['remediation']['rotate'].count('Roll keys') == 1
    assert document['summary'].startswith('2 Upstash credential(s) in 2 file(s)')


def test_sarif_to_a_file_validates_and_fingerprints_are_the_baseline_hashes(project, tmp_path):
    repo, secrets = project
    out = tmp_path / 'report.sarif'
    result = cli([CLI, 'report', '--format', 'sarif', '-o', str(out)], cwd=repo)
    assert_clean(result, secrets)
    assert result.returncode == 1 and result.stdout == ''
    document = json.loads(out.read_text(encoding='utf-8'))
    assert_github_ready(document, tmp_path)
    hashes = {entry['hashed_secret'] for entries in json.loads(cli([CLI, 'scan'], cwd=repo).stdout)
              ['results'].values() for entry in entries}
    fingerprints = {r['partialFingerprints']['upstashSecretHash/v1'].split(':', 1)[1]
                    for r in document['runs'][0]['results']}
    assert fingerprints == hashes
    for secret in secrets:
        assert secret not in out.read_text(encoding='utf-8')


def test_verify_adds_live_or_revoked_to_each_block(standin, tmp_path):
    repo = git_repo(tmp_path / 'repo')
    live, revoked = standin.new_database(), standin.new_database()
    standin.revoke(revoked.token)
    (repo / '.env').write_text(f'UPSTASH_REDIS_REST_URL={standin.url}\nUPSTASH_REDIS_REST_TOKEN={live.token}\n')
    (repo / 'old.env').write_text(f'UPSTASH_REDIS_REST_URL={standin.url}\nUPSTASH_REDIS_REST_TOKEN={revoked.token}\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    result = run([CLI, 'report', '--verify', '--allow-host', '127.0.0.1', '-q'], cwd=repo)
    assert_clean(result, [live.token, revoked.token])
    assert result.returncode == 1
    # live first, revoked last
    assert re.search(r'^1\. Upstash Redis REST Token \(read-write\)  LIVE\n  where: +\.env:2$',
                     result.stdout, re.MULTILINE), result.stdout
    assert re.search(r'^2\. Upstash Redis REST Token \(read-write\)  REVOKED\n  where: +old\.env:2$',
                     result.stdout, re.MULTILINE)
    assert '1 live, 0 unknown, 1 revoked, 0 skipped' in result.stdout
    assert result.stderr == ''      # -q: no progress


def test_verify_progress_is_a_line_every_few_seconds_off_a_terminal(redis_server, tmp_path):
    from tests.standin import UpstashStandIn
    slow = UpstashStandIn(redis_server, latency=0.6).start()     # three progress intervals
    try:
        database = slow.new_database()
        repo = git_repo(tmp_path / 'repo')
        (repo / '.env').write_text(f'UPSTASH_REDIS_REST_URL={slow.url}\nUPSTASH_REDIS_REST_TOKEN={database.token}\n')
        subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
        result = run([CLI, 'report', '--verify', '--allow-host', '127.0.0.1', '--progress-interval', '0.2'],
                     cwd=repo)
    finally:
        slow.stop()
    assert_clean(result, [database.token])
    progress = [line for line in result.stderr.splitlines() if line.startswith('verifying:')]
    assert len(progress) >= 2, result.stderr           # the slow answer did not mean silence
    assert progress[-1].startswith('verifying: 1/1 answered')
    assert '\r' not in result.stderr and '\x1b' not in result.stderr


@pytest.mark.parametrize('command', [['report'], ['history']])
@pytest.mark.parametrize('option, message', [
    (['--email', 'not-an-address'], '--email: not an email address'),
    (['--qstash-url', 'ftp://qstash.upstash.io'], "--qstash-url: scheme 'ftp' refused"),
    (['--allow-host', 'x/y'], '--allow-host: '),
])
def test_report_and_history_check_the_verify_options_as_upstash_verify_does(tmp_path, command, option, message):
    # One declaration of the verify options (verify_arguments.py): a bad value is a usage
    # error naming the option, before anything is scanned or sent.
    repo = git_repo(tmp_path / 'app')
    result = cli([CLI, *command, '--verify', *option], cwd=repo)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr and 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(f'{CLI} {command[0]}: error: ')
