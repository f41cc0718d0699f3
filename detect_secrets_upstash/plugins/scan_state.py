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

from typing import Any
from typing import Callable
from typing import List
from typing import Optional
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
# The lines of the file being read (the list upstream's reader yielded), while no line of it
# can hold an Upstash credential (`findings.text_may_hold_credential`); else None. The
# plugin and the line filter answer a line that is one of these very objects without
# reading it (`is_quiet`). Set and cleared by `file_reading` around each yield.
quiet_lines: Optional[List[str]] = None


def is_quiet(context: Any) -> bool:
    """Whether the line a detect-secrets code snippet (`context`) centres on is the line of
    `quiet_lines` at its place: the same object, not only an equal text."""
    quiet = quiet_lines
    if quiet is None or context is None:
        return False
    try:
        target = context.target_index
        index = context.start_line + target
        return index < len(quiet) and quiet[index] is context.lines[target]
    except (AttributeError, IndexError, TypeError):
        return False


def reset() -> None:
    global quiet_lines
    quiet_lines = None
    credentials_only.clear()
    read_by_us.clear()
    unreadable_files.clear()
    for forget in on_reset:
        forget()
