"""Our findings must not cost other plugins theirs.

Upstream's `scan_file` reads a file a second time, with its eager transformers (e.g. `.env`
parsed as INI, values quoted so the entropy plugins see them), only when the first pass
found nothing. An Upstash finding on the first pass would then drop every finding that
only the eager pass makes. The wrapper runs upstream's `scan_file` unchanged and, when
every finding of it was ours, runs the eager pass upstream skipped, with upstream's own
reader and plugin loop; repeats of our findings are merged by SecretsCollection (same
file, hash and type). Files without findings, or with another plugin's, cost nothing extra.

Installed by our own commands only: loaded into Yelp's hook through a `--plugin` file, our
package is imported while upstream's `scan_file` is already scanning the first file, so
that file alone would be scanned the old way and baselines would flip between runs.
"""
from __future__ import annotations

import functools
import itertools
from typing import Callable

from .. import catalogue
from . import scan_state


def keep_eager_pass(scan_file: Callable) -> Callable:
    import detect_secrets.core.scan as core_scan

    @functools.wraps(scan_file)
    def guarded(filename: str):
        found, others = False, False
        for secret in scan_file(filename):
            found = True
            others = others or secret.type not in catalogue.BY_SECRET_TYPE
            yield secret
        if not found or others or filename in scan_state.read_by_us:
            return      # upstream ran the eager pass, or stopped for another plugin's finding
        try:
            # Upstream's reader yields the plain lines, then (if any) the eager ones.
            for lines in itertools.islice(core_scan._get_lines_from_file(filename), 1, None):
                yield from core_scan._process_line_based_plugins(
                    lines=list(enumerate(lines, start=1)), filename=filename,
                )
        except IOError:
            pass        # upstream already read this file once; it reports its own errors

    return guarded
