"""File names in every output: a token that is a file name is masked like any other copy of
it (history, upstash-verify, the hook, in text, JSON and SARIF), and a control character in
a name (a newline) is escaped in text output so one finding keeps its lines."""
import json
import string

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import tokens
from detect_secrets_upstash.redaction import shown_path
from tests.helpers import run
from tests.history_helpers import commit
from tests.history_helpers import new_repo

NEWLINE_NAME = 'new\nline.env'


def _repo_with_token_names(tmp_path):
    token = tokens.generate_redis_token()
    repo = new_repo(tmp_path / 'repo')
    commit(repo, {f'{token}.env': f'T={token}\n', NEWLINE_NAME: f'T={token}\n'})
    return repo, token


def test_history_masks_a_token_in_a_file_name_and_escapes_a_newline(tmp_path):
    repo, token = _repo_with_token_names(tmp_path)
    for fmt in ('text', 'json', 'sarif'):
        done = run(['detect-secrets-upstash', 'history', '--repo', str(repo), '--format', fmt])
        assert done.returncode == 1, done.stderr
        assert token not in done.stdout + done.stderr
        assert tokens.redact(token) + '.env' in done.stdout
    text = run(['detect-secrets-upstash', 'history', '--repo', str(repo)]).stdout
    assert 'new\\nline.env' in text and NEWLINE_NAME not in text
    document = json.loads(run(['detect-secrets-upstash', 'history', '--repo', str(repo),
                               '--format', 'json']).stdout)
    assert NEWLINE_NAME in document['credentials'][0]['paths']      # JSON escapes it itself


def test_verify_masks_a_token_in_the_location(tmp_path):
    repo, token = _repo_with_token_names(tmp_path)
    baseline = run(['detect-secrets-upstash', 'scan'], cwd=repo)
    assert baseline.returncode == 0, baseline.stderr
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    for fmt in ('text', 'json', 'sarif'):
        done = run(['upstash-verify', '.secrets.baseline', '--format', fmt], cwd=repo, timeout=120)
        assert done.returncode == 0, done.stderr
        assert token not in done.stdout + done.stderr
        assert tokens.redact(token) + '.env:1' in done.stdout
    shown = run(['upstash-verify', '.secrets.baseline', '--show-tokens'], cwd=repo, timeout=120)
    assert f'{token}.env:1' in shown.stdout            # asked for: shown


def test_hook_masks_a_token_in_the_location_notes(tmp_path):
    repo, token = _repo_with_token_names(tmp_path)
    done = run(['detect-secrets-upstash-hook', f'{token}.env', NEWLINE_NAME], cwd=repo)
    assert done.returncode == 1, done.stderr
    assert token not in done.stdout + done.stderr
    assert f'Location:    {tokens.redact(token)}.env:1' in done.stdout
    assert 'Location:    new\\nline.env:1' in done.stdout


_NAME_PIECES = st.text(string.ascii_letters + string.digits + './_-\n\t\x1b\u2028 ', max_size=20)


@settings(max_examples=200, deadline=None)
@given(before=_NAME_PIECES, after=_NAME_PIECES,
       token=st.sampled_from([tokens.generate_redis_token(), tokens.generate_qstash_token(),
                              tokens.generate_redis_token(read_only=True),
                              tokens.generate_signing_key()]))
def test_a_shown_path_never_holds_the_token_nor_a_line_break(before, after, token):
    shown = shown_path(f'{before}/{token}{after}', [token])
    assert token not in shown
    assert not any(c in shown for c in '\n\r\x1b\t\u2028')


def test_report_masks_a_token_in_a_file_name(tmp_path):
    repo, token = _repo_with_token_names(tmp_path)
    for fmt in ('text', 'json', 'sarif'):
        done = run(['detect-secrets-upstash', 'report', '--format', fmt], cwd=repo)
        assert done.returncode == 1, done.stderr
        assert token not in done.stdout + done.stderr
        # (SARIF percent-encodes the URI: the masked name is there, its ellipsis escaped)
        assert tokens.redact(token)[:4] in done.stdout and '.env' in done.stdout
    text = run(['detect-secrets-upstash', 'report'], cwd=repo).stdout
    assert 'new\\nline.env:1' in text
