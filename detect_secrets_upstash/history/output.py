"""`history` results as text (for people), JSON (schema: history.schema.json) or SARIF.

No full token is ever written: values are redacted (first and last 4 characters) and
identified by detect-secrets' `hashed_secret`, which links them to baseline entries. Paths go
through `redaction.redact_path` too (a token can be a file name), and text output escapes
control characters in them (`shown_path`: a newline in a name keeps its line).
"""
import json
from typing import Any
from typing import Dict
from typing import List

from ..redaction import redact_path
from ..redaction import shown_path
from ..tokens import redact
from .scan import Credential
from .scan import History

FORMATS = ('text', 'json', 'sarif')
SCHEMA_ID = 'https://pypi.org/project/detect-secrets-upstash/history.schema.json'
SCHEMA_VERSION = 1


def render(history: History, fmt: str) -> str:
    return {'text': text, 'json': as_json, 'sarif': sarif}[fmt](history)


# --- JSON ---

def document(history: History) -> Dict[str, Any]:
    s, skipped = history.stats, history.skipped
    return {
        '$schema': SCHEMA_ID,
        'schema_version': SCHEMA_VERSION,
        'repository': history.repository,
        'revisions': list(history.revisions),
        'head': history.head,
        'partial_history': history.shallow,
        'scanned': {'commits': s.commits, 'blobs': s.blobs, 'bytes': s.bytes,
                    'binary_blobs': s.binary_blobs, 'seconds': round(s.seconds, 3)},
        'skipped': {
            'max_blob_bytes': history.max_blob_bytes,
            'oversized': skipped.oversized,
            'oversized_examples': [{**example, 'path': redact_path(example['path'])}
                                   for example in skipped.oversized_examples],
            'lfs_pointers': skipped.lfs_pointers,
            'lfs_pointer_examples': [redact_path(p) for p in skipped.lfs_examples],
            'submodules': [redact_path(p) for p in skipped.submodules],
            'missing_objects': skipped.missing,
        },
        'notes': [redact_path(note) for note in history.notes()],
        'credentials': [_credential(c) for c in history.credentials],
    }


def _secrets(credential: Credential):
    return (credential.value, credential.token)


def _occurrence(occurrence, credential: Credential) -> Dict[str, Any]:
    fields = occurrence.as_dict()
    fields['path'] = redact_path(occurrence.path, _secrets(credential))
    return fields


def _credential(credential: Credential) -> Dict[str, Any]:
    introduced = credential.introduced
    secrets = _secrets(credential)
    added, removed = credential.added, credential.removed
    return {
        'kind': credential.kind.id,
        'secret_type': credential.kind.secret_type,
        'product': credential.kind.product,
        'scope': credential.scope,
        'redacted': redact(credential.value),
        'hashed_secret': credential.hashed_secret,
        'kubernetes_encoded': credential.value != credential.token,
        'introduced': _occurrence(introduced, credential) if introduced else None,
        'last_added': _occurrence(added[-1], credential) if added else None,
        'added_count': len(added),
        'removed_count': len(removed),
        'commits': len({o.commit for o in credential.occurrences}),
        'paths': sorted({redact_path(o.path, secrets) for o in credential.occurrences}),
        'occurrences': [_occurrence(o, credential) for o in credential.occurrences],
        'blobs': sorted(credential.blob_lines),
        'present_at_head': bool(credential.head_paths),
        'head_paths': sorted(redact_path(p, secrets) for p in credential.head_paths),
        'verification': credential.verification,
    }


def as_json(history: History) -> str:
    return json.dumps(document(history), indent=2, ensure_ascii=False)


# --- text ---

def _short(sha: str) -> str:
    return sha[:12]


def text(history: History) -> str:
    lines: List[str] = []
    for credential in history.credentials:
        introduced = credential.introduced

        def path(name: str, secrets=_secrets(credential)) -> str:
            return shown_path(name, secrets)

        lines.append(f'{credential.kind.secret_type} ({credential.scope})  {redact(credential.value)}'
                     f'  hashed_secret {credential.hashed_secret}'
                     + ('  [base64 in a Kubernetes Secret]' if credential.value != credential.token else ''))
        if introduced:
            lines.append(f'  introduced  {_short(introduced.commit)} {introduced.author_date} '
                         f'{introduced.author}  {path(introduced.path)}:{introduced.line}')
        else:
            lines.append('  introduced  (no commit in the scanned revisions adds it)')
        added, removed = credential.added, credential.removed
        if len(added) > 1:
            lines.append(f'  added       {len(added)} times in {len({o.commit for o in added})} commit(s); '
                         f'last {_short(added[-1].commit)} {path(added[-1].path)}:{added[-1].line}')
        if removed:
            lines.append(f'  removed     {len(removed)} time(s); last {_short(removed[-1].commit)} '
                         f'{path(removed[-1].path)}')
        paths = sorted({path(o.path) for o in credential.occurrences})
        if len(paths) > 1:
            lines.append(f'  paths       {", ".join(paths[:10])}' + (' ...' if len(paths) > 10 else ''))
        if credential.head_paths:
            lines.append(f'  at HEAD     yes: {", ".join(sorted(path(p) for p in credential.head_paths))}')
        else:
            lines.append("  at HEAD     no (not in HEAD's tree, but still in the history: rotate it)")
        if credential.verification is not None:
            v = credential.verification
            lines.append(f'  verified    {v["status"]} ({v["scope"]}): {v["detail"]}')
        lines.append('')
    for note in history.notes():
        lines.append(f'note: {shown_path(note)}')
    s = history.stats
    found = len(history.credentials)
    lines.append(f'{found} Upstash credential(s) in {s.commits} commit(s), {s.blobs} blob(s) '
                 f'({s.bytes / 1e6:.1f} MB) scanned in {s.seconds:.1f} s'
                 + (' (partial history: shallow clone)' if history.shallow else ''))
    return '\n'.join(lines)


# --- SARIF: one result per credential, at the commit and path that introduced it ---

def sarif(history: History) -> str:
    from .. import sarif as builder
    rules: Dict[str, Dict[str, Any]] = {}
    results = []
    for credential in history.credentials:
        kind = credential.kind
        rules.setdefault(kind.id, builder.kind_rule(kind))
        introduced = credential.introduced
        if introduced:
            shown = redact_path(introduced.path, _secrets(credential))
            where = (f'introduced in commit {introduced.commit} ({introduced.author_date}) '
                     f'at {shown}:{introduced.line}')
            location = builder.file_location(shown, introduced.line)
        else:
            where = 'in the scanned history'
            location = builder.logical_location('git-history')
        state = ('still present at HEAD' if credential.head_paths
                 else 'no longer at HEAD but still in the history')
        message = (f'{kind.secret_type} ({credential.scope}) {redact(credential.value)} {where}; '
                   f'{state}; added in {len({o.commit for o in credential.added})} commit(s)')
        properties = {
            'hashed_secret': credential.hashed_secret,
            'commit': introduced.commit if introduced else None,
            'author_date': introduced.author_date if introduced else None,
            'present_at_head': bool(credential.head_paths),
        }
        if credential.verification is not None:
            properties['verification'] = credential.verification['status']
        entry = builder.result(kind.id, message, location=location, fingerprint=credential.hashed_secret,
                               properties=properties)
        if introduced:
            # SARIF's own way of naming the revision a location belongs to
            entry['locations'][0]['physicalLocation']['artifactLocation']['properties'] = {
                'commit': introduced.commit}
        results.append(entry)
    run_properties = {'revisions': list(history.revisions),
                      'notes': [redact_path(note) for note in history.notes()]}
    return builder.dumps(builder.log('detect-secrets-upstash history', list(rules.values()), results,
                                     properties=run_properties))
