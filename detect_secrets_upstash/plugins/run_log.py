"""What a scan noticed and says once at its end (files it could not decode, credentials it
could not verify), collected across `-c N` / multi-file worker processes.

detect-secrets scans several files in a process pool; a worker's memory dies with it. So
our commands open a small log file first (`start`), whose path workers inherit through the
environment; each note is one JSON line appended to it (appends of one short line do not
interleave). `finish` reads and removes it. Outside our commands (Yelp's hook loading our
plugin file) there is no log, and `note` returns False: the caller then says it at once.
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Dict
from typing import List

ENV = 'DETECT_SECRETS_UPSTASH_RUN_LOG'


def start() -> None:
    if os.environ.get(ENV):
        return
    handle, path = tempfile.mkstemp(prefix='detect-secrets-upstash-', suffix='.log')
    os.close(handle)
    os.environ[ENV] = path


def note(topic: str, value: str) -> bool:
    """Record `value` under `topic`; False when no log is open (say it now instead)."""
    path = os.environ.get(ENV)
    if not path:
        return False
    try:
        with open(path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps([topic, value]) + '\n')
        return True
    except OSError:
        return False


def finish() -> Dict[str, List[str]]:
    """Every note since `start`, by topic (in order); closes the log."""
    path = os.environ.pop(ENV, None)
    notes: Dict[str, List[str]] = {}
    if not path:
        return notes
    try:
        with open(path, encoding='utf-8') as handle:
            for line in handle:
                try:
                    topic, value = json.loads(line)
                except ValueError:
                    continue
                notes.setdefault(topic, []).append(value)
        os.unlink(path)
    except OSError:
        pass
    return notes
