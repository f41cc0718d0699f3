"""Which files no rule of the pack can match, read once before semgrep runs.

semgrep decides per file and per rule whether a rule can match before it parses anything:
semgrep-core derives from each rule a formula of words (identifiers the rule's patterns
need) and regular expressions (its `pattern-regex` guards), and skips the rule on a file
that fails it. That check costs about 0.8 ms per file for the ~40 rules of the pack, more
than everything else semgrep does on a file none of them concerns (bench/semgrep_speed.py).
`upstash-semgrep` asks semgrep-core for the same formulas (`-prefilter_of_rules`), reads
each file once, and keeps out of the scan the files that fail every rule's formula: a file
in which no rule can match gives no finding, with or without the prefilter.

Kept out by `--exclude` patterns, so that semgrep still chooses its targets itself
(`.semgrepignore`, `.gitignore`, `--include`, its default ignore list): the prefilter only
ever removes files from what semgrep would scan, never adds any. What is left alone (handed
to semgrep as before):

* files semgrep may skip or report itself: larger than its 1 MB default limit, symlinks,
  unreadable files, files not valid UTF-8;
* regular-expression checks on files with non-ASCII text (Python's `re` and semgrep's PCRE
  can differ there, so such a check counts as passed);
* every file when semgrep-core's formulas cannot be had (another layout of the semgrep
  install, a rule the formulas do not name): the scan is then as slow as before, not less
  complete.

A formula says what a rule NEEDS, so evaluating it more generously than semgrep does is
always safe: words are looked for as substrings (semgrep wants whole identifiers), a rule
applies to a file unless its languages or its `paths.include` plainly rule the file out,
and `paths.exclude` is ignored.
"""
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any
from typing import Callable
from typing import Dict
from typing import FrozenSet
from typing import Iterable
from typing import List
from typing import Optional
from typing import Sequence
from typing import Set
from typing import Tuple

# semgrep's default --max-target-bytes: a larger file is skipped (and reported) by semgrep.
MAX_TARGET_BYTES = 1_000_000
# Languages semgrep gives to files by extension (semgrep_interfaces/lang.json). A file with
# another extension gets none of these, unless a `#!` line names an interpreter.
LANGUAGES_BY_EXTENSION = {
    '.js': 'javascript', '.jsx': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
    '.ts': 'typescript', '.tsx': 'typescript',
    # not semgrep's: upstash-semgrep scans staged copies of these with the TypeScript rules
    '.mts': 'typescript', '.cts': 'typescript',
    '.py': 'python', '.pyi': 'python',
}
LANGUAGE_NAMES = {'js': 'javascript', 'javascript': 'javascript', 'ts': 'typescript',
                  'typescript': 'typescript', 'py': 'python', 'python': 'python'}
# Only these characters in an --exclude pattern: nothing a gitignore-style glob reads as
# special (`*?\!#`, spaces), so the pattern names exactly one path; `[` and `]` (Next.js
# `[id]`, `[[...slug]]` route directories) are escaped with a backslash, which semgrep's
# glob reads as the character itself. `(group)` directories are plain text to it.
_PLAIN_PATH = re.compile(r'[A-Za-z0-9._@+=,~%/()\[\]-]+')


def exclude_pattern(relative: str) -> str:
    """The anchored --exclude pattern that names `relative` (a plain path) and nothing else."""
    return '/' + relative.replace('[', '\\[').replace(']', '\\]')


# The command line has room for this many bytes of patterns (Linux: 128 KiB per argument,
# about 2 MiB in all); past it the remaining files are scanned (slower, still exact).
PATTERN_BUDGET = 400_000

try:                                    # Python 3.11+
    from re import _parser as _sre_parser
except ImportError:                     # pragma: no cover - Python 3.9, 3.10
    import sre_parse as _sre_parser     # type: ignore[no-redef]

Formula = Callable[[str, bool], bool]


class PrefilterUnavailable(Exception):
    """semgrep-core's rule formulas could not be had: scan every file."""


# ---- semgrep-core's formulas --------------------------------------------------------------------

def core_executable(semgrep: str) -> Optional[str]:
    """semgrep-core of the semgrep install that `semgrep` belongs to (None if not found)."""
    script = Path(semgrep).resolve()
    candidates: List[Path] = []
    # pip/pipx/venv layout: <prefix>/bin/semgrep and <prefix>/lib/pythonX.Y/site-packages/semgrep/bin/
    for prefix in (script.parent.parent, Path(semgrep).absolute().parent.parent):
        candidates += sorted(prefix.glob('lib/python*/site-packages/semgrep/bin/semgrep-core'))
        candidates += sorted(prefix.glob('Lib/site-packages/semgrep/bin/semgrep-core.exe'))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which('semgrep-core')     # Homebrew and Docker put it on PATH


def cache_dir() -> Path:
    """Where semgrep-core's answers are kept between runs (the XDG cache directory)."""
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return Path(base) / 'detect-secrets-upstash'


def _cache_key(core: str, config_text: bytes) -> str:
    """The formulas depend only on the rules and the semgrep-core binary that read them."""
    found = os.stat(core)
    identity = f'{os.path.realpath(core)}\0{found.st_size}\0{found.st_mtime_ns}\0'.encode()
    return hashlib.sha256(identity + config_text).hexdigest()


def rule_formulas(core: str, config: Path, cache: Optional[Path] = None) -> Dict[str, Any]:
    """{rule id: semgrep-core's prefilter formula, or None for a rule with none}.

    Asking semgrep-core costs ~0.2 s a run, so its answer is kept in `cache` (default
    `cache_dir()`) under a key of the rules and the semgrep-core binary (path, size, mtime):
    another pack or another semgrep asks again. A cache that cannot be read or written is
    passed over."""
    cache = cache_dir() if cache is None else cache
    try:
        config_text = config.read_bytes()
        cached = cache / f'prefilter-{_cache_key(core, config_text)}.json'
    except OSError as error:
        raise PrefilterUnavailable(f'cannot read {config} or {core}: {error}') from error
    try:
        return formulas_of(json.loads(cached.read_text(encoding='utf-8')))
    except (OSError, ValueError, PrefilterUnavailable):
        pass                    # none yet, or unreadable: ask semgrep-core
    try:
        completed = subprocess.run([core, '-prefilter_of_rules', str(config)], capture_output=True,
                                   stdin=subprocess.DEVNULL, timeout=120)
        document = json.loads(completed.stdout)
    except (OSError, subprocess.SubprocessError, ValueError) as error:
        raise PrefilterUnavailable(f'semgrep-core -prefilter_of_rules failed: {error}') from error
    if completed.returncode != 0:
        raise PrefilterUnavailable('semgrep-core -prefilter_of_rules gave no formulas')
    formulas = formulas_of(document)
    write_json_cache(cached, document)
    return formulas


def write_json_cache(cached: Path, document: Any) -> None:
    """Write `document` as JSON to `cached`, whole or not at all (also with runs in parallel).

    A cache that cannot be written (read-only directory, full disk, a value JSON cannot hold)
    is skipped: the next run computes the entry again."""
    partial = cached.with_name(f'{cached.name}.{os.getpid()}.tmp')
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(document), encoding='utf-8')
        os.replace(partial, cached)
    except (OSError, TypeError, ValueError):
        try:
            partial.unlink()
        except OSError:
            pass


def formulas_of(document: Any) -> Dict[str, Any]:
    """semgrep-core's `-prefilter_of_rules` answer as {rule id: formula or None}."""
    if not isinstance(document, list):
        raise PrefilterUnavailable('semgrep-core -prefilter_of_rules gave no formulas')
    formulas: Dict[str, Any] = {}
    for entry in document:
        if not isinstance(entry, dict) or not isinstance(entry.get('rule_id'), str):
            raise PrefilterUnavailable(f'unexpected prefilter entry: {entry!r:.200}')
        found = entry.get('filter')
        if found == 'None' or found is None:
            formulas[entry['rule_id']] = None
        elif isinstance(found, list) and len(found) == 2 and found[0] == 'Some':
            formulas[entry['rule_id']] = found[1]
        else:
            raise PrefilterUnavailable(f'unexpected prefilter formula: {found!r:.200}')
    return formulas


# PCRE escapes Python's `re` reads the same way (on ASCII text, with re.ASCII); `\z` and `\Z`
# are translated; anything else (\h, \K, \p{..}, \Q, \R, ...) makes the check count as passed.
_SAME_ESCAPES = set('AbBdDsSwWnrtfv0123456789x.^$|?*+()[]{}\\/-"\'#&~ :=<>!,%@`;_')


def python_regex_source(pattern: str) -> Optional[str]:
    """The PCRE `pattern` translated for Python's `re` (with re.ASCII: the same matches on
    ASCII text), or None where Python reads it differently. Not compiled."""
    out: List[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char != '\\':
            out.append(char)
            index += 1
            continue
        escaped = pattern[index + 1:index + 2]
        if escaped == 'z':
            out.append(r'\Z')                   # PCRE \z: the very end
        elif escaped == 'Z':
            out.append(r'(?=\n?\Z)')            # PCRE \Z: the end, or before a final newline
        elif escaped and escaped in _SAME_ESCAPES:
            out.append('\\' + escaped)
        else:
            return None
        index += 2
    if re.search(r'\(\?[a-zA-Z]*[xJXU]', pattern) or '(?|' in pattern or '(?R' in pattern:
        return None                             # extended mode, PCRE-only flags, recursion
    return ''.join(out)


def python_regex(pattern: str) -> Optional['re.Pattern[str]']:
    """The PCRE `pattern` as a Python regex with the same matches on ASCII text, or None."""
    source = python_regex_source(pattern)
    if source is None:
        return None
    try:
        return re.compile(source, re.ASCII)
    except re.error:
        return None


def compile_formula(node: Any) -> Formula:
    """A check `(text, ascii) -> may the rule match` for one semgrep-core formula node."""
    kind = node[0] if isinstance(node, list) and node else None
    if kind == 'Pred' and isinstance(node[1], list) and len(node[1]) == 2:
        what, value = node[1]
        if what == 'Idents' and isinstance(value, list):
            return _all_words(tuple(str(w) for w in value))
        if what == 'Regexp' and isinstance(value, str):
            return _regex_check(value)
    if kind in ('And', 'Or') and isinstance(node[1], list):
        # Word checks first: they are cheap and fail on most files.
        ordered = sorted(node[1], key=_cost)
        if kind == 'And':
            # the words of every Idents part in one check
            words = tuple(str(w) for part in ordered if _is_idents(part) for w in part[1][1])
            rest = [part for part in ordered if not _is_idents(part)]
            checks = ((_all_words(words),) if words else ()) + tuple(compile_formula(p) for p in rest)
            if len(checks) == 1:
                return checks[0]

            def all_of(text: str, ascii_text: bool) -> bool:
                for check in checks:
                    if not check(text, ascii_text):
                        return False
                return True
            return all_of
        checks = tuple(compile_formula(part) for part in ordered)

        def any_of(text: str, ascii_text: bool) -> bool:
            for check in checks:
                if check(text, ascii_text):
                    return True
            return False
        return any_of
    raise PrefilterUnavailable(f'unexpected prefilter node: {node!r:.200}')


def _regex_check(pattern: str) -> Formula:
    """The check of a Regexp node: compiled when first needed (most files never get that far),
    passed when Python cannot read the pattern as PCRE does."""
    source = python_regex_source(pattern)
    if source is None:
        return lambda text, ascii_text: True
    compiled: List[Optional[Callable[[str], Any]]] = []
    # The literals one of which every match holds (regex_gate), looked for before the regex
    # runs: most files that reach a regex lack them, and an anchored `\A...[\s\S]*?x` regex
    # reads the whole file to say so. Worked out when first needed, as the regex is.
    needed: List[Tuple[Tuple[str, ...], Tuple[str, ...]]] = []

    def check(text: str, ascii_text: bool) -> bool:
        if not ascii_text:
            return True
        if not compiled:
            try:
                compiled.append(re.compile(source, re.ASCII).search)
            except re.error:
                compiled.append(None)
            gate = (regex_gate(pattern) or ()) if compiled[0] is not None else ()
            needed.append((tuple(t for t, folded in gate if not folded),
                           tuple(t for t, folded in gate if folded)))
        search = compiled[0]
        if search is None:
            return True
        sensitive, folded = needed[0]
        if (sensitive or folded) and not any(t in text for t in sensitive):
            # ASCII text: its case folding is lower()
            lowered = text.lower() if folded else ''
            if not any(t in lowered for t in folded):
                return False
        return search(text) is not None
    return check


def _is_idents(node: Any) -> bool:
    return (isinstance(node, list) and len(node) == 2 and node[0] == 'Pred'
            and isinstance(node[1], list) and len(node[1]) == 2 and node[1][0] == 'Idents'
            and isinstance(node[1][1], list))


def _all_words(words: Tuple[str, ...]) -> Formula:
    def check(text: str, ascii_text: bool) -> bool:
        for word in words:
            if word not in text:
                return False
        return True
    return check


def _cost(node: Any) -> int:
    if isinstance(node, list) and node and node[0] == 'Pred':
        return 0 if node[1][0] == 'Idents' else 10
    if isinstance(node, list) and len(node) == 2 and isinstance(node[1], list):
        return 1 + max((_cost(part) for part in node[1]), default=0)
    return 10


# ---- which rules apply to a file ----------------------------------------------------------------

class RuleScope:
    """The files a rule can apply to: its languages and `paths.include`, read generously."""

    def __init__(self, rule: Dict[str, Any]) -> None:
        languages = [str(lang).lower() for lang in rule.get('languages') or []]
        # regex, generic and languages not mapped here apply to files of any name
        self.any_file = not languages or any(lang not in LANGUAGE_NAMES for lang in languages)
        self.languages = {LANGUAGE_NAMES[lang] for lang in languages if lang in LANGUAGE_NAMES}
        paths = rule.get('paths') or {}
        includes = paths.get('include') if isinstance(paths, dict) else None
        self.includes: Optional[List[str]] = None
        if isinstance(includes, list) and includes:
            patterns = []
            for pattern in includes:
                pattern = str(pattern)
                while pattern.startswith('**/'):
                    pattern = pattern[3:]
                # `**/scripts/**`: a path component `scripts` (a directory includes its files)
                while pattern.endswith('/**') and '/' not in pattern[:-3]:
                    pattern = pattern[:-3]
                if '/' in pattern.rstrip('/') or not pattern:
                    patterns = None     # a path pattern: assume it may match anything
                    break
                patterns.append(pattern.rstrip('/'))
            self.includes = patterns
        self._include_regex = (re.compile('|'.join(fnmatch.translate(p) for p in self.includes))
                               if self.includes else None)

    def language_applies(self, languages: Optional[Set[str]]) -> bool:
        """`languages` None: any (a `#!` script)."""
        return self.any_file or languages is None or bool(self.languages & languages)

    def include_hit(self, component: str) -> bool:
        """Whether a `paths.include` pattern matches this path component (a pattern without a
        slash matches any component: a directory includes its files)."""
        return self._include_regex is not None and self._include_regex.match(component) is not None


def file_languages(name: str, head: bytes) -> Optional[Set[str]]:
    """The languages semgrep may give a file: by extension, or any for a `#!` script."""
    language = LANGUAGES_BY_EXTENSION.get(os.path.splitext(name)[1])
    if language:
        return {language}
    return None if head.startswith(b'#!') else set()


# A literal a file must contain for a formula to pass: (text, compared case-insensitively).
# A literal a file must contain for a formula to pass: (text, compared case-insensitively).
Literal = Tuple[str, bool]
Gate = Optional[FrozenSet[Literal]]     # one of these must be present; None: no such literal


# Words nearly every module contains: a gate of only these lets almost every file through
# to the regex (`export` of an `export function loader` guard, in 3,600 of the bench's files).
_COMMON_WORDS = frozenset({'export', 'import', 'const', 'function', 'return', 'async', 'await',
                           'default', 'require', 'module', 'from', 'class', 'def', 'self'})


def _best(candidates: Iterable[Gate]) -> Gate:
    """The most selective gate: not only common words, then the one whose shortest literal is
    longest (then the smallest)."""
    found = [c for c in candidates if c]
    if not found:
        return None
    return max(found, key=lambda gate: (not all(text in _COMMON_WORDS for text, _ in gate),
                                        min(len(text) for text, _ in gate), -len(gate)))


def regex_gate(pattern: str) -> Gate:
    """Literals one of which every match of the PCRE `pattern` contains (None: not known).

    Read from Python's parse of the translated pattern: runs of plain characters, through
    groups, lookarounds, repeats of at least one and alternations whose every branch has one.
    Case-insensitive parts give case-folded literals."""
    regex = python_regex(pattern)
    if regex is None:
        return None
    try:
        parsed = _sre_parser.parse(regex.pattern, regex.flags)
    except Exception:       # noqa: BLE001 -- an internal parser: any surprise means "not known"
        return None
    return _sequence_gate(list(parsed), bool(parsed.state.flags & re.IGNORECASE))


def _sequence_gate(items: List[Any], folded: bool) -> Gate:
    constants = _sre_parser
    candidates: List[Gate] = []
    run: List[str] = []

    def flush() -> None:
        if run:
            text = ''.join(run)
            candidates.append(frozenset({(text.casefold() if folded else text, folded)}))
            run.clear()

    for op, value in items:
        if op is constants.LITERAL and value < 128:
            run.append(chr(value))
            continue
        flush()
        if op is constants.SUBPATTERN:
            _, add_flags, del_flags, sub = value
            inner = (folded or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            candidates.append(_sequence_gate(list(sub), inner))
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT,
                    getattr(constants, 'POSSESSIVE_REPEAT', None)) and value[0] >= 1:
            candidates.append(_sequence_gate(list(value[2]), folded))
        elif op is getattr(constants, 'ATOMIC_GROUP', None):
            candidates.append(_sequence_gate(list(value), folded))
        elif op is constants.ASSERT:            # a lookaround: what it looks for is there too
            candidates.append(_sequence_gate(list(value[1]), folded))
        elif op is constants.BRANCH:
            branches = [_sequence_gate(list(branch), folded) for branch in value[1]]
            if all(branches):
                candidates.append(frozenset().union(*branches))
    flush()
    return _best(candidates)


def formula_gate(node: Any) -> Gate:
    """Literals one of which a file passing the formula contains (None: not known)."""
    kind = node[0] if isinstance(node, list) and node else None
    if kind == 'Pred':
        what, value = node[1]
        if what == 'Idents':
            words = [str(word) for word in value if word]
            return frozenset({(max(words, key=len), False)}) if words else None
        return regex_gate(value)
    parts = [formula_gate(part) for part in node[1]]
    if kind == 'And':
        return _best(parts)
    if not parts or not all(parts):         # Or: each branch must have one
        return None
    return frozenset().union(*parts)


def rule_gates(formulas: Dict[str, Any], cache: Optional[Path] = None) -> Dict[str, Gate]:
    """{rule id: `formula_gate` of its formula (None for none)}.

    Reading the gates out of the rules' regular expressions costs ~10 ms a run (they are
    compiled and parsed), so they are kept in `cache` (default `cache_dir()`) under a key of
    the formulas, this module's source and the Python version (whose parser reads them)."""
    cache = cache_dir() if cache is None else cache
    try:
        source = Path(__file__).read_bytes()
        identity = json.dumps(formulas, sort_keys=True).encode('utf-8')
    except (OSError, TypeError, ValueError):
        return {rule: _gate_of(formula) for rule, formula in formulas.items()}
    key = hashlib.sha256(b'%s\0%s\0%s' % (sys.version.encode(), source, identity)).hexdigest()
    cached = cache / f'gates-{key}.json'
    try:
        document = json.loads(cached.read_text(encoding='utf-8'))
        if isinstance(document, dict) and set(document) == set(formulas):
            return {rule: None if gate is None else frozenset((str(text), bool(folded))
                                                             for text, folded in gate)
                    for rule, gate in document.items()}
    except (OSError, ValueError, TypeError):
        pass                    # none yet, or unreadable: read them again
    gates = {rule: _gate_of(formula) for rule, formula in formulas.items()}
    write_json_cache(cached, {rule: None if gate is None else sorted(gate)
                              for rule, gate in gates.items()})
    return gates


def _gate_of(formula: Any) -> Gate:
    return None if formula is None else formula_gate(formula)


class FileKind:
    """What the rules that apply to one kind of file (its language, the `paths.include`
    patterns its path matches) need.

    `always`: the (index, check) of those without a gate, `gated`: {literal: the (index,
    check)s of the rules whose gate holds it}; `literals`: every gate literal, shortest first
    (a case-folded one before the same text case-sensitive), each with a shorter literal that
    every occurrence of it contains (None: none), so that it is looked for only where that
    one was found."""

    __slots__ = ('applicable', 'always', 'gated', 'literals', 'any_folded', '_roots', '_inside')

    def __init__(self, applicable: List[Tuple[Gate, Formula]]) -> None:
        self.applicable = applicable
        self.always = [(index, check) for index, (gate, check) in enumerate(applicable)
                       if gate is None]
        self.gated: Dict[Literal, List[Tuple[int, Formula]]] = {}
        for index, (gate, check) in enumerate(applicable):
            for literal in gate or ():
                self.gated.setdefault(literal, []).append((index, check))
        ordered = sorted(self.gated, key=lambda literal: (len(literal[0]), literal[0], not literal[1]))
        self.literals: List[Tuple[Literal, bytes, bool, Optional[Literal]]] = []
        for position, literal in enumerate(ordered):
            text, folded = literal
            folded_text = text.casefold()
            # A folded literal occurs in the case-folded text wherever this one occurs; a
            # case-sensitive one only inside this one's own text, if this one is case-sensitive.
            within = next((shorter for shorter in ordered[:position]
                           if (shorter[0] in folded_text if shorter[1]
                               else not folded and shorter[0] in text)), None)
            self.literals.append((literal, text.encode('utf-8'), folded, within))
        self.any_folded = any(folded for (_, folded) in ordered)
        # For `present`, by the form of the text (bytes, str): the literals inside no shorter
        # one, looked for in every file, case-sensitive then folded; and {literal: those that
        # can only occur where it does}. Most files hold none of the roots, so each costs one
        # pass over a flat list (~45 literals looked for one by one cost ~20 us a file, the most
        # of the walk on the bench's tree).
        self._roots: Dict[bool, Tuple[List[Tuple[Any, Literal]], List[Tuple[Any, Literal]]]] = {}
        self._inside: Dict[bool, Dict[Literal, List[Tuple[Any, bool, Literal]]]] = {}
        for encoded in (True, False):
            sensitive = [(raw if encoded else literal[0], literal)
                         for literal, raw, folded, within in self.literals if within is None and not folded]
            folded_roots = [(raw if encoded else literal[0], literal)
                            for literal, raw, folded, within in self.literals if within is None and folded]
            self._roots[encoded] = (sensitive, folded_roots)
            inside: Dict[Literal, List[Tuple[Any, bool, Literal]]] = {}
            for literal, raw, folded, within in self.literals:
                if within is not None:
                    inside.setdefault(within, []).append((raw if encoded else literal[0], folded, literal))
            self._inside[encoded] = inside

    def present(self, text: Any, folded_text: Any, encoded: bool) -> Set[Literal]:
        """The literals in `text` (bytes when `encoded`, else str) and its case-folded form."""
        sensitive, folded_roots = self._roots[encoded]
        found = {literal for needle, literal in sensitive if needle in text}
        if folded_roots:
            found.update(literal for needle, literal in folded_roots if needle in folded_text)
        if found:
            inside = self._inside[encoded]
            waiting = [literal for literal in found if literal in inside]
            while waiting:
                for needle, folded, literal in inside[waiting.pop()]:
                    if literal not in found and needle in (folded_text if folded else text):
                        found.add(literal)
                        if literal in inside:
                            waiting.append(literal)
        return found

    def candidates(self, present: Set[Literal]) -> List[Formula]:
        """The checks of the rules whose gate passes (or that have none), in rule order."""
        if not present:
            return [check for _, check in self.always]
        chosen = dict(self.always)
        for literal in present:
            chosen.update(self.gated[literal])
        return [chosen[index] for index in sorted(chosen)]


# Read in pieces of this size: one read() for nearly every source file, no stat() first.
_READ_CHUNK = 1 << 16
_READ_FLAGS = os.O_RDONLY | getattr(os, 'O_CLOEXEC', 0) | getattr(os, 'O_BINARY', 0)


def read_target(path: str) -> Optional[bytes]:
    """The bytes of the file `path`; None when it is larger than semgrep reads or unreadable."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        parts = []
        total = 0
        while True:
            part = os.read(descriptor, _READ_CHUNK)
            if not part:
                break
            total += len(part)
            if total > MAX_TARGET_BYTES:
                return None
            parts.append(part)
        return parts[0] if len(parts) == 1 else b''.join(parts)
    except OSError:
        return None
    finally:
        os.close(descriptor)


class Prefilter:
    """`may_match(path)`: False only when no rule of the pack can match in that file."""

    def __init__(self, rules: Iterable[Dict[str, Any]], formulas: Dict[str, Any],
                 gates: Optional[Dict[str, Gate]] = None) -> None:
        """`gates`: `rule_gates(formulas)`, when already known."""
        self.checks: List[Tuple[RuleScope, Gate, Formula]] = []
        self.rule_ids: List[str] = []
        for rule in rules:
            rule_id = rule.get('id')
            self.rule_ids.append(rule_id)
            if rule_id not in formulas:
                raise PrefilterUnavailable(f'no prefilter formula for rule {rule_id}')
            formula = formulas[rule_id]
            if formula is None:
                self.checks.append((RuleScope(rule), None, lambda text, ascii_text: True))
            else:
                gate = gates[rule_id] if gates is not None and rule_id in gates else formula_gate(formula)
                self.checks.append((RuleScope(rule), gate, compile_formula(formula)))
        self._kinds: Dict[Any, FileKind] = {}
        self._scopes = [scope for scope, _, _ in self.checks if scope.includes is not None]
        # Any `paths.include` pattern of any rule: most names match none, and their hits are
        # then their directory's.
        translated = [fnmatch.translate(p) for scope in self._scopes for p in scope.includes or ()]
        self._any_include = re.compile('|'.join(translated)) if translated else None

    def directory_hits(self, parent: Tuple[bool, ...], name: str) -> Tuple[bool, ...]:
        """For each rule with `paths.include`: whether the directory path (its parent's hits,
        then its own `name`) already matches one of its patterns."""
        if self._any_include is None or self._any_include.match(name) is None:
            return parent
        return tuple(hit or scope.include_hit(name) for hit, scope in zip(parent, self._scopes))

    def no_directory_hits(self) -> Tuple[bool, ...]:
        return (False,) * len(self._scopes)

    def path_hits(self, directory: Sequence[str]) -> Tuple[bool, ...]:
        hits = self.no_directory_hits()
        for name in directory:
            hits = self.directory_hits(hits, name)
        return hits

    def _kind(self, hits: Tuple[bool, ...], languages: Optional[Set[str]]) -> FileKind:
        """The rules that apply to a file whose path has these `hits` (its own name's
        included) and `languages`; computed once per kind of file."""
        key = (None if languages is None else frozenset(languages), hits)
        found = self._kinds.get(key)
        if found is None:
            scoped_hits = dict(zip(map(id, self._scopes), hits))
            found = FileKind([(gate, check) for scope, gate, check in self.checks
                              if scope.language_applies(languages)
                              and scoped_hits.get(id(scope), True)])
            self._kinds[key] = found
        return found

    def may_match_text(self, name: str, hits: Tuple[bool, ...], data: bytes) -> bool:
        """`name`: the file's name; `hits`: `directory_hits` of its directory."""
        kind = self._kind(self.directory_hits(hits, name), file_languages(name, data[:2]))
        if not kind.applicable:
            return False
        text: Optional[str] = None
        ascii_text = data.isascii()
        if ascii_text:
            # ASCII is UTF-8, and its case folding is lower(): the literals are looked for in
            # the bytes, and the text is decoded only for a rule whose gate passes.
            present = kind.present(data, data.lower() if kind.any_folded else b'', True)
        else:
            try:
                text = data.decode('utf-8')
            except UnicodeDecodeError:
                return True             # semgrep reads bytes; leave such a file to it
            present = kind.present(text, text.casefold() if kind.any_folded else '', False)
        for check in kind.candidates(present):
            if text is None:
                text = data.decode('ascii')
            if check(text, ascii_text):
                return True
        return False

    def may_match(self, path: str, hits: Optional[Tuple[bool, ...]] = None,
                  name: Optional[str] = None) -> bool:
        """Read the regular file `path` (`name`: its last component); True when in doubt
        (too large, unreadable)."""
        data = read_target(path)
        if data is None:
            return True
        if hits is None or name is None:
            directory, name = os.path.split(os.path.abspath(path))
            if hits is None:
                hits = self.path_hits(Path(directory).parts)
        return self.may_match_text(name, hits, data)

    def rules_may_match(self, path: str, hits: Tuple[bool, ...], name: str) -> Optional[Set[str]]:
        """The ids of the rules that may match in the file `path` (`hits`, `name`: as for
        `may_match`); None when in doubt (too large, unreadable, not UTF-8)."""
        data = read_target(path)
        if data is None:
            return None
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            return None
        ascii_text = data.isascii()
        languages = file_languages(name, data[:2])
        scoped_hits = dict(zip(map(id, self._scopes), self.directory_hits(hits, name)))
        # Every rule's whole formula, no gate: a gate only ever spares a check that fails.
        return {rule_id for rule_id, (scope, _, check) in zip(self.rule_ids, self.checks)
                if scope.language_applies(languages) and scoped_hits.get(id(scope), True)
                and check(text, ascii_text)}

    @classmethod
    def for_config(cls, semgrep: str, config: Path, rules: Iterable[Dict[str, Any]]) -> 'Prefilter':
        core = core_executable(semgrep)
        if core is None:
            raise PrefilterUnavailable('semgrep-core not found beside semgrep')
        formulas = rule_formulas(core, config)
        return cls(rules, formulas, rule_gates(formulas))



# ---- files kept out of the scan -----------------------------------------------------------------

# Below this many files one process judges them all: a fork costs more than it saves.
PARALLEL_MIN_FILES = 400


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))     # the CPUs this process may run on
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def judge_files(prefilter: Prefilter, files: Sequence[Tuple[str, Tuple[bool, ...], str]],
                workers: int) -> List[bool]:
    """`prefilter.may_match` of each of `files` ((path, directory hits, name)), in order.

    Reading and judging the files is most of what upstash-semgrep adds to a scan (~30 us a
    file), and semgrep only starts once it is done: with several CPUs, forked children judge
    every n-th file and send their verdicts back through a pipe. A child that fails or dies
    leaves its share to this process, so the answer is always complete."""
    workers = min(workers, 8, 2 * len(files) // PARALLEL_MIN_FILES)
    if workers < 2 or not hasattr(os, 'fork') or threading.active_count() > 1:
        return [prefilter.may_match(path, hits, name) for path, hits, name in files]
    children = []
    for share in range(1, workers):
        try:
            reader, writer = os.pipe()
        except OSError:
            break
        try:
            pid = os.fork()
        except OSError:
            os.close(reader)
            os.close(writer)
            break
        if pid == 0:                    # the child: judge, write, and leave at once
            status = 1
            try:
                os.close(reader)
                verdicts = bytes(prefilter.may_match(path, hits, name)
                                 for path, hits, name in files[share::workers])
                with os.fdopen(writer, 'wb') as pipe:
                    pipe.write(verdicts)
                status = 0
            finally:
                os._exit(status)        # no atexit handlers, no flush of inherited buffers
        os.close(writer)
        children.append((share, pid, reader))
    verdicts: List[Optional[bool]] = [None] * len(files)
    for index in range(0, len(files), workers):
        path, hits, name = files[index]
        verdicts[index] = prefilter.may_match(path, hits, name)
    for share, pid, reader in children:
        with os.fdopen(reader, 'rb') as pipe:
            answer = pipe.read()
        _, status = os.waitpid(pid, 0)
        wanted = len(range(share, len(files), workers))
        if status == 0 and len(answer) == wanted:
            verdicts[share::workers] = [bool(b) for b in answer]
    return [prefilter.may_match(path, hits, name) if verdict is None else verdict
            for (path, hits, name), verdict in zip(files, verdicts)]


def project_root(directory: Path) -> Path:
    """Where semgrep anchors `--exclude /pattern`: the git work tree, else the scanning root."""
    for candidate in (directory, *directory.parents):
        if (candidate / '.git').exists():
            return candidate
    return directory


class Exclusions:
    """`--exclude` patterns for the files (and whole directories) no rule can match.

    `walk_skipped(directory_path)` says which directories not to read (semgrep's default
    ignore list, build output, the user's --exclude): they are left to semgrep as they are.
    `never_scanned(directory_path)`: of those, the ones semgrep is told to skip in every case
    (the user's --exclude, dependency directories); they do not make the walk incomplete.
    `workers`: processes that read and judge the files (None: one per available CPU).

    After `plan`, `complete` says whether every file semgrep may scan under the roots was
    judged here, and `kept` holds those that may match ((path, directory hits, name)).
    """

    def __init__(self, prefilter: Prefilter, walk_skipped: Callable[[Path], bool],
                 workers: Optional[int] = None,
                 never_scanned: Callable[[Path], bool] = lambda directory: False) -> None:
        self.prefilter = prefilter
        self.walk_skipped = walk_skipped
        self.never_scanned = never_scanned
        self.complete = True
        self.kept: List[Tuple[str, Tuple[bool, ...], str]] = []
        self.workers = available_cpus() if workers is None else max(1, workers)
        self.free: Set[str] = set()         # every file and directory found to match nothing
        self.patterns: List[str] = []
        self.files_left_out = 0
        self._listings: Dict[str, Optional[list]] = {}
        self._free_files: Set[str] = set()

    def _list(self, directory: str, hits: Tuple[bool, ...],
              files: List[Tuple[str, Tuple[bool, ...], str]]) -> None:
        """Read the directories under `directory` once, and note the files to judge."""
        try:
            listing = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            self._listings[directory] = None
            self.complete = False
            return
        self._listings[directory] = listing
        for entry in listing:
            try:
                if entry.is_symlink():
                    self.complete = False
                elif entry.is_dir():
                    if not self.walk_skipped(Path(entry.path)):
                        self._list(entry.path, self.prefilter.directory_hits(hits, entry.name), files)
                    elif not self.never_scanned(Path(entry.path)):
                        self.complete = False
                elif entry.is_file():
                    files.append((entry.path, hits, entry.name))
                else:
                    self.complete = False
            except OSError:
                self.complete = False   # judged again by _walk, which keeps such an entry

    def _walk(self, directory: str) -> Tuple[bool, List[Tuple[str, int]]]:
        """(whole directory free, [(free entry, files in it)] to exclude), from `_list`'s
        listings and the files found free."""
        entries: List[Tuple[str, int]] = []
        free = True
        listing = self._listings.get(directory)
        if listing is None:
            return False, []
        for entry in listing:
            try:
                if entry.is_symlink():
                    free = False
                elif entry.is_dir():
                    if entry.path not in self._listings:      # skipped by walk_skipped
                        free = False
                        continue
                    sub_free, sub_entries = self._walk(entry.path)
                    if sub_free:
                        count = sum(n for _, n in sub_entries)
                        self.free.add(entry.path)
                        if count:
                            entries.append((entry.path, count))
                    else:
                        free = False
                        entries.extend(sub_entries)
                elif entry.is_file() and entry.path in self._free_files:
                    self.free.add(entry.path)
                    entries.append((entry.path, 1))
                else:
                    free = False
            except OSError:
                free = False
        return free, entries

    def plan(self, roots: Sequence[Path]) -> List[str]:
        """Walk the directory `roots` (resolved); the patterns to pass as --exclude."""
        # As strings: this runs once per pattern, and pathlib's parsing was most of its cost.
        planned: List[Tuple[str, str, int]] = []      # (entry, path from the anchor, files)
        for root in roots:
            anchor = str(project_root(root))
            prefix = anchor if anchor.endswith(os.sep) else anchor + os.sep
            files: List[Tuple[str, Tuple[bool, ...], str]] = []
            self._list(str(root), self.prefilter.path_hits(root.parts), files)
            judged = judge_files(self.prefilter, files, self.workers)
            self._free_files.update(path for (path, _, _), kept in zip(files, judged) if not kept)
            self.kept += [file for file, kept in zip(files, judged) if kept]
            _, entries = self._walk(str(root))
            for entry, count in entries:
                relative = entry[len(prefix):]
                planned.append((entry, relative if os.sep == '/' else relative.replace(os.sep, '/'),
                                count))
        anchors = list(dict.fromkeys(str(a) for root in roots for a in (root, *root.parents)))
        prefixes = [str(root).rstrip('/') + '/' for root in roots]
        budget = PATTERN_BUDGET
        for entry, relative, count in planned:
            if not _PLAIN_PATH.fullmatch(relative) or not self._names_only(entry, relative, anchors,
                                                                           prefixes):
                continue
            pattern = exclude_pattern(relative)
            budget -= len(pattern) + 12
            if budget < 0:
                break
            self.patterns.append(pattern)
            self.files_left_out += count
        return self.patterns

    def rules_needed(self, limit: int = 2000) -> Optional[Set[str]]:
        """After `plan`: the ids of the rules that may match in some file semgrep will scan
        under the roots; None when that is not known (the walk was not `complete`, a kept
        file is in doubt, or more than `limit` files were kept: reading them again would
        cost more than the rules it could spare)."""
        if not self.complete or len(self.kept) > limit:
            return None
        needed: Set[str] = set()
        for path, hits, name in self.kept:
            rules = self.prefilter.rules_may_match(path, hits, name)
            if rules is None:
                return None
            needed |= rules
        return needed

    def _names_only(self, entry: str, relative: str, anchors: Sequence[str],
                    prefixes: Sequence[str]) -> bool:
        """Whether `/relative` names no other target than `entry` whichever directory semgrep
        anchors it at (`anchors`: the scanning roots and the directories above them;
        `prefixes`: the roots, each with a trailing slash)."""
        for anchor in anchors:
            other = os.path.join(anchor, relative)
            if other == entry or other in self.free \
                    or not any(other.startswith(prefix) or other + '/' == prefix for prefix in prefixes):
                continue
            if os.path.lexists(other):
                return False
        return True
