"""What a user installs: --version on every command, the LICENSE the metadata declares,
and an sdist that holds what its tests need."""
import re
import subprocess
import sys
import tarfile

import pytest

from tests.helpers import REPO_ROOT
from tests.helpers import run

VERSION = re.compile(r'^\S+(?: \S+)? (\d+\.\d+\.\d+\S*) \((.*)\)$')


@pytest.mark.parametrize('command, parts', [
    (['detect-secrets-upstash', '--version'], ['detect-secrets 1.5.']),
    (['detect-secrets-upstash', 'report', '--version'], ['detect-secrets 1.5.']),
    (['detect-secrets-upstash', 'history', '--version'], ['detect-secrets 1.5.']),
    (['detect-secrets-upstash-hook', '--version'], ['detect-secrets 1.5.']),
    (['upstash-verify', '--version'], ['detect-secrets 1.5.']),
    (['upstash-semgrep', '--version'], ['semgrep 1.']),
])
def test_every_command_prints_this_package_version_and_its_engines(command, parts):
    from importlib.metadata import version
    result = run(command)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    match = VERSION.match(line)
    assert match, line
    assert match.group(1) == version('detect-secrets-upstash')
    for part in parts:
        assert part in match.group(2)


def test_license_is_the_apache_2_text_the_metadata_declares():
    text = (REPO_ROOT / 'LICENSE').read_text()
    assert text.strip().startswith('Apache License')
    assert 'Version 2.0, January 2004' in text and 'END OF TERMS AND CONDITIONS' in text
    setup = (REPO_ROOT / 'setup.cfg').read_text()
    assert re.search(r'^license = Apache-2.0$', setup, re.MULTILINE)
    assert re.search(r'^license_files = LICENSE$', setup, re.MULTILINE)


def test_classifiers_name_the_python_versions_and_the_license():
    setup = (REPO_ROOT / 'setup.cfg').read_text()
    versions = re.findall(r'Programming Language :: Python :: (3\.\d+)', setup)
    assert versions == ['3.9', '3.10', '3.11', '3.12', '3.13']
    assert re.search(r'^python_requires = >=3\.9$', setup, re.MULTILINE)


def test_sdist_holds_what_its_tests_need(tmp_path):
    pytest.importorskip('build')
    pytest.importorskip('setuptools')       # the build backend, built without isolation
    if not (REPO_ROOT / '.git').exists():
        pytest.skip('compares the sdist with the files git tracks: needs a git checkout')
    proc = subprocess.run([sys.executable, '-m', 'build', '--sdist', '--no-isolation', '--skip-dependency-check', '--outdir',
                           str(tmp_path), str(REPO_ROOT)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (sdist,) = tmp_path.glob('*.tar.gz')
    with tarfile.open(sdist) as archive:
        names = {name.split('/', 1)[1] for name in archive.getnames() if '/' in name}
        pkg_info = archive.extractfile(next(m for m in archive.getmembers()
                                            if m.name.endswith('/PKG-INFO') and m.name.count('/') == 1)).read().decode()
    tracked = subprocess.run(['git', 'ls-files', '--', 'tests', 'examples', 'semgrep-rules', 'docs',
                              'scripts', 'bench', 'detect_secrets_upstash', 'LICENSE', 'README.md',
                              'setup.cfg', 'pyproject.toml', '.pre-commit-hooks.yaml', '.ci/run'],
                             cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.split()
    missing = sorted(set(tracked) - names)
    assert missing == []
    assert not any(name.startswith(('.venv/', '.tools/')) or '__pycache__' in name for name in names)
    assert 'License-File: LICENSE' in pkg_info
