"""Upstream's file transformers must not drop an Upstash credential.

Transformers (YAML, INI) replace a file's lines with `key: "value"` lines and drop what
they do not model: YAML list items (`- KEY=AX...`), block scalars (moved to the key's line).
The wrapper costs one search over a file upstream transformed; line numbers stay those of
the file as written.
"""
from __future__ import annotations

import functools
from typing import Callable
from typing import List
from typing import Optional

from .. import lazy_re
from ..findings import CONTEXT_LINES
from ..findings import file_credentials

_SECTION_HEADER = lazy_re.compile(r'\s*\[[^\]]+\]\s*$')


def restore_credentials(transformed: List[str], raw_text: str, filename: str = '') -> List[str]:
    """Put Upstash credentials back on the transformed lines, at their real line numbers.

    The raw lines are read as the plugin reads a file (`findings.file_credentials`: with
    their nearby lines, so a `token:` beside an Upstash URL counts). A transformed line that
    lacks a credential written on the same raw line is replaced by the raw line; a
    credential the transformer moved to another line (block scalars) is taken off that
    line, so it is reported once, where it is.
    """
    raw_lines = raw_text.split('\n')
    # Values as written on the raw lines (`written`), not as findings report them.
    values_by_line = {index: {credential.written for credential in found}
                      for index, found in file_credentials(raw_lines, filename)}
    if not values_by_line:
        return transformed
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
        # the ini transformer blanks section headers, and `[upstash]` above a plain
        # `api_key =` is what says whose key it is: put back those near a credential
        for near in range(max(0, index - CONTEXT_LINES), min(len(lines), index + CONTEXT_LINES + 1)):
            if not lines[near] and near < len(raw_lines) and _SECTION_HEADER.match(raw_lines[near]):
                lines[near] = raw_lines[near].rstrip('\r')
    return lines


def keep_transformed_credentials(get_transformed_file: Callable) -> Callable:
    """Wrap upstream's `get_transformed_file` with `restore_credentials`."""
    @functools.wraps(get_transformed_file)
    def guarded(file, use_eager_transformers: bool = False) -> Optional[List[str]]:
        lines = get_transformed_file(file, use_eager_transformers=use_eager_transformers)
        if not lines:
            return lines
        try:
            raw_text = file.read()
        finally:
            file.seek(0)
        return restore_credentials(lines, raw_text, getattr(file, 'name', '') or '')

    return guarded
