"""Evidence in layers: token bytes, then a kind's frame, then the context a value stands in.

A layout nobody has seen yet must become a finding, never silence; placeholders, `${VAR}`,
values cut short and other vendors' keys must stay unreported in every layer.
"""
import base64
import json
import os
import re
import subprocess

import pytest
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import context_evidence
from detect_secrets_upstash import placeholders
from detect_secrets_upstash import tokens
from detect_secrets_upstash.findings import line_credentials

from .detection_helpers import scan_in_process as scan
from .helpers import git_repo
from .helpers import run
from .in_process import cli

BYTES, FRAME, CONTEXT = catalogue.BYTES, catalogue.FRAME, catalogue.CONTEXT


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip('=')


def invented_redis_token(flag: int = 0x03, marker: bytes = b'\x00\x02', read_only: bool = False) -> str:
    """A Redis-like token of a layout Upstash has not shipped (as far as anyone has seen):
    a new flag byte, or a known flag with a new marker."""
    if flag is None:
        flag = 2 if read_only else 1
    return _not_spelling_words(lambda: _b64url(bytes([flag]) + os.urandom(2) + marker + bytes([40]) + b'p3'
                                               + os.urandom(40)))


def random_token_text() -> str:
    """60 random base64url characters: an opaque token of no known layout."""
    return _not_spelling_words(lambda: _b64url(os.urandom(45)))


def _not_spelling_words(draw) -> str:
    # Random base64url spells a placeholder word as people write it ('Fake', 'TEST') about
    # once in 20,000 values of this length, and such a value is refused by design
    # (test_placeholder_words_are_rare_in_random_tokens bounds that rate); a test of what
    # is reported draws again rather than fail once in a few hundred runs.
    while True:
        value = draw()
        if not placeholders.spells_words(value):
            return value


def framed_unknown_payload() -> str:
    """A known Redis frame (flag, id, 00 02, LEN, 'p' digit) around a payload no known
    layout has: 40 random bytes after a read-write flag, where 32 hex (+ tail) would be."""
    payload = os.urandom(40)
    return _b64url(b'\x01' + (4242).to_bytes(2, 'big') + b'\x00\x02' + bytes([len(payload)]) + b'p3' + payload)


def _only(line, nearby=()):
    found = line_credentials(line, nearby=list(nearby) or [line])
    assert len(found) == 1, (line, found)
    return found[0].found


HOST = 'brave-otter-10123.upstash.io'


# --- one example per layer ---

def test_known_layout_is_identified_by_its_bytes():
    token = tokens.generate_redis_token(layout='id64-untailed')
    found = _only(f'x = "{token}"')
    assert (found.kind.id, found.decoded.scope, found.decoded.layer) == ('redis_rest_token', 'read-write', BYTES)
    assert found.decoded.layout == 'id64-untailed'


def test_a_known_frame_around_an_unknown_payload_is_that_kind_with_layout_unrecognised():
    # the frame alone suffices: no name, no host
    found = _only(f'const v = "{framed_unknown_payload()}";')
    assert (found.kind.id, found.decoded.scope, found.decoded.layer) == ('redis_rest_token', 'read-write', FRAME)
    assert found.decoded.layout == tokens.UNRECOGNISED and found.decoded.database_id == 4242
    # a damaged real-world shape: one character too many after a known layout
    token = tokens.generate_redis_token(layout='id64-untailed') + 'N'
    assert _only(f'v = "{token}"').decoded.layer == FRAME


@pytest.mark.parametrize('read_only', [False, True])
def test_a_token_cut_in_its_tail_still_holds_its_secret_and_is_reported(read_only):
    # the last characters of the current layout are `p<d><id>` (the host name says the id):
    # a value cut there still opens the database. Cut inside the secret, it is not reported
    # (test_a_frame_cut_short_is_never_reported).
    token = tokens.generate_redis_token(read_only=read_only, layout='current')
    head_and_secret = -(-(3 + 3 + 2 + 32) * 4 // 3)        # characters up to the secret's end
    for cut in range(1, len(token) - head_and_secret + 1):
        value = token[:-cut]
        if not tokens.decode_redis_token(value):
            found = _only(f'token = "{value}"')
            assert found.decoded.layer == FRAME and found.decoded.scope == (
                'read-only' if read_only else 'read-write'), cut


@pytest.mark.parametrize('distinct', [8, 9, 10, 11])
def test_a_token_cut_in_its_tail_is_reported_whatever_its_hex_secret_repeats(distinct):
    # 32 random hex characters often show only 9-11 distinct symbols (about 1 token in 25):
    # the frame must judge them as the decoder does, not by the 12 distinct bytes it asks
    # of a raw payload (a generated token like that was once missed)
    alphabet = '0123456789abcdef'[:distinct]
    secret = (alphabet * 4)[:32]
    raw = b'\x01' + (24100).to_bytes(2, 'big') + b'\x00\x02\x27p1' + secret.encode() + b'p124100'
    token = _b64url(raw)
    assert tokens.decode_redis_token(token) is not None     # whole, it is a known layout
    for cut in range(1, 8):
        value = token[:-cut]
        if not tokens.decode_redis_token(value):
            found = _only(f'token = "{value}"')
            assert (found.decoded.layer, found.decoded.scope, found.decoded.database_id) == (
                FRAME, 'read-write', 24100), cut


def legacy_token_of_another_marker(read_only: bool = False) -> str:
    """The legacy frame with another third marker byte (seen in public code: `00 24 23`, a
    uuid, then 28 hex, standard base64 with `=` padding)."""
    head = bytes([2 if read_only else 1]) + (3141).to_bytes(2, 'big') + b'\x00\x24\x23'
    return base64.b64encode(head + tokens._random_uuid().encode() + os.urandom(14).hex().encode()).decode()


@pytest.mark.parametrize('read_only, kind_id, scope', [
    (False, 'redis_rest_token', 'read-write'), (True, 'redis_read_only_token', 'read-only')])
def test_a_legacy_frame_with_another_marker_byte_is_reported_with_its_flags_scope(read_only, kind_id, scope):
    # no name and no host needed: the frame's flag byte says the scope
    found = _only(f'token = "{legacy_token_of_another_marker(read_only)}"')
    assert (found.kind.id, found.decoded.scope, found.decoded.layer) == (kind_id, scope, FRAME)
    assert found.decoded.database_id == 3141


@pytest.mark.parametrize('layout', tokens.REDIS_LAYOUTS)
@pytest.mark.parametrize('read_only', [False, True])
def test_a_token_that_lost_its_first_character_keeps_the_scope_its_bytes_say(layout, read_only):
    # a paste that dropped the first character shifts every bit after it: the bytes layer
    # cannot read it, the context layer reports it, and the scope comes from the rest
    if layout == 'legacy-ro' and not read_only:
        return
    token = tokens.generate_redis_token(read_only=read_only, layout=layout)
    line = f'UPSTASH_REDIS_REST_TOKEN={token[1:]}'
    found = _only(line, [f'UPSTASH_REDIS_REST_URL=https://{HOST}', line])
    expected = ('redis_read_only_token', 'read-only') if read_only else ('redis_rest_token', 'read-write')
    assert (found.kind.id, found.decoded.scope, found.decoded.layer) == (*expected, CONTEXT)
    assert found.value == token[1:] and 'first character lost' in found.decoded.evidence_text


def test_a_random_value_under_a_redis_name_keeps_an_unknown_scope():
    # no character put in front of an opaque value makes a known layout: nothing is guessed
    for _ in range(50):
        value = _not_spelling_words(lambda: _b64url(os.urandom(43)))    # 58 characters
        line = f'UPSTASH_REDIS_REST_TOKEN={value[1:]}'
        assert _only(line).decoded.scope == 'unknown'


@pytest.mark.parametrize('length', [40, 44, 46, 48, 60, 96])
def test_a_qstash_json_head_before_typed_noise_is_an_example_not_a_token(length):
    # docs' curl examples: the head of a real QStash token (`{"UserID":"`) and the rest typed
    # by hand, no longer text when decoded
    head = base64.b64encode(b'{"UserID":"').decode()[:14]
    for _ in range(20):
        value = head + _b64url(os.urandom(length))[:length - 14]
        assume_text = tokens.b64decode_tolerant(value)
        if assume_text is not None and not placeholders.json_head_on_noise(assume_text):
            continue        # noise that happens to decode as text: not this case
        for line in (f'curl https://qstash.upstash.io/v2/publish/x -H "Authorization: Bearer {value}"',
                     f'QSTASH_TOKEN={value}'):
            assert line_credentials(line, nearby=['QSTASH_URL=https://qstash.upstash.io', line]) == [], line


def test_a_frame_cut_short_is_never_reported():
    token = tokens.generate_redis_token(layout='current')
    for cut in (10, 20, 30):
        line = f'UPSTASH_REDIS_REST_TOKEN={token[:-cut]}'
        assert line_credentials(line, nearby=[f'UPSTASH_REDIS_REST_URL=https://{HOST}', line]) == []


@pytest.mark.parametrize('line, kind_id, scope', [
    ('MYAPP_KV_REST_API_TOKEN={v}', 'redis_rest_token', 'unknown'),
    ('export upstash_token="{v}"', 'redis_rest_token', 'unknown'),
    ('STORAGE_KV_REST_API_READ_ONLY_TOKEN={v}', 'redis_read_only_token', 'read-only'),
    ('UPSTASH_REDIS_REST_RO_TOKEN: "{v}"', 'redis_read_only_token', 'read-only'),
    ('os.environ["UPSTASH_REDIS_REST_TOKEN"] = "{v}"', 'redis_rest_token', 'unknown'),
    ("token: getEnv('UPSTASH_REDIS_REST_TOKEN', '{v}'),", 'redis_rest_token', 'unknown'),
    ('US_EAST_1_QSTASH_TOKEN={v}', 'qstash_token', 'unknown'),
    ('"UPSTASH_VECTOR_REST_READONLY_TOKEN": "{v}",', 'vector_read_only_token', 'read-only'),
    ('NEXT_PUBLIC_UPSTASH_SEARCH_REST_TOKEN={v}', 'vector_token', 'unknown'),
    ('| `UPSTASH_REDIS_REST_TOKEN` | `{v}` |', 'redis_rest_token', 'unknown'),
    # a notebook cell inside .ipynb JSON, and a JSON string holding an assignment
    ('    "os.environ[\\"UPSTASH_REDIS_REST_TOKEN\\"] = \\"{v}\\"\\n",', 'redis_rest_token', 'unknown'),
    ('  "cell": "KV_REST_API_TOKEN=\\"{v}\\"",', 'redis_rest_token', 'unknown'),
    # Java .properties dotted keys
    ('upstash.redis.rest.token={v}', 'redis_rest_token', 'unknown'),
    ('upstash.redis.rest.readonly.token = {v}', 'redis_read_only_token', 'read-only'),
    # XML: appSettings, phpunit env, an element named for the credential
    ('<add key="UPSTASH_REDIS_REST_TOKEN" value="{v}"/>', 'redis_rest_token', 'unknown'),
    ('<env name="QSTASH_TOKEN" value="{v}" force="true"/>', 'qstash_token', 'unknown'),
    ('<UpstashRedisRestToken>{v}</UpstashRedisRestToken>', 'redis_rest_token', 'unknown'),
    ('{{"name": "UPSTASH_VECTOR_REST_TOKEN", "value": "{v}"}},', 'vector_token', 'unknown'),
    # declared types: Rust, TypeScript, Go
    ('pub const UPSTASH_REDIS_REST_TOKEN: &str = "{v}";', 'redis_rest_token', 'unknown'),
    ('export const UPSTASH_VECTOR_REST_TOKEN: string = "{v}";', 'vector_token', 'unknown'),
    ('const UpstashRedisRestToken string = "{v}"', 'redis_rest_token', 'unknown'),
    # CLIs that store a secret under a name
    ('gh secret set UPSTASH_REDIS_REST_TOKEN -b {v}', 'redis_rest_token', 'unknown'),
    ('gh secret set UPSTASH_REDIS_REST_TOKEN --body "{v}" --repo o/r', 'redis_rest_token', 'unknown'),
    ('echo {v} | vercel env add UPSTASH_REDIS_REST_TOKEN production', 'redis_rest_token', 'unknown'),
    ('echo -n "{v}" | npx wrangler secret put KV_REST_API_READ_ONLY_TOKEN', 'redis_read_only_token', 'read-only'),
])
def test_an_invented_layout_under_an_upstash_name_is_reported_by_its_context(line, kind_id, scope):
    for value in (invented_redis_token(), invented_redis_token(flag=None, marker=b'\x00\x03'),
                  random_token_text()):
        found = _only(line.format(v=value))
        assert (found.kind.id, found.decoded.scope, found.decoded.layer) == (kind_id, scope, CONTEXT)
        assert found.decoded.layout == tokens.UNRECOGNISED
        assert found.value == value


@pytest.mark.parametrize('line, nearby, kind_id', [
    # `token:` beside an Upstash URL (a client's options)
    ('  token: "{v}",', ['const redis = new Redis({', f'  url: "https://{HOST}",'], 'redis_rest_token'),
    ('  token: "{v}",', ['  url: "https://eager-lynx-52107-us1-vector.upstash.io",'], 'vector_token'),
    ('QSTASH_AUTH_TOKEN={v}', ['QSTASH_URL=https://qstash-eu-central-1.upstash.io'], 'qstash_token'),
    # a Bearer header to an Upstash host
    (f'curl https://{HOST}/get/k -H "Authorization: Bearer {{v}}"', [], 'redis_rest_token'),
    ('-H "Authorization: Bearer {v}" \\', [f'curl -X POST https://{HOST}/pipeline \\'], 'redis_rest_token'),
    # the password of an Upstash URL, REST (userinfo) or TCP
    (f'REDIS_URL=rediss://default:{{v}}@{HOST}:6379', [], 'redis_rest_token'),
    (f'KV_URL=rediss://default_ro:{{v}}@{HOST}:6379', [], 'redis_read_only_token'),
    (f'UPSTASH_URL=https://{{v}}@{HOST}', [], 'redis_rest_token'),
])
def test_an_invented_layout_where_credentials_stand_is_reported_by_its_context(line, nearby, kind_id):
    value = invented_redis_token()
    line = line.format(v=value)
    found = _only(line, [*nearby, line])
    assert (found.kind.id, found.decoded.layer, found.value) == (kind_id, CONTEXT, value)


@pytest.mark.parametrize('line, nearby', [
    # plain names without an Upstash host: could be any vendor's
    ('token: "{v}",', ['url: "https://api.example.com",']),
    ('AUTH_TOKEN={v}', []),
    ('curl https://api.example.com -H "Authorization: Bearer {v}"', []),
    (f'REDIS_URL=rediss://default:{{v}}@redis.example.com:6379', []),
    # `secret`, `password`, `key` alone beside an Upstash host hold other vendors' secrets too
    ('secret = "{v}"', [f'UPSTASH_REDIS_REST_URL=https://{HOST}']),
    ('REDIS_PASSWORD={v}', [f'REDIS_HOST={HOST}']),
])
def test_a_random_value_under_a_plain_name_away_from_upstash_is_not_reported(line, nearby):
    line = line.format(v=invented_redis_token())
    assert line_credentials(line, nearby=[*nearby, line]) == []


@pytest.mark.parametrize('value', [
    'AXXXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz123456789==',
    '${UPSTASH_REDIS_REST_TOKEN}',
    '<your-upstash-redis-rest-token>',
    'your_upstash_redis_rest_token_goes_here',
    'AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYyY2RjYzcwNXAy...',
    'AVGHAAIncDJkODIzOTM4NWFiMWI1Y2MxYzI1NDk2ZTYyY2RjYzcwNXAy…',
    'AXkXASQgZmFrZS10b2tlbi12YWx1ZQ',                     # base64 of a frame around 'fake-token-value'
    base64.b64encode(b'replace-with-your-own-upstash-token-value').decode(),
    'ghp_R8kLmN2pQ4sT6vW8yZ0aB2cD4eF6gH8jK0lM',
    'sk-proj-Ag7fK2mN9pQ4sT6vW8yZ0aB2cD4eF6gH8jK0lM2nP4qR6sT8',
    'AVNS_av0kQ9mW3xYt7Rb2Pq8LzHc5Ns1UeJd',
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    'sig_current_key_value_that_is_long_enough',
    'eyJVc2VySUQiOiJkZWZhdWx0VXNlciIsIlBhc3N3b3JkIjoiZGVmYXVsdFBhc3N3b3JkIn0=',   # public dev token
    '0000000000000000000000000000000000000000',
])
def test_placeholders_and_other_vendors_keys_are_never_reported_in_upstash_context(value):
    for line in (f'UPSTASH_REDIS_REST_TOKEN={value}', f'QSTASH_TOKEN="{value}"',
                 f'  token: "{value}",', f'curl https://{HOST} -H "Authorization: Bearer {value}"'):
        assert line_credentials(line, nearby=[f'UPSTASH_REDIS_REST_URL=https://{HOST}', line]) == [], line


# --- the property: any token-like value under an Upstash-style name is reported ---

_NAMES = ['UPSTASH_REDIS_REST_TOKEN', 'KV_REST_API_TOKEN', 'KV_REST_API_READ_ONLY_TOKEN', 'UPSTASH_TOKEN',
          'QSTASH_TOKEN', 'UPSTASH_VECTOR_REST_TOKEN', 'UPSTASH_SEARCH_REST_READONLY_TOKEN',
          'UPSTASH_REDIS_PASSWORD']
_B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'


@st.composite
def _upstash_names(draw):
    name = draw(st.sampled_from(_NAMES))
    prefix = draw(st.sampled_from(['', 'MYAPP_', 'NEXT_PUBLIC_', 'VITE_', 'prod_', 'US_EAST_1_']))
    case = draw(st.sampled_from([str.upper, str.lower, lambda s: s]))
    return case(prefix + name)


_FORMS = ['{n}={v}', '{n}="{v}"', "export {n}='{v}'", '  {n}: {v}', '"{n}": "{v}",', 'ENV {n}={v}',
          'set {n}={v}', '$env:{n}="{v}"', 'os.environ["{n}"] = "{v}"', '  - {n}={v}', '{n} = "{v}"']


def _looks_like_a_placeholder(value: str) -> bool:
    # what a placeholder is, stated by this test: little variety, or a placeholder word,
    # or letters in alphabet order (docs/detection.md, "Evidence in layers")
    return (len(set(value)) < 20 or context_evidence.PLACEHOLDER_WORDS.search(value) is not None
            or context_evidence._has_ordered_run(value))


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet=_B64URL, min_size=40, max_size=120), name=_upstash_names(),
       form=st.sampled_from(_FORMS))
def test_any_token_like_value_under_an_upstash_style_name_is_reported(value, name, form):
    assume(not _looks_like_a_placeholder(value))
    # a known frame cut short is a truncated value, refused on purpose
    assume(tokens.redis_frame(value) != tokens.TRUNCATED)
    line = form.format(n=name, v=value)
    found = line_credentials(line, nearby=[line])
    assert [f.value for f in found] == [value], line
    (credential,) = found
    lowered = name.lower()
    product = 'qstash' if 'qstash' in lowered else 'vector' if ('vector' in lowered or 'search' in lowered) else 'redis'
    assert credential.found.kind.product == product
    if credential.found.decoded.layer == CONTEXT:
        read_only = 'read_only' in lowered or 'readonly' in lowered
        assert credential.found.decoded.scope == ('read-only' if read_only else 'unknown')


# --- the entry's name on the line before its value: Kubernetes env lists, ECS JSON ---

_LIST_FORMS = {
    'kubernetes': ['{i}- name: {q}{n}{q}', '{i}  value: {q}{v}{q}'],
    'json': ['{i}{{', '{i}  "name": "{n}",', '{i}  "value": "{v}"', '{i}}},'],
    'json, value first': ['{i}{{', '{i}  "value": "{v}",', '{i}  "name": "{n}"', '{i}}},'],
}


def _listed(form: str, name: str, value: str, indent: str = '  ', quote: str = '') -> tuple:
    """A small manifest with one env entry in `form`: (its lines, the value line's index)."""
    entry = [line.format(i=indent, q=quote, n=name, v=value) for line in _LIST_FORMS[form]]
    lines = ['spec:', '  containers:', '    env:', f'{indent}- name: NODE_ENV', f'{indent}  value: production',
             *entry, f'{indent}- name: PORT', f'{indent}  value: "8080"']
    return lines, next(i for i, line in enumerate(lines) if value in line)


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=_B64URL, min_size=40, max_size=120), name=_upstash_names(),
       form=st.sampled_from(sorted(_LIST_FORMS)), indent=st.sampled_from(['', '  ', '      ', '\t']),
       quote=st.sampled_from(['', '"', "'"]))
def test_a_token_like_value_under_an_upstash_name_said_on_the_line_before_is_reported(
        value, name, form, indent, quote):
    # `- name: UPSTASH_REDIS_REST_TOKEN` then `value: <v>`: the name is not on the value's
    # line, so an unknown layout there was lost
    assume(not _looks_like_a_placeholder(value))
    assume(tokens.redis_frame(value) != tokens.TRUNCATED)
    from detect_secrets_upstash.findings import context_window
    lines, index = _listed(form, name, value, indent, quote)
    found = line_credentials(lines[index], nearby=context_window(lines, index))
    assert [f.value for f in found] == [value], lines
    lowered = name.lower()
    if found[0].found.decoded.layer == CONTEXT:
        assert found[0].found.decoded.evidence == f'under {name}'
        read_only = 'read_only' in lowered or 'readonly' in lowered
        assert found[0].found.decoded.scope == ('read-only' if read_only else 'unknown')


@pytest.mark.parametrize('form', sorted(_LIST_FORMS))
@pytest.mark.parametrize('name, value', [
    ('OTHER_SERVICE_TOKEN', 'random'),              # not an Upstash name, no Upstash host
    ('UPSTASH_REDIS_REST_URL', 'random'),           # an Upstash name that holds no credential
    ('UPSTASH_REDIS_REST_TOKEN', '${UPSTASH_REDIS_REST_TOKEN}'),
    ('UPSTASH_REDIS_REST_TOKEN', 'your_upstash_redis_rest_token_goes_here'),
    ('UPSTASH_REDIS_REST_TOKEN', 'AXXXxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
])
def test_a_listed_value_is_not_reported_without_an_upstash_credential_name_or_as_a_placeholder(form, name, value):
    from detect_secrets_upstash.findings import context_window
    value = invented_redis_token() if value == 'random' else value
    lines, index = _listed(form, name, value)
    assert line_credentials(lines[index], nearby=context_window(lines, index)) == []


def test_kubernetes_and_ecs_env_lists_are_reported_by_the_scan_and_the_hook(tmp_path):
    values = [invented_redis_token(), invented_redis_token(flag=None, marker=b'\x00\x03'), random_token_text(),
              invented_redis_token()]
    (tmp_path / 'deploy.yaml').write_text(f"""apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: api
          image: example/api:1
          env:
            - name: UPSTASH_REDIS_REST_URL
              value: https://{HOST}
            - name: UPSTASH_REDIS_REST_TOKEN
              value: {values[0]}
            - name: KV_REST_API_READ_ONLY_TOKEN
              value: "{values[1]}"
            - name: FROM_A_SECRET
              valueFrom:
                secretKeyRef:
                  name: upstash
                  key: UPSTASH_REDIS_REST_TOKEN
""")
    (tmp_path / 'task.json').write_text(json.dumps({'containerDefinitions': [{'environment': [
        {'name': 'QSTASH_TOKEN', 'value': values[2]}, {'name': 'NODE_ENV', 'value': 'production'}]}]}, indent=2))
    (tmp_path / 'docker-compose.yml').write_text(f"""services:
  web:
    environment:
      - UPSTASH_VECTOR_REST_TOKEN={values[3]}
""")
    baseline, _ = scan(tmp_path)
    found = {(name, r['line_number'], r['type']) for name, rs in baseline['results'].items() for r in rs}
    assert found == {('deploy.yaml', 13, 'Upstash Redis REST Token'),
                     ('deploy.yaml', 15, 'Upstash Redis Read-Only Token'),
                     ('task.json', 7, 'Upstash QStash Token'),
                     ('docker-compose.yml', 4, 'Upstash Vector Token')}
    hook = run(['detect-secrets-upstash-hook', 'deploy.yaml', 'task.json'], cwd=tmp_path)
    assert hook.returncode == 1, hook.stderr
    assert 'Evidence:    context (under UPSTASH_REDIS_REST_TOKEN)' in hook.stdout
    assert 'Evidence:    context (under KV_REST_API_READ_ONLY_TOKEN)' in hook.stdout
    assert 'Evidence:    context (under QSTASH_TOKEN)' in hook.stdout
    for value in values:
        assert value not in hook.stdout + hook.stderr


def test_placeholder_words_are_rare_in_random_tokens():
    # the context layer's placeholder rules must not cost real tokens: of 20,000 random
    # 40-120 character base64url values, fewer than 1 in 200 are refused by them
    # (a generator seeded from the system's randomness: a new draw each run, and ~20x
    # cheaper than drawing each character from SystemRandom)
    import random
    seed = random.SystemRandom().getrandbits(64)
    rng = random.Random(seed)
    values = [''.join(rng.choices(_B64URL, k=rng.randint(40, 120))) for _ in range(20_000)]
    refused = sum(not context_evidence.looks_like_token(v) for v in values)
    assert refused < 100, (refused, seed)


# --- the layer in every output: scan baseline type, hook, audit report ---

def _repo_with_one_finding_per_layer(tmp_path):
    """A git repo whose staged .env holds one credential per layer: token bytes (a known
    Redis token), token frame (a known frame around an unknown payload), context (an
    invented layout under an Upstash-style name)."""
    known = tokens.generate_redis_token(10123)
    framed = framed_unknown_payload()
    invented = invented_redis_token()
    repo = git_repo(tmp_path / 'repo')
    (repo / '.env').write_text(f'UPSTASH_REDIS_REST_URL=https://{HOST}\nUPSTASH_REDIS_REST_TOKEN={known}\n'
                               f'CACHE_FALLBACK={framed}\nMYAPP_KV_REST_API_TOKEN={invented}\n')
    subprocess.run(['git', 'add', '.env'], cwd=repo, check=True)
    return repo, known, framed, invented


def test_each_output_says_which_layer_identified_the_finding(tmp_path):
    repo, known, framed, invented = _repo_with_one_finding_per_layer(tmp_path)

    baseline, _ = scan(repo)
    types = {r['line_number']: r['type'] for r in baseline['results']['.env']}
    # the baseline type stays the kind's secret type, whatever the layer
    assert types == {2: 'Upstash Redis REST Token', 3: 'Upstash Redis REST Token', 4: 'Upstash Redis REST Token'}

    hook = cli(['detect-secrets-upstash-hook', '.env'], cwd=repo)
    assert hook.returncode == 1
    assert 'Evidence:    token bytes (current layout)' in hook.stdout
    assert 'Evidence:    token frame (Redis token head' in hook.stdout
    assert 'Evidence:    context (under MYAPP_KV_REST_API_TOKEN)' in hook.stdout
    assert 'Kind:        redis_rest_token (Upstash Redis, unknown)' in hook.stdout
    for value in (known, framed, invented):
        assert value not in hook.stdout + hook.stderr

    (repo / '.secrets.baseline').write_text(json.dumps(baseline))
    report = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=repo)
    assert report.returncode == 0, report.stderr
    layers = {e['lines'] if isinstance(e.get('lines'), int) else json.dumps(e.get('lines')): e['upstash']['layer']
              for e in json.loads(report.stdout)['results'] if 'upstash' in e}
    assert sorted(layers.values()) == sorted([BYTES, FRAME, CONTEXT])
    assert re.search(r'unrecognised', report.stdout)


def _hook_layers(stdout: str) -> dict:
    """location -> (layer, evidence, scope) from the hook's blocks."""
    found = {}
    for block in stdout.split('\n\n'):
        location = re.search(r'^Location: +(\S+)$', block, re.MULTILINE)
        evidence = re.search(r'^Evidence: +((token bytes|token frame|context)\b.*)$', block, re.MULTILINE)
        kind = re.search(r'^Kind: +\S+ \(Upstash [^,]+, ([a-z-]+)\)$', block, re.MULTILINE)
        if location and evidence and kind:
            found[location.group(1)] = (evidence.group(2), evidence.group(1), kind.group(1))
    return found


def test_report_says_the_layer_the_hook_says_in_text_json_and_sarif(tmp_path):
    # The report once named every Redis finding "its bytes decode as an Upstash Redis
    # token", so a value found only by its name read as a decoded token; JSON had no layer.
    repo, known, framed, invented = _repo_with_one_finding_per_layer(tmp_path)
    secrets = (known, framed, invented)

    hook = cli(['detect-secrets-upstash-hook', '.env'], cwd=repo)
    assert hook.returncode == 1, hook.stderr
    by_hook = _hook_layers(hook.stdout)
    assert {loc: layer for loc, (layer, _, _) in by_hook.items()} == {
        '.env:2': BYTES, '.env:3': FRAME, '.env:4': CONTEXT}

    as_json = cli(['detect-secrets-upstash', 'report', '--format', 'json'], cwd=repo)
    text = cli(['detect-secrets-upstash', 'report'], cwd=repo)
    sarif = cli(['detect-secrets-upstash', 'report', '--format', 'sarif'], cwd=repo)
    for proc in (as_json, text, sarif):
        assert proc.returncode == 1, proc.stderr
        assert 'Traceback' not in proc.stderr
        for value in secrets:
            assert value not in proc.stdout + proc.stderr

    by_json = {f"{f['filename']}:{f['line_number']}": f for f in json.loads(as_json.stdout)['findings']}
    assert {loc: (f['layer'], f['evidence']) for loc, f in by_json.items()} == \
        {loc: (layer, evidence) for loc, (layer, evidence, _) in by_hook.items()}
    assert by_json['.env:4']['identified_by'].startswith('context (under MYAPP_KV_REST_API_TOKEN)')
    assert by_json['.env:3']['identified_by'].startswith('token frame (')
    assert by_json['.env:2']['identified_by'].startswith('its bytes decode as an Upstash Redis token')

    blocks = {re.search(r'^  where: +(\S+)$', b, re.MULTILINE).group(1): b
              for b in re.split(r'\n\n(?=\d+\. )', text.stdout) if re.search(r'^  where:', b, re.MULTILINE)}
    for location, (layer, evidence, _) in by_hook.items():
        identified = re.search(r'^  identified: +(.*)$', blocks[location], re.MULTILINE).group(1)
        if layer == BYTES:
            assert identified.startswith('its bytes decode'), identified
        else:
            assert identified.startswith(evidence[:40]) and 'bytes decode' not in blocks[location], identified

    results = json.loads(sarif.stdout)['runs'][0]['results']
    by_sarif = {f"{r['locations'][0]['physicalLocation']['artifactLocation']['uri']}:"
                f"{r['locations'][0]['physicalLocation']['region']['startLine']}": r['properties']
                for r in results}
    assert {loc: (p['layer'], p['evidence']) for loc, p in by_sarif.items()} == \
        {loc: (layer, evidence) for loc, (layer, evidence, _) in by_hook.items()}


def test_unknown_scope_is_counted_and_said_as_unknown(tmp_path):
    # A value under a name that does not say its scope was counted "read-write" in the
    # report's summary and headed "(read-write)" in the hook's advice.
    repo = git_repo(tmp_path / 'repo')
    invented = invented_redis_token()
    known = tokens.generate_redis_token(10123)
    (repo / '.env').write_text(f'MYAPP_KV_REST_API_TOKEN={invented}\n')
    (repo / 'other.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={known}\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)

    hook = cli(['detect-secrets-upstash-hook', '.env'], cwd=repo)
    assert hook.returncode == 1
    heading = [line for line in hook.stdout.splitlines() if line.startswith('What to do about')]
    assert heading == ['What to do about the Upstash Redis REST Token '
                       '(scope unknown: treat as read-write until verified) at .env:1:']
    both = cli(['detect-secrets-upstash-hook', '.env', 'other.env'], cwd=repo)
    heading = [line for line in both.stdout.splitlines() if line.startswith('What to do about')]
    assert heading == ['What to do about the Upstash Redis REST Token at .env:1 (scope unknown: '
                       'treat as read-write until verified), other.env:1 (read-write):']

    report = cli(['detect-secrets-upstash', 'report', '.env'], cwd=repo)
    assert report.returncode == 1
    assert '1. Upstash Redis REST Token (scope unknown)' in report.stdout
    assert ('1 Upstash credential(s) in 1 file(s): 0 read-write, 0 read-only, '
            '1 of unknown scope (treat as read-write until verified).') in report.stdout
    summary = json.loads(cli(['detect-secrets-upstash', 'report', '--format', 'json'], cwd=repo).stdout)
    assert summary['summary'].startswith('2 Upstash credential(s) in 2 file(s): 1 read-write, 0 read-only, '
                                         '1 of unknown scope')
    assert sorted(f['scope'] for f in summary['findings']) == ['read-write', 'unknown']
    for proc in (hook, both, report):
        assert invented not in proc.stdout + proc.stderr and known not in proc.stdout + proc.stderr


# --- placeholders dressed as tokens: words behind a head, at any base64 alignment ---

_WORDS = ['fake-token-de-teste', 'dummy-upstash-value', 'example-only-do-not-use', 'your-token-here-please',
          'changeme-changeme-now', 'placeholder-for-ci-runs', 'mock_credentials_for_tests']


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip('=')


def _dressed(words: str, how: str) -> str:
    """A placeholder built to look like a token (generated here: no real value)."""
    text = (os.urandom(4).hex() + '-' + words).encode()
    if how == 'head7':       # 7 characters of a token head, then aligned base64 of the words
        return 'AX' + _b64url(os.urandom(6))[:5] + _b64(text)
    if how == 'head3':       # a 3-byte head (flag, id) before the words
        return _b64(b'\x01' + os.urandom(2) + text)
    if how == 'head6':       # a 6-byte head (flag, id, 00 02, LEN) before the words
        return _b64(b'\x01' + os.urandom(2) + b'\x00\x02' + bytes([len(text)]) + text)
    if how == 'shift1':      # base64 of the words shifted by one character
        return 'Q' + _b64(text)
    if how == 'shift2':
        return 'AQ' + _b64(text)
    raise ValueError(how)


@pytest.mark.parametrize('how', ['head7', 'head3', 'head6', 'shift1', 'shift2'])
@pytest.mark.parametrize('words', _WORDS)
def test_placeholder_words_behind_a_head_or_at_any_alignment_are_never_reported(words, how):
    value = _dressed(words, how)
    for line in (f'  KV_REST_API_TOKEN: "{value}",', f'UPSTASH_REDIS_REST_TOKEN={value}',
                 f'QSTASH_TOKEN={value}', f'curl https://{HOST} -H "Authorization: Bearer {value}"'):
        assert line_credentials(line, nearby=[f'  KV_REST_API_URL: "https://{HOST}",', line]) == [], line


def test_a_vector_frame_around_a_placeholder_secret_is_not_reported():
    endpoint = tokens.generate_endpoint()
    for secret in (b'example', b'example-example-example-secret', b'your-vector-token-here'):
        inner = base64.b64encode(secret + b'-' + os.urandom(3).hex().encode())
        value = base64.b64encode(bytes([0, len(endpoint), 5]) + b'0' + endpoint.encode() + b'admin' + inner).decode()
        assert tokens.vector_frame(value) is None
        assert line_credentials(f'UPSTASH_VECTOR_REST_TOKEN="{value}"') == []
    # the same frame around a random secret is still that kind (layout unrecognised)
    inner = base64.b64encode(os.urandom(30))
    value = base64.b64encode(bytes([0, len(endpoint), 5]) + b'0' + endpoint.encode() + b'admin' + inner).decode()
    assert _only(f'v = "{value}"').decoded.layer == FRAME


def test_real_tokens_never_read_as_placeholders_at_any_alignment():
    # a generated credential of every layout, as written, shifted, glued or damaged: its
    # bytes never spell a placeholder (hex secrets cannot, random bytes practically never)
    from detect_secrets_upstash.placeholders import decodes_to_placeholder
    for kind in catalogue.KINDS:
        for layout, generate in kind.generators:
            for _ in range(300):
                value = generate()
                for form in (value, value[1:], value[2:], value + 'N', 'x' + value):
                    assert not decodes_to_placeholder(form), (kind.id, layout)


def test_the_test_file_placeholder_is_not_reported_by_the_scan(tmp_path):
    value = _dressed('fake-token-de-teste', 'head7')
    (tmp_path / 'client.test.ts').write_text(
        'const env = {\n'
        f'  KV_REST_API_URL: "https://{HOST}",\n'
        f'  KV_REST_API_TOKEN: "{value}",\n'
        '};\n')
    baseline, _ = scan(tmp_path)
    assert [r for rs in baseline['results'].values() for r in rs if r['type'] in catalogue.BY_SECRET_TYPE] == []


# --- QStash tokens the bytes layer cannot read, under QStash names or sent to QStash ---

def damaged_qstash_token() -> str:
    """A generated QStash token with four characters of its UserID part changed (`O` -> `0`
    at the first, as a copy by hand or OCR does): its JSON no longer parses, its Password
    part is intact."""
    token = list(tokens.generate_qstash_token())
    assert token[12] == 'O'                     # eyJVc2VySUQiOi: '{"UserID":'
    token[12] = '0'
    for at in (24, 36, 48):                     # inside the uuid, before the Password part
        token[at] = '0' if token[at] != '0' else '1'
    return ''.join(token)


def invented_qstash_tokens():
    user, secret = tokens._random_uuid(), os.urandom(16).hex()
    for document in ({'user': user, 'password': secret}, {'v': 2, 'UserID': user, 'Secret': secret}):
        yield base64.b64encode(json.dumps(document, separators=(',', ':')).encode()).decode()


@pytest.mark.parametrize('line, nearby', [
    ('QSTASH_TOKEN={v}', ['QSTASH_URL=https://qstash.upstash.io']),
    ('export QSTASH_TOKEN="{v}"', []),
    ('curl -X POST https://qstash.upstash.io/v2/publish/x -H "Authorization: Bearer {v}"', []),
])
def test_qstash_tokens_of_an_unreadable_json_are_reported_by_their_context(line, nearby):
    for value in (damaged_qstash_token(), *invented_qstash_tokens()):
        text = line.format(v=value)
        found = _only(text, [*nearby, text])
        assert (found.kind.id, found.decoded.scope, found.decoded.layer) == ('qstash_token', 'unknown', CONTEXT)
        assert found.decoded.layout == tokens.UNRECOGNISED and found.value == value


def test_qstash_json_around_placeholders_stays_unreported():
    for document in ({'UserID': tokens._random_uuid(), 'Password': 'your-qstash-password'},
                     {'user': 'test-user', 'password': 'fake-password-value'}):
        value = base64.b64encode(json.dumps(document).encode()).decode()
        assert line_credentials(f'QSTASH_TOKEN={value}', nearby=['QSTASH_URL=https://qstash.upstash.io']) == []


def test_unreadable_qstash_tokens_are_reported_by_the_scan(tmp_path):
    damaged, *invented = [damaged_qstash_token(), *invented_qstash_tokens()]
    (tmp_path / '.env').write_text(f'QSTASH_URL=https://qstash.upstash.io\nQSTASH_TOKEN={damaged}\n'
                                   f'US_QSTASH_TOKEN={invented[0]}\nEU_QSTASH_TOKEN={invented[1]}\n')
    baseline, _ = scan(tmp_path)
    assert {(r['line_number'], r['type']) for r in baseline['results']['.env']} == {
        (2, 'Upstash QStash Token'), (3, 'Upstash QStash Token'), (4, 'Upstash QStash Token')}


def test_the_new_context_forms_are_reported_by_the_scan(tmp_path):
    values = [invented_redis_token() for _ in range(6)]
    files = {
        'setup.ipynb': '{"cells": [{"source": [\n'
                       f'    "os.environ[\\"UPSTASH_REDIS_REST_TOKEN\\"] = \\"{values[0]}\\"\\n"\n'
                       ']}]}\n',
        'application.properties': f'upstash.redis.rest.url=https://{HOST}\nupstash.redis.rest.token={values[1]}\n',
        'Web.config': f'<appSettings>\n  <add key="UPSTASH_REDIS_REST_TOKEN" value="{values[2]}" />\n</appSettings>\n',
        'config.xml': f'<config>\n  <UpstashRedisRestToken>{values[3]}</UpstashRedisRestToken>\n</config>\n',
        'consts.rs': f'pub const UPSTASH_REDIS_REST_TOKEN: &str = "{values[4]}";\n',
        'deploy.sh': f'gh secret set UPSTASH_REDIS_REST_TOKEN --body "{values[5]}"\n'
                     f'echo {values[0]} | vercel env add UPSTASH_REDIS_REST_TOKEN production\n',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    baseline, _ = scan(tmp_path)
    found = {(name, r['line_number'], r['type']) for name, rs in baseline['results'].items() for r in rs
             if r['type'] in catalogue.BY_SECRET_TYPE}
    token = 'Upstash Redis REST Token'
    assert found == {('setup.ipynb', 2, token), ('application.properties', 2, token), ('Web.config', 2, token),
                     ('config.xml', 2, token), ('consts.rs', 1, token), ('deploy.sh', 1, token),
                     ('deploy.sh', 2, token)}


# --- a legacy 32-hex password written where a REST token goes ---

LEGACY_HOST = 'gusc1-quiet-walrus-30871.upstash.io'


def test_a_legacy_password_under_a_rest_token_name_is_a_read_write_redis_password():
    password = tokens.generate_legacy_redis_password()
    line = f'UPSTASH_REDIS_REST_TOKEN={password}'
    found = _only(line, [f'UPSTASH_REDIS_REST_URL=https://{LEGACY_HOST}', line, f'REDIS_PASSWORD={password}'])
    assert (found.kind.id, found.decoded.scope, found.decoded.layer) == ('redis_password', 'read-write', CONTEXT)
    assert found.host == LEGACY_HOST and found.decoded.evidence == 'under UPSTASH_REDIS_REST_TOKEN'
    # a read-only name keeps what it says; a value of another shape stays a token of unknown scope
    assert _only(f'KV_REST_API_READ_ONLY_TOKEN={password}').kind.id == 'redis_read_only_token'
    assert _only(f'UPSTASH_REDIS_REST_TOKEN={invented_redis_token()}').decoded.scope == 'unknown'


def test_the_scan_reports_the_legacy_password_as_its_kind(tmp_path):
    password = tokens.generate_legacy_redis_password()
    (tmp_path / '.env').write_text(f'UPSTASH_REDIS_REST_URL=https://{LEGACY_HOST}\n'
                                   f'UPSTASH_REDIS_REST_TOKEN={password}\nREDIS_PASSWORD={password}\n')
    baseline, _ = scan(tmp_path)
    # one finding per (file, value, type): the first line it stands on
    assert [(r['line_number'], r['type']) for r in baseline['results']['.env']] == [(2, 'Upstash Redis Password')]


# --- examples and truncated values the QA run on public code saw reported ---

def qstash_example_token(api_key: str = '') -> str:
    """A QStash-like JSON token as READMEs show one: a numeric UserID and a short word for
    its key, no Password field."""
    user_id = ''.join(str(b % 10) for b in os.urandom(10))
    api_key = api_key or ''.join('abcdefghijklmnopqrstuvwxyz'[b % 26] for b in os.urandom(6))
    document = {'UserID': user_id, 'ApiKey': api_key}
    return base64.b64encode(json.dumps(document, separators=(',', ':')).encode()).decode()


def test_a_qstash_json_without_a_secret_field_is_an_example_not_a_token():
    nearby = ['QSTASH_URL=https://qstash.upstash.io']
    assert line_credentials(f'QSTASH_TOKEN={qstash_example_token()}', nearby=nearby) == []
    # the same JSON with a key of a secret's shape is a credential of a layout nobody has seen
    secret = qstash_example_token(api_key=os.urandom(16).hex())
    found = _only(f'QSTASH_TOKEN={secret}', nearby)
    assert (found.kind.id, found.decoded.layer, found.decoded.scope) == ('qstash_token', CONTEXT, 'unknown')


_CUT_MARKS = ('<redacted>', '<REDACTED>', '<hidden>', '<snip>', '< redacted >', '[REDACTED]', '(redacted)',
              '<truncated>', '<rest of token>', '...', '…', '***', '<...>')


def _long_tokens():
    return {'legacy': tokens.generate_redis_token(layout='legacy'),
            'legacy-hex': tokens.generate_redis_token(layout='legacy-hex'),
            'qstash': tokens.generate_qstash_token(),
            'vector': tokens.generate_vector_token(tokens.generate_endpoint()),
            'current': tokens.generate_redis_token(),
            'invented': invented_redis_token()}


@pytest.mark.parametrize('mark', _CUT_MARKS)
def test_a_token_head_followed_by_a_redaction_mark_is_never_reported(mark):
    for name, token in _long_tokens().items():
        for share in (0.5, 0.8):
            head = token[:int(len(token) * share)]
            for line in (f'UPSTASH_REDIS_REST_TOKEN={head}{mark}', f'QSTASH_TOKEN="{head}{mark}"',
                         f'UPSTASH_VECTOR_REST_TOKEN: {head}{mark}'):
                assert line_credentials(line, nearby=[f'UPSTASH_REDIS_REST_URL=https://{HOST}', line]) == [], \
                    (name, share, mark)


def test_a_whole_value_before_a_tag_is_still_reported():
    # a closing tag or a line break tag after a value is no redaction mark
    for line in (f'<UpstashRedisRestToken>{invented_redis_token()}</UpstashRedisRestToken>',
                 f'UPSTASH_REDIS_REST_TOKEN={invented_redis_token()}<br>',
                 f'UPSTASH_REDIS_REST_TOKEN=<code>{framed_unknown_payload()}</code>'):
        assert len(line_credentials(line, nearby=[line])) == 1, line


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=_B64URL, min_size=40, max_size=120), name=_upstash_names(),
       mark=st.sampled_from(_CUT_MARKS))
def test_any_token_like_value_followed_by_a_redaction_mark_is_not_reported(value, name, mark):
    assume(not _looks_like_a_placeholder(value))
    line = f'{name}={value}{mark}'
    assert line_credentials(line, nearby=[line]) == [], line


def test_examples_and_redacted_heads_are_not_reported_by_the_scan_or_the_hook(tmp_path):
    heads = [token[:len(token) // 2] for token in _long_tokens().values()]
    frame_head = tokens.generate_redis_token(layout='legacy')
    frame_head = frame_head[:int(len(frame_head) * 0.8)]    # uuid whole: the frame layer's case
    (tmp_path / 'README.md').write_text(
        '# Setup\n\n```\nQSTASH_URL=https://qstash.upstash.io\n'
        f'QSTASH_TOKEN={qstash_example_token()}\n```\n\n'
        + ''.join(f'UPSTASH_REDIS_REST_TOKEN={head}{mark}\n' for head, mark in zip(heads, _CUT_MARKS))
        + f'UPSTASH_REDIS_REST_TOKEN={frame_head}<REDACTED>\n')
    baseline, _ = scan(tmp_path)
    assert [r for rs in baseline['results'].values() for r in rs if r['type'] in catalogue.BY_SECRET_TYPE] == []
    hook = cli(['detect-secrets-upstash-hook', 'README.md'], cwd=tmp_path)
    assert hook.returncode == 0, hook.stdout + hook.stderr


# --- invented layouts in the places the QA run wrote them ---

def _base58(length: int) -> str:
    return ''.join(tokens.BASE58_ALPHABET[b % 58] for b in os.urandom(length))


def dash_redis_token() -> str:
    """A Redis-like token whose flag byte (0xF8-0xFB) makes its base64url start with '-'."""
    flag = 0xF8 + os.urandom(1)[0] % 4
    payload = f'{os.urandom(16).hex()}p1{int.from_bytes(os.urandom(2), "big")}'.encode()
    token = _b64url(bytes([flag]) + os.urandom(2) + b'\x00\x02' + bytes([len(payload)]) + b'p1' + payload)
    assert token.startswith('-')
    return token


def test_a_url_password_starting_with_a_dash_is_reported_by_its_context():
    for user in ('default', '', 'default_ro'):
        token = dash_redis_token()
        found = _only(f'REDIS_URL="rediss://{user}:{token}@{HOST}:6379"')
        assert (found.kind.product, found.decoded.layer, found.value) == ('redis', CONTEXT, token)
        assert found.decoded.layout == tokens.UNRECOGNISED and found.host == HOST
        assert found.decoded.scope == ('read-only' if user == 'default_ro' else 'unknown')
    # `${VAR:-default}` stays no value
    assert line_credentials(f'UPSTASH_REDIS_REST_TOKEN=${{TOKEN:-{dash_redis_token()}}}') == []


def test_a_prefixed_opaque_token_under_a_qstash_name_is_reported():
    for prefix in ('qstash', 'upstash', 'qs'):
        value = f'{prefix}_{_base58(40)}'
        found = _only(f'QSTASH_TOKEN={value}', ['QSTASH_URL=https://qstash.upstash.io'])
        assert (found.kind.id, found.decoded.scope, found.decoded.layer, found.value) == (
            'qstash_token', 'unknown', CONTEXT, value)
    # the word must not be a placeholder's, nor the body one
    for value in (f'fake_{_base58(40)}', 'qstash_your_qstash_token_goes_here_0123456789abcdef',
                  f'qstash_{"x" * 40}'):
        assert line_credentials(f'QSTASH_TOKEN={value}', nearby=['QSTASH_URL=https://qstash.upstash.io']) == [], value


def test_a_signing_key_under_the_sdk_option_name_is_reported_whatever_its_prefix():
    for line in ('const receiver = new Receiver({{ currentSigningKey: "{v}", nextSigningKey: "{w}" }});',
                 '    current_signing_key="{v}", next_signing_key="{w}",'):
        value, other = f'sig2_{_base58(32)}', f'sig3_{_base58(32)}'
        text = line.format(v=value, w=other)
        found = line_credentials(text, nearby=[text])
        assert [(c.found.kind.id, c.found.decoded.scope, c.found.decoded.layer, c.value) for c in found] == [
            ('qstash_signing_key', 'unknown', CONTEXT, value), ('qstash_signing_key', 'unknown', CONTEXT, other)]
    for text in ('new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY! })',
                 'new Receiver({ currentSigningKey: "your-current-signing-key-goes-here-1234" })',
                 'new Receiver({ currentSigningKey: "sig_YourCurrentSigningKeyHere1234567890" })'):
        assert line_credentials(text, nearby=[text]) == [], text


def test_invented_layouts_in_their_places_are_reported_by_the_scan_and_the_hook(tmp_path):
    dash, prefixed, signing = dash_redis_token(), f'qstash_{_base58(40)}', f'sig2_{_base58(32)}'
    (tmp_path / '.env').write_text(f'REDIS_URL=rediss://default:{dash}@{HOST}:6379\n'
                                   f'QSTASH_URL=https://qstash.upstash.io\nQSTASH_TOKEN={prefixed}\n')
    (tmp_path / 'receiver.ts').write_text('import { Receiver } from "@upstash/qstash";\n\n'
                                          f'const receiver = new Receiver({{ currentSigningKey: "{signing}" }});\n')
    baseline, _ = scan(tmp_path)
    found = {(name, r['line_number'], r['type']) for name, rs in baseline['results'].items() for r in rs
             if r['type'] in catalogue.BY_SECRET_TYPE}
    assert found == {('.env', 1, 'Upstash Redis REST Token'), ('.env', 3, 'Upstash QStash Token'),
                     ('receiver.ts', 3, 'Upstash QStash Signing Key')}
    hook = cli(['detect-secrets-upstash-hook', '.env', 'receiver.ts'], cwd=tmp_path)
    assert hook.returncode == 1, hook.stderr
    assert f'Evidence:    context (password of a URL on {HOST})' in hook.stdout
    assert 'Evidence:    context (under QSTASH_TOKEN)' in hook.stdout
    assert 'Evidence:    context (under currentSigningKey)' in hook.stdout
    for value in (dash, prefixed, signing):
        assert value not in hook.stdout + hook.stderr


@settings(max_examples=200, deadline=None)
@given(value=st.text(alphabet=_B64URL, min_size=40, max_size=120), user=st.sampled_from(['default', '']))
def test_any_token_like_url_password_on_an_upstash_host_is_reported_even_with_a_leading_dash(value, user):
    value = '-' + value
    assume(not _looks_like_a_placeholder(value) and tokens.redis_frame(value) != tokens.TRUNCATED)
    line = f'REDIS_URL=rediss://{user}:{value}@{HOST}:6379'
    assert [c.value for c in line_credentials(line, nearby=[line])] == [value], line


def test_the_report_gives_damaged_and_other_marker_tokens_their_scope_and_drops_typed_examples(tmp_path):
    # the three shapes a black-box pass over public code met, end to end through `report`
    lost = tokens.generate_redis_token(layout='current-p10')[1:]
    other_marker = legacy_token_of_another_marker(read_only=True)
    example = base64.b64encode(b'{"UserID":"').decode()[:14] + 'Zx9Qw3Lm7Kp2Vb8Nr4Ts6Yh1Jd5F'
    assert placeholders.json_head_on_noise(tokens.b64decode_tolerant(example))
    (tmp_path / '.env').write_text(f'UPSTASH_REDIS_REST_URL=https://{HOST}\nUPSTASH_REDIS_REST_TOKEN={lost}\n'
                                   f'UPSTASH_REDIS_REST_READONLY_TOKEN={other_marker}\n')
    (tmp_path / 'README.md').write_text('curl -XPOST https://qstash.upstash.io/v2/publish/https://example.com '
                                        f'-H "Authorization: Bearer {example}"\n')
    report = run(['detect-secrets-upstash', 'report', '--format', 'json', '.'], cwd=tmp_path)
    assert report.returncode == 1, report.stderr
    findings = json.loads(report.stdout)['findings']
    assert sorted((f['filename'], f['line_number'], f['secret_type'], f['scope']) for f in findings) == [
        ('.env', 2, 'Upstash Redis REST Token', 'read-write'),
        ('.env', 3, 'Upstash Redis Read-Only Token', 'read-only')]
    for value in (lost, other_marker, example):
        assert value not in report.stdout + report.stderr
