"""Every console script with stdout closed, stdout on a full disk, stdin or stderr closed:
one clear line on stderr and exit 2 where it cannot do its job, never a traceback."""
import os
import subprocess

import pytest

from detect_secrets_upstash import tokens
from tests.helpers import BIN
from tests.in_process import cli
from tests.history_helpers import commit
from tests.history_helpers import new_repo

ENV = {**os.environ, 'SEMGREP_ENABLE_VERSION_CHECK': '0', 'SEMGREP_SEND_METRICS': 'off'}


@pytest.fixture(scope='module')
def repo(tmp_path_factory):
    repo = new_repo(tmp_path_factory.mktemp('streams') / 'repo')
    token = tokens.generate_redis_token()
    commit(repo, {'app.env': f'UPSTASH_REDIS_REST_TOKEN={token}\n',
                  'app.ts': f'const redis = new Redis({{ token: "{token}" }});\n'})
    baseline = cli(['detect-secrets-upstash', 'scan'], cwd=repo)     # set-up: the scan in-process
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    return repo


COMMANDS = {
    'scan': ['detect-secrets-upstash', 'scan', 'app.env'],
    'audit': ['detect-secrets-upstash', 'audit', '.secrets.baseline'],
    'history': ['detect-secrets-upstash', 'history'],
    'hook': ['detect-secrets-upstash-hook', 'app.env'],
    'verify': ['upstash-verify', '.secrets.baseline'],
    'semgrep': ['upstash-semgrep', '--error', 'app.ts'],
}


def _run(repo, command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, close=()):
    def closing():
        for descriptor in close:
            os.close(descriptor)
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=repo, env=ENV, stdin=stdin,
                          stdout=stdout, stderr=subprocess.PIPE, preexec_fn=closing, timeout=300)


def _one_clear_line(done, *words):
    errors = done.stderr.decode()
    assert done.returncode == 2, errors
    assert 'Traceback' not in errors and 'NoneType' not in errors and 'Error:' not in errors, errors
    last = errors.strip().splitlines()[-1]
    assert all(word in last for word in words), last


@pytest.mark.parametrize('name', sorted(COMMANDS))
def test_stdout_closed(repo, name):
    _one_clear_line(_run(repo, COMMANDS[name], stdout=None, close=(1,)), 'error:', 'stdout is closed')


@pytest.mark.parametrize('name', sorted(COMMANDS))
def test_stdout_on_a_full_disk(repo, name):
    if name == 'audit':
        pytest.skip('audit writes its screens before asking: covered by the closed stdin case')
    with open('/dev/full', 'w') as full:
        _one_clear_line(_run(repo, COMMANDS[name], stdout=full), 'error:', 'No space left on device')


def test_audit_with_stdin_closed(repo):
    _one_clear_line(_run(repo, COMMANDS['audit'], stdin=None, close=(0,)), 'stdin is closed')


@pytest.mark.parametrize('name', ['history', 'hook', 'semgrep'])
def test_stderr_closed_keeps_the_exit_status(repo, name):
    done = _run(repo, COMMANDS[name], close=(2,))
    assert done.returncode == 1        # the findings, as with stderr open
    assert done.stdout


def test_history_output_file_on_a_full_disk_names_it(repo):
    done = _run(repo, ['detect-secrets-upstash', 'history', '-o', '/dev/full'])
    _one_clear_line(done, 'cannot write the report to /dev/full', 'No space left on device')


def test_history_repo_that_is_a_file(repo):
    done = _run(repo, ['detect-secrets-upstash', 'history', '--repo', 'app.env'])
    _one_clear_line(done, 'app.env: not a directory')


@pytest.mark.parametrize('stderr', ['2>err', '2>&1'])
def test_hook_piped_into_head_exits_when_the_pipe_closes(tmp_path, stderr):
    # `detect-secrets-upstash-hook FILE | head -1` was seen spinning after head exited: a
    # real pipe, closed after its first line, and a deadline; the hook must still fail closed
    values = [tokens.generate_redis_token() for _ in range(400)]     # far more than a pipe buffer
    (tmp_path / 'b.env').write_text(''.join(f'UPSTASH_REDIS_REST_TOKEN={v}\n' for v in values))
    script = f'"{BIN / "detect-secrets-upstash-hook"}" b.env {stderr} | head -1; echo "${{PIPESTATUS[0]}}" > rc'
    done = subprocess.run(['bash', '-c', script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout == 'ERROR: Potential secrets about to be committed to git repo!\n'
    assert int((tmp_path / 'rc').read_text()) in (1, 2)        # found, or could not show it: never 0
    err = (tmp_path / 'err').read_text() if stderr == '2>err' else done.stderr
    assert 'Traceback' not in err and not any(v in err for v in values)
