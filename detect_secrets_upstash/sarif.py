"""A small SARIF 2.1.0 builder shared by every command that writes SARIF (`report`,
`history`, `upstash-verify`), so that each log is one that GitHub code scanning takes
without warnings:

- `tool.driver` names the tool, its version and where to read about it;
- every rule has `help` (text and markdown), short and full descriptions,
  `properties.security-severity` (GitHub's severity scale, 0.0-10.0) and tags;
- every result has a location (a physical one for a file, a logical one for stdin or
  other input that is not a file) and `partialFingerprints` that stay the same for the
  same secret across runs, however the file around it moves.

Nothing here sees a full token: callers pass messages and values already redacted.

    rules = [sarif.kind_rule(kind) for kind in kinds]
    results = [sarif.result(rule_id, message, location=sarif.file_location(path, line),
                            fingerprint=secret_hash)]
    text = sarif.dumps(sarif.log('detect-secrets-upstash report', rules, results))
"""
import json
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import Optional
from urllib.parse import quote

from . import catalogue
from .tokens import READ_ONLY
from .versions import package_version

SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
VERSION = '2.1.0'
INFORMATION_URI = 'https://pypi.org/project/detect-secrets-upstash/'
# The key of our fingerprint in `partialFingerprints`: versioned, as the spec advises,
# so that a later change of what is hashed does not collide with old alerts.
FINGERPRINT_KEY = 'upstashSecretHash/v1'
LEVELS = ('error', 'warning', 'note', 'none')

_CWE_TAG = 'external/cwe/cwe-798'   # Use of Hard-coded Credentials


def security_severity(kind: Optional[catalogue.Kind]) -> float:
    if kind is None:
        return 5.0
    if kind.severity is not None:        # the catalogue's (GitHub's scale: >= 9.0 critical)
        return kind.severity
    return 7.0 if kind.scope == READ_ONLY else 9.0


def rule(rule_id: str, name: str, short: str, full: str, help_text: str,
         help_markdown: Optional[str] = None, severity: float = 5.0,
         tags: Iterable[str] = (), level: str = 'error') -> Dict[str, Any]:
    """One `reportingDescriptor`. `name` must be a single word (PascalCase)."""
    if level not in LEVELS:
        raise ValueError(f'SARIF level {level!r} is not one of {LEVELS}')
    if name.lower() == rule_id.lower():
        name += 'Credential'    # SARIF1001: a name identical to the id must be left out
    return {
        'id': rule_id,
        'name': name,
        'shortDescription': {'text': _sentence(short)},
        'fullDescription': {'text': _sentence(full)},
        'help': {'text': help_text, 'markdown': help_markdown or help_text},
        'helpUri': INFORMATION_URI,
        'defaultConfiguration': {'level': level},
        'properties': {
            'security-severity': f'{severity:.1f}',
            'precision': 'high',
            'problem.severity': 'error' if severity >= 7.0 else 'warning',
            'tags': list(dict.fromkeys(['security', 'secret', *tags])),
        },
    }


def _sentence(text: str) -> str:
    # SARIF2008/2014-style checks want descriptions to be full sentences.
    text = text.strip()
    return text if text.endswith(('.', '!', '?')) else text + '.'


def _pascal(identifier: str) -> str:
    return ''.join(part.capitalize() for part in identifier.replace('-', '_').split('_') if part)


def kind_rule(kind: Optional[catalogue.Kind], rule_id: Optional[str] = None) -> Dict[str, Any]:
    """The rule for one catalogue kind (or for a credential of no known kind)."""
    if kind is None:
        rule_id = rule_id or 'unrecognised'
        return rule(rule_id, _pascal(rule_id) or 'Unrecognised',
                    'A token in no known Upstash format',
                    'A token was given for verification that matches no Upstash credential '
                    'format; it was not sent anywhere.',
                    'Check that the value is an Upstash credential.', severity=security_severity(None),
                    tags=['upstash'], level='warning')
    guidance = remediation_text(kind)
    full = (f'{kind.secret_type} ({kind.scope}) found in the code. '
            f'{_opens(kind)} Rotate it and move it to a server-side secret store.')
    return rule(
        rule_id or kind.id, _pascal(kind.id), f'Leaked {kind.secret_type} ({kind.scope})', full,
        help_text=guidance, help_markdown=remediation_markdown(kind),
        severity=security_severity(kind),
        tags=['upstash', catalogue.product_of(kind).display_name, kind.scope, _CWE_TAG],
    )


def _opens(kind: catalogue.Kind) -> str:
    remediation = getattr(kind, 'remediation', None)
    opens = getattr(remediation, 'opens', None)
    if opens:
        return _sentence(opens)
    return _sentence(f'It gives {kind.scope} access to an Upstash '
                     f'{catalogue.product_of(kind).display_name} resource')


def remediation_text(kind: catalogue.Kind) -> str:
    """Plain-text guidance for a kind: the catalogue's remediation when it has one."""
    remediation = getattr(kind, 'remediation', None)
    if remediation is not None and hasattr(remediation, 'text'):
        return remediation.text()
    return (f'{_opens(kind)} Rotate it in the Upstash console, move it to a server-side '
            'environment variable or secret store, and treat it as exposed if it was ever pushed.')


def remediation_markdown(kind: catalogue.Kind) -> str:
    remediation = getattr(kind, 'remediation', None)
    if remediation is not None and hasattr(remediation, 'markdown'):
        return remediation.markdown()
    return f'**{kind.secret_type}** ({kind.scope})\n\n{remediation_text(kind)}'


# --- locations ---

def file_location(path: str, line: Optional[int] = None) -> Dict[str, Any]:
    """A physical location: a relative path (as GitHub requires, with `/` separators and
    percent-escapes) and the 1-based line when known."""
    uri = quote(path.replace('\\', '/').lstrip('/') if not _is_absolute(path) else path.replace('\\', '/'))
    if uri.startswith('./'):
        uri = uri[2:]
    physical: Dict[str, Any] = {'artifactLocation': {'uri': uri}}
    if line is not None and line > 0:
        physical['region'] = {'startLine': int(line)}
    return {'physicalLocation': physical}


def _is_absolute(path: str) -> bool:
    return path.startswith('/') or (len(path) > 2 and path[1] == ':')


def logical_location(name: str, kind: str = 'module') -> Dict[str, Any]:
    """A location that is not a file (stdin, a --token given on the command line)."""
    return {'logicalLocations': [{'name': name, 'fullyQualifiedName': name, 'kind': kind}]}


def location_of(where: Optional[str]) -> Dict[str, Any]:
    """From a `file:line` string as findings carry it; `stdin:3`, `-` and None become
    logical locations."""
    if not where:
        return logical_location('command-line')
    path, _, line = where.rpartition(':')
    if not path or not line.isdigit():
        path, line = where, ''
    if path in ('-', 'stdin', '<stdin>'):
        location = logical_location('stdin')
        if line:
            location['logicalLocations'][0]['fullyQualifiedName'] = f'stdin:{line}'
        return location
    return file_location(path, int(line) if line else None)


# --- results and the log ---

def result(rule_id: str, message: str, location: Dict[str, Any], fingerprint: str,
           level: Optional[str] = None, rule_index: Optional[int] = None,
           properties: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """One result. `fingerprint` is stable per secret (detect-secrets' hash of the value):
    the same secret keeps its alert when lines move or other secrets come and go."""
    entry: Dict[str, Any] = {'ruleId': rule_id}
    if rule_index is not None:
        entry['ruleIndex'] = rule_index
    if level is not None:
        if level not in LEVELS:
            raise ValueError(f'SARIF level {level!r} is not one of {LEVELS}')
        entry['level'] = level
    entry['message'] = {'text': _sentence(message)}
    entry['locations'] = [location]
    entry['partialFingerprints'] = {FINGERPRINT_KEY: f'{rule_id}:{fingerprint}'}
    if properties:
        entry['properties'] = properties
    return entry


def log(tool_name: str, rules: List[Dict[str, Any]], results: List[Dict[str, Any]],
        version: Optional[str] = None, properties: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """A whole SARIF log with one run. Results' `ruleIndex` is filled in from `rules`."""
    index = {r['id']: i for i, r in enumerate(rules)}
    for entry in results:
        if entry['ruleId'] not in index:
            raise ValueError(f'result for rule {entry["ruleId"]!r} that is not in the rules')
        entry.setdefault('ruleIndex', index[entry['ruleId']])
    driver: Dict[str, Any] = {
        'name': tool_name,
        'version': version or package_version(),
        'semanticVersion': version or package_version(),
        'informationUri': INFORMATION_URI,
        'rules': rules,
    }
    if driver['semanticVersion'] == 'unknown':
        del driver['semanticVersion']
    run: Dict[str, Any] = {
        'tool': {'driver': driver},
        'columnKind': 'unicodeCodePoints',
        'results': results,
    }
    if properties:
        run['properties'] = properties
    return {'$schema': SCHEMA, 'version': VERSION, 'runs': [run]}


def dumps(document: Dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)
