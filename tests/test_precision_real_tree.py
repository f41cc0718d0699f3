"""Precision on a large real tree without Upstash credentials: the Python standard library
and the installed site-packages (detect-secrets, semgrep, requests, hypothesis, pytest, ...:
code, docs, test fixtures full of keys and random base64). Not one Upstash finding, in any
layer. Each file is judged by `history.blobs.scan`, which reads every line exactly as the
plugin does (tests/test_history_blobs.py holds it to that) but rules out most files at once."""
import os
import sysconfig

import pytest

from detect_secrets_upstash.history import blobs

# This package itself, installed into site-packages (as CI installs it), holds the catalogue's
# generated examples on purpose: it is not part of the credential-free tree.
OWN_PACKAGE = 'detect_secrets_upstash'

TEXT_SUFFIXES = ('.py', '.pyi', '.md', '.rst', '.txt', '.json', '.yaml', '.yml', '.toml', '.cfg', '.ini',
                 '.js', '.ts', '.html', '.sh', '.env', '.xml', '.csv')
MAX_BYTES = 4_000_000


def _files(root, skip=()):
    for directory, subdirectories, names in os.walk(root):
        if os.path.basename(directory) == OWN_PACKAGE or directory in skip:
            subdirectories[:] = []
            continue
        for name in names:
            path = os.path.join(directory, name)
            if name.endswith(TEXT_SUFFIXES) and not os.path.islink(path) and os.path.getsize(path) <= MAX_BYTES:
                yield path


@pytest.mark.slow
def test_no_upstash_finding_in_the_stdlib_and_site_packages():
    paths = sysconfig.get_paths()
    roots = sorted({paths['stdlib'], paths['purelib']})
    # The base interpreter's own site-packages sits inside its stdlib directory: not this
    # environment's packages (the suite runs in a venv), and as large as whatever that machine
    # happens to hold (a pyenv build with scipy, botocore, ... had 28,000 more files, 14 s of CPU).
    foreign = {os.path.join(paths['stdlib'], name) for name in ('site-packages', 'dist-packages')}
    foreign -= {paths['purelib'], paths['platlib']}
    scanned, findings = 0, []
    for root in roots:
        for path in _files(root, skip=foreign):
            with open(path, 'rb') as handle:
                data = handle.read()
            if blobs.classify(data).binary:
                continue
            scanned += 1
            findings += [(path, found.line, found.credential.found.kind.id, found.credential.found.decoded.layer)
                         for found in blobs.scan(data)]
    assert scanned > 5000, scanned          # the tree is really there
    assert findings == []
