"""Verification outcomes a CI can gate on: `upstash-verify --fail-on live|unknown|any`,
`scan --only-verified` keeping (and saying so) what could not be verified, and progress on
stderr while waiting on a slow host. Real stand-in, real redis-server. `upstash-verify` runs
in-process (the real `main(argv)`), one default run per case through the console script;
`scan --only-verified` runs as the console script (its plugin caches answers per process)."""
import io
import json
import subprocess

import pytest

from detect_secrets_upstash.verify.progress import Progress
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli
from tests.test_verify_cli import assert_no_tokens
from tests.test_verify_cli import standin_args

VERIFY = 'upstash-verify'


def _env_text(standin, *tokens_):
    return f'UPSTASH_REDIS_REST_URL={standin.url}\n' + ''.join(
        f'TOKEN_{n}={token}\n' for n, token in enumerate(tokens_))


@pytest.mark.parametrize('case, expected', [
    # (what the stand-in holds) -> exit status for --fail-on live / unknown / any
    ('live', {'live': 1, 'unknown': 1, 'any': 1}),
    ('revoked', {'live': 0, 'unknown': 0, 'any': 1}),
    ('unknown', {'live': 0, 'unknown': 1, 'any': 1}),
    ('none', {'live': 0, 'unknown': 0, 'any': 0}),
])
def test_fail_on_decides_the_exit_status(standin, case, expected):
    database = standin.new_database()
    if case == 'revoked':
        standin.revoke(database.token)
    if case == 'unknown':
        standin.set_fault('500')
    text = _env_text(standin, database.token) if case != 'none' else 'NOTHING=here\n'
    for fail_on, status in expected.items():
        args = [VERIFY, '-', *standin_args(standin), '--fail-on', fail_on]
        proc = cli(args, input=text)
        assert_no_tokens(proc, [database.token])
        assert proc.returncode == status, (fail_on, proc.stdout, proc.stderr)
    default = run([VERIFY, '-', *standin_args(standin)], input=text)
    assert default.returncode == expected['live']          # --fail-on live is the default
    if case == 'unknown':
        assert 'could not be verified' in default.stderr and '--fail-on unknown' in default.stderr
        quiet = cli([VERIFY, '-', *standin_args(standin), '-q'], input=text)
        assert quiet.stderr == ''


def test_fail_on_refuses_a_bad_value(standin):
    proc = cli([VERIFY, '-', '--fail-on', 'sometimes'], input='A=b\n')
    assert proc.returncode == 2 and "invalid choice: 'sometimes'" in proc.stderr


def _project(tmp_path, standin, *tokens_):
    repo = git_repo(tmp_path / 'repo')
    (repo / '.env').write_text(_env_text(standin, *tokens_))
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    return repo


def _types(stdout):
    return sorted(e['type'] for es in json.loads(stdout)['results'].values() for e in es)


def _verifying_env(standin):
    return {'UPSTASH_VERIFY_ALLOW_HOSTS': '127.0.0.1'}


def test_only_verified_keeps_unknown_findings_and_warns(standin, tmp_path):
    live, revoked = standin.new_database(), standin.new_database()
    standin.revoke(revoked.token)
    repo = _project(tmp_path, standin, live.token, revoked.token)
    # every answer proves something: live kept (verified), revoked dropped, no warning
    proc = run(['detect-secrets-upstash', 'scan', '--only-verified'], cwd=repo, env=_verifying_env(standin))
    assert_no_tokens(proc, [live.token, revoked.token])
    results = [e for es in json.loads(proc.stdout)['results'].values() for e in es]
    assert [(e['type'], e['is_verified']) for e in results] == [('Upstash Redis REST Token', True)]
    assert 'could not be verified' not in proc.stderr

    standin.set_fault('500')            # Upstash unreachable: nothing can be verified
    # (in-process from here: which findings are kept, and the warnings, are logic)
    kept = cli(['detect-secrets-upstash', 'scan', '--only-verified'], cwd=repo, env=_verifying_env(standin))
    assert_no_tokens(kept, [live.token, revoked.token])
    assert _types(kept.stdout) == ['Upstash Redis REST Token', 'Upstash Redis REST Token']
    warning = [line for line in kept.stderr.splitlines() if 'could not be verified' in line]
    assert len(warning) == 1 and '2 Upstash finding(s)' in warning[0] and '--drop-unknown' in warning[0]

    dropped = cli(['detect-secrets-upstash', 'scan', '--only-verified', '--drop-unknown'], cwd=repo,
                  env=_verifying_env(standin))
    assert _types(dropped.stdout) == []
    assert 'were dropped (--drop-unknown)' in dropped.stderr


def test_verify_progress_lines_off_a_terminal_and_silence_with_q(redis_server):
    from tests.standin import UpstashStandIn
    slow = UpstashStandIn(redis_server, latency=0.6).start()     # three progress intervals
    try:
        database = slow.new_database()
        text = _env_text(slow, database.token)
        proc = cli([VERIFY, '-', *standin_args(slow), '--progress-interval', '0.2'], input=text)
        quiet = cli([VERIFY, '-', *standin_args(slow), '--progress-interval', '0.2', '-q'], input=text)
    finally:
        slow.stop()
    assert_no_tokens(proc, [database.token])
    lines = [line for line in proc.stderr.splitlines() if line.startswith('verifying:')]
    assert len(lines) >= 2 and lines[-1].startswith('verifying: 1/1 answered'), proc.stderr
    assert proc.returncode == 1
    assert quiet.stderr == '' and quiet.returncode == 1


def test_progress_draws_a_bar_on_a_terminal():
    stream = io.StringIO()
    with Progress('verifying', stream=stream, tty=True, interval=60) as progress:
        progress.update(1, 4)
        progress.update(4, 4)
    out = stream.getvalue()
    assert '\r[######------------------] verifying: 1/4 answered' in out
    assert '\r[########################] verifying: 4/4 answered' in out
    assert out.endswith('\n')
    silent = io.StringIO()
    with Progress('verifying', stream=silent, tty=True, quiet=True) as progress:
        progress.update(1, 1)
    assert silent.getvalue() == ''
