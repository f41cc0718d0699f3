"""Running `semgrep scan --experimental` without semgrep's Python wrapper, where that is certain.

The `semgrep` command pip installs is a Python script (`semgrep.console_scripts.entrypoint`)
that, for `--experimental`, only finds the `semgrep-core` binary of its package, adds its
scripts directory to PATH, sets NO_COLOR=1 when its stderr is not a terminal (and no colour
preference is set), and execs the binary as `osemgrep`. That costs a Python start-up, ~40 ms
of CPU per run (`python bench/semgrep_speed.py`), so `upstash-semgrep` does the same itself —
only when it is sure the wrapper would exec the same binary with the same environment:

* the command is pip's wrapper script, whose `#!` names the Python of a virtual environment
  (pipx, pre-commit and `python -m venv` installs) that sees no system or user
  site-packages, and neither PYTHONPATH nor PYTHONHOME is set (they could put another
  `semgrep` package first);
* that environment holds exactly one `semgrep/bin/semgrep-core`;
* not on Windows (the wrapper runs a child process there), and no `--legacy` or Pro flag.

Otherwise (Homebrew, Docker, a system install, anything else) the wrapper runs as before.
"""
import os
import subprocess
from pathlib import Path
from typing import Dict
from typing import List
from typing import Mapping
from typing import Optional
from typing import Sequence
from typing import Tuple

# What the wrapper's main() dispatches on besides --experimental (entrypoint.py).
WRAPPER_FLAGS = ('--legacy', '--pro', '--pro-languages', '--pro-intrafile')
_ENTRY_POINT = 'from semgrep.console_scripts.entrypoint import main'
_COLOUR_PREFERENCES = ('NO_COLOR', 'FORCE_COLOR', 'SEMGREP_FORCE_COLOR')


def direct_core(semgrep: str, environ: Mapping[str, str]) -> Optional[Tuple[str, str]]:
    """(semgrep-core, the wrapper's scripts directory) when the wrapper `semgrep` certainly
    execs that binary; None when in any doubt."""
    if os.name == 'nt' or environ.get('PYTHONPATH') or environ.get('PYTHONHOME'):
        return None
    try:
        with open(semgrep, 'rb') as script:
            head = script.read(4096)
    except OSError:
        return None
    first, _, rest = head.partition(b'\n')
    if not first.startswith(b'#!') or _ENTRY_POINT.encode() not in rest:
        return None
    python = Path(os.fsdecode(first[2:].strip()))
    if not python.is_absolute() or ' ' in str(python) or python.parent.name != 'bin':
        return None         # `#!/usr/bin/env python3`, an interpreter with arguments, ...
    venv = python.parent.parent
    try:
        config = (venv / 'pyvenv.cfg').read_text(encoding='utf-8', errors='replace')
    except OSError:
        return None
    settings = {key.strip().lower(): value.strip().lower()
                for key, sep, value in (line.partition('=') for line in config.splitlines()) if sep}
    if settings.get('include-system-site-packages', 'false') != 'false':
        return None         # user and system site-packages come first or also count
    cores = sorted(venv.glob('lib/python*/site-packages/semgrep/bin/semgrep-core'))
    if len(cores) != 1 or not cores[0].is_file() or not os.access(cores[0], os.X_OK):
        return None
    # sysconfig.get_path('scripts') of a virtual environment's Python: its bin directory
    return str(cores[0]), str(venv / 'bin')


class Launcher:
    """Runs semgrep commands (`[semgrep, 'scan', '--experimental', ...]`) as the wrapper would."""

    def __init__(self, semgrep: str, environ: Optional[Mapping[str, str]] = None) -> None:
        self.semgrep = semgrep
        self.direct = direct_core(semgrep, os.environ if environ is None else environ)

    def command(self, command: Sequence[str], env: Mapping[str, str],
                stderr_is_terminal: bool) -> Tuple[List[str], Optional[str], Dict[str, str]]:
        """(argv, executable or None, environment) to run `command` with."""
        arguments = list(command[1:])
        if self.direct is None or '--experimental' not in arguments \
                or any(flag in arguments for flag in WRAPPER_FLAGS):
            return list(command), None, dict(env)
        core, scripts = self.direct
        launched = dict(env)
        launched['PATH'] = env.get('PATH', '') + os.pathsep + scripts
        if not stderr_is_terminal and not any(env.get(name) for name in _COLOUR_PREFERENCES):
            launched['NO_COLOR'] = '1'
        return ['osemgrep', *arguments], core, launched


def stderr_is_terminal(stderr: object) -> bool:
    """Whether a child given `stderr` (subprocess's argument) writes to a terminal."""
    if stderr is not None:
        return False        # a pipe, DEVNULL or a file
    return os.isatty(2)     # inherited: our own standard error


def run(launcher: Optional[Launcher], command: Sequence[str], env: Mapping[str, str],
        **kwargs) -> 'subprocess.CompletedProcess[bytes]':
    """subprocess.run(command, env=env, **kwargs), through `launcher` when there is one."""
    if launcher is None:
        return subprocess.run(list(command), env=dict(env), **kwargs)
    stderr = subprocess.PIPE if kwargs.get('capture_output') else kwargs.get('stderr')
    argv, executable, launched = launcher.command(command, env, stderr_is_terminal(stderr))
    return subprocess.run(argv, executable=executable, env=launched, **kwargs)
