"""Teams on Yelp's own `detect-secrets-hook`: the recipe of docs/yelp-hook.md, and each limit it states.

Everything runs the real Yelp binaries (`detect-secrets`, `detect-secrets-hook`) from the
suite's environment, where detect-secrets-upstash is installed as the recipe requires, and
once through real pre-commit with Yelp's hook definition.
"""
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from detect_secrets_upstash import tokens
from tests.fixtures_precommit import commit
from tests.fixtures_precommit import project_with_config
from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli

DOC = REPO_ROOT / 'docs' / 'yelp-hook.md'
SHIM = 'upstash_plugin.py'


def doc_block(marker: str) -> str:
    """The fenced block of docs/yelp-hook.md that contains `marker` (the docs are what we test)."""
    text = DOC.read_text()
    for block in text.split('```')[1::2]:
        if marker in block:
            return textwrap.dedent(block.split('\n', 1)[1]).strip() + '\n'
    raise AssertionError(f'no block with {marker!r} in {DOC}')


def stage(repo: Path, name: str, text: str) -> str:
    (repo / name).write_text(text)
    subprocess.run(['git', 'add', name], cwd=repo, check=True)
    return name


def setup_recipe(repo: Path) -> Path:
    """The shim and the baseline, made with the commands of docs/yelp-hook.md."""
    git_repo(repo)
    stage(repo, SHIM, doc_block('from detect_secrets_upstash'))
    stage(repo, 'README.md', '# app\n')
    commands = doc_block('detect-secrets scan --plugin').strip()
    result = subprocess.run('set -e\n' + commands, shell=True, cwd=repo, capture_output=True, text=True,
                            env={**os.environ, 'PATH': f'{BIN}{os.pathsep}{os.environ["PATH"]}'})
    assert result.returncode == 0, result.stderr
    subprocess.run(['git', 'add', '.secrets.baseline'], cwd=repo, check=True)
    return repo


def leak(repo: Path, name: str = 'new.env') -> str:
    return stage(repo, name, f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token(4242)}\n')


@pytest.fixture(scope='module')
def recipe_made_once(tmp_path_factory):
    return setup_recipe(tmp_path_factory.mktemp('recipe') / 'app')


@pytest.fixture
def recipe(recipe_made_once, tmp_path):
    """A fresh copy of the recipe's repository (the doc's commands run once per module: the
    baseline they write holds no absolute path, as the first test asserts)."""
    return Path(shutil.copytree(recipe_made_once, tmp_path / 'app', symlinks=True))


def yelp_hook(repo: Path, *files: str):
    return run(['detect-secrets-hook', '--baseline', '.secrets.baseline', *files], cwd=repo)


def test_recipe_baseline_is_portable_and_adds_one_plugin_class(recipe, recipe_made_once):
    text = (recipe / '.secrets.baseline').read_text()
    assert str(recipe_made_once.parent) not in text          # where the doc's commands ran
    plugins = json.loads(text)['plugins_used']
    ours = [p for p in plugins if p['name'] == 'UpstashDetector']
    assert ours == [{'name': 'UpstashDetector', 'path': f'file://{SHIM}'}]
    built_in = run(['detect-secrets', 'scan', '--list-all-plugins'], cwd=recipe).stdout.split()
    assert len(plugins) == len(built_in) + 1            # exactly one class added


def test_yelp_hook_blocks_an_upstash_leak_from_any_checkout_path(recipe, tmp_path):
    elsewhere = tmp_path / 'somewhere' / 'else'
    shutil.copytree(recipe, elsewhere)
    for checkout in (recipe, elsewhere):
        name = leak(checkout)
        result = yelp_hook(checkout, name)
        assert result.returncode == 1, result.stdout + result.stderr
        assert 'Secret Type: Upstash Redis REST Token' in result.stdout
        assert f'Location:    {name}:1' in result.stdout


def test_yelp_hook_baseline_update_keeps_the_relative_path(recipe):
    known = leak(recipe, 'known.env')
    assert run(['detect-secrets', 'scan', '--baseline', '.secrets.baseline'], cwd=recipe).returncode == 0
    subprocess.run(['git', 'add', '.secrets.baseline'], cwd=recipe, check=True)
    assert yelp_hook(recipe, known).returncode == 0     # baselined: passes

    stage(recipe, known, '# moved down a line\n' + (recipe / known).read_text())
    updated = yelp_hook(recipe, known)
    assert updated.returncode == 3                       # line numbers updated, as upstream does
    plugins = json.loads((recipe / '.secrets.baseline').read_text())['plugins_used']
    assert {'name': 'UpstashDetector', 'path': f'file://{SHIM}'} in plugins


# --- the limits, as stated in docs/yelp-hook.md ---

def test_limit_missing_shim_fails_open(recipe):
    subprocess.run(['git', 'rm', '-q', '-f', SHIM], cwd=recipe, check=True)
    result = yelp_hook(recipe, leak(recipe))
    assert result.returncode == 0                        # the leak passes
    assert 'Unable to load plugins!' in result.stderr
    # Our hook, on the same repository and baseline, refuses.
    ours = cli(['detect-secrets-upstash-hook', '--baseline', '.secrets.baseline', 'new.env'], cwd=recipe)
    assert ours.returncode == 2 and 'upstash_plugin.py' in ours.stderr


def test_limit_plugin_flag_records_an_absolute_path_that_fails_open_elsewhere(tmp_path):
    first = git_repo(tmp_path / 'alice' / 'app')
    stage(first, SHIM, doc_block('from detect_secrets_upstash'))
    baseline = run(['detect-secrets', 'scan', '--plugin', SHIM], cwd=first)
    assert f'"file://{first / SHIM}"' in baseline.stdout
    stage(first, '.secrets.baseline', baseline.stdout)

    second = tmp_path / 'bob' / 'app'
    shutil.copytree(first, second)
    shutil.rmtree(first)                                 # Alice's path does not exist on Bob's machine
    result = yelp_hook(second, leak(second))
    assert result.returncode == 0
    assert 'No such file or directory' in result.stderr


def test_limit_yelp_audit_commands_crash_where_ours_work(recipe):
    leak(recipe, 'known.env')
    run(['detect-secrets', 'scan', '--baseline', '.secrets.baseline'], cwd=recipe)

    for args in (['audit', '--report', '.secrets.baseline'], ['audit', '--stats', '.secrets.baseline']):
        yelp = run(['detect-secrets', *args], cwd=recipe)
        assert yelp.returncode != 0 and 'Traceback' in yelp.stderr, args
        ours = cli(['detect-secrets-upstash', *args], cwd=recipe)
        assert ours.returncode == 0, (args, ours.stderr)
        assert 'Upstash Redis REST Token' in ours.stdout

    yelp_audit = run(['detect-secrets', 'audit', '.secrets.baseline'], cwd=recipe, input='s\n' * 5)
    assert yelp_audit.returncode != 0 and 'TypeError' in yelp_audit.stderr
    ours = cli(['detect-secrets-upstash', 'audit', '.secrets.baseline'], cwd=recipe, input='s\n' * 5)
    assert ours.returncode == 0, ours.stderr
    assert 'Kind:        redis_rest_token' in ours.stdout

    # --disable-plugin rewrites the baseline it is given: each tool gets its own copy.
    for tool, expected in (('detect-secrets', 'Invalid plugin classname: UpstashDetector'),
                           ('detect-secrets-upstash', None)):
        copy = f'{tool}.baseline'
        shutil.copy(recipe / '.secrets.baseline', recipe / copy)
        runner = run if tool == 'detect-secrets' else cli       # Yelp's own CLI: its real process
        result = runner([tool, 'scan', '--baseline', copy, '--disable-plugin', 'UpstashDetector'], cwd=recipe)
        if expected:
            assert result.returncode != 0 and expected in result.stderr
        else:
            assert result.returncode == 0, result.stderr
            assert 'Upstash' not in (recipe / copy).read_text()


def test_limit_plugin_package_missing_from_the_hook_environment_crashes(recipe, tmp_path):
    # Forgetting `additional_dependencies`: the shim's import fails. Simulated by an empty
    # package of that name first on the path; `-S` keeps site's .pth files (an editable
    # install's import hook) from bypassing it, so detect-secrets comes from PYTHONPATH too.
    shadow = tmp_path / 'shadow' / 'detect_secrets_upstash'
    shadow.mkdir(parents=True)
    (shadow / '__init__.py').write_text('')
    path = os.pathsep.join([str(shadow.parent), sysconfig.get_paths()['purelib']])
    result = run([sys.executable, '-S', str(BIN / 'detect-secrets-hook'), '--baseline', '.secrets.baseline',
                  leak(recipe)], cwd=recipe, env={'PYTHONPATH': path})
    assert result.returncode == 1
    assert 'Traceback' in result.stderr
    assert "ModuleNotFoundError: No module named 'detect_secrets_upstash.plugins'" in result.stderr


# --- real pre-commit, Yelp's hook definition ---

def yelp_config(hook_repo) -> str:
    # Yelp's .pre-commit-hooks.yaml runs `detect-secrets-hook` with language python, in an
    # environment of detect-secrets plus `additional_dependencies: [detect-secrets-upstash]`.
    # The suite cannot clone github.com; this repository's hook environment holds the same two
    # packages (detect-secrets is our dependency), so Yelp's entry and arguments run there on
    # our hook's id: the environment the other pre-commit tests use, built once per session
    # instead of a second pip install of both packages.
    return (
        'repos:\n'
        f'  - repo: {hook_repo.path}\n'
        f'    rev: {hook_repo.rev}  # pragma: allowlist secret\n'
        '    hooks:\n'
        '      - id: detect-secrets-upstash\n'
        '        name: Detect secrets\n'
        '        entry: detect-secrets-hook\n'
        '        args: [--baseline, .secrets.baseline]\n'
    )


def test_real_pre_commit_with_yelp_hook_blocks_upstash_leak(tmp_path, hook_repo, pre_commit_env):
    repo = setup_recipe(tmp_path / 'app')
    project_with_config(repo, yelp_config(hook_repo), pre_commit_env)

    clean = commit(repo, pre_commit_env, SHIM, 'README.md', '.secrets.baseline', message='set up')
    assert clean.returncode == 0, clean.stdout + clean.stderr

    blocked = commit(repo, pre_commit_env, leak(repo), message='leak')
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert 'Secret Type: Upstash Redis REST Token' in output
    assert 'Kind:' not in output            # Yelp's hook ran, not ours (ours adds Kind: lines)
