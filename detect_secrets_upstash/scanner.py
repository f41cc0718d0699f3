"""Find Upstash credentials in a line of text, by structure rather than by names.

One compiled regex (the union of the catalogue's shapes) finds candidates; each
candidate is then decoded, and only candidates whose bytes fit a kind's layout are
returned.

Speed: detect-secrets hands every line of a repository to every plugin, so the cost of
a line WITHOUT a credential is what matters. The union regex starts with lookbehind
assertions, which keeps Python's regex engine from skipping ahead by first character:
it tries every alternative at every position (about 15x the cost of a plain character
scan). So the union only runs where a match can start (`_plan` sorts the shapes):

* a shape whose matches start with a literal (`redis`, `eyJ`, `sig_`, after zero-width
  lookbehinds) is tried, with the whole union on the whole line, at each place the
  literal occurs; `literal in line` rules most lines out at memchr speed;
* every other shape is a run of base64 characters (`_RUN_CHARS`), so its matches lie
  inside a maximal run of those characters at least as long as its shortest match. One
  character-class search (`_ISLAND`) finds those runs, and those shapes alone are
  searched inside each run. Their lookbehinds still see the text before the run (a
  regex's `pos` does not hide it), and the only lookaheads allowed are negative ones
  over run characters, which hold at a run's end as on the character after it;
* a shape that fits neither would send every line through the whole union (correct,
  slow); tests/test_scanner_prefilter.py says so if a catalogue change does that.

`_merge` replays the union's left-to-right search over these candidate places, so the
results, overlaps included, are exactly those of the union over the whole line (a token
inside a URL is found once, as its password); the tests compare the two on generated
lines.
"""
from __future__ import annotations

import os
import re
from typing import Iterator
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

from . import catalogue
from . import lazy_re
from .catalogue import Decoded
from .catalogue import Kind
from .placeholders import is_cut_short
from .records import frozen_record

try:                        # Python >= 3.11
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
except ImportError:         # pragma: no cover (Python 3.9, 3.10)
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse


@frozen_record
class Found:
    """A credential on a line: its kind, what its bytes say, and the URL it sits in."""
    kind: Kind
    value: str                      # the credential exactly as written
    decoded: Decoded
    host: Optional[str] = None      # when the credential sits inside an Upstash URL
    user: Optional[str] = None      # the URL's user name (`default`, `default_ro`)


def _compile():
    shapes = []
    for kind in catalogue.KINDS:
        # a kind only context identifies (a UUID) has no shape of its own here
        if kind.pattern is not None and kind.pattern not in shapes:
            shapes.append(kind.pattern)
    groups = {f's{i}': shape for i, shape in enumerate(shapes)}
    # Compiled on first use: only lines with a guard literal (`_plan`) reach it, and its
    # compile was ~5M instructions of every pre-commit run's start-up.
    regex = lazy_re.compile('|'.join(f'(?P<{name}>{shape})' for name, shape in groups.items()))
    kinds_by_group = {
        name: tuple(kind for kind in catalogue.KINDS if kind.pattern == shape)
        for name, shape in groups.items()
    }
    return regex, kinds_by_group, groups


_REGEX, _KINDS_BY_GROUP, _GROUPS = _compile()
_URL_GROUP = next(name for name, kinds in _KINDS_BY_GROUP.items()
                  if kinds[0].pattern == catalogue.REDIS_URL)
# A token can sit inside a URL: try every kind of the products whose tokens do.
_URL_KINDS = tuple(kind for kind in catalogue.KINDS if catalogue.product_of(kind).in_url_password)


# --- where the union regex needs to run (see the module docstring) ---

_RUN_CHARS = frozenset(map(ord, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_=-'))


def _only_run_chars(items) -> bool:
    """Whether a parsed regex (sub)pattern can only consume run characters, and its
    assertions keep their meaning when the text is cut at the end of a run."""
    c = _sre_constants
    for op, av in items:
        if op is c.LITERAL:
            if av not in _RUN_CHARS:
                return False
        elif op is c.IN:
            for item_op, item_av in av:
                if item_op is c.LITERAL:
                    if item_av not in _RUN_CHARS:
                        return False
                elif item_op is c.RANGE:
                    if not _RUN_CHARS.issuperset(range(item_av[0], item_av[1] + 1)):
                        return False
                else:               # NEGATE, CATEGORY (\s, \w, ...): not provably run characters
                    return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, 'POSSESSIVE_REPEAT', None)):
            if not _only_run_chars(av[2]):
                return False
        elif op is c.SUBPATTERN:
            # (?i:...) lets 'k' match the Kelvin sign: not provably run characters.
            if av[1] & c.SRE_FLAG_IGNORECASE or not _only_run_chars(av[-1]):
                return False
        elif op is c.BRANCH:
            if not all(_only_run_chars(branch) for branch in av[1]):
                return False
        elif op is c.ASSERT_NOT:
            direction, sub = av
            # A lookbehind sees the real text before the run. A negative lookahead over
            # run characters holds at a run's end, as on the non-run character after it.
            if direction > 0 and not _only_run_chars(sub):
                return False
        elif op is c.ASSERT:
            direction, _ = av
            if direction > 0:       # a positive lookahead may need the character after the run
                return False
        else:                       # AT (^, $, \b), ANY, GROUPREF, ...: not provable, so not a run
            return False
    return True


def _is_lookbehind(op, av) -> bool:
    c = _sre_constants
    if op in (c.ASSERT, c.ASSERT_NOT):
        return av[0] < 0
    if op is c.BRANCH:              # (?:(?<!x)|(?<=y)): zero width as a whole
        return all(branch and all(_is_lookbehind(*item) for item in branch) for branch in av[1])
    return False


_MAX_OPENINGS = 16


def _then(openings: Tuple[str, ...], alternatives: Tuple[str, ...]) -> Tuple[str, ...]:
    return tuple(dict.fromkeys(start + more for start in openings for more in alternatives))


def _openings(items, openings: Tuple[str, ...] = ('',)) -> Tuple[Tuple[str, ...], bool]:
    """`openings` extended by the literal text `items` begin with, and whether every item
    was literal (then what follows extends them too). Literals, small character sets,
    groups without (?i), alternations and optional parts extend them; anything else ends
    them (what is collected so far still begins every match)."""
    c = _sre_constants
    for op, av in items:
        whole = True
        if op is c.LITERAL:
            alternatives = (chr(av),)
        elif op is c.IN and all(item_op is c.LITERAL for item_op, _ in av):
            alternatives = tuple(chr(item_av) for _, item_av in av)
        elif op is c.SUBPATTERN and not av[1] & c.SRE_FLAG_IGNORECASE:
            alternatives, whole = _openings(av[-1])
        elif op is c.BRANCH:
            branches = [_openings(branch) for branch in av[1]]
            alternatives = tuple(dict.fromkeys(text for found, _ in branches for text in found))
            whole = all(complete for _, complete in branches)
        elif op is c.MAX_REPEAT and av[:2] == (0, 1):
            optional, whole = _openings(av[2])
            if not whole:
                return openings, False
            alternatives = ('', *optional)
        else:
            return openings, False
        extended = _then(openings, alternatives)
        if len(extended) > _MAX_OPENINGS:
            return openings, False
        openings = extended
        if not whole:
            return openings, False
    return openings, True


def literal_openings(shape: str) -> Tuple[str, ...]:
    """The literal texts one of which begins every match of `shape` (leading lookbehinds
    take no text): `rediss?://` -> ('redis://', 'rediss://'); ('',) when nothing literal
    is certain. The scanner and history's blob prefilter derive their guards from these."""
    return _literal_openings_of(_sre_parse.parse(shape))


def _literal_openings_of(parsed) -> Tuple[str, ...]:
    if parsed.state.flags & _sre_constants.SRE_FLAG_IGNORECASE:
        return ('',)
    items = list(parsed)
    while items and _is_lookbehind(*items[0]):
        items.pop(0)
    return _openings(items)[0]


def _plan(groups):
    """Sort the union's shapes by where they can match:

    guarded   every match starts with a literal of 3+ characters: the union is tried
              (on the whole text) where that literal occurs;
    island    a run of `_RUN_CHARS` (see `_only_run_chars`): searched inside maximal runs
              at least as long as its shortest match;
    other     nothing cheap says where it may be: every line gets the whole union.
    Returns (guard literals, every literal opening of the guarded shapes, island regex,
    regex of the island shapes, always_full, shortest match of any shape, shortest island).
    """
    guards, openings, island_groups, shortest, always_full = [], [], {}, None, False
    shortest_match = None
    for name, shape in groups.items():
        parsed = _sre_parse.parse(shape)
        width = parsed.getwidth()[0]
        shortest_match = width if shortest_match is None else min(shortest_match, width)
        starts = _literal_openings_of(parsed)
        literal = os.path.commonprefix(starts)
        if len(literal) >= 3:
            guards.append(literal)
            openings.extend(start for start in starts if start not in openings)
        elif _only_run_chars(list(parsed)):
            island_groups[name] = shape
            shortest = width if shortest is None else min(shortest, width)
        else:
            always_full = True
    shortest_match = shortest_match or 0
    if not island_groups:
        return tuple(guards), tuple(openings), None, None, always_full, shortest_match, 0
    shortest = max(shortest, 1)
    island = re.compile(f'[A-Za-z0-9+/_=-]{{{shortest},}}')
    # Same group names as the union: at a place where no guard literal starts, the union
    # can only match through these shapes, in this order.
    # Compiled on first use, as the union: only lines with a long enough run reach it.
    island_shapes = lazy_re.compile('|'.join(f'(?P<{name}>{shape})' for name, shape in island_groups.items()))
    return tuple(guards), tuple(openings), island, island_shapes, always_full, shortest_match, shortest


_FULL_SCAN_GUARDS, _GUARD_OPENINGS, _ISLAND, _ISLAND_SHAPES, _ALWAYS_FULL, SHORTEST_MATCH, _SHORTEST_ISLAND = _plan(_GROUPS)


def _matches(line: str) -> List['re.Match']:
    """The union regex's matches in `line`: exactly `list(_REGEX.finditer(line))`, faster."""
    if _ALWAYS_FULL:
        return list(_REGEX.finditer(line))
    for guard in _FULL_SCAN_GUARDS:
        if guard in line:
            break
    else:                           # the common case: one character-class scan of the line
        if _ISLAND is None or len(line) < _SHORTEST_ISLAND or _ISLAND.search(line) is None:
            return []       # most lines: no run long enough (one C search, no iterator)
        return [match for island in _ISLAND.finditer(line)
                for match in _ISLAND_SHAPES.finditer(line, island.start(), island.end())]
    islands = [] if _ISLAND is None else [island.span() for island in _ISLAND.finditer(line)]
    return list(_merge(line, islands, _guard_positions(line)))


# Every ASCII character to 'a' (a run character) or ' ': a run of at least N run characters
# is then found by `str.find('a' * N)` at C speed, where a character-class search restarts
# at every position of every shorter run (about 20x slower on a file of code).
_RUN_MARKS = str.maketrans({code: 'a' if code in _RUN_CHARS else ' ' for code in range(128)})
# The same for ASCII text as bytes: `bytes.translate` reads a 256-byte table, several times
# faster than `str.translate`'s dictionary (which this runs on most files a scan reads).
_RUN_MARKS_BYTES = bytes(ord('a') if code in _RUN_CHARS else ord(' ')
                         for code in range(256))


def places(text: str, shortest_run: int = 0) -> Optional[List[int]]:
    """Where in `text` (lines joined by '\n') a match of `_matches` can start, at least one
    per line: each guarded shape's literal openings (`redis://`, not only the guard `redis`)
    and the first run of at least `shortest_run` (at most the shortest island) run
    characters of each line. None when every line takes the whole union."""
    if _ALWAYS_FULL:
        return None
    found = _positions(text, _GUARD_OPENINGS)
    if _ISLAND is not None:
        run = 'a' * min(shortest_run or _SHORTEST_ISLAND, _SHORTEST_ISLAND)
        if text.isascii():      # the same indices in the bytes
            marked, run = text.encode('ascii').translate(_RUN_MARKS_BYTES), run.encode('ascii')
        else:
            marked = text.translate(_RUN_MARKS)     # non-ASCII characters stay: not run characters
        at = marked.find(run)
        while at >= 0:
            found.append(at)
            at = text.find('\n', at)          # a run never spans a line break
            if at < 0:
                break
            at = marked.find(run, at)
    return found


def _positions(text: str, needles: Sequence[str]) -> List[int]:
    """Every index at which one of `needles` starts in `text` (overlaps included)."""
    positions = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            positions.append(at)
            at = text.find(needle, at + 1)
    return positions


def _guard_positions(line: str) -> List[int]:
    return sorted(set(_positions(line, _FULL_SCAN_GUARDS)))


def _merge(line: str, islands: List[Tuple[int, int]], guards: List[int]) -> Iterator['re.Match']:
    """Replay the union's left-to-right search, trying the union only where a match can
    start: inside islands (searched with the island's end as the text's end) and at the
    literal start of a guarded shape (matched on the whole text)."""
    pos, island_index, guard_index = 0, 0, 0
    # The first island match at or after `cached_from` (None: no match in that island),
    # reused while `pos` has not passed it: a long island is searched once, not once per guard.
    cached_island, cached_from, cached = -1, 0, None
    while True:
        while guard_index < len(guards) and guards[guard_index] < pos:
            guard_index += 1
        guard = guards[guard_index] if guard_index < len(guards) else None
        match = None
        while island_index < len(islands):
            start, end = islands[island_index]
            if end <= pos:
                island_index += 1
                continue
            start = max(start, pos)
            if guard is not None and start >= guard:
                break
            if (cached_island == island_index and cached_from <= start
                    and (cached is None or start <= cached.start())):
                match = cached
            else:
                match = _ISLAND_SHAPES.search(line, start, end)
                cached_island, cached_from, cached = island_index, start, match
            if match is not None:
                break
            island_index += 1
        if match is not None and (guard is None or match.start() < guard):
            yield match
            pos = match.end()
            continue
        if guard is None:
            return
        # A match at `guard` (of any shape: this is the union, on the whole text), if any,
        # comes before every island match found so far.
        match = _REGEX.match(line, guard)
        if match is not None and match.end() > guard:
            yield match
            pos = match.end()
        else:
            pos = guard + 1


def _identify(value: str, kinds, after: str = '') -> Optional[Tuple[Kind, Decoded]]:
    # Token bytes first; failing them, a kind's frame around an unknown payload, unless
    # what follows says the value was cut short there (`<head><redacted>`, `<head>...`):
    # a frame's head is all such a value shows.
    return catalogue.identify(value, kinds) or (
        None if is_cut_short(after) else catalogue.identify_frame(value, kinds))


def find_credentials(line: str) -> List[Found]:
    """Credentials on `line` identified by their own bytes or frame (the context layer,
    `context_evidence`, adds values identified by where they stand)."""
    matches = _matches(line)
    if not matches:
        return []
    found = []
    for match in matches:
        group = match.lastgroup
        if group is None:
            continue
        if group == _URL_GROUP:
            value = match.group('password')
            hit = _identify(value, _URL_KINDS)
            if hit:
                found.append(Found(hit[0], value, hit[1], match.group('host').lower(), match.group('user')))
            continue
        value = match.group(group)
        hit = _identify(value, _KINDS_BY_GROUP[group], line[match.end():match.end() + 40])
        if hit:
            found.append(Found(hit[0], value, hit[1]))
    return found
