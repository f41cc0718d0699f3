"""Keep detect-secrets' own shortcuts from hiding an Upstash credential.

detect-secrets decides some things before any plugin sees a line, and those
decisions can drop a real Upstash token:

* the `is_indirect_reference` line filter skips every line that looks like a
  function call or subscript (`redis = Redis(url=..., token="AX...")`,
  `token = os.getenv("X", "AX...")`) for all plugins;
* file transformers (YAML, INI) replace a file's lines with `key: "value"` lines
  and drop what they do not model: YAML list items (`- KEY=AX...`), block scalars
  (moved to the key's line);
* a file that is not UTF-8 text is silently ignored (`core/scan.py` swallows the
  UnicodeDecodeError), so a token in a latin-1 file or a compiled module is lost
  without a word;
* whole files are skipped by name: lock files, anything with `swagger` in its path,
  and text formats it files under "non-text" (`.map` source maps embed the bundled
  source, `.css`, `.svg`, ...).

Each guard wraps the upstream function and only does extra work when upstream
was about to drop something: the line filter pays one extra regex search only on
lines it would skip; the transformer guard one search over a file it transformed.
Line numbers stay those of the file as written.
"""
import functools
import os
import sys
from typing import Callable
from typing import List
from typing import Optional

from ..scanner import find_credentials

_ENCODING_FALLBACK = 'latin-1'     # maps every byte: ASCII tokens survive in any 8-bit file
# Upstream gives up on a binary file after its first chunk; we read such files whole, so
# bound that (a disk image or a database dump is not worth the memory).
MAX_FALLBACK_BYTES = 64 * 1024 * 1024

# Extensions `is_non_text_file` skips although the files are text that can carry a pasted
# or bundled credential. Binary formats (images, archives) stay skipped.
TEXT_EXTENSIONS_UPSTREAM_SKIPS = frozenset({'.css', '.iml', '.ipr', '.iws', '.lock', '.map', '.prefs',
                                            '.sum', '.svg'})

# Files an upstream file filter would skip, let through because they hold an Upstash
# credential: only the lines with a credential are handed on, so that other plugins do
# not flood the report with lock-file hashes.
_credentials_only = set()


def keep_lines_with_credentials(is_indirect_reference: Callable[[str], bool]) -> Callable[[str], bool]:
    """Wrap upstream's line filter: a line holding an Upstash credential is never skipped."""
    if getattr(is_indirect_reference, 'upstash_guard', False):
        return is_indirect_reference

    # The parameter must be called `line`: detect-secrets injects filter arguments by name.
    @functools.wraps(is_indirect_reference)
    def guarded(line: str) -> bool:
        return is_indirect_reference(line) and not find_credentials(line)

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def keep_files_with_credentials(file_filter: Callable[[str], bool],
                                text_extensions_only: bool = False) -> Callable[[str], bool]:
    """Wrap an upstream file filter: a file it would skip is scanned (for Upstash
    credentials only) when it holds one. Costs one read and one search, only for files
    upstream skips."""
    if getattr(file_filter, 'upstash_guard', False):
        return file_filter

    # The parameter must be called `filename`: detect-secrets injects filter arguments by name.
    @functools.wraps(file_filter)
    def guarded(filename: str) -> bool:
        if not file_filter(filename):
            return False
        if text_extensions_only and os.path.splitext(filename)[1].lower() not in TEXT_EXTENSIONS_UPSTREAM_SKIPS:
            return True
        text = _read_text(filename)
        if text is None or not find_credentials(text):
            return True
        _credentials_only.add(filename)
        return False

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def _read_text(filename: str) -> Optional[str]:
    """The file as text (UTF-8, else latin-1); None if unreadable or too large to read whole."""
    try:
        if os.path.getsize(filename) > MAX_FALLBACK_BYTES:
            return None
        with open(filename, 'rb') as f:
            data = f.read()
    except OSError:
        return None
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError:
        return data.decode(_ENCODING_FALLBACK)


def _credential_lines(text: str) -> List[str]:
    """The file's lines with every line that holds no Upstash credential blanked (numbers kept)."""
    return [line if find_credentials(line) else '' for line in text.split('\n')]


def restore_credentials(transformed: List[str], raw_text: str) -> List[str]:
    """Put Upstash credentials back on the transformed lines, at their real line numbers.

    A transformed line that lacks a credential written on the same raw line is
    replaced by the raw line; a credential the transformer moved to another line
    (block scalars) is taken off that line, so it is reported once, where it is.
    """
    if not find_credentials(raw_text):
        return transformed
    raw_lines = raw_text.split('\n')
    values_by_line = {}
    for index, raw_line in enumerate(raw_lines):
        values = {found.value for found in find_credentials(raw_line)}
        if values:
            values_by_line[index] = values
    every_value = set().union(*values_by_line.values())

    lines = list(transformed)
    for index, line in enumerate(lines):
        for value in every_value - values_by_line.get(index, set()):
            line = line.replace(value, '')
        lines[index] = line
    for index, values in values_by_line.items():
        while len(lines) <= index:
            lines.append('')
        if not all(value in lines[index] for value in values):
            lines[index] = raw_lines[index].rstrip('\r')
    return lines


def keep_transformed_credentials(get_transformed_file: Callable) -> Callable:
    """Wrap upstream's `get_transformed_file` with `restore_credentials`."""
    if getattr(get_transformed_file, 'upstash_guard', False):
        return get_transformed_file

    @functools.wraps(get_transformed_file)
    def guarded(file, use_eager_transformers: bool = False) -> Optional[List[str]]:
        lines = get_transformed_file(file, use_eager_transformers=use_eager_transformers)
        if not lines:
            return lines
        try:
            raw_text = file.read()
        finally:
            file.seek(0)
        return restore_credentials(lines, raw_text)

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def report_undecodable_files(get_lines_from_file: Callable) -> Callable:
    """Wrap upstream's `_get_lines_from_file`: never skip an undecodable file silently.

    Upstream yields nothing when the file is not text in the expected encoding. We
    say so on stderr, then read the file as latin-1 (every byte maps to one
    character, so ASCII credentials survive) and hand on only the lines holding an
    Upstash credential: other plugins would see noise in binary data.
    """
    if getattr(get_lines_from_file, 'upstash_guard', False):
        return get_lines_from_file

    @functools.wraps(get_lines_from_file)
    def guarded(filename: str):
        if filename in _credentials_only:
            text = _read_text(filename)
            if text is not None:
                yield _credential_lines(text)
            return
        produced = False
        for lines in get_lines_from_file(filename):
            produced = True
            yield lines
        if produced:
            return
        # Upstream returns without yielding only on UnicodeDecodeError (an empty file
        # still yields []); an OSError would have propagated to its caller.
        text = _read_text(filename)
        if text is None:
            _warn(f'{filename}: not UTF-8 text; skipped (unreadable or larger than '
                  f'{MAX_FALLBACK_BYTES // (1024 * 1024)} MB)')
            return
        if not find_credentials(text):
            _warn(f'{filename}: not UTF-8 text; skipped (no Upstash credential in it)')
            return
        _warn(f'{filename}: not UTF-8 text; scanned for Upstash credentials only')
        yield _credential_lines(text)

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def readable_file_opener(open_file: Callable) -> Callable:
    """Wrap audit's `LineGetter.open_file` so that audit can show the lines of a file
    that `report_undecodable_files` scanned (upstream would crash on it)."""
    if getattr(open_file, 'upstash_guard', False):
        return open_file

    import contextlib
    import io

    @contextlib.contextmanager
    def guarded(self):
        try:
            with open(self.filename) as f:     # as upstream opens it: the locale's encoding
                f.read()
        except UnicodeDecodeError:
            with open(self.filename, 'rb') as f:
                text = io.StringIO(f.read().decode(_ENCODING_FALLBACK), newline=None)
            text.name = self.filename           # transformers choose by file name
            yield text
            return
        with open_file(self) as f:
            yield f

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def _warn(message: str) -> None:
    print(f'detect-secrets-upstash: warning: {message}', file=sys.stderr)


def install() -> None:
    """Idempotent. Patches the names the upstream modules look up at call time."""
    import detect_secrets.audit.common as audit_common
    import detect_secrets.core.scan as core_scan
    import detect_secrets.filters.heuristic as heuristic
    from detect_secrets.settings import get_filters

    heuristic.is_indirect_reference = keep_lines_with_credentials(heuristic.is_indirect_reference)
    heuristic.is_lock_file = keep_files_with_credentials(heuristic.is_lock_file)
    heuristic.is_swagger_file = keep_files_with_credentials(heuristic.is_swagger_file)
    heuristic.is_non_text_file = keep_files_with_credentials(heuristic.is_non_text_file,
                                                             text_extensions_only=True)
    get_filters.cache_clear()   # filters are looked up by dotted path when the cache fills

    core_scan.get_transformed_file = keep_transformed_credentials(core_scan.get_transformed_file)
    audit_common.get_transformed_file = keep_transformed_credentials(audit_common.get_transformed_file)
    core_scan._get_lines_from_file = report_undecodable_files(core_scan._get_lines_from_file)
    audit_common.LineGetter.open_file = readable_file_opener(audit_common.LineGetter.open_file)
