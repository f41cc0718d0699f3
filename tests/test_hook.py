"""`detect-secrets-upstash-hook`, run as pre-commit runs it: on file names, in a git repository.

The real console script where the process matters (the token kept out of its output: the
first test; a broken install on PYTHONPATH; a file unreadable to the process); the entry point called
in-process (tests.in_process) where a test checks what the hook decides and says.

It must block new Upstash credentials naming their kind, let baselined ones pass, and fail
CLOSED (exit 2, one clear line) whenever our plugin cannot scan -- where Yelp's
`detect-secrets-hook` logs an error and lets the commit through.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from detect_secrets_upstash import tokens
from tests.helpers import git_repo
from tests.helpers import run
from tests.in_process import cli

HOOK = 'detect-secrets-upstash-hook'
REFUSED = 2


def write_staged(repo: Path, name: str, text: str) -> str:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    subprocess.run(['git', 'add', name], cwd=repo, check=True)
    return name


@pytest.fixture
def repo(tmp_path):
    return git_repo(tmp_path / 'repo')


def make_baseline(repo: Path, edit=None, name: str = '.secrets.baseline') -> str:
    """A baseline of the repository's tracked files, optionally edited, staged."""
    result = cli(['detect-secrets-upstash', 'scan'], cwd=repo)
    assert result.returncode == 0, result.stderr
    baseline = json.loads(result.stdout)
    if edit:
        edit(baseline)
    (repo / name).write_text(json.dumps(baseline, indent=2))
    subprocess.run(['git', 'add', name], cwd=repo, check=True)
    return name


def test_blocks_a_new_credential_and_names_upstash_kind_scope_and_host(repo):
    token = tokens.generate_redis_token(24817)
    name = write_staged(repo, '.env.local', 'UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\n'
                                            f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    result = run([HOOK, name], cwd=repo)
    assert result.returncode == 1
    assert 'Secret Type: Upstash Redis REST Token' in result.stdout
    assert 'Location:    .env.local:2' in result.stdout
    assert 'Kind:        redis_rest_token (Upstash Redis, read-write' in result.stdout
    assert 'Database:    24817' in result.stdout
    assert 'Host:        fond-heron-24817.upstash.io' in result.stdout
    assert token not in result.stdout + result.stderr


def test_read_only_token_is_named_read_only(repo):
    name = write_staged(repo, 'ci.yml', f'env:\n  KV_TOKEN: "{tokens.generate_redis_token(9, read_only=True)}"\n')
    result = cli([HOOK, name], cwd=repo)
    assert result.returncode == 1
    assert 'Secret Type: Upstash Redis Read-Only Token' in result.stdout
    assert '(Upstash Redis, read-only)' in result.stdout


def test_clean_files_and_placeholders_pass(repo):
    name = write_staged(repo, '.env.example', 'UPSTASH_REDIS_REST_URL=https://<host>.upstash.io\n'
                                              'UPSTASH_REDIS_REST_TOKEN="<your-token>"\n')
    result = cli([HOOK, name], cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_json_output_carries_the_kind(repo):
    name = write_staged(repo, 'worker.py', f'QSTASH = "{tokens.generate_qstash_token()}"\n')
    result = cli([HOOK, '--json', name], cwd=repo)
    assert result.returncode == 1
    types = [s['type'] for s in json.loads(result.stdout)['results'][name]]
    assert 'Upstash QStash Token' in types


def test_baseline_lets_known_findings_pass_and_blocks_new_ones(repo):
    known = write_staged(repo, 'app.env', f'VECTOR_TOKEN={tokens.generate_vector_token("calm-finch-70022-eu1")}\n')
    baseline = make_baseline(repo)
    assert cli([HOOK, '--baseline', baseline, known], cwd=repo).returncode == 0

    new = write_staged(repo, 'more.env', f'SIGNING={tokens.generate_signing_key()}\n')
    result = cli([HOOK, '--baseline', baseline, known, new], cwd=repo)
    assert result.returncode == 1
    assert 'Secret Type: Upstash QStash Signing Key' in result.stdout
    assert 'app.env' not in result.stdout


# --- failing closed ---

def leak(repo: Path) -> str:
    return write_staged(repo, 'leak.env', f'TOKEN={tokens.generate_redis_token(77)}\n')


def plugin_path_from_another_machine(baseline: dict) -> None:
    # What a baseline made with `detect-secrets scan --plugin upstash_plugin.py` looks like
    # on a machine where that absolute path does not exist.
    for plugin in baseline['plugins_used']:
        if plugin['name'] == 'UpstashDetector':
            plugin['path'] = 'file:///home/alice/src/app/upstash_plugin.py'


def test_missing_plugin_file_in_baseline_fails_closed_where_upstream_passes(repo):
    baseline = make_baseline(repo, plugin_path_from_another_machine)
    name = leak(repo)

    upstream = run(['detect-secrets-hook', '--baseline', baseline, name], cwd=repo)
    assert upstream.returncode == 0            # Yelp's hook: logs an error, lets the leak through
    assert 'Unable to load plugins' in upstream.stderr

    ours = cli([HOOK, '--baseline', baseline, name], cwd=repo)
    assert ours.returncode == REFUSED
    assert 'cannot be initialised' in ours.stderr
    assert '/home/alice/src/app/upstash_plugin.py' in ours.stderr
    assert 'refusing to pass the commit' in ours.stderr
    assert 'Traceback' not in ours.stderr


# Counts the builds of detect-secrets' secret-type mapping (its plugin package walk) in a
# run of the hook: our registration check must not cost upstream a second build.
COUNT_MAPPING_BUILDS = '''
import sys
import detect_secrets.core.plugins.util as util
builds = []
walk = util.import_types_from_package
def counted(*args, **kwargs):
    builds.append(1)
    return walk(*args, **kwargs)
util.import_types_from_package = counted
from detect_secrets_upstash import cli
status = cli.hook_main(sys.argv[1:])
print('status', status, 'builds', len(builds))
'''

ACME_PLUGIN = '''
import re
from detect_secrets.plugins.base import RegexBasedDetector


class AcmeKeyDetector(RegexBasedDetector):
    secret_type = 'Acme Key'
    denylist = (re.compile(r'acme_key_[a-z0-9]{12}'),)
'''


def test_the_hook_builds_the_plugin_mapping_once_and_again_for_a_baseline_plugin_file(repo):
    clean = write_staged(repo, 'clean.py', 'print("hello")\n')
    once = run([sys.executable, '-c', COUNT_MAPPING_BUILDS, clean], cwd=repo)
    assert once.stdout.split() == ['status', '0', 'builds', '1'], once.stdout + once.stderr

    # A baseline naming a `file://` plugin: the mapping built before the baseline was read
    # lacks it, so it is built again, and the baseline's plugin scans.
    (repo / 'acme_plugin.py').write_text(ACME_PLUGIN)

    def with_acme_plugin(baseline):
        baseline['plugins_used'].append({'name': 'AcmeKeyDetector',
                                         'path': f'file://{repo / "acme_plugin.py"}'})
    baseline = make_baseline(repo, with_acme_plugin)
    leak_name = write_staged(repo, 'acme.env', 'ACME=acme_key_0123456789ab\n')
    again = run([sys.executable, '-c', COUNT_MAPPING_BUILDS, '--baseline', baseline, leak_name], cwd=repo)
    assert again.stdout.splitlines()[-1].split() == ['status', '1', 'builds', '2'], again.stdout + again.stderr
    assert 'Secret Type: Acme Key' in again.stdout


def test_baseline_without_our_plugin_fails_closed_with_the_fix(repo):
    def plain_detect_secrets(baseline):
        baseline['plugins_used'] = [p for p in baseline['plugins_used'] if p['name'] != 'UpstashDetector']
    baseline = make_baseline(repo, plain_detect_secrets)
    result = cli([HOOK, '--baseline', baseline, leak(repo)], cwd=repo)
    assert result.returncode == REFUSED
    assert 'does not enable UpstashDetector' in result.stderr
    assert '--force-use-all-plugins' in result.stderr

    # The suggested fix works: afterwards the hook scans (and blocks the leak).
    fix = cli(['detect-secrets-upstash', 'scan', '--baseline', baseline, '--force-use-all-plugins'], cwd=repo)
    assert fix.returncode == 0, fix.stderr
    subprocess.run(['git', 'add', baseline], cwd=repo, check=True)
    extra = write_staged(repo, 'second.env', f'T={tokens.generate_redis_token(78)}\n')
    again = cli([HOOK, '--baseline', baseline, extra], cwd=repo)
    assert again.returncode == 1
    assert 'Upstash Redis REST Token' in again.stdout


def test_explicitly_disabled_plugin_is_respected(repo):
    result = cli([HOOK, '--disable-plugin', 'UpstashDetector', leak(repo)], cwd=repo)
    assert 'Upstash' not in result.stdout
    assert result.returncode in (0, 1)         # other plugins may still flag the line
    assert 'refusing' not in result.stderr


def test_plugin_options_it_cannot_take_fail_closed(repo):
    def bad_option(baseline):
        for plugin in baseline['plugins_used']:
            if plugin['name'] == 'UpstashDetector':
                plugin['colour'] = 'blue'
    baseline = make_baseline(repo, bad_option)
    result = cli([HOOK, '--baseline', baseline, leak(repo)], cwd=repo)
    assert result.returncode == REFUSED
    assert 'UpstashDetector' in result.stderr and 'cannot be initialised' in result.stderr


def test_broken_detect_secrets_install_fails_closed(repo, tmp_path):
    # A detect-secrets without the modules our plugin needs (an incompatible or broken
    # install) shadows the real one on PYTHONPATH.
    shadow = tmp_path / 'shadow' / 'detect_secrets'
    shadow.mkdir(parents=True)
    (shadow / '__init__.py').write_text('')
    result = run([HOOK, leak(repo)], cwd=repo, env={'PYTHONPATH': str(shadow.parent)})
    assert result.returncode == REFUSED
    assert 'the Upstash plugins could not be loaded' in result.stderr
    assert "No module named 'detect_secrets." in result.stderr
    assert 'Traceback' not in result.stderr


def test_cli_reports_a_broken_install_without_a_traceback(repo, tmp_path):
    shadow = tmp_path / 'shadow' / 'detect_secrets'
    shadow.mkdir(parents=True)
    (shadow / '__init__.py').write_text('')
    result = run(['detect-secrets-upstash', 'scan'], cwd=repo, env={'PYTHONPATH': str(shadow.parent)})
    assert result.returncode != 0
    assert 'detect-secrets-upstash: error: the Upstash plugins could not be loaded' in result.stderr
    assert 'Traceback' not in result.stderr


def _unreadable_as_this_user(path: Path):
    """The command prefix under which `path` (mode 000) cannot be read, or None.

    As root, mode 000 does not stop a read: drop the capabilities that let root ignore
    file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) with util-linux's setpriv.
    """
    path.chmod(0)
    for prefix in ([], ['setpriv', '--bounding-set=-dac_override,-dac_read_search',
                        '--inh-caps=-dac_override,-dac_read_search']):
        try:
            probe = subprocess.run([*prefix, 'cat', str(path)], capture_output=True)
        except FileNotFoundError:
            continue
        if probe.returncode != 0 and b'Permission denied' in probe.stderr:
            return prefix
    return None


def test_unreadable_file_fails_the_hook_and_is_named_by_scan(repo):
    token = tokens.generate_redis_token()
    name = write_staged(repo, 'locked.env', f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    clean = write_staged(repo, 'clean.txt', 'nothing here\n')
    prefix = _unreadable_as_this_user(repo / name)
    if prefix is None:
        pytest.skip('cannot make a file unreadable for this user (no setpriv, or it may not drop capabilities)')

    result = run([*prefix, str(Path(sys.executable).parent / HOOK), clean, name], cwd=repo)
    assert result.returncode == REFUSED
    assert 'locked.env: cannot be read (Permission denied); not scanned' in result.stderr
    assert f'{HOOK}: error: could not read locked.env; refusing to pass the commit unchecked' in result.stderr
    assert 'Traceback' not in result.stderr

    # scan: a warning naming the file (upstream says so only with -v)
    scan = run([*prefix, str(Path(sys.executable).parent / 'detect-secrets-upstash'), 'scan', '--all-files'],
               cwd=repo)
    assert scan.returncode == 0, scan.stderr
    assert 'locked.env: cannot be read (Permission denied); not scanned' in scan.stderr
    assert json.loads(scan.stdout)['results'] == {}

    # readable again: the same hook run blocks the token as usual
    (repo / name).chmod(0o644)
    again = run([HOOK, clean, name], cwd=repo)
    assert again.returncode == 1 and 'Upstash Redis REST Token' in again.stdout


def test_utf16_file_from_windows_tools_is_blocked_with_its_notes(repo):
    # PowerShell 5's `>` / Out-File write UTF-16 LE with a BOM.
    token = tokens.generate_redis_token(24817)
    text = f'UPSTASH_REDIS_REST_URL=https://fond-heron-24817.upstash.io\r\nUPSTASH_REDIS_REST_TOKEN={token}\r\n'
    (repo / 'settings.env').write_bytes(b'\xff\xfe' + text.encode('utf-16-le'))
    subprocess.run(['git', 'add', 'settings.env'], cwd=repo, check=True)
    result = cli([HOOK, 'settings.env'], cwd=repo)
    assert result.returncode == 1
    assert 'Location:    settings.env:2' in result.stdout
    assert 'Host:        fond-heron-24817.upstash.io' in result.stdout
    assert token not in result.stdout + result.stderr
