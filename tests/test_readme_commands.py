"""Every command in the README works as typed (after the two set-up commands and
`. .venv/bin/activate`): run in a git project holding the bundled sample, with the suite's
venv first on PATH, as an activated venv would put it.

Not run here, and why: `pip install` (the suite's venv is installed already), the
benchmarks (bench/ is for measuring, not for tests), and the `upstash-verify` forms, which
would send the sample's (generated) tokens to Upstash's hosts; tests/test_verify_cli.py runs
those forms against the stand-in."""
import os
import re
import shutil
import subprocess

import pytest

from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo

README = (REPO_ROOT / 'README.md').read_text()
NOT_RUN = ('pip install', 'python bench/', 'upstash-verify')


def readme_commands():
    blocks = re.findall(r'```(?:sh|bash|console)\n(.*?)```', README, re.S)
    commands = []
    for block in blocks[1:]:                    # the first block is the two set-up commands
        for line in block.splitlines():
            command = re.sub(r'\s+#.*$', '', line).strip()
            if command and not command.startswith('#'):
                commands.append(command)
    return commands


def test_the_readme_has_commands_beyond_the_setup():
    commands = readme_commands()
    assert any(c.startswith('detect-secrets-upstash report') for c in commands)
    assert any(c.startswith('upstash-verify') for c in commands)


@pytest.fixture(scope='module')
def project(tmp_path_factory):
    root = git_repo(tmp_path_factory.mktemp('readme') / 'project')
    shutil.copytree(REPO_ROOT / 'examples' / 'sample', root, dirs_exist_ok=True)
    subprocess.run(['git', 'add', '.'], cwd=root, check=True)
    subprocess.run(['git', 'commit', '-qm', 'sample'], cwd=root, check=True)
    # `history origin/main..HEAD` needs a remote-tracking branch: one at the same commit
    subprocess.run(['git', 'update-ref', 'refs/remotes/origin/main', 'HEAD'], cwd=root, check=True)
    return root


@pytest.mark.slow         # a dozen console scripts in turn, semgrep's whole pack among them
def test_readme_commands_run_as_typed_in_order(project):
    # in order, in one project: later commands use what earlier ones made (.secrets.baseline)
    env = {**os.environ, 'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}', 'VIRTUAL_ENV': str(BIN.parent)}
    ran, problems = [], []
    for command in readme_commands():
        if command.startswith(NOT_RUN):
            continue
        proc = subprocess.run(['bash', '--noprofile', '--norc', '-c', command], cwd=project, env=env,
                              input='q\n', capture_output=True, text=True, timeout=600)
        ran.append(command)
        wrong = ('Traceback' in proc.stderr or 'unrecognized arguments' in proc.stderr
                 or 'invalid choice' in proc.stderr
                 # 0 clean, 1 findings (the sample holds credentials), 3 baseline updated
                 or proc.returncode not in (0, 1, 3)
                 or ('--version' in command and not proc.stdout.startswith('detect-secrets-upstash ')))
        if wrong:
            problems.append((command, proc.returncode, proc.stderr[-1500:]))
    assert problems == []
    assert len(ran) >= 10, ran
