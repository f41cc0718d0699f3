"""What the wrappers of detect-secrets' scan remember about the files of one scan.

Upstream calls its file filters, its file reader and its per-file scan separately, so the
few facts one of our wrappers learns and another needs (a skipped file let through for its
credentials, a file read in a non-UTF-8 encoding, a file that could not be read) are kept
here, and `reset()` clears them when a command starts a scan. Modules that keep state of
their own for one scan (the verifier's answers) add a function to `on_reset`, so that a
second scan in the same process (a test, a tool calling `main()` twice) starts fresh
without this module importing them.
"""
from __future__ import annotations

from typing import Callable
from typing import List
from typing import Set

# Files an upstream file filter would skip, let through because they hold an Upstash
# credential: only their credential lines are handed on (see `skipped_files`).
credentials_only: Set[str] = set()
# Files whose lines did not come from upstream's reader (UTF-16/32, latin-1, credential
# lines only): upstream's eager second pass has nothing to add for them (see `eager_pass`).
read_by_us: Set[str] = set()
# Files that could not be opened or read (the hook fails on them; see `file_reading`).
unreadable_files: List[str] = []
on_reset: List[Callable[[], None]] = []


def reset() -> None:
    credentials_only.clear()
    read_by_us.clear()
    unreadable_files.clear()
    for forget in on_reset:
        forget()
