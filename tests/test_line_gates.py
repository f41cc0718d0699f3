"""The cheap gates in front of the context and password rules (`context_evidence.may_report`,
`context.names_upstash_host`, the shortest-line check of `findings.line_credentials`) only
skip work: with them and without them, every line gives the same findings."""
import base64
import random

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import context
from detect_secrets_upstash import context_evidence
from detect_secrets_upstash import findings
from detect_secrets_upstash import tokens

_NAMES = ['UPSTASH_REDIS_REST_TOKEN', 'upstash_token', 'MyApp_Kv_Rest_Api_Token', 'token', 'authToken',
          'REDIS_TOKEN', 'QStash_Token', 'redis.password', 'REDIS_PASSWORD', 'api_key', 'secret',
          # names the gate's `pass` test must let through (and `class`/`assert` words it need not)
          'UPSTASH_REDIS_PASS', 'upstash_pass', 'Upstash.Redis.Password', 'UPSTASH_PASSWD', 'MY_UPSTASH_PASSWORD',
          'upstash_redis_Pass', 'UpstashPassword', 'UPSTASH_PASS_RO', 'upstash_class', 'assert_upstash_token',
          'UPSTASH_PWD', 'upstash_redis_auth', 'UpstashAuth']
_HOSTS = ['brave-otter-10123.upstash.io', 'QSTASH.UPSTASH.IO', 'x.kv.vercel-storage.com',
          'redis.example.com', 'Brave-Otter-10123.Upstash.Io']


@st.composite
def _line_and_window(draw):
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    value = draw(st.sampled_from([
        tokens.generate_redis_token(), ''.join(rng.choice('0123456789abcdef') for _ in range(32)),
        ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
                for _ in range(rng.randint(30, 90)))]))
    name, host = draw(st.sampled_from(_NAMES)), draw(st.sampled_from(_HOSTS))
    line = draw(st.sampled_from([
        f'{name}={value}', f'{name}: "{value}"', f'curl -H "Authorization: Bearer {value}" https://{host}/get',
        f'rediss://default:{value}@{host}:6379', f'https://{value}@{host}', f'{name} = "{value}" # {host}',
        f'x = f({value!r})', value, f'requirepass {value}', f'  value: {value}', f'"value": "{value}"',
        f'class Config: {name} = "{value}"', f'assert {name} == "{value}"', f'{name}=${{PASS:-{value}}}',
        f'redis://:{value}@{host}', f'rediss://default:{value}@{host}:6379/0 # pass']))
    window = draw(st.lists(st.sampled_from(
        [f'UPSTASH_REDIS_REST_URL=https://{host}', f'url: "https://{host}"', f'spring.data.redis.host={host}',
         'print("hello")', '']), max_size=4))
    # an env-list entry's name on the line before its `value:` (Kubernetes, ECS JSON)
    listed = draw(st.sampled_from([[], [f'- name: {name}'], [f'"name": "{name}",']]))
    return line, [*window, *listed, line]


def _ungated_context(line, nearby):
    original = context_evidence.may_report
    context_evidence.may_report = lambda line, nearby=(): True
    try:
        return context_evidence.context_findings(line, nearby)
    finally:
        context_evidence.may_report = original


def _ungated_password(line, nearby):
    original = context.names_upstash_host
    context.names_upstash_host = lambda lines: True
    try:
        return context.password_findings(line, nearby)
    finally:
        context.names_upstash_host = original


@settings(max_examples=400, deadline=None)
@given(_line_and_window())
def test_gates_change_no_finding(case):
    line, nearby = case
    assert context_evidence.context_findings(line, nearby) == _ungated_context(line, nearby)
    assert context.password_findings(line, nearby) == _ungated_password(line, nearby)


def _line_credentials_without_the_context_gate(line, nearby):
    original = findings.may_stand_in_context
    findings.may_stand_in_context = lambda line: True
    try:
        return findings.line_credentials(line, nearby=nearby)
    finally:
        findings.may_stand_in_context = original


@settings(max_examples=300, deadline=None)
@given(_line_and_window(), st.sampled_from(['', 'UPSTASH_MANAGEMENT_API_KEY=', 'upstash_email: a@b.co apiKey: ']))
def test_the_context_line_gate_changes_no_finding(case, prefix):
    # may_stand_in_context (names, Bearer, `@`, and a line long enough to hold a value) only
    # skips work: a line it stops gives the same findings as with the gate open
    line, nearby = case
    for text in (line, prefix + tokens._random_uuid()):
        assert findings.line_credentials(text, nearby=nearby) == _line_credentials_without_the_context_gate(text, nearby)


def test_pass_names_and_url_passwords_pass_the_context_gate():
    # the gate's `pass` test reads `password`/`passwd`/`_PASS` forms (not `class`, `assert`):
    # generated Upstash tokens under those names and URL passwords on an Upstash host are found
    # a token-like value of no layout the bytes layer knows: only the context layer finds it
    rng = random.Random(7)
    value = ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') for _ in range(44))
    host = 'brave-otter-10123.upstash.io'
    for line in (f'UPSTASH_REDIS_PASS={value}', f'upstash_pass: "{value}"', f'UPSTASH_PASSWORD = "{value}"',
                 f'MY_UPSTASH_PASSWD={value}', f'Upstash.Redis.Password: {value}', f'UPSTASH_PWD={value}',
                 f'upstash_redis_auth = "{value}"',
                 f'rediss://default:{value}@{host}:6379', f'redis://:{value}@{host}'):
        assert findings.may_stand_in_context(line), line
        assert [c.value for c in findings.line_credentials(line, nearby=[line])] == [value], line
    # the words the old `ass` test let through no longer open the gate
    for line in ('class ConnectionPoolSettings(BaseSettings, metaclass=ABCMeta):',
                 '        assert response.status_code == 200, response.text'):
        assert not findings.may_stand_in_context(line), line


def test_no_finding_is_shorter_than_the_shortest_line():
    # the shortest credential of every kind fits; one character less holds nothing
    assert findings._SHORTEST_LINE <= len('sig_' + 'x' * 24)
    assert findings.line_credentials('sig_' + 'a' * 23) == []


# --- the file gate (`findings.text_may_hold_credential`): a whole file at once ---

# Lines with no Upstash word, host or kind name: only the bytes, frame and base64-wrapped
# layers can find anything in them (the ones the file gate asks line by line).
_PLAIN_TEMPLATES = ['x = "{v}"', '{v}', 'f({v!r})', '  data: {v}', '"token": "{v}",', 'api_key: "{v}"',
                    'url = "rediss://default:{v}@db.example.com:6379"', 'apiKey: {v}', '  value: {v}',
                    'KEY={v} # {v}', '<td>{v}</td>', '"{v}\\n{v}"']
_NOISE = ['import os', 'def handler(event, context):', '    return {"status": 200}', '',
          'server_hash = "f7b1d7971beb466c66a2c972639afebf127390ac"', '# key token secret password value',
          'c3607197c720816c94e551572a1c62f44b05747e', 'A' * 60]


def _bytes_layer_values(rng):
    for kind in catalogue.KINDS:
        for _, generate in kind.generators:
            yield generate()
    yield tokens._random_uuid()
    yield ''.join(rng.choice('0123456789abcdef') for _ in range(32))
    yield ''.join(rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') for _ in range(rng.randint(30, 90)))


@st.composite
def _plain_file(draw):
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    value = draw(st.sampled_from(list(_bytes_layer_values(rng))))
    form = draw(st.sampled_from(['plain', 'base64', 'base64-url', 'cut']))
    if form == 'base64':
        value = base64.b64encode(value.encode()).decode()
    elif form == 'base64-url':
        value = base64.b64encode(f'rediss://default:{value}@db.example.com:6379'.encode()).decode()
    elif form == 'cut':
        value = value[:rng.randint(20, max(21, len(value) - 1))]
    line = draw(st.sampled_from(_PLAIN_TEMPLATES)).format(v=value)
    lines = draw(st.lists(st.sampled_from(_NOISE), max_size=8))
    lines.insert(draw(st.integers(0, len(lines))), line)
    return lines


def _file_values(lines, filename):
    return [credential.value for index, line in enumerate(lines)
            for credential in findings.line_credentials(line, filename, findings.context_window(lines, index))]


@settings(max_examples=400, deadline=None)
@given(st.one_of(_plain_file(), _line_and_window().map(lambda case: case[1])),
       st.sampled_from(['app.py', 'secret.yaml', 'k.json', '.upstash.json', 'notes.md', '']))
def test_a_file_the_file_gate_calls_quiet_holds_no_finding(lines, filename):
    # the gate is asked once per file, before any line: where it says "nothing here", the
    # plugin and the line filter skip every line, so no line may hold a finding, in this
    # file or (the line filter reads lines in no file) in none
    if not findings.text_may_hold_credential('\n'.join(lines), filename):
        assert _file_values(lines, filename) == []
        assert _file_values(lines, '') == []


def test_the_file_gate_lets_every_layer_through():
    host = 'brave-otter-10123.upstash.io'
    token = tokens.generate_redis_token(10123)
    for lines, filename in (
            ([f'x = "{token}"'], 'app.py'),                                         # token bytes
            ([f'  data: {base64.b64encode(token.encode()).decode()}'], 'secret.yaml'),  # wrapped
            ([f'url: "https://{host}"', f'token: "{"k" * 3}{token[3:]}"'], 'app.ts'),   # context
            ([f'apiKey: "{tokens.generate_management_api_key()}"'], '.upstash.json'),  # the CLI file
            # a 30-character signing key wraps to a run of 40: no island of the scanner's 41
            ([f'  data: {base64.b64encode(tokens.generate_signing_key(26).encode()).decode()}'], 'k.yml')):
        assert _file_values(lines, filename), lines
        assert findings.text_may_hold_credential('\n'.join(lines), filename), lines
    # ordinary code (the words key, token, secret, redis and 40-hex hashes included) is quiet
    assert not findings.text_may_hold_credential('\n'.join(_NOISE + ['redis = Redis(token=token)']), 'app.py')


def test_a_quiet_file_skips_only_its_own_line_objects():
    # the plugin skips a line only when it is the very object of the quiet file at that place:
    # an equal text from elsewhere (another caller, a stale state) is still read
    from detect_secrets.util.code_snippet import get_code_snippet
    import detect_secrets_upstash.plugins  # noqa: F401
    from detect_secrets_upstash.plugins import UpstashDetector
    from detect_secrets_upstash.plugins import scan_state
    token = tokens.generate_redis_token()
    quiet = ['x = 1\n', f'token = "{token}"\n']
    elsewhere = ['x = 1\n', ''.join(['token = "', token, '"\n'])]
    assert elsewhere == quiet and elsewhere[1] is not quiet[1]
    plugin = UpstashDetector()
    scan_state.quiet_lines = quiet
    try:
        assert plugin.analyze_line('a.py', quiet[1].rstrip(), 2, get_code_snippet(quiet, 2)) == set()
        found = plugin.analyze_line('a.py', elsewhere[1].rstrip(), 2, get_code_snippet(elsewhere, 2))
        assert [secret.secret_value for secret in found] == [token]
    finally:
        scan_state.quiet_lines = None
