"""No file is skipped silently: unreadable files are named, non-UTF-8 text is read.

Upstream's reader (`core.scan._get_lines_from_file`) yields nothing for a file that is not
UTF-8 (the UnicodeDecodeError is swallowed), so a token in a latin-1 file or a compiled
module is lost without a word, and its caller logs an unreadable file only in verbose mode.
`readable_file_opener` lets `audit` show the lines of the files read this way.

The reader is also where a file is seen whole: for each list of lines it hands on, one
test of the whole text (`findings.text_may_hold_credential`) says whether any line can hold
an Upstash credential. Most files cannot, and while their lines are scanned
(`scan_state.quiet_lines`), the plugin and the line filter answer each of them without
reading it: the per-line work was most of the plugin's cost on a default scan.
"""
from __future__ import annotations

import contextlib
import functools
import io
import os
import sys
from typing import Callable
from typing import List
from typing import Optional

from detect_secrets.settings import get_settings

from ..findings import file_holds_credential
from ..findings import text_may_hold_credential
from ..text_files import LATIN_1
from ..text_files import SNIFF_BYTES
from ..text_files import decode_bytes
from ..text_files import sniff_wide_encoding
from ..text_files import split_lines
from . import scan_state
from .skipped_files import max_file_bytes
from .skipped_files import credential_lines
from .skipped_files import read_bytes
from .skipped_files import read_text


def _upstash_plugin_active() -> bool:
    return 'UpstashDetector' in get_settings().plugins


def report_undecodable_files(get_lines_from_file: Callable) -> Callable:
    """Wrap upstream's `_get_lines_from_file`: never skip a file silently.

    * A file that cannot be opened or read (permissions, a directory, a symlink loop):
      we say so on stderr and record it in `scan_state.unreadable_files`, so that the
      hook can refuse to pass the commit.
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
    @functools.wraps(get_lines_from_file)
    def guarded(filename: str):
        try:
            yield from _lines_of(get_lines_from_file, filename)
        except OSError as error:
            scan_state.unreadable_files.append(filename)
            _warn(f'{filename}: cannot be read ({error.strerror or error}); not scanned')

    return guarded


def _lines_of(get_lines_from_file: Callable, filename: str):
    if filename in scan_state.credentials_only:
        scan_state.read_by_us.add(filename)
        text = read_text(filename)
        if text is not None:
            yield from _handed_on(credential_lines(text, filename))
        return
    produced = False
    for lines in get_lines_from_file(filename):
        text = '\n'.join(lines)
        # The NUL test on the joined text first (one memchr; the exact test reads the first
        # lines), and the settings asked last: most files need neither.
        if not produced and '\x00' in text and '\x00' in ''.join(lines[:8]) \
                and _upstash_plugin_active():
            # UTF-16 without a BOM is valid UTF-8 (ASCII with NULs between): decode it.
            wide = _read_wide_text(filename)
            if wide is not None:
                scan_state.read_by_us.add(filename)
                yield from _handed_on(wide)
                return
        produced = True
        # A file no line of which can hold a credential (most files): the plugin and the
        # line filter skip its lines without reading them, one test on its whole text.
        quiet = bool(lines) and not text_may_hold_credential(text, filename)
        scan_state.quiet_lines = lines if quiet else None
        scan_state.lines_read = lines
        try:
            yield lines
        finally:
            scan_state.quiet_lines = scan_state.lines_read = None
    if produced or not _upstash_plugin_active():
        return
    # Upstream returns without yielding only on UnicodeDecodeError (an empty file
    # still yields []); an OSError propagates to the caller.
    scan_state.read_by_us.add(filename)
    data = read_bytes(filename)
    if data is None:
        if not os.access(filename, os.R_OK) or not os.path.isfile(filename):
            raise PermissionError(13, 'not readable', filename)
        scan_state.unreadable_files.append(filename)
        _warn(f'{filename}: not UTF-8 text and larger than {max_file_bytes()} bytes; not scanned')
        return
    text, encoding = decode_bytes(data)
    if encoding != LATIN_1:
        _warn(f'{filename}: {encoding.upper()} text; decoded and scanned')
        yield from _handed_on(split_lines(text))
        return
    if not file_holds_credential(text, filename):
        _note_undecodable(filename)
        return
    _warn(f'{filename}: not UTF-8 text; read as latin-1 and scanned for Upstash credentials only')
    yield from _handed_on(credential_lines(text, filename))


def _handed_on(lines: List[str]):
    """Yield `lines`, known as the lines being read while they are scanned (`scan_state`)."""
    scan_state.lines_read = lines
    try:
        yield lines
    finally:
        scan_state.lines_read = None


def _read_wide_text(filename: str) -> Optional[List[str]]:
    data = read_bytes(filename)
    if data is None:
        return None
    text, encoding = decode_bytes(data)
    if encoding.startswith('utf-16') or encoding.startswith('utf-32'):
        _warn(f'{filename}: {encoding.upper()} text; decoded and scanned')
    elif b'\x00' not in data:
        return None
    return split_lines(text)


def readable_file_opener(open_file: Callable) -> Callable:
    """Wrap audit's `LineGetter.open_file` so that audit can show the lines of a file
    that `report_undecodable_files` scanned (upstream would crash on it)."""
    @contextlib.contextmanager
    def guarded(self):
        with open(self.filename, 'rb') as f:
            head = f.read(SNIFF_BYTES)
        wide = sniff_wide_encoding(head)
        if wide is None and b'\x00' in head:
            wide = 'with NULs'      # `decode_bytes` may have taken lines of a second reading
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

    guarded.__wrapped__ = open_file         # type: ignore[attr-defined]
    return guarded


# Files that are not text and hold no Upstash credential (images, archives): our commands
# name them in one summary line when the scan ends, not one warning each (collected across
# worker processes by `run_log`).
UNDECODABLE = 'undecodable'
_SUMMARY_NAMES = 5


def _note_undecodable(filename: str) -> None:
    from . import run_log
    if not run_log.note(UNDECODABLE, filename):
        # Not one of our commands (Yelp's hook with our plugin file): say it now.
        _warn(f'{filename}: not UTF-8 text; no Upstash credential found in a latin-1 reading '
              '(other plugins skip the file)')


def undecodable_summary(names) -> str:
    """The one line naming the files `report_undecodable_files` found nothing in ('' if none)."""
    names = sorted(set(names))
    if not names:
        return ''
    shown = ', '.join(names[:_SUMMARY_NAMES]) + (f' and {len(names) - _SUMMARY_NAMES} more'
                                                 if len(names) > _SUMMARY_NAMES else '')
    return (f'detect-secrets-upstash: warning: {len(names)} file(s) not UTF-8 text, no Upstash '
            f'credential found in a latin-1 reading (other plugins skip them): {shown}')


def _warn(message: str) -> None:
    print(f'detect-secrets-upstash: warning: {message}', file=sys.stderr)
