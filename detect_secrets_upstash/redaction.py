"""What of a secret may be shown: the one place every output and message is cut through.

- `mask(value)`: a credential as reports show it, first and last 4 characters;
- `redact_known(text, secrets)`: every copy of a known secret in a text we did not write
  (a server's error, a redirect target), also in fragments: in any letter case, and any
  piece of 12 or more characters (a prefix, a suffix, each half of a token broken by a
  line break);
- `redact_credentials(text)`: every credential the catalogue recognises;
- `redact_shaped(text)`: anything secret-shaped (a token pasted where a path goes, a layout
  the catalogue does not know): a run of 20+ token characters mixing upper case, lower
  case and digits, or 40+ mixing the cases alone (20 or 40 of them between two slashes),
  32+ hex digits, or `sig_` + 16 characters;
- `redact_message(text, secrets=())`: all of the above, for error messages and logs;
- `redact_path(path, secrets=())`: a file name or `file:line` location as an output shows
  it (a token can be a file name): known secrets and recognised credentials masked, in the
  whole path and in each of its parts; secret-shaped pieces are left readable there (a
  content hash in `chunk-3f9a….js`, `MyVeryLongComponentName2Test.tsx`), so a report still
  says which file to open;
- `shown_path(path, secrets=())`: the same for text output, with control characters (a
  newline in a file name) escaped as Python does, so one name stays one line;
- `RedactingStream`: a text stream (stderr) whose every line goes through `redact_message`.
"""
from __future__ import annotations

import io
import re
from typing import Iterable
from typing import List
from typing import Tuple

from . import lazy_re

FRAGMENT = 12               # a piece of a secret this long is never shown
_SHOWN = 4                  # characters kept at each end by `mask`

_SHAPED = lazy_re.compile(r'(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_=-]{20,}')
_HEX = lazy_re.compile(r'(?<![0-9A-Fa-f])[0-9a-f]{32,}(?![0-9A-Fa-f])|(?<![0-9A-Fa-f])[0-9A-F]{32,}(?![0-9A-Fa-f])')
_SIGNING_KEY = lazy_re.compile(r'sig_[A-Za-z0-9]{16,}')


def mask(value: str) -> str:
    """At most the first 4 and last 4 characters: enough to tell tokens apart in a report."""
    if len(value) <= 12:
        return '*' * len(value)
    return f'{value[:_SHOWN]}…{value[-_SHOWN:]}'


def _spans(text: str, secret: str) -> List[Tuple[int, int]]:
    """Where `text` holds the secret or a piece of it of FRAGMENT+ characters (any case)."""
    folded_text, folded_secret = text.lower(), secret.lower()
    if len(folded_secret) < FRAGMENT:
        return [(m.start(), m.end()) for m in re.finditer(re.escape(folded_secret), folded_text)]
    grams = {folded_secret[i:i + FRAGMENT] for i in range(len(folded_secret) - FRAGMENT + 1)}
    spans, start = [], 0
    while start <= len(text) - FRAGMENT:
        if folded_text[start:start + FRAGMENT] not in grams:
            start += 1
            continue
        end = start + FRAGMENT
        while end < len(text) and folded_text[start:end + 1] in folded_secret:
            end += 1
        spans.append((start, end))
        start = end
    return spans


def redact_known(text: str, secrets: Iterable[str]) -> str:
    """`text` with every copy and every 12+ character piece of `secrets` masked."""
    for secret in secrets:
        if not secret or len(secret) < 4:
            continue
        for start, end in reversed(_spans(text, secret)):
            text = text[:start] + mask(secret) + text[end:]
    return text


def redact_credentials(text: str) -> str:
    """`text` with every credential the catalogue recognises masked (line by line)."""
    # The plugin's own reading of a line (`findings.line_credentials`): what scan reports
    # is what is masked, base64-wrapped values included. Imported here: it imports the catalogue.
    from .findings import line_credentials
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        for credential in line_credentials(line):
            for shown in {credential.found.value, credential.value}:
                if shown and shown in line:
                    line = line.replace(shown, mask(shown))
        lines[number] = line
    return ''.join(lines)


_DIGITLESS = 40             # a mixed-case run this long is random even without a digit


def looks_random(value: str, longest: int = 0) -> bool:
    """Whether a run of token characters reads as a secret rather than a word or a name:
    upper and lower case mixed, and a digit or 40+ characters (`longest`: the length that
    counts, when only a piece of the run would be the secret). Base64 of ASCII text has no
    digit more often than one would think (an Upstash Redis token is base64 of `p1` and hex;
    1 in 3,000 generated ones has no digit), and such a token glued to other text is
    recognised by no pattern; a CamelCase name is rarely 40 characters."""
    return (any(c.islower() for c in value) and any(c.isupper() for c in value)
            and (any(c.isdigit() for c in value) or (longest or len(value)) >= _DIGITLESS))


def _shaped(match: 're.Match[str]') -> str:
    value = match.group(0)
    # A path (`src/MyComponent2Test.tsx`) is a run of short pieces between slashes; a
    # base64 token has a slash now and then but long pieces.
    longest = max(len(piece) for piece in value.split('/'))
    return mask(value) if longest >= 20 and looks_random(value, longest) else value


def redact_shaped(text: str) -> str:
    text = _SIGNING_KEY.sub(lambda m: mask(m.group(0)), text)
    text = _HEX.sub(lambda m: mask(m.group(0)), text)
    return _SHAPED.sub(_shaped, text)


def redact_message(text: str, secrets: Iterable[str] = ()) -> str:
    """An error message or log line safe to print: known secrets (and their pieces),
    recognised credentials and anything secret-shaped are masked."""
    return redact_shaped(redact_credentials(redact_known(text, secrets)))


def redact_path(path: str, secrets: Iterable[str] = ()) -> str:
    """A path or `file:line` location safe to print (JSON, SARIF, text): a token in a file
    name is masked like a token anywhere else, when it is one (a known secret, or a value
    the catalogue recognises). Unlike `redact_message`, shape alone is not enough: build
    artifacts and generated sources have long hashes and mixed-case names in them, and a
    location nobody can read points nowhere."""
    return _SHAPED.sub(_recognised_pieces, redact_credentials(redact_known(path, secrets)))


_CUTS = '-_+=/'         # token characters a file name also joins words with
_MAX_CUTS = 8           # per run: (8 + 1)^2 pieces at most are tried


def _recognised_pieces(match: 're.Match[str]') -> str:
    """A run of token characters with every piece the scanner recognises masked. A token
    glued into a name (`x-<token>.env`, `dir/<token>`) reads, to the patterns, as part of a
    longer value: so the pieces between the run's joining characters are tried alone."""
    return _mask_pieces(match.group(0))


def _mask_pieces(run: str) -> str:
    from .scanner import find_credentials     # it imports the catalogue
    cuts = [index for index, char in enumerate(run) if char in _CUTS][:_MAX_CUTS]
    starts = [0] + [index + 1 for index in cuts]
    ends = [len(run)] + sorted(cuts, reverse=True)
    for start in starts:
        for end in ends:
            if end - start < _SHORTEST_TOKEN:
                continue
            piece = run[start:end]
            if find_credentials(piece):
                return run[:start] + mask(piece) + _mask_pieces(run[end:])
    return run


_SHORTEST_TOKEN = 20    # as `_SHAPED`: no credential is shorter


_CONTROL = lazy_re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029]')


def escape_controls(text: str) -> str:
    """Control characters as Python escapes them (`\\n`, `\\x1b`): one name, one line."""
    return _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def shown_path(path: str, secrets: Iterable[str] = ()) -> str:
    """A path as text output prints it: `redact_path`, control characters escaped."""
    return escape_controls(redact_path(path, secrets))


class RedactingStream(io.TextIOBase):
    """Wraps a text stream (stderr): whole lines are redacted before they are written, so a
    token written in several pieces is still seen whole. `flush` writes what is pending."""

    def __init__(self, stream):
        super().__init__()
        self._stream = stream
        self._pending = ''

    def write(self, text: str) -> int:
        self._pending += text
        if '\n' in self._pending or '\r' in self._pending:
            cut = max(self._pending.rfind('\n'), self._pending.rfind('\r')) + 1
            done, self._pending = self._pending[:cut], self._pending[cut:]
            self._stream.write(redact_message(done))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            done, self._pending = self._pending, ''
            self._stream.write(redact_message(done))
        self._stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self):
        return getattr(self._stream, 'encoding', 'utf-8')

    @property
    def errors(self):
        return getattr(self._stream, 'errors', 'strict')

    def reconfigure(self, **kwargs) -> None:
        if hasattr(self._stream, 'reconfigure'):
            self._stream.reconfigure(**kwargs)


def redact_stderr() -> None:
    """Route this process's stderr through `redact_message` (the console scripts' first step)."""
    import os
    import sys
    if sys.stderr is None:
        # stderr closed (`2>&-`): messages have nowhere to go, but code that writes or asks
        # `isatty()` must not crash; the exit status still tells what happened
        # (descriptor 2 too, for the programs we run: semgrep, git)
        descriptor = os.open(os.devnull, os.O_WRONLY)
        if descriptor != 2:
            os.dup2(descriptor, 2)
            os.close(descriptor)
        os.set_inheritable(2, True)     # os.open's descriptors are closed in children
        sys.stderr = open(2, 'w', encoding='utf-8', closefd=False)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)
