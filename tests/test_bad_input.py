"""Bad input to the console scripts: one clear line on stderr and exit 2, never a traceback.

Cases about streams (closed, /dev/full, a FIFO) run the installed console script in a
subprocess, its streams set by the shell; cases about what the input says call the CLI
in-process (`tests.in_process.cli`, the real `main(argv)`).
"""
import os
import subprocess

import pytest

from detect_secrets_upstash import tokens
from tests.helpers import BIN
from tests.in_process import cli

TOKEN = tokens.generate_redis_token()


def _sh(command, cwd):
    """Run a shell line (for stream redirections) with this venv's console scripts first on PATH."""
    env = {**os.environ, 'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}'}
    return subprocess.run(['bash', '-c', command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / 'nested.json').write_text('[' * 100_000)
    (tmp_path / 'list.json').write_text('[]\n')
    (tmp_path / 'empty.json').write_text('')
    (tmp_path / 'latin1.json').write_bytes(b'{"results": {}, "note": "caf\xe9"}\n')
    (tmp_path / 'a.env').write_text('A=1\n')
    return tmp_path


STREAM_CASES = {
    'verify: stdin closed': 'upstash-verify - 0<&-',
    'verify: stdout closed': f'upstash-verify --url https://x.upstash.io --token {TOKEN} >&-',
    'verify: stdout to /dev/full': 'upstash-verify - < a.env > /dev/full',
    'scan --string with stdin closed': 'detect-secrets-upstash scan --string 0<&-',
    'scan of a FIFO': 'mkfifo pipe && detect-secrets-upstash scan pipe',
    'scan with stdout closed': 'detect-secrets-upstash scan a.env >&-',
    'scan with stdout to /dev/full': 'detect-secrets-upstash scan a.env > /dev/full',
}

# (command, stdin)
INPUT_CASES = {
    'verify: 100,000 nested [': (['upstash-verify', 'nested.json'], None),
    'verify: --url https://[::1': (['upstash-verify', '--url', 'https://[::1', '--token', TOKEN], None),
    'audit of a JSON list': (['detect-secrets-upstash', 'audit', 'list.json'], None),
    'audit --report of a JSON list': (['detect-secrets-upstash', 'audit', '--report', 'list.json'], None),
    'audit of an empty file': (['detect-secrets-upstash', 'audit', 'empty.json'], None),
    'audit of a non-UTF-8 baseline': (['detect-secrets-upstash', 'audit', 'latin1.json'], None),
    'audit of a missing file': (['detect-secrets-upstash', 'audit', 'missing.json'], None),
    'scan --baseline of a JSON list': (['detect-secrets-upstash', 'scan', '--baseline', 'list.json'], None),
    'scan --string with empty stdin': (['detect-secrets-upstash', 'scan', '--string'], ''),
    'scan of a missing directory': (['detect-secrets-upstash', 'scan', '/nonexistent/dir'], None),
}


def _assert_one_line_and_exit_2(proc):
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert 'Traceback' not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if ': error: ' in line]
    assert len(errors) == 1 and len(errors[0]) < 300, proc.stderr
    assert TOKEN not in proc.stderr + proc.stdout


@pytest.mark.parametrize('case', sorted(STREAM_CASES))
def test_bad_streams_give_one_line_and_exit_2(case, inputs):
    _assert_one_line_and_exit_2(_sh(STREAM_CASES[case], inputs))


@pytest.mark.parametrize('case', sorted(INPUT_CASES))
def test_bad_input_gives_one_line_and_exit_2(case, inputs):
    command, stdin = INPUT_CASES[case]
    _assert_one_line_and_exit_2(cli(command, cwd=inputs, input=stdin))


def test_good_input_still_works(inputs):
    assert _sh('echo hello | detect-secrets-upstash scan --string', inputs).returncode == 0
    scan = cli(['detect-secrets-upstash', 'scan', 'a.env'], cwd=inputs)
    assert scan.returncode == 0, scan.stderr
    (inputs / 'base.json').write_text(scan.stdout)
    assert cli(['detect-secrets-upstash', 'audit', '--report', 'base.json'], cwd=inputs).returncode == 0
