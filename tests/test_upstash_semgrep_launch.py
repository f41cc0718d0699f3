"""`upstash-semgrep` runs semgrep-core as osemgrep itself only where semgrep's Python wrapper
would exec that same binary with the same environment (detect_secrets_upstash/semgrep_launch.py)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from detect_secrets_upstash import semgrep as upstash_semgrep
from detect_secrets_upstash import semgrep_launch

pytestmark = [pytest.mark.semgrep]

WRAPPER = ("# -*- coding: utf-8 -*-\nimport re\nimport sys\n"
           "from semgrep.console_scripts.entrypoint import main\n"
           "if __name__ == '__main__':\n    sys.exit(main())\n")


def test_the_binary_and_path_are_the_ones_the_wrapper_itself_uses():
    semgrep = upstash_semgrep.semgrep_executable()
    found = semgrep_launch.direct_core(semgrep, os.environ)
    assert found is not None, f'{semgrep} is not a virtual environment\'s pip wrapper'
    # ask the wrapper's own Python what it would exec and add to PATH
    python = Path(semgrep).read_text(encoding='utf-8').splitlines()[0][2:].strip()
    asked = subprocess.run(
        [python, '-c', 'import sysconfig\nfrom semgrep.console_scripts.entrypoint import '
                       'find_semgrep_core_path\nprint(find_semgrep_core_path())\n'
                       'print(sysconfig.get_path("scripts"))'],
        capture_output=True, text=True, timeout=120, check=True)
    assert [os.path.realpath(p) for p in asked.stdout.split()] == [os.path.realpath(p) for p in found]


def _venv(root: Path, system_site: str = 'false') -> Path:
    """A virtual environment's layout with a pip wrapper and a semgrep-core."""
    (root / 'bin').mkdir(parents=True)
    (root / 'bin' / 'python3').symlink_to(sys.executable)
    (root / 'pyvenv.cfg').write_text(f'home = /usr/bin\ninclude-system-site-packages = {system_site}\n')
    core = root / 'lib' / 'python3.11' / 'site-packages' / 'semgrep' / 'bin' / 'semgrep-core'
    core.parent.mkdir(parents=True)
    core.write_text('#!/bin/sh\n')
    core.chmod(0o755)
    script = root / 'bin' / 'semgrep'
    script.write_text(f'#!{root}/bin/python3\n{WRAPPER}')
    return script


def test_only_a_virtual_environment_that_sees_nothing_else_is_launched_directly(tmp_path):
    script = _venv(tmp_path / 'env')
    core = tmp_path / 'env' / 'lib' / 'python3.11' / 'site-packages' / 'semgrep' / 'bin' / 'semgrep-core'
    assert semgrep_launch.direct_core(str(script), {}) == (str(core), str(tmp_path / 'env' / 'bin'))
    # another semgrep package could come first: the wrapper decides
    assert semgrep_launch.direct_core(str(script), {'PYTHONPATH': '/elsewhere'}) is None
    assert semgrep_launch.direct_core(str(_venv(tmp_path / 'sys', 'true')), {}) is None
    second = tmp_path / 'env' / 'lib' / 'python3.12' / 'site-packages' / 'semgrep' / 'bin'
    second.mkdir(parents=True)
    (second / 'semgrep-core').write_text('')
    (second / 'semgrep-core').chmod(0o755)
    assert semgrep_launch.direct_core(str(script), {}) is None
    other = _venv(tmp_path / 'plain')
    other.write_text(f'#!/usr/bin/env python3\n{WRAPPER}')
    assert semgrep_launch.direct_core(str(other), {}) is None
    other.write_text(f'#!{tmp_path}/plain/bin/python3\nimport my_own_semgrep\n')
    assert semgrep_launch.direct_core(str(other), {}) is None


def test_the_command_and_environment_are_the_wrappers(tmp_path):
    launcher = semgrep_launch.Launcher(str(_venv(tmp_path / 'env')), {})
    core, scripts = launcher.direct
    command = ['semgrep', 'scan', '--experimental', '--json', '.']
    argv, executable, env = launcher.command(command, {'PATH': '/usr/bin', 'HOME': '/h'}, False)
    assert (argv, executable) == (['osemgrep', 'scan', '--experimental', '--json', '.'], core)
    assert env == {'PATH': '/usr/bin' + os.pathsep + scripts, 'HOME': '/h', 'NO_COLOR': '1'}
    # a terminal, or a colour preference of the user's: NO_COLOR is not set
    assert 'NO_COLOR' not in launcher.command(command, {}, True)[2]
    assert launcher.command(command, {'FORCE_COLOR': '1'}, False)[2] == {
        'FORCE_COLOR': '1', 'PATH': os.pathsep + scripts}
    # what the wrapper dispatches elsewhere goes through it
    for flag in ('--pro', '--legacy'):
        assert launcher.command(command + [flag], {'A': 'b'}, False) == (command + [flag], None, {'A': 'b'})
