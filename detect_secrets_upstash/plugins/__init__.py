"""detect-secrets plugins for Upstash credentials.

Importing this package registers the plugins with detect-secrets (see `registration`;
every change to detect-secrets' internals is listed in `detect_secrets_upstash.patches`),
so `detect-secrets-upstash` and any process that imports it sees them as built-in
plugins: no file path is written into baselines.
"""
from .upstash import UpstashDetector
from . import registration

registration.register()

__all__ = ['UpstashDetector']
