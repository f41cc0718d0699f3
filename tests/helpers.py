"""Small helpers shared by the test modules: run the installed console scripts for real."""
import os
import subprocess
import sys
from pathlib import Path
from typing import Optional, Sequence

BIN = Path(sys.executable).parent          # the venv the suite runs in holds our console scripts
REPO_ROOT = Path(__file__).resolve().parent.parent


def run(command: Sequence[str], cwd: Optional[os.PathLike] = None, input: Optional[str] = None,
        env: Optional[dict] = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a console script of this venv (or any program) and capture text output."""
    program = command[0]
    if not os.path.sep in program and (BIN / program).exists():
        command = [str(BIN / program), *command[1:]]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(list(command), cwd=cwd, input=input, env=full_env, text=True,
                          capture_output=True, timeout=timeout)


def git_repo(path: Path) -> Path:
    """An empty git repository with an identity, ready for commits."""
    path.mkdir(parents=True, exist_ok=True)
    for args in (['init', '-q'], ['config', 'user.email', 't@example.invalid'],
                 ['config', 'user.name', 'test'], ['config', 'commit.gpgsign', 'false']):
        subprocess.run(['git', *args], cwd=path, check=True)
    return path


def write_files(root: Path, files: dict) -> Path:
    """Write {relative name: text} under `root`, making folders; returns `root`."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
