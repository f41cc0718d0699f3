"""Property tests: no input makes the scanner, a decoder or the plugin raise, and a
generated credential embedded in arbitrary text is always found."""
import string

from hypothesis import assume
from hypothesis import example
from hypothesis import given
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens
from detect_secrets_upstash.context import describe
from detect_secrets_upstash.findings import line_credentials
from detect_secrets_upstash.plugins import UpstashDetector
from detect_secrets_upstash.plugins.transformed_files import restore_credentials
from detect_secrets_upstash.scanner import find_credentials

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
BASE64_CHARS = string.ascii_letters + string.digits + '+/_-='

# Text as files hold it: any code point (surrogates included, as `surrogateescape` makes),
# NULs, and long runs of base64 characters that look like the start of a token.
any_text = st.text(alphabet=st.characters(), max_size=300)
base64_runs = st.builds(
    lambda head, body, tail: head + body + tail,
    st.sampled_from(['', 'A', 'g', 'eyJVc2VySUQiOi', 'sig_', 'rediss://default:', '\\n', ':-']),
    st.text(alphabet=BASE64_CHARS, min_size=0, max_size=2000),
    st.text(alphabet='=@.:/\\ \x00', max_size=5),
)
binaryish = st.binary(max_size=400).map(lambda b: b.decode('latin-1'))
lines = st.one_of(any_text, base64_runs, binaryish)
KIND_GENERATORS = [generate for kind in catalogue.KINDS for _, generate in kind.generators]
# Kinds whose value alone is a finding (`Kind.identified_by`), and those only context identifies.
BYTES_GENERATORS = [generate for kind in catalogue.KINDS for _, generate in kind.generators
                    if kind.identified_by == catalogue.BYTES]
CONTEXT_KINDS = [kind for kind in catalogue.KINDS if kind.identified_by == catalogue.CONTEXT]
DECODERS = [tokens.decode_redis_token, tokens.decode_vector_token, tokens.decode_qstash_token,
            tokens.is_signing_key, tokens.is_legacy_redis_password, tokens.b64decode_tolerant,
            tokens.redact] + [kind.decode for kind in catalogue.KINDS]
_DETECTOR = UpstashDetector()


@BOUNDED
@given(lines)
@example('A' * 1_000_000)
@example('\ud800' + 'A' * 500 + '\udfff')
@example('\x00'.join(['AVGHAAIncDJ'] * 100))
def test_scanning_never_raises(line):
    for found in find_credentials(line):
        assert found.value in line
        describe(found, [line])
    findings = _DETECTOR.analyze_line(filename='f', line=line, line_number=1)
    assert all(secret.type in catalogue.BY_SECRET_TYPE for secret in findings)


@BOUNDED
@given(lines)
def test_decoders_never_raise(value):
    for decode in DECODERS:
        decode(value)


# (before, after) the credential, as code and config files write it
QUOTES = [('"', '"'), ("'", "'"), (' ', ' '), ('=', '\n'), (': ', ','), ('\n', '\n'), ('(', ')'),
          ('[', ']'), ('`', '`'), ('\\n', '\\n'), ('\\"', '\\"'), ('${X:-', '}'), ('Bearer ', '"')]


@BOUNDED
@given(st.sampled_from(BYTES_GENERATORS), any_text, any_text, st.sampled_from(QUOTES))
def test_generated_credential_in_arbitrary_text_is_found(generate, before, after, quotes):
    written = generate()
    line = before + quotes[0] + written + quotes[1] + after
    value = find_credentials(written)[0].value     # a URL's password, or the credential itself
    assert value in {found.value for found in find_credentials(line)}


@BOUNDED
@given(st.lists(lines, max_size=8), st.lists(lines, max_size=8))
def test_restoring_transformed_lines_never_raises_and_keeps_credentials(raw, transformed):
    token = tokens.generate_redis_token()
    raw = [line.replace('\n', ' ') for line in raw] + [f'key: {token}']
    restored = restore_credentials(transformed, '\n'.join(raw))
    assert token in restored[len(raw) - 1]
    assert sum(token in line for line in restored) == 1


# An Upstash-style name for the Management API key: any prefix and case, the separators
# env files, YAML, JSON, HCL, Pulumi and .NET configuration write.
_KEY_NAMES = st.builds(
    lambda prefix, middle, case: case(f'{prefix}upstash{middle}api_key'),
    st.sampled_from(['', 'TF_VAR_', 'MYAPP_', 'NEXT_', 'prod.']),
    st.sampled_from(['_', '_management_', '_developer_', '__', ':']),
    st.sampled_from([str.upper, str.lower, lambda name: name]))
_ASSIGNMENTS = [('{name}={key}'), ('{name}="{key}"'), ('export {name}=\'{key}\''), ('  {name}: {key}'),
                ('"{name}": "{key}",'), ('{name} = "{key}"'), ("os.environ['{name}'] = '{key}'")]


@BOUNDED
@given(st.sampled_from(CONTEXT_KINDS), _KEY_NAMES, st.sampled_from(_ASSIGNMENTS))
def test_a_management_key_under_an_upstash_style_name_is_reported(kind, name, form):
    _, generate = kind.generators[0]
    key = generate()
    line = form.format(name=name, key=key)
    found = [c.found for c in line_credentials(line, '', [line])]
    assert [(f.kind.id, f.value) for f in found] == [(kind.id, key)], line


@BOUNDED
@given(st.sampled_from(CONTEXT_KINDS), any_text, any_text)
def test_a_uuid_alone_in_arbitrary_text_is_never_a_management_key(kind, before, after):
    # UUIDs are everywhere (lock files, request ids): without Upstash context, nothing
    key = kind.generators[0][1]()
    line = f'{before} "{key}" {after}'
    assume('pstash' not in line.lower() and 'api' not in line.lower() and '@' not in line)
    assert [c for c in line_credentials(line, 'f.txt', [line]) if c.found.kind is kind] == []
