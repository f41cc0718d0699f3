"""Upstream's `is_indirect_reference` line filter must not hide an Upstash credential.

It skips, for every plugin, each line that looks like a function call or subscript
(`redis = Redis(url=..., token="AX...")`, `token: getToken("...")`). The wrapper pays one
extra search only on the lines upstream would skip, and reads such a line with its +-5
lines as the plugin does: a `token:` whose only evidence is the Upstash URL above it is
kept too.
"""
from __future__ import annotations

import functools
from typing import Any
from typing import Callable

from ..findings import holds_credential
from . import scan_state


def keep_lines_with_credentials(is_indirect_reference: Callable[[str], bool]) -> Callable[..., bool]:
    # detect-secrets injects filter arguments by name, and calls a filter wherever its
    # parameters cover the ones asked for: `line` and `context` make it the line filter it
    # was (now given the line's code snippet), and `context` makes it also called once per
    # finding, given the finding's `plugin` (which the line pass does not pass): there,
    # where upstream's never ran, it must let everything through. (Not `secret`: that would
    # also call it in the pass over every finding of every plugin that only `secret`
    # filters get.)
    @functools.wraps(is_indirect_reference)
    def guarded(line: str, context: Any = None, plugin: Any = None) -> bool:
        if plugin is not None:
            return False
        if not is_indirect_reference(line):
            return False
        if scan_state.quiet_lines is not None and scan_state.is_quiet(context):
            return True         # a line of a file that holds no credential (see `file_reading`)
        return not holds_credential(line, nearby=getattr(context, 'lines', None) or ())

    return guarded
