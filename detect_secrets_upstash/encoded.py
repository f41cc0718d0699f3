"""Upstash credentials base64-encoded once more, as Kubernetes Secret manifests hold them
(`data:` values) and `kubectl get secret -o yaml|json` prints them.

Only YAML and JSON files are searched this way (where manifests live), and only lines long
enough to hold such a value: the extra search costs one character-class scan of those lines.
A finding reports the encoded value as written (so `audit` finds it on its line again)
under the secret type of the credential inside.
"""
import base64
import binascii
import re
from typing import List
from typing import Tuple

from .scanner import Found
from .scanner import find_credentials

MANIFEST_EXTENSIONS = ('.yaml', '.yml', '.json')
# base64 of an Upstash credential: 'A'/'g' (Redis, Vector) encode to 'Q'/'Z', 'eyJ' (QStash)
# to 'ZXlK', 'sig_' to 'c2lnXw', 'redis' (a URL) to 'cmVkaX'. The shortest credential
# (a 28-character signing key) encodes to 44 characters.
_RUN = re.compile(r'[A-Za-z0-9+/]{40,800}={0,2}')
_FIRST = frozenset('QZc')
_MIN_LINE = 44


def is_manifest(filename: str) -> bool:
    return filename.lower().endswith(MANIFEST_EXTENSIONS)


def encoded_credentials(line: str) -> List[Tuple[str, Found]]:
    """(encoded run as written, the credential inside) for each base64 run of `line` that
    wraps exactly one Upstash credential."""
    if len(line) < _MIN_LINE:
        return []
    found = []
    for match in _RUN.finditer(line):
        run = match.group()
        if run[0] not in _FIRST or len(run) % 4:
            continue
        try:
            text = base64.b64decode(run, validate=True).decode('ascii').strip()
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        inner = find_credentials(text)
        # The whole value is one credential (or a redis URL around one), not base64 of a
        # longer text that happens to mention a token.
        if len(inner) == 1 and (inner[0].value == text or inner[0].host):
            found.append((run, inner[0]))
    return found
