"""Every Upstash credential on a line, exactly as the plugin reports it.

`line_credentials` is the one "does this hold a credential" predicate. Scanning (the
plugin), the scan's guards around upstream filters and transformers, audit notes, output
redaction, the history scan and the verifier (recovering values from a baseline or from env
lines, and `verify()`) all read lines through it, so what one of them finds the others find,
a baseline's hash always leads back to the same credential, and the verifier sends what a
server knows even where the finding carries another form of it (a Kubernetes `data:` value,
`%3D` padding in a URL query). Only this module (and `encoded`, one of its layers) calls the
scanner.
"""
from __future__ import annotations

import functools
import importlib
from functools import lru_cache
from typing import Iterator
from typing import List
from typing import Sequence
from typing import Tuple

from . import catalogue
from .catalogue import reported_value
from .context import SHORTEST_PASSWORD_LINE
from .context import may_hold_password
from .context import password_findings
from .context_evidence import CONTEXT_NAME_WORDS
from .context_evidence import HOST_WORDS
from .context_evidence import SHORTEST_VALUE
from .context_evidence import UPSTASH_WORDS
from .context_evidence import context_findings
from .context_evidence import may_stand_in_context
from .encoded import SHORTEST_ENCODED_LINE
from .encoded import encoded_credentials
from .encoded import is_manifest
from .encoded import SHORTEST_RUN
from .management_key import _in_cli_file
from .records import frozen_record
from .scanner import SHORTEST_MATCH
from .scanner import places as scanner_places
from .scanner import find_credentials
from .scanner import Found


# detect-secrets hands plugins +-5 lines of context; audit notes and the verifier look at
# the same window, so they see the URL the plugin saw.
CONTEXT_LINES = 5


def context_window(lines: Sequence[str], index: int) -> Sequence[str]:
    """The lines around `lines[index]` (0-based) that detect-secrets gives a plugin."""
    return lines[max(0, index - CONTEXT_LINES):index + CONTEXT_LINES + 1]


def _resolve(reference: str):
    module, _, function = reference.partition(':')
    return getattr(importlib.import_module(module), function)


# Kinds only their place identifies (`Kind.identified_by`): (cheap anchor test, context rule
# told the kind it finds).
_CONTEXT_RULES = tuple((_resolve(kind.context_anchor), functools.partial(_resolve(kind.context_rule), kind))
                       for kind in catalogue.KINDS if kind.identified_by == catalogue.CONTEXT)


@frozen_record
class LineCredential:
    """A credential as found on a line, in each of the forms its readers need."""
    found: Found        # kind, decoded bytes, URL host; `found.value` is the credential
    value: str          # what the finding carries (hashed in baselines)
    token: str          # what a server would be sent
    written: str        # the text as it stands on the line (the encoded run, `%3D` kept)


def _plain(found: Found, line: str) -> LineCredential:
    value = reported_value(found.value, line)
    return LineCredential(found, value, value, found.value)


def line_credentials(line: str, filename: str = '', nearby: Sequence[str] = ()) -> List[LineCredential]:
    """Credentials on `line`. `nearby` (the +-5 lines) lets a bare legacy password next to an
    Upstash host count; base64-wrapped credentials are looked for in YAML/JSON files, or
    anywhere when no file name is given (a value the user handed over)."""
    if len(line) < _SHORTEST_LINE:
        return []           # a third of the lines of code: nothing shorter holds a finding
    found = find_credentials(line)
    if not found:
        # The common case (no credential): keep it to cheap checks, this runs on every line.
        if nearby and may_hold_password(line):
            found = password_findings(line, nearby)
        encoded = []
        if not found and (not filename or _is_manifest(filename)):
            encoded = [LineCredential(inner, run, reported_value(inner.value), run)
                       for run, inner in encoded_credentials(line)]
        if may_stand_in_context(line):
            if not found:
                # last resort: a token-like value standing where Upstash credentials stand
                found = context_findings(line, nearby, known=[c.value for c in encoded])
            # values of the kinds only their place identifies stand under such names too
            for anchor, rule in _CONTEXT_RULES:
                if anchor(line):
                    found = _placed_over(found, rule(line, nearby, filename))
        if not found:
            return encoded
        return encoded + [_plain(f, line) for f in found]
    elif may_stand_in_context(line):
        # another value on the same line may stand where a credential stands
        found = found + context_findings(line, nearby, known=[f.value for f in found])
        for anchor, rule in _CONTEXT_RULES:
            if anchor(line):
                found = _placed_over(found, rule(line, nearby, filename))
    return [_plain(f, line) for f in found]


def _placed_over(found: List[Found], placed: List[Found]) -> List[Found]:
    """`found` and what a kind's own context rule `placed` on the line; a value both report
    is the rule's kind (32 hex under UPSTASH_API_KEY beside UPSTASH_EMAIL is the account key,
    not the Redis password the generic context layer reads there)."""
    if not placed:
        return found
    values = {f.value for f in placed}
    return [f for f in found if f.value not in values] + placed


# No layer reports anything on a shorter line (the shortest match of each).
_SHORTEST_LINE = min(SHORTEST_MATCH, SHORTEST_VALUE, SHORTEST_PASSWORD_LINE, SHORTEST_ENCODED_LINE)

# One answer per file name: asked for every line of every file.
_is_manifest = lru_cache(maxsize=1024)(is_manifest)


# The words (case folded) one of which stands in the lines a context, password or Management
# key rule reads before it reports: `context_evidence.may_report` asks for an Upstash word, a
# host word or a name that says its kind; `context.password_findings` for a host word;
# `management_key.findings` for `upstash` (or the Upstash CLI's file name).
_PLACE_WORDS = tuple(dict.fromkeys((*UPSTASH_WORDS, *HOST_WORDS, *CONTEXT_NAME_WORDS)))


def text_may_hold_credential(text: str, filename: str = '') -> bool:
    """False only when no line of `text` (lines joined by '\n'), read with any lines around
    it, can give `line_credentials` a finding, in `filename` or in no file. The scan reads
    the lines of a file for which it is False without asking `line_credentials`
    (`plugins/file_reading.py`). Asked of the whole text at once, at C speed:

    * the context, legacy password and Management key rules need one of `_PLACE_WORDS` in
      the lines they read (or the Upstash CLI's own file name);
    * without those, only the bytes and frame layers and base64-wrapped credentials are
      left, and each reads its line alone: the few lines where one of their matches can
      start (`scanner.places`: a guard's opening or a long run) are asked, as the plugin
      asks them."""
    folded = text.lower() if text.isascii() else text.casefold()    # the same on ASCII, faster
    if any(map(folded.__contains__, _PLACE_WORDS)):      # the loop in C: asked of every file
        return True
    if _in_cli_file(filename):
        return True
    # a base64-wrapped credential's run (of `encoded._RUN`'s alphabet, a part of the
    # scanner's) lies inside a run of run characters as long
    starts = scanner_places(text, shortest_run=SHORTEST_RUN)
    if starts is None:
        return True
    asked = set()
    for start in sorted(starts):
        begin = text.rfind('\n', 0, start) + 1
        if begin in asked:
            continue
        if len(asked) == _MOST_LINES_ASKED:
            return True         # a bundle or a lock file: the lines are read one by one
        asked.add(begin)
        end = text.find('\n', start)
        written = text[begin:end if end >= 0 else len(text)]
        # as the plugin reads it (detect-secrets strips it) and as `file_credentials` does
        for line in {written, written.rstrip()}:
            if find_credentials(line) or encoded_credentials(line):
                return True
    return False


_MOST_LINES_ASKED = 32


def holds_credential(text: str, filename: str = '', nearby: Sequence[str] = ()) -> bool:
    """Whether the line `text` holds an Upstash credential the plugin would report, given
    the lines around it (`nearby`, as the plugin is given them): the scan's
    guards ask this, so they let through what the plugin then finds. Base64-wrapped values
    count in YAML/JSON files, or anywhere when no file name is given."""
    return bool(line_credentials(text, filename, nearby))


def file_credentials(lines: Sequence[str], filename: str = '') -> Iterator[Tuple[int, List[LineCredential]]]:
    """(index, `line_credentials`) of each line of a file that holds a credential, each line
    read with its +-5 lines as the plugin reads it (lazily: `file_holds_credential` stops
    at the first). A file the whole-text gate rules out is not read line by line."""
    if not text_may_hold_credential('\n'.join(lines), filename):
        return
    for index, line in enumerate(lines):
        found = line_credentials(line, filename, context_window(lines, index))
        if found:
            yield index, found


def file_holds_credential(text: str, filename: str = '') -> bool:
    """Whether any line of `text` (split on '\n') holds a credential, read as the plugin
    reads it (with its nearby lines: a `token:` beside an Upstash URL counts)."""
    return next(file_credentials(text.split('\n'), filename), None) is not None


def bytes_layer_values(text: str) -> List[str]:
    """The values the token-bytes and frame layers find in `text`, which may hold many lines
    (no match spans a line break): the cheap first layer of `line_credentials`, for
    prefilters that pick the lines worth judging. Not a verdict on its own: context, legacy
    passwords and base64-wrapped values need their lines."""
    return [found.value for found in find_credentials(text)]
