"""The Management (Developer) API key: a UUID that only its place identifies.

The key opens the whole account through `https://api.upstash.com/v2/...` (HTTP Basic,
`email:key`). It is a plain UUID, and UUIDs are everywhere (lock files, request ids,
database ids), so a UUID is reported only where Management API keys stand:

* under a name with an Upstash word and a key word, any prefix or case
  (`UPSTASH_API_KEY`, `TF_VAR_upstash_api_key`, `upstash:apiKey`, `Upstash__ApiKey`), but not
  under a database, team or product name (`UPSTASH_DATABASE_ID`, `UPSTASH_REDIS_...`);
* as the key of an `email:key` pair (`curl -u me@example.dev:<key>`) on a line naming Upstash;
* under a plain API-key name (`api_key`, `apiKey`, `--api-key`, `API Key:`) when the line
  names Upstash, when it stands in a `provider "upstash"` block, in the Upstash CLI's
  `.upstash.json`, or within the +-5 lines of an Upstash email (`UPSTASH_EMAIL=...`), or
  of an email in lines that name Upstash.

The account email is taken from the same places (the pair, an Upstash email name, the
provider block or CLI file's `email`): the verifier needs it. Placeholders (the nil UUID,
documentation UUIDs, `12345678-1234-...`), `${VAR}` and other vendors' keys built on a UUID
(`ctx7sk-<uuid>`) are never reported.

Speed: the rules run only on lines where a credential name may stand
(`context_evidence.may_stand_in_context`, already asked of every line: every name above
holds `key`, `token`, `secret` or an email's `@`), and `may_hold` keeps those without room
for a UUID or without an Upstash or API-key word to a length test and a count; the UUID
regex runs only on the rest.
"""
from __future__ import annotations

import functools
import os
import re
from typing import List
from typing import Optional
from typing import Sequence

from . import lazy_re
from . import catalogue
from . import tokens
from .catalogue import CONTEXT
from .catalogue import Decoded
from .context_evidence import is_listed_value
from .context_evidence import listed_name
from .scanner import Found

# Not inside a longer identifier or another vendor's prefixed key (`ctx7sk-<uuid>`); a shell
# default (`${UPSTASH_API_KEY:-<uuid>}`) is a value as written.
_UUID = lazy_re.compile(r'(?:(?<![A-Za-z0-9_.-])|(?<=:-))[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}'
                        r'-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9_-])')
_EMAIL = r'[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+'
_EMAIL_ADDRESS = lazy_re.compile(_EMAIL + r'\Z')
# `me@example.dev:<key>` (Basic credentials, as curl -u and URLs write them)
_PAIR_BEFORE = lazy_re.compile(r'(?P<email>' + _EMAIL + r'):$')
_SHELL_DEFAULT_BEFORE = lazy_re.compile(r'\$\{(?P<name>[A-Za-z0-9_]*):?-$')
# A name and the assignment, argument or label separator after it (`KEY=`, `"key": "`,
# `api_key = "`, `--api-key `, `**API Key:** \``).
# JSON-escaped quotes (a notebook cell's `os.environ[\"UPSTASH_API_KEY\"] = \"<key>`) are
# quotes too.
_NAME_BEFORE = lazy_re.compile(
    r'(?P<name>[A-Za-z_$][\w.:$-]*?(?: [Kk][Ee][Yy])?)[\s"\'`\\\])*]*'
    r'(?:=>|:=|[=:,(|]|\s)[\s"\'`*(|\\]*$')
# A key written as 32 hex without the UUID's dashes, or behind a word prefix (a layout not
# seen yet: `upstash_mk_<32 hex>`): the account key only under an Upstash key name beside
# an Upstash email name.
_HEX_KEY = lazy_re.compile(r'(?<![A-Za-z0-9_.-])(?P<prefix>[A-Za-z][A-Za-z0-9]*_(?:[A-Za-z0-9]+_)*)?'
                           r'(?P<hex>[0-9a-fA-F]{32})(?![A-Za-z0-9_-])')
_SECTION = lazy_re.compile(r'^\s*\[+(?P<name>[^\]\s]+)\]+\s*$')
_UPSTASH_WORD = lazy_re.compile(r'(?i)upstash')
# A strong name also holds one of these, and none of what names another thing.
# (each holds what `context_evidence.may_stand_in_context` looks for: the rules run only on
# lines that pass it)
_KEY_WORD = lazy_re.compile(r'(?i)key|token|secret')
_OTHER_THINGS = (r'(?i)(?:^|[_.:-])ids?$|[a-z]Ids?$|database|_db_|team|project|region|workflow|context7|'
                 r'_url$|url_|endpoint|email|user')


@functools.lru_cache(maxsize=None)
def _other_thing(kind: catalogue.Kind) -> 're.Pattern':
    """What names another thing than `kind`'s key, other products (their ids, the words
    their names hold: redis, kv_, qstash, vector, search, kafka) and their kinds' words
    (signing) included."""
    words = set()
    for product in catalogue.PRODUCTS:
        if product.id != kind.product:
            words.update((product.id, *product.name_words))
    words.update(other.name_word for other in catalogue.KINDS
                 if other.product != kind.product and other.name_word)
    return re.compile('|'.join([_OTHER_THINGS, *sorted(map(re.escape, words))]))
# A plain API-key name (the key of a provider block, CLI flag or config file).
_PLAIN_KEY_NAME = lazy_re.compile(r'(?i)(?:^|[_.:-])api[ _-]?key$|^apikey$|^api[ _-]?key$')
# (a name starts where a run of name characters starts, and is at most ~200 characters:
# unbounded, a long run such as a 50 MB JSON string was rescanned from every position and
# every 'upstash' in it, quadratic in the line's length)
_UPSTASH_EMAIL_NAME = lazy_re.compile(
    r'(?i)(?<![\w.:$-])(?P<name>[\w.:$-]{0,80}upstash[\w.:$-]{0,80}?e-?mail\w{0,40})["\'`\]\s]*(?:=>|:=|[=:,]|\s)\s*["\'`]?'
    r'(?P<value>[^\s"\'`,;)}]*)')
_PLAIN_EMAIL_NAME = lazy_re.compile(
    r'(?i)(?<!\w)(?:e-?mail|registered_email)\**["\'`\]\s*]*(?:=>|:=|[=:,]|\s)[\s*]*["\'`]?'
    r'(?P<value>' + _EMAIL + r')')
_PROVIDER = lazy_re.compile(r'^\s*provider\s+"(?P<name>[^"]+)"')
# The Upstash CLI's own files: `~/.upstash.json` (0.x) and `~/.config/upstash/config.json`.
_CLI_FILES = ('.upstash.json', os.path.join('upstash', 'config.json'))


def may_hold(line: str) -> bool:
    """Cheap test run on every line: room for a UUID (36 characters, four '-': one count, at
    memchr speed, rules out almost every line), then an Upstash word or an API-key word, or
    a list entry's `value:`; a line with fewer dashes only with an Upstash word (a key
    written as bare hex)."""
    if len(line) < 32:
        return False
    if line.count('-') < 4:
        return 'pstash' in line or 'PSTASH' in line      # 32 hex under an Upstash name
    return (
        'pstash' in line or 'PSTASH' in line or 'pi_key' in line or 'PI_KEY' in line
        or 'piKey' in line or 'PiKey' in line or 'pi-key' in line or 'PI-KEY' in line
        or 'pi key' in line or 'PI Key' in line or 'PI KEY' in line
        or is_listed_value(line))       # `value: <key>`, its name on the line before


def findings(kind: catalogue.Kind, line: str, nearby: Sequence[str] = (), filename: str = '') -> List[Found]:
    """Management API keys (`kind`, the record naming this rule) on `line`; `nearby` is the
    +-5 lines around it (the line included)."""
    found = []
    for match in _UUID.finditer(line):
        value = match.group(0)
        if kind.decode(value) is None:          # a placeholder UUID
            continue
        placed = _placed(kind, line, match.start(), nearby or [line], filename)
        if placed is not None:
            evidence, email = placed
            found.append(Found(kind, value, Decoded(kind.scope, layer=CONTEXT, evidence=evidence),
                               user=email))
    if not found and ('pstash' in line or 'PSTASH' in line):
        found = _hex_findings(kind, line, nearby or [line])
    return found


def _hex_findings(kind: catalogue.Kind, line: str, nearby: Sequence[str]) -> List[Found]:
    """A key written as 32 hex (a UUID without its dashes) or behind a word prefix, under an
    Upstash key name beside an Upstash email name: the account key, the prefixed one of a
    layout not seen yet."""
    found = []
    for match in _HEX_KEY.finditer(line):
        body = match.group('hex').lower()
        if kind.decode('-'.join((body[:8], body[8:12], body[12:16], body[16:20], body[20:]))) is None:
            continue                            # the hex of a placeholder UUID
        name = _name(line[max(0, match.start() - 160):match.start()])
        if not _strong_name(kind, name):
            continue
        email_name = _upstash_email_name(nearby)
        if email_name is None:
            continue                            # alone, 32 hex there is a Redis password
        prefix = match.group('prefix')
        what = f'behind the prefix {prefix}' if prefix else 'a UUID written without dashes'
        decoded = Decoded(kind.scope, layout=tokens.UNRECOGNISED if prefix else None, layer=CONTEXT,
                          evidence=f'under {name} beside {email_name}, {what}')
        found.append(Found(kind, match.group(0), decoded, user=_account_email(nearby, upstash_only=True)))
    return found


def _strong_name(kind: catalogue.Kind, name: str) -> bool:
    """An Upstash key name that names no other thing (`UPSTASH_API_KEY`, not `UPSTASH_DATABASE_ID`)."""
    return bool(_UPSTASH_WORD.search(name) and _KEY_WORD.search(name) and not _other_thing(kind).search(name))


def _placed(kind: catalogue.Kind, line: str, start: int, nearby: Sequence[str], filename: str):
    """(evidence, account email or None) when the UUID at `start` stands where a
    Management API key stands, else None."""
    if 'context7' in line.lower():
        return None             # Context7 (sold by Upstash) keys go under UPSTASH_API_KEY too
    before = line[max(0, start - 160):start]
    pair = _PAIR_BEFORE.search(before)
    if pair is not None:
        if _UPSTASH_WORD.search(line):
            return 'the key of an email:key pair on an Upstash line', pair.group('email')
        return None
    name = _name(before)
    if name == 'value' and is_listed_value(line):
        name = listed_name(line, nearby) or name    # `- name: UPSTASH_API_KEY` on the line before
    if not name:
        return None
    if _UPSTASH_WORD.search(name):
        if _strong_name(kind, name):
            return f'under {name}', _account_email(nearby, upstash_only=True)
        return None
    if not _PLAIN_KEY_NAME.search(name):
        return None
    # a plain API-key name: what stands around it must say Upstash
    if _in_cli_file(filename):
        return f'under {name} in the Upstash CLI\'s {os.path.basename(filename)}', _account_email(nearby)
    if _UPSTASH_WORD.search(line):
        return f'under {name} on a line naming Upstash', _account_email([line, *nearby])
    provider = _provider_above(line, nearby)
    if provider == 'upstash':
        return f'under {name} in a provider "upstash" block', _account_email(nearby)
    section = _section_above(line, nearby)
    if section is not None and _UPSTASH_WORD.search(section):
        # a TOML/INI section says whose key it is, as a provider block does
        return f'under {name} in the [{section}] section', _account_email(nearby)
    upstash_email = _upstash_email_name(nearby)
    if upstash_email is not None:
        return f'under {name} beside {upstash_email}', _account_email(nearby, upstash_only=True)
    email = _account_email(nearby)
    if email is not None and provider is None and section is None and any(_UPSTASH_WORD.search(text) for text in nearby):
        return f'under {name} beside an account email, in lines naming Upstash', email
    return None


def _name(before: str) -> str:
    """The name the value is assigned to; in a shell default the variable's
    (`${UPSTASH_API_KEY:-<key>}`), or for a positional one the name outside it
    (`UPSTASH_API_KEY="${1:-<key>}"`)."""
    default = _SHELL_DEFAULT_BEFORE.search(before)
    if default is not None:
        if not default.group('name').isdigit():
            return default.group('name')
        before = before[:default.start()]
    match = _NAME_BEFORE.search(before)
    return match.group('name').rstrip(':.-') if match is not None else ''


def _in_cli_file(filename: str) -> bool:
    # 'upstash' first: both names hold it, and this runs once for every file scanned
    return bool(filename) and 'upstash' in filename and os.path.normpath(filename).endswith(_CLI_FILES)


def _provider_above(line: str, nearby: Sequence[str]) -> Optional[str]:
    """The name of the nearest `provider "<name>"` block opened above `line` in `nearby`."""
    try:
        index = list(nearby).index(line)
    except ValueError:
        index = len(nearby)
    for text in reversed(list(nearby)[:index + 1]):
        match = _PROVIDER.match(text)
        if match is not None:
            return match.group('name').lower()
        if text.strip() == '}':
            return None
    return None


def _section_above(line: str, nearby: Sequence[str]) -> Optional[str]:
    """The name of the nearest TOML/INI section header (`[upstash]`) above `line` in `nearby`."""
    try:
        index = list(nearby).index(line)
    except ValueError:
        return None
    for text in reversed(list(nearby)[:index]):
        if '[' in text:
            match = _SECTION.match(text)
            if match is not None:
                return match.group('name')
    return None


def _email_names(nearby: Sequence[str], names: 're.Pattern'):
    """Each email name of the form `names` in `nearby` with what stands under it, in order
    (only lines holding 'mail' are searched)."""
    for text in nearby:
        if 'mail' in text.lower():
            yield from names.finditer(text)


def _upstash_email_name(nearby: Sequence[str]) -> Optional[str]:
    return next((match.group('name') for match in _email_names(nearby, _UPSTASH_EMAIL_NAME)), None)


def _account_email(nearby: Sequence[str], upstash_only: bool = False) -> Optional[str]:
    """The email address the key goes with: under an Upstash email name first, else (in a
    provider block, a CLI file, an Upstash line) under a plain email name."""
    email = next((match.group('value') for match in _email_names(nearby, _UPSTASH_EMAIL_NAME)
                  if _EMAIL_ADDRESS.match(match.group('value'))), None)
    if email is not None or upstash_only:
        return email
    return next((match.group('value') for match in _email_names(nearby, _PLAIN_EMAIL_NAME)), None)
