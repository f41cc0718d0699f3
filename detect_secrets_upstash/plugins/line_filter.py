"""Upstream's `is_indirect_reference` line filter must not hide an Upstash credential.

It skips, for every plugin, each line that looks like a function call or subscript
(`redis = Redis(url=..., token="AX...")`, `token: getToken("...")`). The wrapper pays one
extra search only on the lines upstream would skip, and reads such a line with its +-5
lines as the plugin does: a `token:` whose only evidence is the Upstash URL above it is
kept too.
"""
from __future__ import annotations

import functools
from typing import Callable

from ..findings import holds_credential
from . import scan_state


def keep_lines_with_credentials(is_indirect_reference: Callable[[str], bool]) -> Callable[[str], bool]:
    # detect-secrets injects filter arguments by name, and calls a filter in every pass
    # whose arguments cover its parameters: with `line` alone, as upstream's has, it runs
    # once per line. (With `context` it would also run once per finding of every plugin,
    # only to let each through.) The line's neighbours come from the file being read.
    @functools.wraps(is_indirect_reference)
    def guarded(line: str) -> bool:
        if not is_indirect_reference(line):
            return False
        lines = scan_state.lines_read
        if lines is not None and lines is scan_state.quiet_lines:
            return True         # a line of a file that holds no credential (see `file_reading`)
        return not scan_state.held_at_some_place(
            line, lambda window: holds_credential(line, nearby=window))

    return guarded
