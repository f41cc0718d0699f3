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
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
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
# The lines of the file being read, whatever they hold (set and cleared with `quiet_lines`):
# detect-secrets hands the line filter a line alone, and it finds the line's neighbours here
# (`windows_of`). Taking upstream's code snippet instead (a `context` parameter) would make
# detect-secrets call the filter a second time for every finding of every plugin.
lines_read: Optional[List[str]] = None
# (the `lines_read` list, stripped text -> indices in it, stripped text -> the line filter's
# verdict), built when first needed
_places: Optional[tuple] = None
CONTEXT_LINES = 5       # as many as detect-secrets' code snippets hold on each side


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


def held_at_some_place(line: str, holds: Callable[[Sequence[str]], bool]) -> bool:
    """Whether `holds(window)` is true for the lines around some line of `lines_read` that
    reads `line` once stripped, as detect-secrets' code snippet holds them (upstream strips
    each line before filtering it); `holds([line])` when no file is being read (a string
    scanned alone, a diff).

    A text that occurs more than once is judged by every window it has, once per file: the
    answer is the same at each of its places, and a file of many equal lines would otherwise
    cost the square of their number."""
    global _places
    lines = lines_read
    if lines is None:
        return holds([line])
    if _places is None or _places[0] is not lines:
        index: Dict[str, List[int]] = {}
        for number, text in enumerate(lines):
            index.setdefault(text.rstrip(), []).append(number)
        _places = (lines, index, {})
    verdicts = _places[2]
    verdict = verdicts.get(line)
    if verdict is None:
        numbers = _places[1].get(line)
        verdict = verdicts[line] = holds([line]) if not numbers else any(
            holds(lines[max(0, number - CONTEXT_LINES):number + CONTEXT_LINES + 1]) for number in numbers)
    return verdict


def reset() -> None:
    global quiet_lines, lines_read, _places
    quiet_lines = lines_read = _places = None
    credentials_only.clear()
    read_by_us.clear()
    unreadable_files.clear()
    for forget in on_reset:
        forget()
