"""Upstream file filters must not hide a file that holds an Upstash credential.

detect-secrets skips whole files by name: lock files, anything with `swagger` in its path,
and text formats it files under "non-text" (`.map` source maps embed the bundled source,
`.css`, `.svg`, ...). The wrapper reads a file only when upstream was about to skip it;
a skipped file that holds a credential is scanned, and only its credential lines are handed
on, so that other plugins do not flood the report with lock-file hashes.
"""
import functools
import os
from typing import Callable
from typing import List
from typing import Optional

from ..findings import holds_credential
from ..text_files import decode_bytes
from . import scan_state

# Upstream gives up on a binary file after its first chunk; we read such files whole, so
# bound that (a disk image or a database dump is not worth the memory).
MAX_FALLBACK_BYTES = 64 * 1024 * 1024

# Extensions `is_non_text_file` skips although the files are text that can carry a pasted
# or bundled credential. Binary formats (images, archives) stay skipped.
TEXT_EXTENSIONS_UPSTREAM_SKIPS = frozenset({'.css', '.iml', '.ipr', '.iws', '.lock', '.map', '.prefs',
                                            '.sum', '.svg'})


def keep_files_with_credentials(file_filter: Callable[[str], bool]) -> Callable[[str], bool]:
    """For `is_lock_file` and `is_swagger_file`: every file they skip is looked at."""
    return _guard(file_filter, lambda filename: True)


def keep_text_files_with_credentials(file_filter: Callable[[str], bool]) -> Callable[[str], bool]:
    """For `is_non_text_file`: only the text formats it skips are looked at."""
    return _guard(file_filter, lambda filename: os.path.splitext(filename)[1].lower()
                  in TEXT_EXTENSIONS_UPSTREAM_SKIPS)


def _guard(file_filter: Callable[[str], bool], worth_reading: Callable[[str], bool]):
    # The parameter must be called `filename`: detect-secrets injects filter arguments by name.
    @functools.wraps(file_filter)
    def guarded(filename: str) -> bool:
        if not file_filter(filename):
            return False
        if not worth_reading(filename):
            return True
        text = read_text(filename)
        if text is None or not holds_credential(text, filename):
            return True
        scan_state.credentials_only.add(filename)
        return False

    return guarded


def read_text(filename: str) -> Optional[str]:
    """The file as text (see `decode_bytes`); None if unreadable or too large to read whole."""
    data = read_bytes(filename)
    return None if data is None else decode_bytes(data)[0]


def read_bytes(filename: str) -> Optional[bytes]:
    try:
        if os.path.getsize(filename) > MAX_FALLBACK_BYTES:
            return None
        with open(filename, 'rb') as f:
            return f.read()
    except OSError:
        return None


def credential_lines(text: str, filename: str = '') -> List[str]:
    """The file's lines with every line that holds no Upstash credential blanked (numbers kept)."""
    return [line if holds_credential(line, filename) else '' for line in text.split('\n')]
