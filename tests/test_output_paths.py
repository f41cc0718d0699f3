"""File names in every output: a token that is a file name is masked like any other copy of
it (history, upstash-verify, the hook, in text, JSON and SARIF), and a control character in
a name (a newline) is escaped in text output so one finding keeps its lines.

The text output of each command is the installed console script's (no token in the real
process's output); the other formats call the same entry point in-process (tests.in_process)."""
import json
import string
import urllib.parse

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import tokens
from detect_secrets_upstash.redaction import shown_path
from tests.helpers import run
from tests.in_process import cli
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
    shown = {}
    for fmt, runner in (('text', run), ('json', cli), ('sarif', cli)):
        done = shown[fmt] = runner(['detect-secrets-upstash', 'history', '--repo', str(repo), '--format', fmt])
        assert done.returncode == 1, done.stderr
        assert token not in done.stdout + done.stderr
        assert tokens.redact(token) + '.env' in done.stdout
    text = shown['text'].stdout
    assert 'new\\nline.env' in text and NEWLINE_NAME not in text
    document = json.loads(shown['json'].stdout)
    assert NEWLINE_NAME in document['credentials'][0]['paths']      # JSON escapes it itself


def test_verify_masks_a_token_in_the_location(tmp_path):
    repo, token = _repo_with_token_names(tmp_path)
    baseline = cli(['detect-secrets-upstash', 'scan'], cwd=repo)
    assert baseline.returncode == 0, baseline.stderr
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    for fmt, runner in (('text', run), ('json', cli), ('sarif', cli)):
        done = runner(['upstash-verify', '.secrets.baseline', '--format', fmt], cwd=repo, timeout=120)
        assert done.returncode == 0, done.stderr
        assert token not in done.stdout + done.stderr
        assert tokens.redact(token) + '.env:1' in done.stdout
    shown = cli(['upstash-verify', '.secrets.baseline', '--show-tokens'], cwd=repo, timeout=120)
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
    shown = {}
    for fmt, runner in (('text', run), ('json', cli), ('sarif', cli)):
        done = shown[fmt] = runner(['detect-secrets-upstash', 'report', '--format', fmt], cwd=repo)
        assert done.returncode == 1, done.stderr
        assert token not in done.stdout + done.stderr
        # (SARIF percent-encodes the URI: the masked name is there, its ellipsis escaped)
        assert tokens.redact(token)[:4] in done.stdout and '.env' in done.stdout
    text = shown['text'].stdout
    assert 'new\\nline.env:1' in text


# --- ordinary long names stay readable; only what is a credential is masked ---

def _artifact_names():
    """Names as build tools write them: content hashes, long mixed-case identifiers."""
    import os
    return [f'dist/assets/chunk-{os.urandom(16).hex()}.js', f'static/js/main.{os.urandom(20).hex()}.chunk.js',
            'src/components/MyVeryLongComponentName2Test.tsx',
            f'build/{os.urandom(4).hex()}/Vendor2SharedBundleChunk9Abc-{os.urandom(8).hex()}.mjs']


def test_reports_keep_long_ordinary_file_names_readable(tmp_path):
    # redact_path once masked anything token-shaped, so `chunk-<hash>.js` came out as
    # `chun…a.js`: a finding nobody could open. Only the credential in a name is masked.
    token = tokens.generate_redis_token()
    names = _artifact_names()
    glued = f'cache/x-{tokens.generate_redis_token()}.env'     # a token in a name, glued by '-'
    repo = new_repo(tmp_path / 'repo')
    commit(repo, {**{name: f'UPSTASH_REDIS_REST_TOKEN={token}\n' for name in names},
                  glued: f'T={token}\n'})
    hidden = glued.split('x-', 1)[1][:-len('.env')]
    for command in (['detect-secrets-upstash', 'report'], ['detect-secrets-upstash', 'report', '--format', 'json'],
                    ['detect-secrets-upstash', 'report', '--format', 'sarif'],
                    ['detect-secrets-upstash', 'history', '--repo', '.', '--format', 'json'],
                    ['detect-secrets-upstash-hook', *names, glued]):
        done = cli(command, cwd=repo)
        assert done.returncode == 1, (command, done.stderr)
        assert 'Traceback' not in done.stderr
        # (SARIF percent-encodes URIs: read them decoded)
        out = done.stdout + done.stderr + urllib.parse.unquote(done.stdout)
        assert token not in out and hidden not in out, command
        for name in names:
            assert name in out, (command, name)
        assert f'x-{tokens.redact(hidden)}.env' in out, command
    baseline = cli(['detect-secrets-upstash', 'scan'], cwd=repo)
    (repo / '.secrets.baseline').write_text(baseline.stdout)
    verified = cli(['upstash-verify', '--format', 'json', '.secrets.baseline'], cwd=repo, timeout=120)
    assert token not in verified.stdout + verified.stderr
    locations = {result['location'] for result in json.loads(verified.stdout)}
    assert {f'{name}:1' for name in names} <= locations


_WORD = st.sampled_from(['Vendor', 'Shared', 'Bundle', 'Chunk', 'Component', 'Test', 'Spec', 'Page', 'Layout'])


@settings(max_examples=200, deadline=None)
@given(words=st.lists(_WORD, min_size=3, max_size=6), digits=st.integers(0, 99),
       digest=st.binary(min_size=16, max_size=32), sep=st.sampled_from(['-', '.', '_', '/']))
def test_names_with_hashes_and_long_identifiers_are_shown_as_they_are(words, digits, digest, sep):
    name = f'out/{"".join(words)}{digits}{sep}{digest.hex()}.js:7'
    assert shown_path(name) == name


_GLUE = st.sampled_from(['-', '_', '/', '.', '=', '+'])


@settings(max_examples=200, deadline=None)
@given(before=st.text(string.ascii_letters + string.digits, max_size=12), after=_NAME_PIECES,
       glue=_GLUE, glue_after=_GLUE,
       token=st.sampled_from([tokens.generate_redis_token(), tokens.generate_qstash_token(),
                              tokens.generate_redis_token(read_only=True), tokens.generate_signing_key(),
                              tokens.generate_vector_token(tokens.generate_endpoint())]))
def test_a_token_in_a_name_is_masked_without_being_told_which(before, after, glue, glue_after, token):
    # callers pass the finding's own value; a name holding another recognised token is
    # masked too, as long as something a name joins words with stands beside it
    shown = shown_path(f'dir/{before}{glue}{token}{glue_after}{after}')
    assert token not in shown
