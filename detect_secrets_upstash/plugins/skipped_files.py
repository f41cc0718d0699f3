"""Upstream file filters must not hide a file that holds an Upstash credential.

detect-secrets skips whole files by name: lock files, anything with `swagger` in its path,
and text formats it files under "non-text" (`.map` source maps embed the bundled source,
`.css`, `.svg`, ...). The wrapper reads a file only when upstream was about to skip it;
a skipped file that holds a credential is scanned, and only its credential lines are handed
on, so that other plugins do not flood the report with lock-file hashes.
"""
from __future__ import annotations

import functools
import os
import sys
from typing import Callable
from typing import List
from typing import Optional

from ..catalogue import UPSTASH_HOST
from ..findings import CONTEXT_LINES
from ..findings import file_credentials
from ..findings import file_holds_credential
from ..text_files import decode_bytes
from ..text_files import split_lines
from . import scan_state

# Upstream gives up on a binary file after its first chunk; we read such files whole, so
# bound that (a disk image or a database dump is not worth the memory). A file over the cap
# is named on stderr and fails the hook: it was not checked.
MAX_FALLBACK_BYTES = 64 * 1024 * 1024
MAX_BYTES_VARIABLE = 'DETECT_SECRETS_UPSTASH_MAX_FILE_BYTES'


def max_file_bytes() -> int:
    try:
        return max(1, int(os.environ.get(MAX_BYTES_VARIABLE, '')))
    except ValueError:
        return MAX_FALLBACK_BYTES


def keep_files_with_credentials(file_filter: Callable[[str], bool]) -> Callable[[str], bool]:
    """For `is_lock_file` and `is_swagger_file`: every file they skip is looked at."""
    return _guard(file_filter, lambda filename: True)


def keep_text_files_with_credentials(file_filter: Callable[[str], bool]) -> Callable[[str], bool]:
    """For `is_non_text_file`: every file it skips by extension has its raw bytes searched
    for credential shapes, up to the size cap: text formats it files under "non-text"
    (.map, .css, .svg), and binary ones too (.png, .zip, .pdf, .jar), since a token pasted
    into a file of any name is just as leaked."""
    return _guard(file_filter, lambda filename: True)


def _guard(file_filter: Callable[[str], bool], worth_reading: Callable[[str], bool]):
    # The parameter must be called `filename`: detect-secrets injects filter arguments by name.
    @functools.wraps(file_filter)
    def guarded(filename: str) -> bool:
        if not file_filter(filename):
            return False
        if not worth_reading(filename):
            return True
        if _too_large(filename):
            return True
        text = read_text(filename)
        if text is None or not file_holds_credential(text, filename):
            return True
        scan_state.credentials_only.add(filename)
        return False

    return guarded


def read_text(filename: str) -> Optional[str]:
    """The file as text (see `decode_bytes`); None if unreadable or too large to read whole."""
    data = read_bytes(filename)
    return None if data is None else decode_bytes(data)[0]


def _too_large(filename: str) -> bool:
    """Over the cap: said on stderr and recorded (the hook then refuses to pass)."""
    try:
        size = os.path.getsize(filename)
    except OSError:
        return False
    if size <= max_file_bytes():
        return False
    if filename not in scan_state.unreadable_files:
        scan_state.unreadable_files.append(filename)
        print(f'detect-secrets-upstash: warning: {filename}: larger than {max_file_bytes()} bytes '
              f'({size}); its bytes were not searched for credentials (set {MAX_BYTES_VARIABLE} '
              f'to raise the cap)', file=sys.stderr)
    return True


def read_bytes(filename: str) -> Optional[bytes]:
    try:
        if os.path.getsize(filename) > max_file_bytes():
            return None
        with open(filename, 'rb') as f:
            return f.read()
    except OSError:
        return None


def credential_lines(text: str, filename: str = '') -> List[str]:
    """The file's lines with every line blanked (numbers kept) but those holding an Upstash
    credential (read with their nearby lines) and the lines near those that name an Upstash
    host: the plugin then sees the URL a `token:` line is reported for, and the verifier the
    host to ask."""
    lines = split_lines(text)
    kept = set()
    for index, _ in file_credentials(lines, filename):
        kept.add(index)
        kept.update(near for near in range(max(0, index - CONTEXT_LINES), index + CONTEXT_LINES + 1)
                    if near < len(lines) and UPSTASH_HOST.search(lines[near]))
    return [line if index in kept else '' for index, line in enumerate(lines)]


def skip_git_directories(get_files_to_scan: Callable) -> Callable:
    """The patch of `get_files_to_scan` (see `patches`): `--all-files` walks directories with
    `os.walk`, `.git/` included (pack files and objects: noise and minutes). A file inside a
    `.git` directory is scanned only when named itself; git history has its own command."""
    @functools.wraps(get_files_to_scan)
    def guarded(*paths: str, **kwargs):
        named = {os.path.normpath(path) for path in paths if not os.path.isdir(path)}
        for path in get_files_to_scan(*paths, **kwargs):
            normal = os.path.normpath(path)
            if '.git' in normal.split(os.sep)[:-1] and normal not in named:
                continue
            yield path

    return guarded
