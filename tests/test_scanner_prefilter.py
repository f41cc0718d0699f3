"""The scanner's shortcut (run the union regex only where a match can start) finds
exactly what the union regex finds on the whole line: same spans, same shapes, in the
same order. A difference would be a lost or an invented finding."""
import re

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import scanner
from detect_secrets_upstash import tokens


def _union(line):
    return [(m.span(), m.lastgroup) for m in scanner._REGEX.finditer(line)]


def _shortcut(line):
    return [(m.span(), m.lastgroup) for m in scanner._matches(line)]


_EXAMPLES = [example for kind in catalogue.KINDS for example in kind.examples + kind.counter_examples]
_FRAGMENTS = _EXAMPLES + list(catalogue.LOOK_ALIKES) + [
    'redis://', 'rediss://default:', 'rediss://x:', ':', '@', '@quiet-walrus-20871.upstash.io', '.upstash.io',
    '@x.kv.vercel-storage.com', 'sig_', 'eyJVc2VySUQiOi', 'eyJQYXNzd29yZCI6', '\\n', '\\t', '\\', '=', '==',
    '"', "'", ' ', '\n', '/', '+', '-', '_', '.', '%3D', 'A' * 41, 'g' * 45, 'redis', 'Ag',
]
_fragment = st.one_of(
    st.sampled_from(_FRAGMENTS),
    st.text(alphabet='Ag0+/_=-:@.\\nrs ', max_size=60),
    st.builds(lambda example, cut: example[:cut], st.sampled_from(_EXAMPLES), st.integers(0, 120)),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_fragment, max_size=12).map(''.join))
def test_shortcut_matches_the_union_on_assembled_lines(line):
    assert _shortcut(line) == _union(line)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_shortcut_matches_the_union_on_arbitrary_text(line):
    assert _shortcut(line) == _union(line)


def test_shortcut_matches_the_union_around_every_example():
    for example in _EXAMPLES + list(catalogue.LOOK_ALIKES):
        for before, after in [('', ''), ('x', 'y'), ('\\n', '\\n'), ('"', '",'), ('=', '='), ('a' * 30, ''),
                              ('', 'b' * 30), ('redis', ''), ('rediss://u:', '@h.upstash.io'), ('sig_', '')]:
            line = before + example + after
            assert _shortcut(line) == _union(line), line


def test_a_token_inside_a_url_is_found_once_as_the_url_password():
    token = tokens.generate_redis_token(20871)
    line = f'REDIS_URL=rediss://default:{token}@quiet-walrus-20871.upstash.io:6379 # {token}'
    found = scanner.find_credentials(line)
    assert [(f.value, f.host) for f in found] == [(token, 'quiet-walrus-20871.upstash.io'), (token, None)]


def test_every_non_url_shape_is_proved_to_be_a_run():
    """If a catalogue change made a shape unprovable, every line would take the slow
    path: correct but slow. Keep the shortcut in force for the current shapes."""
    assert not scanner._ALWAYS_FULL
    assert set(scanner._FULL_SCAN_GUARDS) == {'redis', 'eyJ', 'sig_'}
    assert isinstance(scanner._ISLAND, re.Pattern)
