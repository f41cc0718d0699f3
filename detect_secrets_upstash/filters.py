"""detect-secrets filters shipped with the Upstash plugins.

Filters are recorded in baselines by import path (`filters_used`), so this module must
stay importable on its own: plain `detect-secrets` loads it from a baseline without our
plugins being registered. Registration (`plugins.registration`) enables it by default
in `detect-secrets-upstash` and its hook.
"""
from __future__ import annotations

from .catalogue import is_public_value

PUBLIC_CREDENTIAL_FILTER = 'detect_secrets_upstash.filters.is_public_upstash_credential'


def is_public_upstash_credential(secret: str) -> bool:
    """True when a finding's secret is a public Upstash value (the QStash dev server's
    token and signing keys, `catalogue.PUBLIC_VALUES`): not a leak, whichever plugin
    reports it (upstream's `Base64 High Entropy String` does)."""
    # detect-secrets injects filter arguments by name: the parameter must be `secret`.
    # Upstream's entropy plugins may keep a quote or a trailing backslash on the value
    # (a quoted string in a .ts file comes out as `...n0=\\`), and pad or not.
    return is_public_value(secret.strip(_WRAPPING))


_WRAPPING = ' \t\'"`\\'


