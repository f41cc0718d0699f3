"""Validate SARIF logs the way GitHub code scanning will read them, offline.

Both checks use Microsoft's SARIF Multitool, installed from the npm registry by
scripts/test.sh (package `@microsoft/sarif-multitool-linux`, which also ships the
official `sarif-2.1.0.json` schema):

- `schema_errors`: the log against the SARIF 2.1.0 JSON schema (python-jsonschema);
- `multitool_findings`: `Sarif.Multitool validate --rule-kind "Sarif;Gh"`, the SARIF
  spec's own rules plus GitHub's ingestion rules (GH1xxx: `help` on rules, relative
  URIs, required location properties, ...). Every finding it reports, error, warning or
  note, is returned: a log we write must come back clean.

Without the tool (a quick local run without scripts/test.sh) the tests skip with the
command that installs it; under CI (CI=true) a missing tool is a failure.
"""
import json
import os
import subprocess
from pathlib import Path
from typing import List

import pytest

from .helpers import REPO_ROOT

PACKAGE = '@microsoft/sarif-multitool-linux'
DEFAULT_DIR = REPO_ROOT / '.tools' / 'sarif' / 'node_modules' / '@microsoft' / 'sarif-multitool-linux'
INSTALL_HINT = (f'npm install --prefix .tools/sarif {PACKAGE}@5.7.0 (scripts/test.sh does this), '
                'or set SARIF_MULTITOOL_DIR')


def tool_dir() -> Path:
    directory = Path(os.environ.get('SARIF_MULTITOOL_DIR', DEFAULT_DIR))
    if not (directory / 'Sarif.Multitool').exists() or not (directory / 'sarif-2.1.0.json').exists():
        message = f'SARIF Multitool not found in {directory}: {INSTALL_HINT}'
        if os.environ.get('CI'):
            pytest.fail(message)
        pytest.skip(message)
    return directory


def schema_errors(document: dict) -> List[str]:
    import jsonschema
    schema = json.loads((tool_dir() / 'sarif-2.1.0.json').read_text(encoding='utf-8'))
    validator = jsonschema.Draft202012Validator(schema)
    return [f'{"/".join(map(str, error.absolute_path))}: {error.message}'
            for error in validator.iter_errors(document)]


def multitool_findings(document: dict, work: Path) -> List[str]:
    """What the Multitool's SARIF and GitHub rules say about the log (empty when clean)."""
    return multitool_findings_of([document], work)


def multitool_findings_of(documents: List[dict], work: Path) -> List[str]:
    """What the Multitool says about several logs, in one run of it (~1.3 CPU-s each saved)."""
    return [finding for findings in multitool_findings_by_log(documents, work) for finding in findings]


def multitool_findings_by_log(documents: List[dict], work: Path) -> List[List[str]]:
    """What the Multitool says about each of several logs (one list per log, in order), in one
    run of it: each of its results names the log it is about."""
    tool = tool_dir() / 'Sarif.Multitool'
    if not os.access(tool, os.X_OK):
        tool.chmod(0o755)
    logs = []
    for number, document in enumerate(documents):
        log = work / ('under-test.sarif' if number == 0 else f'under-test-{number}.sarif')
        log.write_text(json.dumps(document), encoding='utf-8')
        logs.append(log)
    out = work / 'validation.sarif'
    proc = subprocess.run(
        [str(tool), 'validate', *map(str, logs), '--rule-kind', 'Sarif;Gh', '-o', str(out),
         '--log', 'ForceOverwrite'],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, 'DOTNET_CLI_TELEMETRY_OPTOUT': '1',
             'DOTNET_SYSTEM_GLOBALIZATION_INVARIANT': '1'})
    assert proc.returncode == 0 and out.exists(), f'Multitool failed: {proc.stdout}{proc.stderr}'
    report = json.loads(out.read_text(encoding='utf-8'))
    by_log: List[List[str]] = [[] for _ in logs]
    names = [log.name for log in logs]
    for run in report['runs']:
        for result in run.get('results', []):
            finding = (f'{result["ruleId"]} {result.get("level", "warning")}: '
                       f'{result["message"].get("arguments")}')
            uris = [location.get('physicalLocation', {}).get('artifactLocation', {}).get('uri', '')
                    for location in result.get('locations') or []]
            about = [i for i, name in enumerate(names) if any(uri.endswith('/' + name) for uri in uris)]
            # a finding that names no log (or several) counts against every log
            for index in (about if len(about) == 1 else range(len(logs))):
                by_log[index].append(finding)
    return by_log


def assert_github_ready(document: dict, work: Path) -> None:
    assert schema_errors(document) == []
    assert multitool_findings(document, work) == []
