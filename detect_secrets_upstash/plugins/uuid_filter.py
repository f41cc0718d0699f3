"""Upstream's `is_potential_uuid` filter must not drop a Management API key.

It drops every finding whose secret holds a UUID: right for generic plugins (a UUID under
`secret:` is usually an id), wrong for the Management API key, which is a UUID. Our plugin
reports a UUID only where its context says it is such a key (`management_key`), so only
our plugin's UUID findings are kept; every other plugin's are filtered as before.
"""
from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Optional


def keep_management_keys(is_potential_uuid: Callable[[str], bool]) -> Callable[..., bool]:
    # The parameters must be called `secret` and `plugin`: detect-secrets injects filter
    # arguments by name (from this function's own code, so no functools.wraps here).
    def guarded(secret: str, plugin: Optional[Any] = None) -> bool:
        if not is_potential_uuid(secret):
            return False
        from . import UpstashDetector
        return not isinstance(plugin, UpstashDetector)

    guarded.__name__ = is_potential_uuid.__name__
    guarded.__module__ = is_potential_uuid.__module__
    guarded.__doc__ = __doc__
    return guarded
