"""The history blob scanner finds exactly what the plugin's predicate finds line by line.

`blobs.scan` rules most blobs out before any per-line work (bytes prefilter, whole-text
scan); these properties compare it with the plain reading, `line_credentials` on every
line with its +-5 lines, on generated text with generated credentials in every layout.
"""
import base64
import random

from detect_secrets.core.potential_secret import PotentialSecret
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import scanner
from detect_secrets_upstash.findings import context_window
from detect_secrets_upstash.findings import line_credentials
from detect_secrets_upstash.history import blobs
from detect_secrets_upstash.history.scan import hashed_secret
from detect_secrets_upstash.tokens import generate_host_name

GENERATORS = [(kind, make) for kind in catalogue.KINDS for _, make in kind.generators]


def _credential(draw_index: int, form: int) -> str:
    kind, make = GENERATORS[draw_index % len(GENERATORS)]
    value = kind.placed(make())         # a kind only context identifies: under its name
    if form == 1:
        return f'rediss://default:{value}@{generate_host_name()}.upstash.io:6379'
    if form == 2:                       # a Kubernetes Secret's data value
        return base64.b64encode(value.encode()).decode()
    if form == 3:                       # a legacy password under a password key, host nearby
        return f'REDIS_PASSWORD="{value}"\nREDIS_HOST={generate_host_name()}.upstash.io'
    return value


_filler = st.text(alphabet=st.sampled_from('abcxyzAgQZ019+/=_-:."\' \t\\n{}[]$\r\n\xe9\u2028'), max_size=80)


_B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'


@st.composite
def documents(draw):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        parts.append(draw(_filler))
        if draw(st.integers(0, 4)) == 0:    # a long base64 run glued to what follows (images, chunks)
            rng = random.Random(draw(st.integers(0, 2**32)))
            parts.append(''.join(rng.choice(_B64) for _ in range(draw(st.sampled_from([39, 40, 41, 799, 800, 1640])))))
        if draw(st.booleans()):
            parts.append(_credential(draw(st.integers(0, 1000)), draw(st.integers(0, 3))))
    return ''.join(parts)


def _line_by_line(text: str, filename: str):
    lines = blobs.split_lines(text)
    found = set()
    for index, line in enumerate(lines):
        for credential in line_credentials(line, filename, context_window(lines, index)):
            found.add((credential.found.kind.id, credential.value, index + 1))
    return found


@settings(max_examples=600, deadline=None)
@given(documents(), st.sampled_from(['utf-8', 'latin-1', 'utf-16']))
def test_blob_scan_equals_the_plugins_reading_line_by_line(text, encoding):
    data = text.encode(encoding, 'replace') if encoding != 'utf-16' else text.encode('utf-16')
    decoded = blobs.decode_bytes(data)[0]
    hits = blobs.scan(data)
    plain = {(h.credential.found.kind.id, h.credential.value, h.line) for h in hits if not h.manifest_only}
    manifest = {(h.credential.found.kind.id, h.credential.value, h.line) for h in hits}
    assert plain == _line_by_line(decoded, 'config.env')
    assert manifest == _line_by_line(decoded, 'secret.yaml')


@settings(max_examples=300, deadline=None)
@given(documents())
def test_prefilter_never_rules_out_a_credential(text):
    data = text.encode('utf-8')
    if _line_by_line(text, 'secret.yaml'):
        assert blobs.may_hold_credential(data)


def test_prefilter_rules_out_ordinary_source():
    source = b'def handler(request):\n    return {"status": 200, "items": [1, 2, 3]}\n' * 200
    assert not blobs.may_hold_credential(source)
    assert not blobs.may_hold_credential(b'=' * 200 + b'\n' + b'#' * 80)


def test_prefilter_follows_the_scanner():
    """The prefilter knows the catalogue's shapes (what every match starts with, or which
    run of characters it is) and encoded.py's chunks: a change to either fails here first."""
    from detect_secrets_upstash import encoded
    assert blobs.KNOWS_EVERY_SHAPE, (
        'a catalogue kind has a shape history/blobs.py does not know: every blob now goes through '
        'the scanner (correct, slower); add its guard literal or island there')
    assert not scanner._ALWAYS_FULL
    assert set(scanner._FULL_SCAN_GUARDS) == {'redis', 'eyJ', 'sig_'}
    assert catalogue.QSTASH_TOKEN.startswith('eyJ(?:Vc2VySUQiOi|QYXNzd29yZCI6)')
    assert catalogue.REDIS_URL.startswith('rediss?://')
    assert catalogue.SIGNING_KEY.count('sig_') == 1
    assert {kind.pattern for kind in catalogue.KINDS if kind.identified_by == catalogue.BYTES} == {
        catalogue.BASE64_BLOB, catalogue.QSTASH_TOKEN, catalogue.SIGNING_KEY, catalogue.REDIS_URL}
    assert catalogue.BASE64_BLOB.endswith('[Ag][A-Za-z0-9+/_-]{40,400}={0,2}(?![A-Za-z0-9+/_-])')
    assert catalogue.BASE64_BLOB.startswith(r'(?:(?<![A-Za-z0-9+/_\\-])|(?<=\\[nrt])|(?<=:-))')
    assert bytes(sorted(blobs._BODY)).decode() == ''.join(sorted('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-'))
    assert encoded._RUN.pattern == '[A-Za-z0-9+/]{40,800}={0,2}'
    assert blobs._ENCODED_FIRST == frozenset(map(ord, encoded._first_characters())) == frozenset(b'QZc')
    assert encoded.SHORTEST_ENCODED_LINE <= 44


@given(st.text())
def test_hash_is_detect_secrets_own(value):
    assert hashed_secret(value) == PotentialSecret.hash_secret(value)


def test_lfs_pointer_and_binary_are_told_apart():
    pointer = b'version https://git-lfs.github.com/spec/v1\noid sha256:' + b'ab' * 32 + b'\nsize 10\n'
    assert blobs.classify(pointer).lfs_pointer
    assert blobs.classify(b'\x89PNG\r\n\x1a\n\x00\x00').binary
    assert not blobs.classify('text \u00e9'.encode('utf-16')).binary
