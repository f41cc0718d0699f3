"""Make detect-secrets treat our plugin as built in (wrappers; `patches` installs them).

detect-secrets has no entry points: it finds plugins in `detect_secrets.plugins`
or in a file path recorded in the baseline (machine-specific, and fails open when
missing). Instead we extend its cached secret-type -> class mapping in place,
which every code path (scan, audit, report, --disable-plugin, workers) consults.
"""
from __future__ import annotations

import functools
from typing import Callable
from typing import Optional
from typing import Tuple

from .. import catalogue
from .upstash import UpstashDetector


# The `file://` plugin paths of the settings when our commands built the mapping ahead of
# upstream (`keep_mapping_built_early`), until upstream's first call; None otherwise.
_early_paths: Optional[Tuple[str, ...]] = None


def _custom_plugin_paths() -> Tuple[str, ...]:
    # What upstream's mapping depends on besides its own plugins package (see its body).
    from detect_secrets.settings import get_settings
    return tuple(config['path'] for config in get_settings().plugins.values() if 'path' in config)


def keep_mapping_built_early() -> None:
    """Our commands fill the mapping's cache to check the registration, before any baseline
    is read. Upstream's first call then gets that mapping if the settings still name the same
    `file://` plugins (the usual case: none), and a fresh build otherwise, which loads the
    plugins a baseline names, as upstream does on an empty cache (upstream issue #611)."""
    global _early_paths
    _early_paths = _custom_plugin_paths()


def with_upstash_types(get_mapping: Callable) -> Callable:
    """`get_mapping_from_secret_type_to_class`, also mapping every Upstash type to our class."""
    @functools.wraps(get_mapping)
    def guarded():
        global _early_paths
        if _early_paths is not None:
            early, _early_paths = _early_paths, None
            if _custom_plugin_paths() != early:
                get_mapping.cache_clear()
        mapping = get_mapping()     # lru-cached dict; other code mutates it, so extend in place
        mapping.setdefault(UpstashDetector.secret_type, UpstashDetector)
        for secret_type in catalogue.SECRET_TYPES:
            mapping.setdefault(secret_type, UpstashDetector)
        return mapping

    def cache_clear() -> None:
        global _early_paths
        _early_paths = None
        get_mapping.cache_clear()

    guarded.cache_clear = cache_clear        # type: ignore[attr-defined]
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
