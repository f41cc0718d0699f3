"""Where credentials to verify come from: a baseline, one --url/--token pair, or env lines.

A baseline stores only hashes. As `detect-secrets audit` does, each finding's file is
re-read at the recorded line, the line is scanned again, and the credential whose SHA-1
and secret type match is the one verified; its +-5 lines give the REST URL.
"""
import json
import os
import re
from typing import Iterable
from typing import List
from typing import Optional
from typing import Tuple

from detect_secrets.core.potential_secret import PotentialSecret

from .. import catalogue
from ..context import describe
from ..findings import context_window
from ..findings import line_credentials
from ..text_files import read_lines
from ..scanner import Found
from .http import host_of
from .http import HostPolicy
from .model import Credential

_ANY_URL = re.compile(r'https?://[A-Za-z0-9.\-\[\]:]+(?::\d+)?(?=[/\s"\'`<>,;)]|$)')
_ENV_LINE = re.compile(r'\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?P<value>.*?)\s*\Z')


class InputError(Exception):
    """Input the verifier cannot use; the message is safe to print (no token in it)."""


def nearby_url(found: Found, lines: Iterable[str], policy: HostPolicy) -> Tuple[Optional[str], Optional[str]]:
    """REST URL for a Redis finding and a remark (token/host mismatch), from nearby lines.

    Upstash hosts come first (`context.describe`); failing those, a URL whose host the user
    explicitly allowed (a self-hosted Upstash-compatible server). Other URLs are ignored.
    """
    lines = list(lines)
    context = describe(found, lines)
    if context.rest_url:
        return context.rest_url, context.mismatch
    if policy.allowed:
        for line in lines:
            for match in _ANY_URL.finditer(line):
                url = match.group(0)
                if policy.is_allowed_host(host_of(url) or ''):
                    return url, None
    return None, None


def credential_from(found: Found, lines: List[str], policy: HostPolicy, location: str,
                    token: Optional[str] = None) -> Credential:
    """What to verify for `found`; `token` is what a server knows (`LineCredential.token`:
    `%3D` padding undone), when it differs from the value as written."""
    url, note = (None, None)
    product = catalogue.product_of(found.kind)
    if product.url_from_context:
        url, note = nearby_url(found, lines, policy)
    # the account email found beside a Management API key (a URL's user name is no such thing)
    user = found.user if product.needs_user else None
    return Credential(found.kind, token or found.value, found.decoded, url, location, note,
                      host_mismatch=note is not None, user=user)


# --- baseline ---

def _load_baseline(path: str) -> dict:
    try:
        with open(path, encoding='utf-8') as handle:
            document = json.load(handle)
    except OSError as error:
        raise InputError(f'cannot read baseline {path}: {error.strerror or error}')
    except RecursionError:
        raise InputError(f'{path} is nested too deeply to be a baseline')
    except (ValueError, UnicodeDecodeError):
        raise InputError(f'{path} is not a JSON baseline (as written by detect-secrets-upstash scan)')
    if not isinstance(document, dict) or not isinstance(document.get('results'), dict):
        raise InputError(f'{path} is not a detect-secrets baseline: no "results" object')
    for filename, entries in document['results'].items():
        if not isinstance(entries, list) or not all(
                isinstance(e, dict) and isinstance(e.get('type'), str)
                and isinstance(e.get('hashed_secret'), str)
                and isinstance(e.get('line_number', 0), int) for e in entries):
            raise InputError(f'{path}: malformed entry for {filename!r} (each needs type, '
                             f'hashed_secret and line_number)')
    return document


class _File:
    """A scanned file's lines: raw first, then as detect-secrets' transformers present them."""

    def __init__(self, path: str):
        self.path = path
        self.raw = read_lines(path)       # as the scan read it (UTF-16/32, latin-1)
        self._transformed = None

    def variants(self):
        yield self.raw
        if self._transformed is None:
            self._transformed = []
            from detect_secrets.transformers import get_transformed_file
            for eager in (False, True):
                try:
                    with open(self.path, encoding='utf-8', errors='replace') as handle:
                        lines = get_transformed_file(handle, use_eager_transformers=eager)
                except Exception:       # noqa: BLE001  (a transformer failing is "no variant")
                    lines = None
                if lines:
                    self._transformed.append([line.rstrip('\r\n') for line in lines])
        yield from self._transformed


def _resolve(filename: str, baseline_dir: str) -> Optional[str]:
    for candidate in (filename, os.path.join(baseline_dir, filename)):
        if os.path.isfile(candidate):
            return candidate
    return None


def from_baseline(path: str, policy: HostPolicy = HostPolicy()) -> Tuple[List[Credential], int]:
    """Credentials of a baseline's Upstash findings, and how many other findings were ignored."""
    document = _load_baseline(path)
    return from_baseline_document(document, os.path.dirname(os.path.abspath(path)), policy)


def from_baseline_document(document: dict, baseline_dir: str,
                           policy: HostPolicy = HostPolicy()) -> Tuple[List[Credential], int]:
    """As `from_baseline`, for a baseline already in memory (`report` scans, then reads its
    own results this way); file names are resolved from the cwd, then from `baseline_dir`."""
    credentials: List[Credential] = []
    ignored = 0
    files = {}
    for filename, entries in document['results'].items():
        for entry in entries:
            kind = catalogue.BY_SECRET_TYPE.get(entry['type'])
            if kind is None:
                ignored += 1
                continue
            line_number = entry.get('line_number') or 0
            location = f'{filename}:{line_number}' if line_number else filename
            credentials.append(_recover(filename, line_number, entry['hashed_secret'], kind,
                                        location, baseline_dir, files, policy))
    return credentials, ignored


def _recover(filename, line_number, hashed, kind, location, baseline_dir, files, policy) -> Credential:
    def lost(problem):
        return Credential(kind, '', location=location, problem=problem, type_name=kind.id)

    if filename not in files:
        resolved = _resolve(filename, baseline_dir)
        try:
            files[filename] = _File(resolved) if resolved else None
        except OSError as error:
            return lost(f'cannot read {filename}: {error.strerror or error}')
    scanned = files[filename]
    if scanned is None:
        return lost(f'file {filename} not found (run from the directory the scan ran in)')
    if not line_number:
        return lost('baseline entry has no line number')
    for lines in scanned.variants():
        if line_number > len(lines):
            continue
        window = context_window(lines, line_number - 1)
        for credential in line_credentials(lines[line_number - 1], filename, window):
            if credential.found.kind is kind and PotentialSecret.hash_secret(credential.value) == hashed:
                return credential_from(credential.found, window, policy, location, credential.token)
    return lost(f'the secret is no longer at {location} (file changed since the scan?)')


# --- one pair ---

def from_pair(url: Optional[str], token: str, email: Optional[str] = None) -> List[Credential]:
    """`--url URL --token TOKEN`. An unrecognised token is tried as a Redis REST token;
    with `--email`, a token of a user:key kind's form (a UUID) is that kind (a Management
    API key)."""
    hit = catalogue.identify(token)
    if hit is None and email:
        for kind in catalogue.KINDS:
            decoded = kind.decode(token) if catalogue.product_of(kind).needs_user else None
            if decoded is not None:
                return [Credential(kind, token, decoded, url, user=email)]
    if hit is None:
        return [Credential(None, token, None, url, None,
                           'token is not a recognised Upstash format; tried as a Redis REST token')]
    kind, decoded = hit
    # --url is where to ask, whatever the product (a QStash or Vector URL for those tokens)
    return [Credential(kind, token, decoded, url)]


# --- env lines (stdin) ---

def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
        return value[1:-1]
    return value


def from_env_lines(text: str, policy: HostPolicy = HostPolicy(), source: str = 'stdin') -> List[Credential]:
    """`KEY=VALUE` lines (a pulled .env). Comments, blank lines and quoted values spanning
    several lines (dotenv allows them, e.g. a PEM key) are accepted, nothing else."""
    lines = text.splitlines()
    values = [''] * len(lines)          # per line: the text to scan for credentials
    open_quote = None
    for index, line in enumerate(lines):
        if open_quote:                  # inside a multi-line quoted value
            values[index] = line
            if line.rstrip().endswith(open_quote):
                open_quote = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            # Never echo the line: it may hold a token.
            raise InputError(f'{source} line {index + 1} is not KEY=VALUE (or a # comment)')
        value = match.group('value')
        if value[:1] in ('"', "'") and (len(value) == 1 or not value.endswith(value[0])):
            open_quote = value[0]
            values[index] = value[1:]
            continue
        values[index] = _unquote(value)
    if open_quote:
        raise InputError(f'{source}: a quoted value is never closed')
    credentials = []
    for number, value in enumerate(values, 1):
        if not value:
            continue
        # The whole input is the context (a legacy password beside an Upstash host counts;
        # describe() prefers the host whose database id matches the token, which pairs URL
        # and token in a long .env). The value first; failing it, the whole line, whose KEY
        # may say what the value is (the context layer).
        line = lines[number - 1]
        found_on_line = line_credentials(value, nearby=lines)
        if not found_on_line and value != line:
            found_on_line = line_credentials(line, nearby=lines)
        for credential in found_on_line:
            credentials.append(credential_from(credential.found, values, policy, f'{source}:{number}',
                                               credential.token))
    return credentials
