"""Redis REST tokens: live or revoked, and what the server lets them do.

One request per token: `POST <url>/pipeline` carrying two commands that cannot change data:
- `EXISTS <probe key>`: a read every user may run; its answer proves the token works;
- `DEL <probe key>`: a write-class command on a fresh random 128-bit key. No key of that
  name exists, so it deletes nothing; but the server's ACL check runs first, so a token the
  server treats as read-only gets NOPERM. The server's answer outranks the token's bytes.
A server without `/pipeline` (404/405) gets the same two commands as single POSTs.
"""
import json
import secrets
from typing import Sequence

from .answers import json_of
from .http import Reply
from .http import SafeSession
from .model import LIVE
from .model import Outcome
from .model import UNKNOWN
from ..tokens import READ_ONLY
from ..tokens import READ_WRITE

PROBE_PREFIX = 'upstash-verify:probe:'
# Statuses whose body is read: a refused write comes back as 400/403 NOPERM.
_READ = (200, 400, 403)


def probe_key() -> str:
    return PROBE_PREFIX + secrets.token_hex(16)      # 128 random bits: exists nowhere


def probe_commands(key: str) -> list:
    return [['EXISTS', key], ['DEL', key]]


def verify(session: SafeSession, url: str, token: str) -> Outcome:
    key = probe_key()
    base = url.rstrip('/')
    reply = session.request('POST', base + '/pipeline', token, probe_commands(key))
    if reply.status in (404, 405):
        return _one_by_one(session, base, token, key)
    return interpret(reply)


def _one_by_one(session: SafeSession, base: str, token: str, key: str) -> Outcome:
    """A server without `/pipeline`: the same two commands as single POSTs (two round trips)."""
    read_command, write_command = probe_commands(key)
    read = session.request('POST', base, token, read_command)
    if read.status != 200:
        return interpret(read)          # 401 -> revoked, 429/5xx -> unknown, ...
    write = session.request('POST', base, token, write_command)
    items = []
    for reply in (read, write):
        item = json_of(reply, read=_READ)
        if not isinstance(item, dict):
            return Outcome(LIVE, f'token accepted; write probe inconclusive ({write.status})') \
                if reply is write else Outcome(UNKNOWN, 'answer is not JSON')
        items.append(item)
    return interpret(Reply(200, json.dumps(items).encode()))


def _error_text(document) -> str:
    if isinstance(document, dict) and isinstance(document.get('error'), str):
        return document['error']
    return ''


def _is_noperm(text: str) -> bool:
    return text.upper().startswith('NOPERM')


def interpret(reply: Reply) -> Outcome:
    document = json_of(reply, read=_READ)
    if isinstance(document, Outcome):
        return document
    if reply.status in (400, 403) and _is_noperm(_error_text(document)):
        # The whole pipeline was refused for lack of permission: the token authenticated.
        return Outcome(LIVE, 'token accepted; server refuses writes (NOPERM)', scope=READ_ONLY)
    if reply.status != 200:
        return Outcome(UNKNOWN, f'unexpected answer ({reply.status})')
    if (not isinstance(document, list) or len(document) != 2
            or not all(isinstance(item, dict) for item in document)):
        return Outcome(UNKNOWN, 'answer is not a pipeline result')
    read, write = document
    if 'result' not in read:
        return Outcome(UNKNOWN, 'read probe failed: ' + _short(_error_text(read)))
    if 'result' in write:
        return Outcome(LIVE, 'token accepted; server allows writes (no-op DEL of a random key)',
                       scope=READ_WRITE)
    if _is_noperm(_error_text(write)):
        return Outcome(LIVE, 'token accepted; server refuses writes (NOPERM)', scope=READ_ONLY)
    return Outcome(LIVE, 'token accepted; write probe inconclusive: ' + _short(_error_text(write)))


def _short(text: str) -> str:
    text = ''.join(c if c.isprintable() else ' ' for c in text)
    return text[:120] or 'no message'


def probe(session: SafeSession, urls: Sequence[str], token: str) -> Outcome:
    """The Redis product's verify probe (`catalogue.PRODUCTS`): the first URL is the database's."""
    return verify(session, urls[0], token)
