"""Tokens must not pass the hook because of how a file's bytes were read.

- a plain ASCII file that starts with UTF-16/32 byte order mark bytes, or is UTF-32 without
  a mark: the wide reading is garbage, so the other readings are scanned too;
- a token in a file whose extension says binary (.png, .zip, ...): the raw bytes of every
  staged file are scanned for credential shapes, up to a size cap that is reported;
- a name on the hook's command line that is missing, a directory or a FIFO: exit 2.

The hook is the real console script on a real git repository; one case goes through real
pre-commit and `git commit`.
"""
import os
import subprocess

import pytest

from detect_secrets_upstash import tokens
from tests.fixtures_precommit import commit
from tests.fixtures_precommit import project_with_config
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli
from tests.test_precommit import config

HOOK = 'detect-secrets-upstash-hook'


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path / 'repo')


def _env_text(token):
    return f'UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\nUPSTASH_REDIS_REST_TOKEN={token}\n'


def _hook(repo, *names, runner=cli):
    subprocess.run(['git', 'add', *names], cwd=repo, check=True)
    return runner([HOOK, *names], cwd=repo)


def _assert_blocked(result, token, line=None):
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Upstash Redis REST Token' in result.stdout
    if line is not None:
        assert f':{line}' in result.stdout
    assert token not in result.stdout + result.stderr
    assert 'Traceback' not in result.stderr


MISLEADING_STARTS = {
    'utf-16-le BOM bytes': b'\xff\xfe',
    'utf-16-be BOM bytes': b'\xfe\xff',
    'utf-32-le BOM bytes': b'\xff\xfe\x00\x00',
    'utf-32-be BOM bytes': b'\x00\x00\xfe\xff',
}
WIDE_ENCODINGS = ['utf-32-le', 'utf-32-be', 'utf-16-le', 'utf-16-be']
BINARY_HEADS = {
    '.png': b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR',
    '.jpg': b'\xff\xd8\xff\xe0\x00\x10JFIF\x00',
    '.zip': b'PK\x03\x04\x14\x00\x00\x00',
    '.pdf': b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n',
    '.woff': b'wOFF\x00\x01\x00\x00',
    '.ico': b'\x00\x00\x01\x00\x01\x00',
    '.jar': b'PK\x03\x04\n\x00\x00\x08',
}
BINARY_BODIES = ['plain', 'inside binary']


def _reading_cases():
    """{file name: (bytes, token, line the finding must name or None)}: every reading case,
    each in its own file with its own token."""
    cases = {}
    for start, head in MISLEADING_STARTS.items():
        token = tokens.generate_redis_token(24817)
        cases[f'bom-{start.split()[0]}.env'] = (head + _env_text(token).encode(), token, 2)
    for encoding in WIDE_ENCODINGS:
        token = tokens.generate_redis_token(24817)
        cases[f'wide-{encoding}.env'] = (_env_text(token).encode(encoding), token, 2)
    token = tokens.generate_redis_token(24817)
    cases['w.env'] = (b'\xff\xfe\x00\x00' + ('# note\n' + _env_text(token)).encode('utf-32-le'), token, 3)
    for extension, head in BINARY_HEADS.items():
        for body in BINARY_BODIES:
            token = tokens.generate_redis_token(24817)
            data = _env_text(token).encode()
            if body == 'inside binary':
                data = head + os.urandom(300) + b'\n' + data + os.urandom(300)
            cases[f'asset-{body.split()[0]}{extension}'] = (data, token, None)
    return cases


def _locations(output):
    """(secret type, file name, line) of every finding block in the hook's report."""
    found, secret_type = set(), None
    for line in output.splitlines():
        if line.startswith('Secret Type: '):
            secret_type = line.split(': ', 1)[1].strip()
        elif line.startswith('Location:    ') and secret_type:
            name, _, number = line.split(None, 1)[1].rpartition(':')
            found.add((secret_type, name, int(number)))
            secret_type = None
    return found


@pytest.fixture(scope='module')
def readings(tmp_path_factory):
    """One hook run over every reading case (each start of the console script costs ~0.3 s):
    the hook reads each named file on its own, so each case is judged by its own finding."""
    repo = git_repo(tmp_path_factory.mktemp('readings') / 'repo')
    cases = _reading_cases()
    for name, (data, _, _) in cases.items():
        (repo / name).write_bytes(data)
    result = _hook(repo, *cases, runner=run)        # the real process: no token in its output
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Traceback' not in result.stderr
    return cases, result, _locations(result.stdout)


def _assert_reading_blocked(readings, name):
    cases, result, found = readings
    _, token, line = cases[name]
    lines = {number for secret_type, file, number in found
             if file == name and secret_type == 'Upstash Redis REST Token'}
    assert lines, f'{name} was not reported:\n{result.stdout}'
    if line is not None:
        assert line in lines, (name, lines)
    assert token not in result.stdout + result.stderr


@pytest.mark.parametrize('start', sorted(MISLEADING_STARTS))
def test_ascii_file_behind_a_byte_order_mark_is_still_scanned(readings, start):
    _assert_reading_blocked(readings, f'bom-{start.split()[0]}.env')


@pytest.mark.parametrize('encoding', WIDE_ENCODINGS)
def test_wide_text_without_a_byte_order_mark_is_scanned(readings, encoding):
    _assert_reading_blocked(readings, f'wide-{encoding}.env')


def test_wide_text_with_its_mark_still_reports_its_lines(readings):
    _assert_reading_blocked(readings, 'w.env')


@pytest.mark.parametrize('extension', sorted(BINARY_HEADS))
@pytest.mark.parametrize('body', BINARY_BODIES)
def test_token_in_a_file_named_binary_is_blocked(readings, extension, body):
    _assert_reading_blocked(readings, f'asset-{body.split()[0]}{extension}')


def test_one_reading_alone_is_blocked(repo):
    # The shared run above holds many files; a file named on its own is blocked just the same.
    token = tokens.generate_redis_token(24817)
    (repo / '.env').write_bytes(MISLEADING_STARTS['utf-16-le BOM bytes'] + _env_text(token).encode())
    _assert_blocked(_hook(repo, '.env'), token, line=2)


def test_clean_binary_files_pass(repo):
    for extension, head in BINARY_HEADS.items():
        (repo / f'clean{extension}').write_bytes(head + bytes(range(256)) * 8)
    result = _hook(repo, *[f'clean{extension}' for extension in BINARY_HEADS])
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_file_over_the_size_cap_is_reported(repo, monkeypatch):
    (repo / 'big.bin').write_bytes(b'\x00\x01' * (600 * 1024))
    subprocess.run(['git', 'add', 'big.bin'], cwd=repo, check=True)
    result = run([HOOK, 'big.bin'], cwd=repo, env={'DETECT_SECRETS_UPSTASH_MAX_FILE_BYTES': '1048576'})
    assert 'big.bin' in result.stderr and 'larger than' in result.stderr
    assert result.returncode != 0       # not scanned: the commit does not pass unchecked


@pytest.mark.parametrize('kind', ['missing', 'directory', 'fifo'])
def test_a_name_that_is_not_a_file_exits_2(repo, kind):
    token = tokens.generate_redis_token(24817)
    (repo / 'ok.env').write_text(_env_text(token))
    subprocess.run(['git', 'add', 'ok.env'], cwd=repo, check=True)
    target = repo / 'thing'
    if kind == 'directory':
        target.mkdir()
    elif kind == 'fifo':
        os.mkfifo(target)
    # a FIFO could block the read: that one in a real process, under a timeout
    runner = run if kind == 'fifo' else cli
    result = runner([HOOK, 'thing'], cwd=repo, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert 'thing' in result.stderr and 'Traceback' not in result.stderr
    both = runner([HOOK, 'ok.env', 'thing'], cwd=repo, timeout=60)
    assert both.returncode == 2 and token not in both.stdout + both.stderr


def test_pre_commit_blocks_a_token_in_a_png(tmp_path, hook_repo, pre_commit_env):
    repo = project_with_config(tmp_path / 'project', config(hook_repo), pre_commit_env)
    token = tokens.generate_redis_token(24817)
    (repo / 'logo.png').write_bytes(BINARY_HEADS['.png'] + b'\n' + _env_text(token).encode())
    (repo / 'bom.env').write_bytes(b'\xff\xfe' + _env_text(tokens.generate_redis_token(24817)).encode())
    blocked = commit(repo, pre_commit_env, 'logo.png', 'bom.env', message='add logo')
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert 'logo.png' in output and 'bom.env' in output
    assert token not in output


# --- the reading itself, for generated files ---

import codecs                                                 # noqa: E402

from hypothesis import given                                  # noqa: E402
from hypothesis import settings                               # noqa: E402
from hypothesis import strategies as st                       # noqa: E402

from detect_secrets_upstash.scanner import find_credentials   # noqa: E402
from detect_secrets_upstash.text_files import decode_bytes    # noqa: E402

POOL = [tokens.generate_redis_token(24817) for _ in range(10)] + [tokens.generate_qstash_token()
                                                                  for _ in range(5)]
BOMS = {'utf-8': codecs.BOM_UTF8, 'utf-16-le': codecs.BOM_UTF16_LE, 'utf-16-be': codecs.BOM_UTF16_BE,
        'utf-32-le': codecs.BOM_UTF32_LE, 'utf-32-be': codecs.BOM_UTF32_BE}
ENCODINGS = sorted(BOMS)
PREFIXES = [b'', b'\xff\xfe', b'\xfe\xff', b'\xff\xfe\x00\x00', b'\x00\x00\xfe\xff', b'\xef\xbb\xbf',
            b'\x00', b'\x00\x00', b'\x89PNG\r\n\x1a\n']
lines = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(POOL), st.lists(lines, max_size=6), st.lists(lines, max_size=6),
       st.sampled_from(ENCODINGS), st.sampled_from(PREFIXES), st.sampled_from(['\n', '\r\n']),
       st.booleans())
def test_every_reading_of_a_file_keeps_its_credential(token, before, after, encoding, prefix, newline, bom):
    text = newline.join([*before, f'UPSTASH_REDIS_REST_TOKEN={token}', *after]) + newline
    data = text.encode(encoding)
    if bom:
        data = BOMS[encoding] + data
    decoded, _ = decode_bytes(prefix + data)
    assert any(found.value == token for found in find_credentials(decoded)), (encoding, prefix)
