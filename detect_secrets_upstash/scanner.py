"""Find Upstash credentials in a line of text, by structure rather than by names.

One compiled regex (the union of the catalogue's shapes) runs once per line; each
candidate is then decoded, and only candidates whose bytes fit a kind's layout are
returned. This keeps the per-line cost to a single regex search.
"""
import re
from dataclasses import dataclass
from typing import List
from typing import Optional

from . import catalogue
from .catalogue import Decoded
from .catalogue import Kind


@dataclass(frozen=True)
class Found:
    kind: Kind
    value: str                      # the credential exactly as written
    decoded: Decoded
    host: Optional[str] = None      # when the credential sits inside an Upstash URL
    user: Optional[str] = None      # the URL's user name (`default`, `default_ro`)


def _compile():
    shapes = []
    for kind in catalogue.KINDS:
        if kind.pattern not in shapes:
            shapes.append(kind.pattern)
    groups = {f's{i}': shape for i, shape in enumerate(shapes)}
    regex = re.compile('|'.join(f'(?P<{name}>{shape})' for name, shape in groups.items()))
    kinds_by_group = {
        name: tuple(kind for kind in catalogue.KINDS if kind.pattern == shape)
        for name, shape in groups.items()
    }
    return regex, kinds_by_group


_REGEX, _KINDS_BY_GROUP = _compile()
_URL_GROUP = next(name for name, kinds in _KINDS_BY_GROUP.items()
                  if kinds[0].pattern == catalogue.REDIS_URL)
# A token can sit inside a URL: try every Redis kind on URL passwords.
_URL_KINDS = tuple(kind for kind in catalogue.KINDS if kind.product == 'redis')


def find_credentials(line: str) -> List[Found]:
    found = []
    for match in _REGEX.finditer(line):
        group = match.lastgroup
        if group is None:
            continue
        if group == _URL_GROUP:
            value = match.group('password')
            hit = catalogue.identify(value, _URL_KINDS)
            if hit:
                found.append(Found(hit[0], value, hit[1], match.group('host').lower(), match.group('user')))
            continue
        value = match.group(group)
        hit = catalogue.identify(value, _KINDS_BY_GROUP[group])
        if hit:
            found.append(Found(hit[0], value, hit[1]))
    return found
