"""No full token, and no 12-character piece of one, in any message we print.

`redaction` is the one place that cuts secrets out of text. Its properties are tested with
generated credentials of every kind in generated surroundings; the console scripts are
then run with a token where a path goes, and against a server that echoes the token back
in pieces.
"""
import json
import re
import string

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import redaction
from detect_secrets_upstash import tokens
from tests.helpers import run
from tests.in_process import cli
from tests.test_verify_cli import verify_json
from tests.test_verify_safety import _Listener

GENERATORS = [
    tokens.generate_redis_token,
    lambda: tokens.generate_redis_token(read_only=True),
    tokens.generate_qstash_token,
    tokens.generate_signing_key,
    lambda: tokens.generate_vector_token(tokens.generate_endpoint()),
    tokens.generate_legacy_redis_password,
]



def _without_a_digit(generate, tries=200_000):
    """A credential of `generate` with no digit in it. Rare (1 in ~3,000 Redis tokens, 1 in
    ~200 signing keys), so a pool of 15 a kind seldom holds one; yet such a token glued to
    other text was once printed in full (it is recognised by no pattern, and the shape rule
    asked for a digit)."""
    for _ in range(tries):
        value = generate()
        if not any(c.isdigit() for c in value):
            return value
    raise AssertionError(f'no digitless credential in {tries} tries of {generate}')


# Generated once: the generators draw from os.urandom, which hypothesis cannot replay.
DIGITLESS = ([_without_a_digit(lambda: tokens.generate_redis_token(layout=layout))
              for layout in ('current', 'current-untailed', 'id64-untailed')]
             + [_without_a_digit(tokens.generate_signing_key)])
POOL = [generate() for generate in GENERATORS for _ in range(15)] + DIGITLESS
credentials = st.sampled_from(POOL)
TOKEN_CHARACTERS = string.ascii_letters + string.digits + '+/_=-'
noise = st.text(alphabet=st.characters(blacklist_categories=('Cs',)), max_size=30)


def pieces(secret):
    folded = secret.lower()
    return {folded[i:i + redaction.FRAGMENT] for i in range(len(folded) - redaction.FRAGMENT + 1)}


def assert_no_piece(text, secret):
    folded = text.lower()
    shown = [piece for piece in pieces(secret) if piece in folded]
    assert not shown, f'a piece of the secret is shown: {shown[:1]}'


@st.composite
def echoes(draw):
    """A secret as a server or a message might echo it: whole, a prefix, lower case, broken
    by a line break, several times, in noise."""
    secret = draw(credentials)
    forms = [secret, secret.lower(), secret.upper(), secret[:draw(st.integers(12, len(secret)))],
             secret[draw(st.integers(0, len(secret) - 12)):]]
    cut = draw(st.integers(12, max(12, len(secret) - 12)))
    forms.append(secret[:cut] + draw(st.sampled_from(['\n', '\r\n', ' ', '\\n', '"'])) + secret[cut:])
    chosen = draw(st.lists(st.sampled_from(forms), min_size=1, max_size=3))
    parts = []
    for form in chosen:
        parts += [draw(noise), form]
    parts.append(draw(noise))
    return secret, ''.join(parts)


@settings(max_examples=300, deadline=None)
@given(echoes())
def test_known_secret_and_its_pieces_are_masked_in_any_text(case):
    secret, text = case
    assert_no_piece(redaction.redact_known(text, [secret]), secret)
    assert_no_piece(redaction.redact_message(text, [secret]), secret)


@settings(max_examples=300, deadline=None)
@given(credentials, noise, noise, st.sampled_from(['', ' ', '/', ': ', "'", '"', '=', '\n']))
def test_unknown_credentials_in_a_message_are_masked(secret, before, after, glue):
    text = f'cannot read baseline {before}{glue}{secret}{glue}{after}'
    assert secret not in redaction.redact_message(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(DIGITLESS), st.text(alphabet=TOKEN_CHARACTERS, max_size=8),
       st.text(alphabet=TOKEN_CHARACTERS, max_size=8), st.sampled_from(['', '/', '-', '_', '=']))
def test_a_credential_without_a_digit_glued_to_other_text_is_masked(secret, before, after, glue):
    text = f'cannot read {before}{glue}{secret}{glue}{after}: No such file or directory'
    assert secret not in redaction.redact_message(text)


def test_ordinary_messages_are_left_alone():
    for text in ('cannot read baseline /tmp/pytest-of-root/pytest-3/test_x0/.secrets.baseline',
                 'https://brave-otter-10123.upstash.io: server error (500)',
                 'detect-secrets-upstash-hook: error: could not read src/app/config.py',
                 'warning: src/MyComponent2Test.tsx: cannot be read (Permission denied)'):
        assert redaction.redact_message(text) == text


def test_redacting_stream_sees_a_token_written_in_pieces(tmp_path):
    secret = tokens.generate_redis_token()
    target = tmp_path / 'err'
    with open(target, 'w') as handle:
        stream = redaction.RedactingStream(handle)
        for start in range(0, len(secret), 5):
            stream.write(secret[start:start + 5])
        stream.write(' end\n')
        stream.flush()
    assert secret not in target.read_text() and target.read_text().endswith(' end\n')


# --- the console scripts ---

def _token_as_path_commands(token):
    return [
        ['upstash-verify', token],
        ['upstash-verify', f'./{token}'],
        ['upstash-verify', '--format', 'json', token, '--no-such-flag'],
        ['detect-secrets-upstash', 'audit', token],
        ['detect-secrets-upstash', 'audit', '--report', token],
        ['detect-secrets-upstash', 'scan', '--baseline', token],
        ['detect-secrets-upstash-hook', '--baseline', token, 'x'],
    ]


KINDS_AS_PATHS = GENERATORS[:5]


@pytest.mark.parametrize('generate', KINDS_AS_PATHS)
def test_a_token_pasted_where_a_path_goes_is_never_printed(generate, tmp_path):
    # Each command with one kind's token, the kinds in turn: every command and every kind
    # runs for real (7 starts of a console script, not 7 x 5); which kind a token is only
    # matters to the redaction, tested for every kind in every message form above.
    token = generate()
    index = KINDS_AS_PATHS.index(generate)
    commands = _token_as_path_commands(token)[index::len(KINDS_AS_PATHS)]
    assert commands
    for command in commands:
        proc = run(command, cwd=tmp_path)
        assert proc.returncode != 0, command
        assert token not in proc.stdout + proc.stderr, command
        assert 'Traceback' not in proc.stderr, command
        assert proc.stderr.strip(), f'{command}: no message at all'


def _echo_in_pieces(client, received):
    match = re.search(rb'Authorization: Bearer (\S+)', received)
    token = match.group(1).decode() if match else 'none'
    message = f'ERR {token[:20]}\n{token[20:]} ({token.lower()}) {token[:14]}'
    body = json.dumps([{'result': 0}, {'error': message}]).encode()
    client.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n'
                   b'Connection: close\r\n\r\n%s' % (len(body), body))


class _Echo(_Listener):
    def __init__(self):
        super().__init__(lambda client: _echo_in_pieces(client, self.received))


def test_server_text_echoing_the_token_in_pieces_is_masked():
    server = _Echo()
    token = tokens.generate_redis_token()
    try:
        # the text from the console script, the other formats in-process
        for runner, fmt in ((cli, 'json'), (run, 'text'), (cli, 'sarif')):
            proc = runner(['upstash-verify', '--url', server.url, '--token', token, '--allow-host', '127.0.0.1',
                        '--format', fmt])
            assert proc.returncode == 1, proc.stderr
            assert 'inconclusive' in proc.stdout
            assert_no_piece(proc.stdout + proc.stderr, token)
    finally:
        server.close()
