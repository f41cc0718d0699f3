"""`--version` for every command: this package's version, and those of detect-secrets and
semgrep where the command runs them."""
import os
import platform
import subprocess
from typing import List

DISTRIBUTION = 'detect-secrets-upstash'


def package_version() -> str:
    """This package's version as installed (`unknown` when run from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return 'unknown'


def detect_secrets_version() -> str:
    try:
        from detect_secrets.__version__ import VERSION
        return VERSION
    except Exception:       # noqa: BLE001  (a broken install still gets a version line)
        return 'not installed'


def semgrep_version() -> str:
    from .semgrep import semgrep_executable, SemgrepUnavailable
    try:
        semgrep = semgrep_executable()
    except SemgrepUnavailable:
        return 'not installed'
    try:
        result = subprocess.run([semgrep, '--version', '--disable-version-check'],
                                capture_output=True, text=True, timeout=120,
                                env={**os.environ, 'SEMGREP_ENABLE_VERSION_CHECK': '0',
                                     'SEMGREP_SEND_METRICS': 'off'})
    except (OSError, subprocess.SubprocessError) as error:
        return f'unavailable ({type(error).__name__})'
    lines = result.stdout.strip().splitlines()
    return lines[-1].strip() if result.returncode == 0 and lines else 'unavailable'


def version_line(prog: str, detect_secrets: bool = True, semgrep: bool = False) -> str:
    """`detect-secrets-upstash 0.1.0 (detect-secrets 1.5.0, Python 3.11.7)`."""
    parts: List[str] = []
    if detect_secrets:
        parts.append(f'detect-secrets {detect_secrets_version()}')
    if semgrep:
        parts.append(f'semgrep {semgrep_version()}')
    parts.append(f'Python {platform.python_version()}')
    return f'{prog} {package_version()} ({", ".join(parts)})'
