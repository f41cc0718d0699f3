"""The cheap gates in front of the context and password rules (`context_evidence.may_report`,
`context.names_upstash_host`, the shortest-line check of `findings.line_credentials`) only
skip work: with them and without them, every line gives the same findings."""
import random

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

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
