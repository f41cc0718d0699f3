"""Hostile files where the Upstash CLI keeps its key: a `.upstash.json` of a quarter megabyte
in one line, or of binary bytes. The hook must answer within seconds (no rule of ours may
rescan a long line from every position), name the key, and never print it. The long line
goes to the hook's own process; the binary file and the `--email` checks run in-process (the
real `main(argv)`), one `--email` case through each console script; the plugin's variable is
read by a real scan process."""
import json
import os

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from .detection_helpers import generate
from .helpers import run
from .in_process import cli

KEY_TYPE = 'Upstash Management API Key'


def _cli_file(directory, padding: str, key: str):
    path = directory / '.upstash.json'
    path.write_text(json.dumps({'email': 'dev@example.dev', 'padding': padding, 'apiKey': key}))
    return path


def test_a_quarter_megabyte_line_in_the_cli_file_is_scanned_in_seconds(tmp_path):
    # The Upstash email-name rule once rescanned a run of name characters from each of its
    # positions: 40 KB of one run took 7 s, so 256 KiB would take minutes, past the timeout
    # below (a linear scan takes about a second; a megabyte, four, mostly in detect-secrets).
    key = generate('management_api_key')
    _cli_file(tmp_path, 'upstash_' * (1 << 15), key)           # 256 KiB, one run, 'upstash' throughout
    done = run(['detect-secrets-upstash-hook', '.upstash.json'], cwd=tmp_path, timeout=90)
    assert done.returncode == 1, done.stderr
    assert f'Secret Type: {KEY_TYPE}' in done.stdout
    assert key not in done.stdout + done.stderr and 'Traceback' not in done.stderr


def test_a_binary_cli_file_is_read_and_its_key_reported_with_a_warning(tmp_path):
    key = generate('management_api_key')
    (tmp_path / '.upstash.json').write_bytes(os.urandom(1 << 16) + b'\n{"email": "dev@example.dev", "apiKey": "'
                                             + key.encode() + b'"}\n' + os.urandom(1 << 12))
    done = cli(['detect-secrets-upstash-hook', '.upstash.json'], cwd=tmp_path, timeout=90)
    assert done.returncode == 1, done.stderr
    assert f'Secret Type: {KEY_TYPE}' in done.stdout
    assert 'not UTF-8 text' in done.stderr
    assert key not in done.stdout + done.stderr and 'Traceback' not in done.stderr


# (argv cannot hold a NUL byte: the OS refuses it before any program sees it)
_CONTROL = st.sampled_from(['\n', '\r', '\x1b[31m', '\t', '\u2028', '\x7f', '\r\nX-Injected: 1'])


def _assert_email_refused(runner, control, where):
    # --email goes into an Authorization header and into outputs: a newline or an escape
    # in it is refused up front, with one line, before anything is sent
    email = 'dev@example.dev'
    bad = email[:where] + control + email[where:]
    key = generate('management_api_key')
    for command in (['upstash-verify', '--token', key, '--email', bad],
                    ['detect-secrets-upstash', 'report', '--verify', '--email', bad, '.']):
        done = runner(command, timeout=60)
        assert done.returncode == 2, (command, done.stderr)
        assert '--email: not an email address' in done.stderr
        assert 'Traceback' not in done.stderr and key not in done.stdout + done.stderr


@settings(max_examples=8, deadline=None)
@given(control=_CONTROL, where=st.integers(0, 15))
def test_an_email_with_control_characters_is_a_usage_error(control, where):
    _assert_email_refused(cli, control, where)


def test_an_email_with_a_header_injected_is_refused_by_the_console_scripts():
    _assert_email_refused(run, '\r\nX-Injected: 1', 7)


def test_the_plugins_email_variable_with_a_newline_is_ignored_with_a_warning(tmp_path):
    key = generate('management_api_key')
    (tmp_path / 'k.env').write_text(f'UPSTASH_API_KEY={key}\n')
    done = run(['detect-secrets-upstash', 'scan', '--all-files', '.'], cwd=tmp_path, timeout=120,
               env={'UPSTASH_VERIFY': '1', 'UPSTASH_VERIFY_EMAIL': 'dev@example.dev\nX-Injected: 1'})
    assert done.returncode == 0, done.stderr
    assert done.stderr.count('UPSTASH_VERIFY_EMAIL is not an email address') == 1
    assert 'Traceback' not in done.stderr and key not in done.stdout + done.stderr
    assert 'X-Injected' not in done.stdout + done.stderr
