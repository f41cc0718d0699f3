"""The context layer: token-like values that stand where Upstash credentials stand.

The bytes layer (`tokens`) and the frame layer (`catalogue.identify_frame`) know what
Upstash tokens look like today. Upstash will ship layouts they do not know, so a value is
also reported when its place says what it is:

* under an Upstash-style name, with any prefix or case (`MYAPP_KV_REST_API_TOKEN`,
  `upstash_token`, `os.environ["UPSTASH_REDIS_REST_TOKEN"] = ...`);
* under a plain token name (`token:`, `REDIS_TOKEN`, `authToken`) when the lines
  around it name an Upstash host;
* as the password of a URL on an Upstash host (`rediss://default:<v>@x.upstash.io`,
  `https://<v>@x.upstash.io`);
* in a Bearer header sent to an Upstash host (`curl -H "Authorization: Bearer <v>"`).

The kind comes from the name (QStash, Vector/Search, else Redis) or from the host's
product; the scope from the name (`READ_ONLY`, `READONLY`, `_RO`), else "unknown". The
value must look like a token: base64/hex alphabet, 32-512 characters, the variety of a
random string, no placeholder words, not cut short (`...`), not another vendor's key.

Speed: this runs on lines the other layers found nothing on, so `may_stand_in_context`
keeps almost every line to a few substring tests.
"""
from __future__ import annotations

import re
from typing import Iterable
from typing import List
from typing import Optional
from typing import Sequence

from . import lazy_re
from . import catalogue
from . import tokens
from .placeholders import PLACEHOLDER_WORDS  # noqa: F401 (read by tests as this module's)
from .placeholders import decodes_to_placeholder
from .placeholders import is_cut_short
from .placeholders import json_head_on_noise
from .placeholders import json_without_secret
from .placeholders import spells_words
from .catalogue import CONTEXT
from .catalogue import Decoded
from .catalogue import UPSTASH_HOST
from .scanner import Found
from .scanner import find_credentials

# Words of a name that holds a credential: with an Upstash word (strong), any of them. A
# plain name (weak: it needs an Upstash host beside it) must say `token`: `secret`, `key`
# and `password` alone hold every vendor's secrets (a 32-hex `REDIS_PASSWORD` has its own
# rule, `context.password_findings`).
_CREDENTIAL_WORD = lazy_re.compile(r'(?i)token|passw|pwd|secret|api_?key|auth|(?:^|_)key$|(?:^|_)pass$')
_PLAIN_CREDENTIAL_WORD = lazy_re.compile(r'(?i)token')
# (history/blobs.py's prefilter reads these words and HOST_WORDS too)
UPSTASH_WORDS = ('upstash', 'kv_rest_api', 'qstash', 'redis_rest', 'vector_rest', 'search_rest')
_UPSTASH_WORD = lazy_re.compile('(?i)' + '|'.join(UPSTASH_WORDS))
# Words of every Upstash host (`*.upstash.io`, legacy `*.kv.vercel-storage.com`).
HOST_WORDS = ('upstash', 'vercel-storage')

# Names that say their kind on their own (`Kind.context_names`), as compared: lower case, no
# `_` or `-`; and as the line gates look for them (also snake case: `current_signing_key`).
_CONTEXT_NAMES = {name.lower(): kind for kind in catalogue.KINDS for name in kind.context_names}
CONTEXT_NAME_WORDS = tuple(dict.fromkeys(
    form for kind in catalogue.KINDS for name in kind.context_names
    for form in (name.lower(), re.sub('([A-Z])', r'_\1', name).lower())))
# A token behind a word and `_` (`qstash_<base58>`): the word is judged apart from the body.
_WORD_PREFIX = lazy_re.compile(r'([a-z][a-z0-9]{1,15})_(?=[A-Za-z0-9]{32})')
# The words that say the body is a product's: every product's name words (`Product.name_words`).
_PRODUCT_WORDS = ('upstash', *dict.fromkeys(word.strip('_') for product in catalogue.PRODUCTS
                                           for word in product.name_words))

# The shortest value the context layer reports: no line shorter than this holds one.
SHORTEST_VALUE = 32
_READ_ONLY_WORD = lazy_re.compile(r'(?i)read_?only|(?:^|_)ro(?:_|$)')

# A run that could be a token: base64 (either alphabet) or hex, padding included.
# After a `:` a value starts with neither `/` (`://`) nor `-` (`${VAR:-default}`, `key:-x`),
# except a URL password (`rediss://default:-Q...@host`: base64url of a flag byte 0xF8-0xFB).
_VALUE = lazy_re.compile(r'(?:(?<![A-Za-z0-9+/_.$-])|(?<=://))(?!(?<=:)/)'
                         r'(?!(?<=:)-(?![A-Za-z0-9+/_-]*(?:={1,2}|(?:%3[Dd]){1,2})?@))[A-Za-z0-9+/_-]{'
                         + str(SHORTEST_VALUE) + r',512}(?:={1,2}|(?:%3[Dd]){1,2})?(?![A-Za-z0-9+/_=-])')
# What stands before a value: a name and the assignment or argument separator around it.
# Between them may stand JSON-escaped quotes (`os.environ[\"NAME\"] = \"v` in a notebook),
# an XML tag's end (`<UpstashRedisRestToken>v`), a declared type (Rust `NAME: &str = "v"`,
# TypeScript/Kotlin `NAME: string = "v"`, Go `Name string = "v"`) or a CLI flag
# (`gh secret set NAME -b v`, `--body v`). Run only on lines past the cheap anchors, for
# each token-like value.
_NAME_BEFORE = lazy_re.compile(
    r'(?P<name>[A-Za-z_$][A-Za-z0-9_.$-]*)[\s"\'`\\\])]*'
    r'(?::\s*(?:&(?:\'static\s+)?str|[Ss]tring|str)\s*(?==)|\s+string\s*(?==))?'
    r'(?:\s+--?[a-z][a-z-]*(?=[\s=]))?'
    r'(?:=>|:=|\?\?|\|\||[=:,(|>]|\s)[\s"\'`(|\\]*(?:[Bb]earer\s+)?$'
)
# A name given as a key beside a `value` (`<add key="NAME" value="v"/>`, `<env name="NAME"
# value="v"/>`, `{"name": "NAME", "value": "v"}`).
_PAIRED_NAME_BEFORE = lazy_re.compile(
    r'(?i)(?<![\w-])(?:key|name)\\?["\']?\s*[:=]\s*\\?["\'](?P<name>[A-Za-z_][\w.-]*)\\?["\']'
    r'[\s,]*\\?["\']?value\\?["\']?\s*[:=]\s*\\?["\']?$'
)
# A value piped into a command that stores it under a name (`echo v | vercel env add NAME`).
_PIPED_NAME_AFTER = lazy_re.compile(
    r'\\?["\']?\s*\|\s*(?:(?:npx|bunx|pnpm|yarn)\s+(?:dlx\s+)?)?'
    r'(?:vercel\s+env\s+add|wrangler\s+(?:pages\s+)?secret\s+put|gh\s+secret\s+set|netlify\s+env:set)'
    r'\s+(?P<name>[A-Za-z_][\w]*)'
)
# A value under a `value` key whose entry's name stands on the line before (or after): a
# Kubernetes env list, an ECS / Cloud Run JSON environment list.
#     - name: UPSTASH_REDIS_REST_TOKEN        {"name": "UPSTASH_REDIS_REST_TOKEN",
#       value: <v>                             "value": "<v>"}
#     key   = "UPSTASH_REDIS_REST_TOKEN"      (Terraform)
#     value = "<v>"
# Terraform writes the pair as `key = "NAME"` / `value = "<v>"` (Vercel, GitHub Actions
# variables).
_VALUE_KEY_LINE = lazy_re.compile(r'\s*(?:-\s+|\{\s*)?["\']?value["\']?\s*[:=]\s*["\']?[A-Za-z0-9+/_-]')
_NAME_KEY_LINE = lazy_re.compile(r'\s*(?:-\s+|\{\s*)?["\']?(?:name|key)["\']?\s*[:=]\s*["\']?(?P<name>[A-Za-z_][\w.-]*)'
                                 r'["\']?\s*,?\s*$')
_BEARER_BEFORE = lazy_re.compile(r'(?i)bearer\s+$')
_URL_USER_BEFORE = lazy_re.compile(r'://(?:(?P<user>[A-Za-z0-9_.-]*):)?$')

# Other vendors' keys that sit under generic names (a Bearer header, `token:`).
_OTHER_VENDORS = lazy_re.compile(
    r'(?:ghp_|gho_|ghs_|ghu_|github_pat_|glpat-|sk-|sk_|pk_|rk_|xox[abpr]-|AKIA|ASIA|AVNS_|AIza|ya29\.'
    r'|hf_|gsk_|npm_|re_|whsec_|SG\.|shpat_|dop_v1_|lin_api_|sig_|eyJhbGci)')


# The words of `_CREDENTIAL_WORD` the gate's substring tests do not cover, in any case:
# `passw`, `pass` ending a name (`_PASS`, `.pass`), `pwd`, `auth`. `class`, `assert` and
# `compass` hold `ass` but none of these.
_PASS_WORD = lazy_re.compile(r'(?i)pass(?:w|(?![a-z0-9]))|pwd|auth')


def may_stand_in_context(line: str) -> bool:
    """Cheap test run on every line the other layers found nothing on: a credential name,
    a Bearer header or a URL user part could be on it. (`ass` alone let about a quarter of
    the lines of code through, on `class` and `assert`; it now asks for a `pass` name, and
    `pwd`/`auth` names, which it did not let through, are let through.)"""
    return ('oken' in line or 'OKEN' in line or 'earer' in line
            or 'EARER' in line or 'KEY' in line or 'key' in line or 'Key' in line or '@' in line
            or 'ecret' in line or 'ECRET' in line
            or (('ass' in line or 'ASS' in line or 'wd' in line or 'WD' in line or 'uth' in line
                 or 'UTH' in line) and _PASS_WORD.search(line) is not None)
            or is_listed_value(line))


def may_report(line: str, nearby: Sequence[str] = ()) -> bool:
    """Whether a context rule could report anything on `line` (checked before any regex
    runs): an Upstash word (a strong name) or an Upstash host (a URL password) on the line,
    or a plain token name or Bearer header on it beside a line naming an Upstash host.
    Case-folded as the rules' regexes ignore case; most lines of code fail it in a few
    substring tests."""
    folded = line.casefold()
    for word in UPSTASH_WORDS:
        if word in folded:
            return True
    if 'vercel-storage' in folded:
        return True
    for word in CONTEXT_NAME_WORDS:
        if word in folded:
            return True
    if is_listed_value(line) and _says_one_of(nearby, UPSTASH_WORDS + HOST_WORDS):
        return True     # a `value:` whose entry's name may stand on the next line up
    if 'token' not in folded and 'bearer' not in folded:
        return False
    # `_nearby_hosts` reads only lines holding these words as written
    for text in nearby:
        if 'upstash' in text or 'vercel-storage' in text:
            return True
    return False


def _says_one_of(lines: Sequence[str], words: Sequence[str]) -> bool:
    """Whether one of `lines`, case folded, holds one of `words` (lower case)."""
    for text in lines:
        folded = text.casefold()
        for word in words:
            if word in folded:
                return True
    return False


def is_listed_value(line: str) -> bool:
    """Whether `line` is a list entry's `value:` (or Terraform `value =`) line."""
    return 'value' in line and _VALUE_KEY_LINE.match(line) is not None


def listed_name(line: str, nearby: Sequence[str]) -> str:
    """The name of the list entry whose `value:` is `line`, said on the line before it (or
    after it) among `nearby`; '' when `line` is not such a value or no name is said. (The
    Management key and legacy password rules read the same names.)"""
    if not is_listed_value(line):
        return ''
    wanted = line.rstrip('\r\n')
    for index, text in enumerate(nearby):
        if text.rstrip('\r\n') != wanted:
            continue
        for other in nearby[index - 1:index] + nearby[index + 1:index + 2]:
            match = _NAME_KEY_LINE.match(other)
            if match is not None:
                return match.group('name')
    return ''


def names_upstash_host(lines: Sequence[str]) -> bool:
    """Whether one of `lines` could name an Upstash host (`UPSTASH_HOST` ignores case)."""
    return _says_one_of(lines, HOST_WORDS)


def looks_like_token(value: str) -> bool:
    """A value of token-like alphabet, length and variety that no placeholder rule refuses."""
    value = catalogue.reported_value(value)
    body = value.rstrip('=')
    if len(body) < SHORTEST_VALUE or len(body) > 512:
        return False
    if re.fullmatch(r'[0-9a-fA-F]+', body):
        if len(set(body.lower())) < 10:
            return False
    elif len(set(body)) < min(20, len(body) // 2):
        return False
    if _OTHER_VENDORS.match(body):
        return False
    prefix = _WORD_PREFIX.match(body)
    if prefix is not None and (prefix.group(1) in _PRODUCT_WORDS or not spells_words(prefix.group(1))):
        # a prefixed opaque token (`qstash_<40 base58>`): the word names what it is, the
        # body must look like a token on its own
        return looks_like_token(body[prefix.end():])
    if spells_words(body) or _has_ordered_run(body):
        return False
    # base64 of words ('your-password', 'fake-token-value'), also behind a token's head or
    # shifted by a character (any alignment), is a placeholder too
    if decodes_to_placeholder(body):
        return False
    raw = tokens.b64decode_tolerant(body)
    if raw and json_head_on_noise(raw):
        return False
    if raw and sum(32 <= b < 127 for b in raw) >= len(raw) * 0.95:
        text = raw.decode('ascii', 'replace').strip()
        if len(set(text)) < 12 or catalogue.is_public_value(text) or json_without_secret(text):
            return False
        # a known credential base64-wrapped again (Kubernetes `data:`): the encoded layer
        # (`encoded`) owns these, in the files where they mean that
        if catalogue.identify(text) is not None or find_credentials(text):
            return False
    # a known frame cut short, or a placeholder inside one: what the frame layer refused
    if tokens.redis_frame(body) == tokens.TRUNCATED:
        return False
    return True


def _has_ordered_run(body: str, length: int = 8) -> bool:
    """`AaBbCcDd...`, `abcdefgh`, `12345678`: characters (case folded) in alphabet order.
    A random token has such a run of 8 about once in 10**8 positions."""
    run = 1
    for previous, current in zip(body.lower(), body[1:].lower()):
        run = run + 1 if previous.isalnum() and 0 <= ord(current) - ord(previous) <= 1 else 1
        if run >= length:
            return True
    return False


def _context_kinds(product_id: str) -> List[catalogue.Kind]:
    """The kinds a value standing in context may be reported as, for a product (none for a
    product without kinds, such as Kafka)."""
    return [kind for kind in catalogue.KINDS if kind.product == product_id]


def _kind_for(product_id: Optional[str], read_only: bool, name: str = '') -> catalogue.Kind:
    """The product's kind a name says (`Kind.name_word`: a QStash signing key), else its
    first kind of the scope the name says (read-only, else read-write), else its first."""
    kinds = _context_kinds(product_id or catalogue.FALLBACK_PRODUCT)
    lowered = name.lower()
    for kind in kinds:
        if kind.name_word and kind.name_word in lowered:
            return kind
    plain = [kind for kind in kinds if not kind.name_word]
    scope = tokens.READ_ONLY if read_only else tokens.READ_WRITE
    return next((kind for kind in plain if kind.scope == scope), plain[0])


def _name_product(name: str) -> Optional[str]:
    """The product a name says (`Product.name_words`, in catalogue order); a name with only
    an Upstash word is the fallback product's (Redis)."""
    lowered = name.lower()
    for product in catalogue.PRODUCTS:
        if any(word in lowered for word in product.name_words) and _context_kinds(product.id):
            return product.id
    if _UPSTASH_WORD.search(lowered):
        return catalogue.FALLBACK_PRODUCT
    return None


def _nearby_hosts(lines: Iterable[str]) -> List[str]:
    from .context import host_product
    hosts = []
    for text in lines:
        if 'upstash' in text or 'vercel-storage' in text:
            for match in UPSTASH_HOST.finditer(text):
                host = match.group(1).lower()
                if host != 'upstash.io' and not host.startswith(('api.', 'console.')) and host not in hosts:
                    hosts.append(host)
    return [(host, host_product(host)) for host in hosts]


def _found(kind, value: str, read_only: bool, evidence: str, host: Optional[str] = None,
           user: Optional[str] = None) -> Found:
    # a kind of one fixed scope (the account-wide Management key) keeps it; a database
    # token's scope is what its name says, or unknown
    if kind.scope == tokens.ACCOUNT:
        scope = tokens.ACCOUNT
    else:
        restored = _first_character_restored(kind.product, value)
        if restored is not None:
            restored_kind, bytes_say = restored
            decoded = Decoded(bytes_say.scope, database_id=bytes_say.database_id,
                              endpoint=bytes_say.endpoint, layout=tokens.UNRECOGNISED, layer=CONTEXT,
                              evidence=f'{evidence}; its first character lost, scope from the rest of its bytes')
            return Found(restored_kind, value, decoded, host=host, user=user)
        scope = tokens.READ_ONLY if read_only else tokens.SCOPE_UNKNOWN
    decoded = Decoded(scope, layout=tokens.UNRECOGNISED, layer=CONTEXT, evidence=evidence)
    return Found(kind, value, decoded, host=host, user=user)


# The characters tried in front of a value that lost its first: base64's letters and digits.
# `+`/`-` and `/`/`_` are left out: each pair is the same bits in the two alphabets (both would
# match, and exactly one must), and no known layout's first byte (flag 01/02/81/82, Vector's
# 00, QStash's `{`) is written with them.
_FIRST_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'


def _first_character_restored(product_id: str, value: str):
    """(kind, what its bytes say) when `value` is a token of the product's kinds with its
    first character lost (seen in public code: a paste that dropped it), else None.

    Losing a character shifts every base64 bit after it, so the bytes say nothing until it
    is put back. Each base64 character is tried in front; exactly one must make a known
    layout or frame, or the scope stays unknown. Only values the context layer reports
    (a few per scan) come here."""
    kinds = tuple(_context_kinds(product_id))
    body = value.rstrip('=')
    if not kinds or len(body) % 4 == 0 or not re.fullmatch(r'[A-Za-z0-9+/_-]+', body):
        return None    # a whole base64 quantum: no character was lost from its front
    found = []
    for character in _FIRST_CHARACTERS:
        candidate = character + value
        known = catalogue.identify(candidate, kinds) or catalogue.identify_frame(candidate, kinds)
        if known is not None:
            found.append(known)
    return found[0] if len(found) == 1 else None


def context_findings(line: str, nearby: Sequence[str] = (), known: Iterable[str] = ()) -> List[Found]:
    """Values on `line` that only their place identifies (see the module docstring).
    `known`: values the other layers already reported on this line."""
    if not may_report(line, nearby):
        return []
    known = set(known)
    found: List[Found] = []
    listed = listed_name(line, nearby)
    for match in _VALUE.finditer(line):
        value = match.group(0)
        if any(value in k or k in value for k in known) or is_cut_short(line[match.end():match.end() + 40]):
            continue        # `<head>...`, `<head><redacted>`: a value cut short
        before = line[max(0, match.start() - 160):match.start()]
        hit = _url_password(value, line, match.end(), before)
        if hit is None:
            hit = _named(value, before, line, nearby, line[match.end():match.end() + 120], listed)
        if hit is not None and looks_like_token(value) and not catalogue.is_public_value(value):
            found.append(hit)
    return found


def _url_password(value: str, line: str, end: int, before: str) -> Optional[Found]:
    """`scheme://[user:]<value>@<Upstash host>`."""
    if line[end:end + 1] != '@':
        return None
    user_match = _URL_USER_BEFORE.search(before)
    host_match = UPSTASH_HOST.match(line, end + 1)
    if user_match is None or host_match is None:
        return None
    from .context import host_product
    host = host_match.group(1).lower()
    user = user_match.group('user')
    hit = catalogue.identify(value)
    if hit is not None:
        # another product's token as a URL password: its bytes say what it is
        return Found(hit[0], value, hit[1], host=host, user=user or '')
    read_only = (user or '').endswith('_ro')
    product = host_product(host)
    kind = _kind_for(product if _context_kinds(product) else None, read_only)
    return _found(kind, value, read_only, f'password of a URL on {host}', host=host, user=user or '')


def _name_for(before: str, after: str) -> str:
    """The name a value stands under: before it, as a key beside `value`, or after it as
    the name a pipe stores it under; '' when none is said."""
    paired = _PAIRED_NAME_BEFORE.search(before) if 'alue' in before[-12:] else None
    if paired is not None:
        return paired.group('name')
    if '|' in after:
        piped = _PIPED_NAME_AFTER.match(after)
        if piped is not None:
            return piped.group('name')
    match = _NAME_BEFORE.search(before)
    return match.group('name') if match else ''


def _named(value: str, before: str, line: str, nearby: Sequence[str], after: str = '',
           listed: str = '') -> Optional[Found]:
    bearer = _BEARER_BEFORE.search(before) is not None
    name = _name_for(before, after)
    if listed and name == 'value':
        name = listed       # `- name: NAME` on the line before, `value: <v>` here
    # dotted keys (`upstash.redis.rest.token`, `process.env.NAME`) read as one name, whose
    # last part says it holds a credential (`detect_secrets_upstash.rules` does not)
    words = name.replace('.', '_').replace('-', '_')
    last = name.rsplit('.', 1)[-1]
    name_product = _name_product(words) if name else None
    strong = bool(name) and _UPSTASH_WORD.search(words) is not None and _CREDENTIAL_WORD.search(last) is not None
    read_only = bool(name) and _READ_ONLY_WORD.search(words) is not None
    named_kind = _CONTEXT_NAMES.get(last.lower().replace('_', '').replace('-', '')) if name else None
    if named_kind is not None and not strong:
        return _found(named_kind, value, read_only, f'under {name}')
    if strong:
        kind = _kind_for(name_product, read_only, words)
        return (_legacy_password(kind, value, read_only, f'under {name}', line, nearby)
                or _found(kind, value, read_only, f'under {name}'))
    weak = bearer or (bool(name) and _PLAIN_CREDENTIAL_WORD.search(last) is not None)
    if not weak:
        return None
    # A plain name or a Bearer header counts only beside an Upstash host: on the line
    # itself (curl), else in the lines around it (a client's `url:` above `token:`).
    near = _nearby_hosts([line]) or _nearby_hosts(nearby or [line])
    near = [(host, product) for host, product in near if _context_kinds(product)]
    if not near:
        return None
    host, product = near[0]
    what = 'Bearer header' if bearer else f'under {name}'
    kind = _kind_for(name_product or product, read_only)
    return (_legacy_password(kind, value, read_only, f'{what} beside {host}', line, nearby)
            or _found(kind, value, read_only, f'{what} beside {host}'))


def _legacy_password(kind, value: str, read_only: bool, evidence: str, line: str,
                     nearby: Sequence[str]) -> Optional[Found]:
    """32 hex where a Redis token stands (`UPSTASH_REDIS_REST_TOKEN=<32 hex>`): no REST token
    has that shape, a legacy database's password does, and it opens the whole database, so
    it is that kind, read-write (with the Redis host beside it, if one is)."""
    password = catalogue.bare_password_kind(kind.product)
    if read_only or password is None or password.decode(value) is None:
        return None
    hosts = [host for host, product in _nearby_hosts([line, *nearby]) if product == password.product]
    decoded = Decoded(password.scope, layout='legacy password', layer=CONTEXT, evidence=evidence)
    return Found(password, value, decoded, host=hosts[0] if hosts else None)
