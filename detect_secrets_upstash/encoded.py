"""Upstash credentials base64-encoded once more, as Kubernetes Secret manifests hold them
(`data:` values) and `kubectl get secret -o yaml|json` prints them.

Only YAML and JSON files are searched this way (where manifests live), and only lines long
enough to hold such a value: the extra search costs one character-class scan of those lines.
A finding reports the encoded value as written (so `audit` finds it on its line again)
under the secret type of the credential inside.
"""
from __future__ import annotations

import base64
import binascii
import functools
import re
from typing import List
from typing import Tuple

from . import lazy_re
from . import catalogue
from .scanner import Found
from .scanner import find_credentials

MANIFEST_EXTENSIONS = ('.yaml', '.yml', '.json')
# The shortest run searched: a 30-character credential (a signing key) encodes to 40.
SHORTEST_RUN = 40
_RUN = lazy_re.compile(r'[A-Za-z0-9+/]{%d,800}={0,2}' % SHORTEST_RUN)


@functools.lru_cache(maxsize=None)
def _first_characters() -> frozenset:
    """The characters base64 of an Upstash credential can start with, from the catalogue:
    the first base64 character holds the top 6 bits of the first byte, so one fresh value of
    every generator (and the `rediss://` a URL-held token sits in) tells them all ('A'/'g'
    of Redis and Vector tokens encode to 'Q'/'Z', 'eyJ' of QStash to 'Z', 'sig_' to 'c')."""
    starts = {'rediss://'}
    # A kind only context identifies (a UUID under a name) has no value to recognise wrapped.
    for kind in catalogue.KINDS:
        if kind.identified_by != catalogue.BYTES:
            continue
        starts.update(generate()[:3] for _, generate in kind.generators)
    return frozenset(base64.b64encode(start.encode())[:1].decode() for start in starts)


# The shortest credential (a 28-character signing key) encodes to 44 characters.
SHORTEST_ENCODED_LINE = 44


def is_manifest(filename: str) -> bool:
    return filename.lower().endswith(MANIFEST_EXTENSIONS)


def encoded_credentials(line: str) -> List[Tuple[str, Found]]:
    """(encoded run as written, the credential inside) for each base64 run of `line` that
    wraps exactly one Upstash credential."""
    if len(line) < SHORTEST_ENCODED_LINE:
        return []
    found = []
    for match in _RUN.finditer(line):
        run = match.group()
        # computed on the first run seen (it draws a value of every generator: not at import)
        if run[0] not in _first_characters() or len(run) % 4:
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
