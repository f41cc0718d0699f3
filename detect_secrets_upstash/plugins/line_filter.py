"""Upstream's `is_indirect_reference` line filter must not hide an Upstash credential.

It skips, for every plugin, each line that looks like a function call or subscript
(`redis = Redis(url=..., token="AX...")`, `token = os.getenv("X", "AX...")`). The wrapper
pays one extra search only on the lines upstream would skip.
"""
import functools
from typing import Callable

from ..findings import holds_credential


def keep_lines_with_credentials(is_indirect_reference: Callable[[str], bool]) -> Callable[[str], bool]:
    # The parameter must be called `line`: detect-secrets injects filter arguments by name.
    @functools.wraps(is_indirect_reference)
    def guarded(line: str) -> bool:
        return is_indirect_reference(line) and not holds_credential(line)

    return guarded
