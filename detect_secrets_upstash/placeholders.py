"""Placeholders: values written where a credential goes that hold no secret.

Docs and tests write words where a token goes (`your-token-here`), and sometimes dress the
words up as a token: base64 of them, behind a token's head (`AX` and 3 or 6 bytes), or
shifted by a character so that no base64 group lines up with the words. Decoded at the
right one of its four alignments, such a value spells its words again. A random token's
bytes practically never do (4 given letters are 1 in 2**32 per position), and a real
token's hex secret cannot (no word below is spelled in hex digits).

Used by the context layer (`context_evidence.looks_like_token`) and the frame layer
(`tokens.redis_frame`, `vector_frame`, `qstash_frame`), never on a line the cheap anchors
did not pass.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Iterator
from typing import List

from . import lazy_re

# Placeholders spell words; random tokens of 32+ characters practically never contain
# one of these 4+ letter words (tests/test_evidence_layers.py keeps that true).
PLACEHOLDER_WORDS = lazy_re.compile(
    r'(?i)your|here|token|example|placeholder|xxxx|change|replace|redact|dummy|fake|sample|'
    r'insert|paste|secret|upstash|qstash|redis|mock|test|default|password|value|demo|dev_|_dev')

# In bytes decoded at a shifted alignment a real token's hex secret reads as a few repeated
# letters ('LXXXX'): there `xxxx` is no sign of a placeholder (and `xxxx...` itself, or base64
# of it, has too little variety to pass as a token anyway).
_DECODED_WORDS = lazy_re.compile(PLACEHOLDER_WORDS.pattern.replace('xxxx|', ''))
_PRINTABLE_RUN = lazy_re.compile(rb'[ -~]{4,}')
# Secrets inside decoded text (the uuid and 32 hex of a QStash token's JSON): pieces of 8+
# letters and digits with variety and no word. Text holding 24+ such characters is a
# credential whose field names are words (`"Password"`), even with a few bytes damaged;
# text around fewer (`1a2b3c4d-fake-token`, a uuid beside `your-password`) is a placeholder.
_SECRET_PIECE = lazy_re.compile(rb'[A-Za-z0-9]{8,}')
_SECRET_CHARACTERS = 24
_BASE64_TEXT = lazy_re.compile(rb'[A-Za-z0-9+/_-]{12,}={0,2}')


def decodings(text: str) -> List[bytes]:
    """What `text` decodes to as base64 (either alphabet), read from each of its first four
    characters: one of the four lines up with whatever was encoded after any head. Whole
    4-character groups only; [] when `text` is not base64."""
    body = text.rstrip('=').replace('-', '+').replace('_', '/')
    found = []
    for start in range(4):
        piece = body[start:]
        piece = piece[:len(piece) - len(piece) % 4]
        if len(piece) < 8:
            break
        try:
            found.append(base64.b64decode(piece, validate=True))
        except (binascii.Error, ValueError):
            return []
    return found


def _secret_characters(raw: bytes) -> int:
    return sum(len(piece) for piece in _SECRET_PIECE.findall(raw)
               if len(set(piece)) >= 6 and not PLACEHOLDER_WORDS.search(piece.decode('ascii')))


def spells_placeholder(raw: bytes) -> bool:
    """Whether a printable stretch of `raw` holds a placeholder word, and `raw` no secret."""
    return (any(_written_word(run.decode('ascii')) for run in _PRINTABLE_RUN.findall(raw))
            and _secret_characters(raw) < _SECRET_CHARACTERS)


def _written_word(text: str, words: 're.Pattern[str]' = _DECODED_WORDS) -> bool:
    # as people write words: `fake`, `FAKE`, `Fake`; random text spells `fAkE` or `tesT`
    # (case-blind, 1 in 3 of 4-letter words in random base64) as often
    return any(word.islower() or word.isupper() or word.istitle() for word in words.findall(text))


def spells_words(text: str) -> bool:
    """Whether `text` spells a placeholder word, written as people write words."""
    return _written_word(text, PLACEHOLDER_WORDS)


def decodes_to_placeholder(text: str, nested: bool = True) -> bool:
    """Whether `text`, read as base64 at any alignment, spells a placeholder, also in base64
    text inside it (a Vector token's secret is base64 text)."""
    for raw in decodings(text):
        if spells_placeholder(raw):
            return True
        if nested and any(decodes_to_placeholder(run.decode('ascii'), nested=False)
                          for run in _BASE64_TEXT.findall(raw)):
            return True
    return False


def payload_is_placeholder(payload: bytes) -> bool:
    """A frame's payload that spells a placeholder, as bytes or as base64 text."""
    if spells_placeholder(payload):
        return True
    text = _BASE64_TEXT.fullmatch(payload)
    return text is not None and decodes_to_placeholder(text.group().decode('ascii'), nested=False)


# Marks written right after a value's head where the rest was cut out: `...`, `…`, `***`,
# and words in brackets (`<redacted>`, `[REDACTED]`, `<hidden>`, `(snip)`, `<rest of token>`).
# A closing tag (`</UpstashRedisRestToken>`) or `<br>` after a whole value is none of them.
_CUT_MARK = lazy_re.compile(
    r'\.|…|\*|[<\[({]\s*(?:\.\.\.|…|\*+|x{3,}|'
    r'(?i:redacted|redact|hidden|hide|snip(?:ped)?|truncated|trimmed|masked|removed|omitted|elided|'
    r'censored|cut|rest|more|sensitive)(?:[\s_-][\w\s-]{0,24})?)\s*[>\])}]', re.IGNORECASE)


def is_cut_short(after: str) -> bool:
    """Whether the text right after a value (`after`) says the value was cut short there."""
    return _CUT_MARK.match(after) is not None


# Keys of a credential's JSON that name its owner rather than hold its secret.
_OWNER_KEY = lazy_re.compile(r'(?i)(?:user|account|owner|team|org)?_?(?:id|name|email)|user(?:name)?|v(?:ersion)?')


def _json_secrets(document) -> Iterator[str]:
    """The strings of a JSON document that could be its secret (not its owner's id)."""
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, str):
                if not _OWNER_KEY.fullmatch(str(key)):
                    yield value
            else:
                yield from _json_secrets(value)
    elif isinstance(document, list):
        for value in document:
            yield from _json_secrets(value)


def json_without_secret(text: str) -> bool:
    """Whether `text` (a value's decoded bytes) is a JSON object none of whose fields could be
    a secret: `{"UserID": "1234567890", "ApiKey": "abcdef"}` is a token's example, not a token.
    A secret is a string of 16+ characters with the variety of a random one and no
    placeholder word in it (the 32 hex of a QStash token's Password)."""
    if not text.startswith('{'):
        return False
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return False
    if not isinstance(document, dict):
        return False
    return not any(len(value) >= 16 and len(set(value)) >= 8 and not spells_words(value)
                   for value in _json_secrets(document))


# A key's start written out (`{"User`): not two random bytes that happen to read `{"`.
_JSON_KEY_START = lazy_re.compile(rb'\{"[A-Za-z]{4}')


def json_head_on_noise(raw: bytes) -> bool:
    """Whether a value's decoded bytes are a credential's JSON head (`{"UserID":"`, base64
    `eyJVc2VySUQiOi...`) followed by bytes that are no text: the head copied from a token, the
    rest typed by hand (seen in public docs: curl examples 44-48 characters long). A QStash
    token is JSON text throughout (a uuid and 32 hex); one damaged by hand keeps most of it."""
    if len(raw) < 16 or not _JSON_KEY_START.match(raw):
        return False
    rest = raw[8:]
    return sum(32 <= byte < 127 for byte in rest) < len(rest) * 0.75
