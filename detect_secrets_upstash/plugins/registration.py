"""Make detect-secrets treat our plugin as built in.

detect-secrets has no entry points: it finds plugins in `detect_secrets.plugins`
or in a file path recorded in the baseline (machine-specific, and fails open when
missing). Instead we extend its cached secret-type -> class mapping in place,
which every code path (scan, audit, report, --disable-plugin, workers) consults.
"""
from detect_secrets.core.plugins import util as plugin_util

from .. import catalogue
from . import guards
from .upstash import UpstashDetector

_original = plugin_util.get_mapping_from_secret_type_to_class


def _mapping_with_upstash():
    mapping = _original()       # lru-cached dict; other code mutates it, so extend in place
    mapping.setdefault(UpstashDetector.secret_type, UpstashDetector)
    for secret_type in catalogue.SECRET_TYPES:
        mapping.setdefault(secret_type, UpstashDetector)
    return mapping


_mapping_with_upstash.cache_clear = _original.cache_clear


def _enable_public_credential_filter() -> None:
    """Make `filters.is_public_upstash_credential` one of the default filters: on in every
    fresh settings object (scans without a baseline), and so written to new baselines'
    `filters_used`, by import path. A baseline's own filter list still wins (a user's
    `--disable-filter` is kept), as for upstream's filters."""
    from detect_secrets.settings import Settings
    from detect_secrets.settings import get_filters
    from detect_secrets.settings import get_settings
    from ..filters import PUBLIC_CREDENTIAL_FILTER

    if not getattr(Settings.clear, 'upstash_filter', False):
        original_clear = Settings.clear

        def clear(self) -> None:
            original_clear(self)
            self.filters[PUBLIC_CREDENTIAL_FILTER] = {}

        clear.upstash_filter = True         # type: ignore[attr-defined]
        Settings.clear = clear
    settings = get_settings()
    if not settings.plugins:                # not configured yet (no baseline read): the defaults
        settings.filters.setdefault(PUBLIC_CREDENTIAL_FILTER, {})
        get_filters.cache_clear()


def register() -> None:
    """Idempotent; patches every module that imported the mapping function by name, and
    installs the guards that keep upstream filters and transformers from hiding a credential."""
    guards.install()
    _enable_public_credential_filter()
    import detect_secrets.audit.analytics
    import detect_secrets.core.plugins.initialize
    import detect_secrets.core.usage.plugins
    for module in (plugin_util, detect_secrets.core.plugins.initialize,
                   detect_secrets.core.usage.plugins, detect_secrets.audit.analytics):
        module.get_mapping_from_secret_type_to_class = _mapping_with_upstash
