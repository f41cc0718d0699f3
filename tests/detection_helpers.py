"""Fill file templates with freshly generated credentials and scan them with the real CLI.

A template marks where a credential goes with `@@<kind id>[:<layout>][:<form>]@@`:
layout is one of the kind's generator names (catalogue `Kind.generators`), form one of
`padded`, `unpadded`, `std` (standard base64 alphabet), `urlsafe`, `url` (the token as
the password of a `rediss://` URL on a generated Upstash host). Every marker gets its own
credential, and the marker's line is where the scan must report it.
"""
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict
from typing import List
from typing import Set
from typing import Tuple

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import tokens

from .helpers import run

MARKER = re.compile(r'@@(?P<kind>[a-z_]+)(?::(?P<layout>[a-z0-9-]+))?(?::(?P<form>[a-z]+))?@@')


@dataclass(frozen=True)
class Expected:
    filename: str
    secret_type: str
    line_number: int
    hashed_secret: str


def _form(value: str, form: str) -> str:
    bare = value.rstrip('=')
    if form == 'unpadded':
        return bare
    if form == 'padded':
        return bare + '=' * (-len(bare) % 4)
    if form == 'std':
        return (bare + '=' * (-len(bare) % 4)).replace('-', '+').replace('_', '/')
    if form == 'urlsafe':
        return bare.replace('+', '-').replace('/', '_')
    raise ValueError(form)


def generate(kind_id: str, layout: str = '') -> str:
    kind = catalogue.BY_ID[kind_id]
    generators = dict(kind.generators)
    return generators[layout]() if layout else kind.generators[0][1]()


def fill(template: str, filename: str) -> Tuple[str, List[Expected]]:
    """The file text and the findings the scan must report for it."""
    expected: List[Expected] = []
    lines = template.split('\n')
    for index, line in enumerate(lines):
        def substitute(match: 're.Match') -> str:
            kind_id, layout, form = match.group('kind', 'layout', 'form')
            value = generate(kind_id, layout or '')
            written = value
            if form == 'url':
                database_id = (tokens.decode_redis_token(value) or tokens.RedisToken(False, 1, '')).database_id
                written = f'rediss://default:{value}@{tokens.generate_host_name(database_id)}.upstash.io:6379'
            elif form:
                value = written = _form(value, form)
            if kind_id == 'redis_password':
                # the URL is written; the password inside it is the secret
                value = written.split('://default:', 1)[1].split('@', 1)[0]
            expected.append(Expected(filename, catalogue.BY_ID[kind_id].secret_type, index + 1,
                                     hashlib.sha1(value.encode()).hexdigest()))
            return written
        lines[index] = MARKER.sub(substitute, line)
    return '\n'.join(lines), expected


def upstash_findings(baseline: dict) -> Set[Expected]:
    return {
        Expected(result['filename'], result['type'], result['line_number'], result['hashed_secret'])
        for results in baseline['results'].values()
        for result in results
        if result['type'] in catalogue.BY_SECRET_TYPE
    }


def scan(directory: Path, *extra: str) -> Tuple[dict, str]:
    """`detect-secrets-upstash scan --all-files` in `directory`: (baseline, stderr)."""
    result = run(['detect-secrets-upstash', 'scan', '--all-files', *extra], cwd=directory)
    assert result.returncode == 0, result.stderr
    assert 'Traceback' not in result.stderr, result.stderr
    return json.loads(result.stdout), result.stderr


def scan_in_process(directory: Path, *extra: str) -> Tuple[dict, str]:
    """`scan` through the entry point called in this process (tests.in_process): same checks."""
    from .in_process import cli
    result = cli(['detect-secrets-upstash', 'scan', '--all-files', *extra], cwd=directory)
    assert result.returncode == 0, result.stderr
    assert 'Traceback' not in result.stderr, result.stderr
    return json.loads(result.stdout), result.stderr


def write_corpus(directory: Path, table) -> Dict[str, List[Expected]]:
    """Write every (name, file name, template) of `table`; the expected findings by name."""
    expected = {}
    for name, filename, template in table:
        text, findings = fill(template, filename)
        path = directory / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding='utf-8')
        expected[name] = findings
    return expected
