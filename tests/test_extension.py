"""A kind and a product added at run time flow through every part (docs/extending.md).

`tests/extension_example.py` holds one record per thing a newcomer writes: a `Product`, a
`Kind` with its generator, a verify probe, and a stand-in route. Our real commands run in
a fresh interpreter with them added to the catalogue; nothing else is changed.
"""
import base64
import json
import os
import sys

import pytest

from tests import extension_example
from detect_secrets_upstash.tokens import generate_management_api_key
from tests.helpers import REPO_ROOT
from tests.helpers import git_repo
from tests.helpers import run
from tests.test_evidence_layers import invented_redis_token
from tests.test_readme import README

DRIVER = '''
import sys
from tests import extension_example
extension_example.extend()
command, argv = sys.argv[1], sys.argv[2:]
if command == 'table':
    from detect_secrets_upstash import catalogue
    print(catalogue.markdown_table())
    sys.exit(0)
if command == 'blob-leads':
    import json
    from detect_secrets_upstash.history import blobs
    print(json.dumps({'knows_every_shape': blobs.KNOWS_EVERY_SHAPE,
                      'leads': [bool(blobs.leads(text.encode())) for text in argv]}))
    sys.exit(0)
if command == 'upstash-verify':
    from detect_secrets_upstash.verify.cli import main
else:
    from detect_secrets_upstash.cli import hook_main, main
    main = hook_main if command == 'detect-secrets-upstash-hook' else main
sys.exit(main(argv))
'''


def extended(command: str, *args: str, cwd, input=None):
    """Run one of our console scripts (by name) with the example added to the catalogue."""
    env = {'PYTHONPATH': os.pathsep.join([str(REPO_ROOT), os.environ.get('PYTHONPATH', '')])}
    return run([sys.executable, '-c', DRIVER, command, *args], cwd=cwd, env=env, input=input)


@pytest.fixture
def project(tmp_path, standin):
    standin.add_route(extension_example.PRODUCT.id, extension_example.PATH_PREFIX, extension_example.answer)
    key = extension_example.generate_example_key()
    standin.issue(extension_example.PRODUCT.id, key)
    repo = git_repo(tmp_path / 'app')
    (repo / '.env').write_text(f'UPSTASH_EXAMPLE_URL={standin.url}\nUPSTASH_EXAMPLE_KEY={key}\n')
    encoded = base64.b64encode(extension_example.generate_example_key().encode()).decode()
    (repo / 'secret.yaml').write_text(f'apiVersion: v1\nkind: Secret\ndata:\n  key: {encoded}\n')
    # A value of no known layout that only its name identifies (the context layer): the
    # product's `name_words` make it the product's kind.
    (repo / 'ctx.env').write_text(f'MYAPP_UPSTASH_EXAMPLE_TOKEN={invented_redis_token()}\n')
    # A UUID under a name of the product is not the account's Management API key: the
    # product's record says the name is another thing's.
    (repo / 'keys.env').write_text(f'UPSTASH_EXAMPLE_API_KEY={generate_management_api_key()}\n')
    return repo, key


def test_a_new_kind_and_product_flow_through_scan_audit_hook_and_verifier(project, standin):
    repo, key = project
    scan = extended('detect-secrets-upstash', 'scan', '--all-files', cwd=repo)
    assert scan.returncode == 0, scan.stderr
    baseline = json.loads(scan.stdout)
    types = {(name, entry['type']) for name, entries in baseline['results'].items() for entry in entries}
    # Found by structure, in a .env file and base64-wrapped in a Kubernetes Secret (the
    # encoded-value prefilter is derived from the catalogue's generators).
    assert ('.env', 'Upstash Example Key') in types
    assert ('secret.yaml', 'Upstash Example Key') in types
    assert ('ctx.env', 'Upstash Example Key') in types
    assert 'keys.env' not in baseline['results'], baseline['results'].get('keys.env')
    (repo / '.secrets.baseline').write_text(scan.stdout)

    report = extended('detect-secrets-upstash', 'audit', '--report', '.secrets.baseline', cwd=repo)
    assert report.returncode == 0, report.stderr
    notes = [entry['upstash'] for entry in json.loads(report.stdout)['results']
             if entry['filename'] == '.env']
    assert notes and notes[0]['kind'] == 'example_key' and notes[0]['product'] == 'example'

    # The report reads the product's record: its name, its console steps.
    readable = extended('detect-secrets-upstash', 'report', '--baseline', '.secrets.baseline', cwd=repo)
    assert readable.returncode == 1, readable.stderr
    assert 'identified: its bytes decode as an Upstash Example token' in readable.stdout
    assert 'console.upstash.com/example -> your key -> "Revoke"' in readable.stdout
    assert key not in readable.stdout + readable.stderr

    hook = extended('detect-secrets-upstash-hook', '.env', cwd=repo)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert 'Kind:        example_key (Upstash Example, read-write)' in hook.stdout
    assert key not in hook.stdout + hook.stderr

    verify = extended('upstash-verify', '--allow-host', '127.0.0.1', '--format', 'json', '.secrets.baseline',
                      cwd=repo)
    assert verify.returncode in (0, 1), verify.stderr
    results = {r['location'].split(':')[0]: r for r in json.loads(verify.stdout)}
    assert results['.env']['kind'] == 'example_key'
    assert results['.env']['status'] == 'live', results['.env']
    assert key not in verify.stdout + verify.stderr
    pings = [r for r in standin.requests if r.product == 'example']
    assert pings and all(r.path == '/example/ping' and r.authorized for r in pings)

    standin.revoke(key)
    again = extended('upstash-verify', '--allow-host', '127.0.0.1', '--format', 'json', '.secrets.baseline',
                     cwd=repo)
    assert {r['location'].split(':')[0]: r['status'] for r in json.loads(again.stdout)}['.env'] == 'revoked'


def test_a_new_products_url_option_comes_from_its_record(tmp_path, standin):
    # `url_override` in the record gives every verifying command `--example-url`.
    import subprocess
    standin.add_route(extension_example.PRODUCT.id, extension_example.PATH_PREFIX, extension_example.answer)
    key = extension_example.generate_example_key()
    standin.issue(extension_example.PRODUCT.id, key)
    repo = git_repo(tmp_path / 'app')
    (repo / 'app.env').write_text(f'UPSTASH_EXAMPLE_KEY={key}\n')        # no URL near it
    subprocess.run(['git', 'add', 'app.env'], cwd=repo, check=True)
    subprocess.run(['git', 'commit', '-qm', 'app'], cwd=repo, check=True)
    scan = extended('detect-secrets-upstash', 'scan', cwd=repo)
    assert scan.returncode == 0, scan.stderr
    (repo / '.secrets.baseline').write_text(scan.stdout)

    def verified(*args):
        done = extended('upstash-verify', '--allow-host', '127.0.0.1', '--format', 'json', *args,
                        '.secrets.baseline', cwd=repo)
        assert done.returncode in (0, 1), done.stderr
        assert key not in done.stdout + done.stderr
        return [(r['kind'], r['status'], r['detail']) for r in json.loads(done.stdout)]

    assert verified() == [('example_key', 'skipped', 'no Example URL near it')]
    [(kind, status, _)] = verified('--example-url', standin.url)
    assert (kind, status) == ('example_key', 'live')
    history = extended('detect-secrets-upstash', 'history', '--format', 'json', '--verify',
                       '--allow-host', '127.0.0.1', '--example-url', standin.url, cwd=repo)
    assert history.returncode == 1, history.stderr
    assert [c['verification']['status'] for c in json.loads(history.stdout)['credentials']] == ['live']
    shown = extended('upstash-verify', '--help', cwd=repo)
    assert 'ask this Example URL instead of the URL near the key' in ' '.join(shown.stdout.split())


def test_history_blob_prefilter_derives_a_new_kinds_guard_from_its_pattern(tmp_path):
    # history/blobs.py reads its guard literals off the catalogue's patterns (`xmpl_` here):
    # a blob holding only the new kind's key is a lead, and blobs without one are still
    # ruled out before any per-line work (not every blob sent to the scanner).
    key = extension_example.generate_example_key()
    source = 'def handler(request):\n    return {"status": 200, "items": [1, 2, 3]}\n' * 50
    probe = extended('blob-leads', f'k = "{key}"\n', source, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == {'knows_every_shape': True, 'leads': [True, False]}


def test_a_new_kind_of_a_new_shape_is_found_in_git_history(project):
    import subprocess
    repo, _ = project
    key = extension_example.generate_example_key()
    (repo / 'app.py').write_text(f'k = "{key}"\n')        # no Upstash word or host beside it
    subprocess.run(['git', 'add', 'app.py'], cwd=repo, check=True)
    subprocess.run(['git', 'commit', '-qm', 'app'], cwd=repo, check=True)
    history = extended('detect-secrets-upstash', 'history', '--format', 'json', cwd=repo)
    assert history.returncode == 1, history.stderr
    found = [(c['kind'], c['introduced']['path']) for c in json.loads(history.stdout)['credentials']]
    assert found == [('example_key', 'app.py')]
    assert key not in history.stdout + history.stderr


def test_a_new_kind_is_missing_from_the_readme_table_until_it_is_regenerated(tmp_path):
    table = extended('table', cwd=tmp_path)
    assert table.returncode == 0, table.stderr
    row = next(line for line in table.stdout.splitlines() if 'Upstash Example Key' in line)
    assert row.startswith('| Upstash Example Key | Example | read-write |')   # the display name
    # tests/test_readme.py compares the README's table with this one: it would now fail.
    assert row not in README
