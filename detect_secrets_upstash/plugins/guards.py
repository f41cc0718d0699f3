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
from ..text_files import LATIN_1
from ..text_files import SNIFF_BYTES
from ..text_files import decode_bytes
from ..text_files import sniff_wide_encoding

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
    """The file as text (see `decode_bytes`); None if unreadable or too large to read whole."""
    data = _read_bytes(filename)
    return None if data is None else decode_bytes(data)[0]


def _read_bytes(filename: str) -> Optional[bytes]:
    try:
        if os.path.getsize(filename) > MAX_FALLBACK_BYTES:
            return None
        with open(filename, 'rb') as f:
            return f.read()
    except OSError:
        return None


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


# Files that could not be opened or read during this process's scans (the hook fails on them).
unreadable_files: List[str] = []


def _upstash_plugin_active() -> bool:
    from detect_secrets.settings import get_settings
    return 'UpstashDetector' in get_settings().plugins


def report_undecodable_files(get_lines_from_file: Callable) -> Callable:
    """Wrap upstream's `_get_lines_from_file`: never skip a file silently.

    * A file that cannot be opened or read (permissions, a directory, a symlink loop):
      upstream's caller logs that only in verbose mode. We say so on stderr and record
      it in `unreadable_files`, so that the hook can refuse to pass the commit.
    * UTF-16 / UTF-32 text (a BOM, or UTF-16 told by its NULs): upstream either drops it
      (not UTF-8) or hands the plugins lines with a NUL between every two characters.
      We decode it and hand on its lines, numbered as written.
    * Other undecodable files: upstream yields nothing. We say so on stderr, then read
      the file as latin-1 (every byte maps to one character, so ASCII credentials
      survive) and hand on only the lines holding an Upstash credential: other plugins
      would see noise in binary data.

    With `--disable-plugin UpstashDetector` only the first point remains (upstream's
    handling otherwise, and no warning about Upstash credentials).
    """
    if getattr(get_lines_from_file, 'upstash_guard', False):
        return get_lines_from_file

    @functools.wraps(get_lines_from_file)
    def guarded(filename: str):
        try:
            yield from _lines_of(get_lines_from_file, filename)
        except OSError as error:
            unreadable_files.append(filename)
            _warn(f'{filename}: cannot be read ({error.strerror or error}); not scanned')

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def _lines_of(get_lines_from_file: Callable, filename: str):
    if filename in _credentials_only:
        text = _read_text(filename)
        if text is not None:
            yield _credential_lines(text)
        return
    active = _upstash_plugin_active()
    produced = False
    for lines in get_lines_from_file(filename):
        if not produced and active and lines and any('\x00' in line for line in lines[:8]):
            # UTF-16 without a BOM is valid UTF-8 (ASCII with NULs between): decode it.
            wide = _read_wide_text(filename)
            if wide is not None:
                yield wide
                return
        produced = True
        yield lines
    if produced or not active:
        return
    # Upstream returns without yielding only on UnicodeDecodeError (an empty file
    # still yields []); an OSError propagates to the caller.
    data = _read_bytes(filename)
    if data is None:
        if not os.access(filename, os.R_OK) or not os.path.isfile(filename):
            raise PermissionError(13, 'not readable', filename)
        _warn(f'{filename}: not UTF-8 text and larger than {MAX_FALLBACK_BYTES // (1024 * 1024)} MB; '
              'not scanned')
        return
    text, encoding = decode_bytes(data)
    if encoding != LATIN_1:
        _warn(f'{filename}: {encoding.upper()} text; decoded and scanned')
        yield text.split('\n')
        return
    if not find_credentials(text):
        _warn(f'{filename}: not UTF-8 text; no Upstash credential found in a latin-1 reading '
              '(other plugins skip the file)')
        return
    _warn(f'{filename}: not UTF-8 text; read as latin-1 and scanned for Upstash credentials only')
    yield _credential_lines(text)


def _read_wide_text(filename: str) -> Optional[List[str]]:
    data = _read_bytes(filename)
    if data is None:
        return None
    text, encoding = decode_bytes(data)
    if not encoding.startswith('utf-16') and not encoding.startswith('utf-32'):
        return None
    _warn(f'{filename}: {encoding.upper()} text; decoded and scanned')
    return text.split('\n')


def readable_file_opener(open_file: Callable) -> Callable:
    """Wrap audit's `LineGetter.open_file` so that audit can show the lines of a file
    that `report_undecodable_files` scanned (upstream would crash on it)."""
    if getattr(open_file, 'upstash_guard', False):
        return open_file

    import contextlib
    import io

    @contextlib.contextmanager
    def guarded(self):
        with open(self.filename, 'rb') as f:
            head = f.read(SNIFF_BYTES)
        wide = sniff_wide_encoding(head)
        if wide is None:
            try:
                with open(self.filename) as f:     # as upstream opens it: the locale's encoding
                    f.read()
            except UnicodeDecodeError:
                wide = LATIN_1
        if wide is not None:
            # The scan read this file through `report_undecodable_files`: read it the same way.
            with open(self.filename, 'rb') as f:
                text = io.StringIO(decode_bytes(f.read())[0], newline=None)
            text.name = self.filename           # transformers choose by file name
            yield text
            return
        with open_file(self) as f:
            yield f

    guarded.upstash_guard = True        # type: ignore[attr-defined]
    return guarded


def keep_eager_pass(scan_file: Callable) -> Callable:
    """Wrap upstream's `scan_file`: our findings must not cost other plugins theirs.

    Upstream reads a file a second time, with its eager transformers (e.g. `.env` parsed as
    INI, values quoted so the entropy plugins see them), only when the first pass found
    nothing. An Upstash finding on the first pass would then drop every finding that only
    the eager pass makes. So the early stop here counts only other plugins' findings,
    which is exactly upstream's behaviour for them; repeats of our own findings from the
    eager pass are merged by SecretsCollection (same file, hash and type).
    """
    if getattr(scan_file, 'upstash_guard', False):
        return scan_file

    import detect_secrets.core.scan as core_scan
    from detect_secrets.settings import get_plugins

    from .. import catalogue

    @functools.wraps(scan_file)
    def guarded(filename: str):
        try:
            if not get_plugins():
                yield from scan_file(filename)      # upstream's own message and return
                return
        except FileNotFoundError:
            yield from scan_file(filename)
            return
        if core_scan._is_filtered_out(required_filter_parameters=['filename'], filename=filename):
            return
        try:
            for lines in core_scan._get_lines_from_file(filename):
                others_found = False
                for secret in core_scan._process_line_based_plugins(
                    lines=list(enumerate(lines, start=1)), filename=filename,
                ):
                    others_found = others_found or secret.type not in catalogue.BY_SECRET_TYPE
                    yield secret
                if others_found:
                    break
        except IOError:
            core_scan.log.warning(f'Unable to open file: {filename}')

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


def install_scan_file_guard() -> None:
    """Idempotent; `keep_eager_pass` for our own commands only.

    Not part of `install()`: loaded into Yelp's hook through a `--plugin` file, our package
    is imported while upstream's `scan_file` is already scanning the first file, so that
    file alone would be scanned the old way and baselines would flip between runs.
    """
    import detect_secrets.core.scan as core_scan
    core_scan.scan_file = keep_eager_pass(core_scan.scan_file)
    from . import one_finding
    one_finding.install()       # outermost: sees the findings of both passes
