"""Make detect-secrets treat our plugin as built in (wrappers; `patches` installs them).

detect-secrets has no entry points: it finds plugins in `detect_secrets.plugins`
or in a file path recorded in the baseline (machine-specific, and fails open when
missing). Instead we extend its cached secret-type -> class mapping in place,
which every code path (scan, audit, report, --disable-plugin, workers) consults.
"""
import functools
from typing import Callable

from .. import catalogue
from .upstash import UpstashDetector


def with_upstash_types(get_mapping: Callable) -> Callable:
    """`get_mapping_from_secret_type_to_class`, also mapping every Upstash type to our class."""
    @functools.wraps(get_mapping)
    def guarded():
        mapping = get_mapping()     # lru-cached dict; other code mutates it, so extend in place
        mapping.setdefault(UpstashDetector.secret_type, UpstashDetector)
        for secret_type in catalogue.SECRET_TYPES:
            mapping.setdefault(secret_type, UpstashDetector)
        return mapping

    guarded.cache_clear = get_mapping.cache_clear        # type: ignore[attr-defined]
    return guarded


def with_public_credential_filter(clear: Callable) -> Callable:
    """Make `filters.is_public_upstash_credential` one of the default filters: on in every
    fresh settings object (scans without a baseline), and so written to new baselines'
    `filters_used`, by import path. A baseline's own filter list still wins (a user's
    `--disable-filter` is kept), as for upstream's filters."""
    from ..filters import PUBLIC_CREDENTIAL_FILTER

    @functools.wraps(clear)
    def guarded(self) -> None:
        clear(self)
        self.filters[PUBLIC_CREDENTIAL_FILTER] = {}

    return guarded


def enable_in_current_settings() -> None:
    """Settings made before `Settings.clear` was wrapped (this process's first) get the filter
    too, unless a baseline already configured them."""
    from detect_secrets.settings import get_filters
    from detect_secrets.settings import get_settings
    from ..filters import PUBLIC_CREDENTIAL_FILTER

    settings = get_settings()
    if not settings.plugins:                # not configured yet (no baseline read): the defaults
        settings.filters.setdefault(PUBLIC_CREDENTIAL_FILTER, {})
        get_filters.cache_clear()


def register() -> None:
    """Idempotent: the scan patches (see `patches.SCAN`)."""
    from .. import patches
    patches.apply(patches.SCAN)
    enable_in_current_settings()
