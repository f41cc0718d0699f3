"""The suite tests this checkout: the console scripts it runs import this checkout's code.

Most tests run the installed console scripts (`tests.helpers.run`). If the environment holds
an install of another checkout (an editable install of a second worktree, a stale wheel),
those tests would pass or fail on someone else's code. This test names the mismatch.
"""
import configparser
import hashlib
import json
import subprocess
from pathlib import Path

from tests.helpers import BIN
from tests.helpers import REPO_ROOT

PACKAGE = 'detect_secrets_upstash'


def console_scripts():
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / 'setup.cfg')
    entries = config['options.entry_points']['console_scripts'].strip().splitlines()
    return {name.strip(): target.strip() for name, target in (line.split('=', 1) for line in entries)}


def interpreter_of(script: Path) -> str:
    first = script.read_text(errors='replace').split('\n', 1)[0]
    assert first.startswith('#!'), f'{script} is not a script with an interpreter line'
    return first[2:].strip().split()[0]


def digest_tree(root: Path) -> dict:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob('*.py')) if '__pycache__' not in path.parts}


def test_every_console_script_imports_this_checkout():
    scripts = console_scripts()
    assert scripts, 'setup.cfg lists no console scripts'
    expected = digest_tree(REPO_ROOT / PACKAGE)
    for name, target in scripts.items():
        script = BIN / name
        assert script.exists(), f"{name} is not installed in {BIN}: pip install -e '.[test]'"
        module = target.split(':', 1)[0]
        # The script's own interpreter, importing the script's own entry module.
        probe = (f'import importlib, json, {PACKAGE}; importlib.import_module({module!r}); '
                 f'print(json.dumps(list({PACKAGE}.__path__)))')
        result = subprocess.run([interpreter_of(script), '-c', probe], capture_output=True, text=True,
                                cwd='/', timeout=60)
        assert result.returncode == 0, f'{name}: {result.stderr.strip()[-500:]}'
        installed = Path(json.loads(result.stdout)[0])
        assert digest_tree(installed) == expected, (
            f'{name} imports {PACKAGE} from {installed}, which is not this checkout ({REPO_ROOT}) '
            f"as it is on disk: run pip install -e '.[test]' (or scripts/test.sh) in this checkout")
