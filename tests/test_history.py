"""`detect-secrets-upstash history` on real git repositories: every planted credential is
found with the commit that introduced it, ranges keep to their commits, the JSON follows
its schema, and errors are one line with exit status 2."""
import base64
import hashlib
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from detect_secrets_upstash import tokens
from tests.helpers import BIN
from tests.helpers import REPO_ROOT
from tests.helpers import run
from tests.history_helpers import by_hash
from tests.history_helpers import commit
from tests.history_helpers import git
from tests.history_helpers import history
from tests.history_helpers import new_repo
from tests.in_process import cli

SCHEMA = json.loads((REPO_ROOT / 'detect_secrets_upstash' / 'history' / 'history.schema.json').read_text())


def sha1(value: str) -> str:
    return hashlib.sha1(value.encode()).hexdigest()


def env_file(token: str, database_id: int = 10123) -> str:
    return (f'UPSTASH_REDIS_REST_URL=https://{tokens.generate_host_name(database_id)}.upstash.io\n'
            f'UPSTASH_REDIS_REST_TOKEN={token}\n')


def scan(repo: Path, *args: str):
    status, document, stderr = history(repo, *args)
    assert status in (0, 1), stderr
    jsonschema.validate(document, SCHEMA)
    assert 'Traceback' not in stderr
    return status, document


def test_added_then_deleted_is_found_with_its_commit(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'README.md': '# app\n'}, 'start')
    token = tokens.generate_redis_token(10123)
    added = commit(repo, {'config/.env': env_file(token)}, 'add config')
    removed = commit(repo, {'config/.env': None}, 'remove config')
    commit(repo, {'README.md': '# app\nmore\n'}, 'later')

    status, document = scan(repo)
    assert status == 1
    found = by_hash(document)[sha1(token)]
    assert found['kind'] == 'redis_rest_token' and found['scope'] == 'read-write'
    assert found['introduced']['commit'] == added
    assert found['introduced']['path'] == 'config/.env' and found['introduced']['line'] == 2
    assert [(o['commit'], o['change']) for o in found['occurrences']] == [(added, 'added'), (removed, 'removed')]
    assert found['present_at_head'] is False
    assert token not in json.dumps(document)            # redacted everywhere
    assert found['redacted'] == token[:4] + '…' + token[-4:]


def test_clean_history_exits_0(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'a.py': 'print("hello")\n', 'b.env': 'UPSTASH_REDIS_REST_TOKEN=<your-token>\n'})
    commit(repo, {'lock.json': json.dumps({'integrity': 'sha512-' + base64.b64encode(b'x' * 64).decode()})})
    status, document = scan(repo)
    assert status == 0 and document['credentials'] == []
    assert document['scanned']['commits'] == 2 and document['scanned']['blobs'] == 3


def test_only_on_a_side_branch(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'README.md': 'x\n'})
    git(repo, 'checkout', '-q', '-b', 'feature/cache')
    token = tokens.generate_qstash_token()
    side = commit(repo, {'src/queue.ts': f'const qstash = new Client({{ token: "{token}" }});\n'}, 'queue')
    git(repo, 'checkout', '-q', 'main')
    commit(repo, {'README.md': 'y\n'})

    status, document = scan(repo)
    found = by_hash(document)[sha1(token)]
    assert status == 1 and found['kind'] == 'qstash_token'
    assert found['introduced']['commit'] == side and found['introduced']['path'] == 'src/queue.ts'
    assert found['present_at_head'] is False            # main's HEAD does not have it

    # main alone does not reach it
    status, document = scan(repo, 'main')
    assert status == 0


def test_introduced_by_a_merge(tmp_path):
    """A token written while resolving a merge conflict is in no parent: the merge introduced it."""
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'app.env': 'A=1\n'})
    git(repo, 'checkout', '-q', '-b', 'side')
    commit(repo, {'app.env': 'A=2\n'})
    git(repo, 'checkout', '-q', 'main')
    commit(repo, {'app.env': 'A=3\n'})
    done = subprocess.run(['git', 'merge', '-q', 'side'], cwd=repo, capture_output=True)
    assert done.returncode != 0                          # the conflict
    token = tokens.generate_redis_token(4242)
    (repo / 'app.env').write_text(env_file(token, 4242))
    git(repo, 'add', 'app.env')
    git(repo, 'commit', '-q', '--no-edit')
    merge = git(repo, 'rev-parse', 'HEAD')

    status, document = scan(repo)
    found = by_hash(document)[sha1(token)]
    assert found['introduced']['commit'] == merge
    assert found['present_at_head'] is True and found['head_paths'] == ['app.env']


def test_brought_in_by_a_merge_is_introduced_by_the_side_commit(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'README.md': 'x\n'})
    git(repo, 'checkout', '-q', '-b', 'side')
    token = tokens.generate_vector_token(tokens.generate_endpoint())
    side = commit(repo, {'vector.env': f'UPSTASH_VECTOR_REST_TOKEN={token}\n'})
    git(repo, 'checkout', '-q', 'main')
    commit(repo, {'other': 'o\n'})
    git(repo, 'merge', '-q', '--no-ff', '-m', 'merge side', 'side')
    merge = git(repo, 'rev-parse', 'HEAD')

    _, document = scan(repo)
    found = by_hash(document)[sha1(token)]
    assert found['kind'] == 'vector_token'
    assert found['introduced']['commit'] == side
    # the merge brought it into main: listed as a further sighting, not as the first
    assert merge in [o['commit'] for o in found['occurrences']]


def test_renamed_file(tmp_path):
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(777, read_only=True)
    first = commit(repo, {'old/settings.env': env_file(token, 777)})
    (repo / 'new').mkdir()
    git(repo, 'mv', 'old/settings.env', 'new/settings.env')
    moved = commit(repo, {}, 'move')

    _, document = scan(repo)
    found = by_hash(document)[sha1(token)]
    assert found['kind'] == 'redis_read_only_token' and found['scope'] == 'read-only'
    assert found['introduced']['commit'] == first and found['introduced']['path'] == 'old/settings.env'
    assert ('new/settings.env', moved, 'added') in [(o['path'], o['commit'], o['change'])
                                                    for o in found['occurrences']]
    assert found['paths'] == ['new/settings.env', 'old/settings.env']
    assert found['head_paths'] == ['new/settings.env']
    assert len(found['blobs']) == 1                      # one blob, read once


def test_inside_a_notebook(tmp_path):
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(31337)
    host = tokens.generate_host_name(31337)
    notebook = {'cells': [{'cell_type': 'code', 'source': [
        'import os\n', f'os.environ["UPSTASH_REDIS_REST_URL"] = "https://{host}.upstash.io"\n',
        f'os.environ["UPSTASH_REDIS_REST_TOKEN"] = "{token}"\n']}], 'nbformat': 4, 'nbformat_minor': 5,
        'metadata': {}}
    sha = commit(repo, {'analysis.ipynb': json.dumps(notebook, indent=1)})
    commit(repo, {'analysis.ipynb': None})
    _, document = scan(repo)
    found = by_hash(document)[sha1(token)]
    assert found['introduced']['commit'] == sha and found['introduced']['path'] == 'analysis.ipynb'


def test_base64_in_a_kubernetes_secret(tmp_path):
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(5150)
    wrapped = base64.b64encode(token.encode()).decode()
    manifest = ('apiVersion: v1\nkind: Secret\nmetadata:\n  name: cache\ntype: Opaque\ndata:\n'
                f'  UPSTASH_REDIS_REST_TOKEN: {wrapped}\n')
    sha = commit(repo, {'k8s/secret.yaml': manifest, 'notes/secret.txt': manifest})
    _, document = scan(repo)
    found = by_hash(document)[sha1(wrapped)]                # hashed as written, as in a baseline
    assert found['kind'] == 'redis_rest_token' and found['kubernetes_encoded'] is True
    assert found['introduced'] == {**found['introduced'], 'commit': sha, 'path': 'k8s/secret.yaml', 'line': 7}
    # the same bytes in a .txt file are not a manifest: the plugin would not report them there
    assert found['paths'] == ['k8s/secret.yaml'] and found['head_paths'] == ['k8s/secret.yaml']


def test_range_keeps_to_its_commits(tmp_path):
    repo = new_repo(tmp_path / 'r')
    old = tokens.generate_redis_token(1001)
    commit(repo, {'old.env': env_file(old, 1001)}, 'old token, before the range')
    base = git(repo, 'rev-parse', 'HEAD')
    inside = tokens.generate_qstash_token()
    added = commit(repo, {'push.env': f'QSTASH_TOKEN={inside}\n'}, 'add')
    commit(repo, {'push.env': None}, 'remove again')
    commit(repo, {'old.env': env_file(old, 1001) + 'OTHER=1\n'}, 'touch the old file')

    status, document = scan(repo, f'{base}..HEAD')
    found = by_hash(document)
    assert status == 1
    # added and removed inside the range: still found; the old token lies outside it
    assert found[sha1(inside)]['introduced']['commit'] == added
    # the old token was there before the range; a commit in it only touched its file
    assert sha1(old) not in found
    assert any('before the range' in note for note in document['notes'])
    assert document['scanned']['commits'] == 3

    status, document = scan(repo, base)
    assert [c['hashed_secret'] for c in document['credentials']] == [sha1(old)]


def test_every_ref_tags_orphans_and_stash_when_asked(tmp_path):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'README.md': 'x\n'})
    # a tag on a commit no branch holds
    git(repo, 'checkout', '-q', '--detach')
    tagged = tokens.generate_signing_key()
    tag_commit = commit(repo, {'keys.env': f'QSTASH_CURRENT_SIGNING_KEY={tagged}\n'})
    git(repo, 'tag', 'v-old')
    # an orphan branch
    git(repo, 'checkout', '-q', '--orphan', 'gh-pages')
    git(repo, 'rm', '-rq', '--cached', '.')
    orphan = tokens.generate_redis_token(2024)
    orphan_commit = commit(repo, {'site/config.js': f'const token = "{orphan}";\n'})
    git(repo, 'checkout', '-q', '-f', 'main')
    # a stash
    stashed = tokens.generate_redis_token(3033)
    (repo / 'wip.env').write_text(env_file(stashed, 3033))
    git(repo, 'add', 'wip.env')
    git(repo, 'stash', '-q')

    _, document = scan(repo)
    found = by_hash(document)
    assert found[sha1(tagged)]['introduced']['commit'] == tag_commit
    assert found[sha1(orphan)]['introduced']['commit'] == orphan_commit
    assert sha1(stashed) not in found                      # the stash only when asked

    _, document = scan(repo, '--include-stash')
    assert sha1(stashed) in by_hash(document)


def test_odd_and_non_utf8_file_names(tmp_path):
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(9)
    name = 'dir with space/new\nline "quoted" caf\xe9.env'
    target = repo / 'dir with space'
    target.mkdir()
    raw = b'dir with space/odd \xff name.env'
    (repo / 'dir with space' / 'new\nline "quoted" café.env').write_text(env_file(token, 9))
    latin = tokens.generate_redis_token(10)
    with open(os.path.join(os.fsencode(str(repo)), raw), 'wb') as handle:
        handle.write(env_file(latin, 10).encode())
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'odd names')
    sha = git(repo, 'rev-parse', 'HEAD')
    _, document = scan(repo)
    found = by_hash(document)
    assert found[sha1(token)]['introduced']['path'] == name.replace('\xe9', 'é')
    assert found[sha1(latin)]['introduced']['path'] == 'dir with space/odd \\xff name.env'
    assert {found[sha1(t)]['introduced']['commit'] for t in (token, latin)} == {sha}


def test_binary_and_utf16_blobs(tmp_path):
    repo = new_repo(tmp_path / 'r')
    in_binary = tokens.generate_redis_token(77)
    in_utf16 = tokens.generate_qstash_token()
    commit(repo, {
        'build/app.pyc': b'\x00\x01\x02' * 100 + f'TOKEN="{in_binary}"'.encode() + b'\x00' * 50,
        'win/settings.env': f'\ufeffQSTASH_TOKEN={in_utf16}\r\n'.encode('utf-16-le'),
    })
    _, document = scan(repo)
    found = by_hash(document)
    assert set(found) == {sha1(in_binary), sha1(in_utf16)}
    assert document['scanned']['binary_blobs'] == 1
    assert any('binary' in note for note in document['notes'])


def test_skipped_blobs_are_named(tmp_path):
    repo = new_repo(tmp_path / 'r')
    big_token = tokens.generate_redis_token(55)
    lfs = ('version https://git-lfs.github.com/spec/v1\noid sha256:' + '4d' * 32 + '\nsize 123456\n')
    commit(repo, {
        'dump.sql': 'x' * 5000 + f'\nTOKEN={big_token}\n',
        'model.bin': lfs,
        '.gitmodules': '[submodule "vendor/lib"]\n\tpath = vendor/lib\n\turl = https://example.invalid/lib.git\n',
    })
    sub = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'update-index', '--add', '--cacheinfo', f'160000,{sub},vendor/lib')
    commit(repo, {}, 'add a gitlink')

    status, document, stderr = history(repo, '--max-blob-size', '4K')
    assert status == 0, stderr                           # the only token sits in the oversized blob
    skipped = document['skipped']
    assert skipped['oversized'] == 1 and skipped['oversized_examples'][0]['path'] == 'dump.sql'
    assert skipped['lfs_pointers'] == 1 and skipped['lfs_pointer_examples'] == ['model.bin']
    assert skipped['submodules'] == ['vendor/lib']
    notes = ' '.join(document['notes'])
    assert 'size cap' in notes and 'LFS' in notes and 'submodule' in notes
    assert 'size cap' in stderr                          # said on stderr too, for CI logs

    status, document = scan(repo)                        # default cap: the dump is scanned
    assert status == 1 and sha1(big_token) in by_hash(document)

    text = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), '--max-blob-size', '4K'])
    assert 'note: 1 blob(s) over the size cap' in text.stdout and 'Git LFS' in text.stdout


def test_shallow_clone_says_history_is_partial(tmp_path):
    origin = new_repo(tmp_path / 'origin')
    early = tokens.generate_redis_token(12)
    commit(origin, {'a.env': env_file(early, 12)})
    commit(origin, {'a.env': None})
    commit(origin, {'b.txt': 'b\n'})
    clone = tmp_path / 'clone'
    subprocess.run(['git', 'clone', '-q', '--depth', '1', f'file://{origin}', str(clone)], check=True)
    status, document = scan(clone)
    assert status == 0 and document['partial_history'] is True
    assert any('shallow' in note and 'partial' in note for note in document['notes'])


@pytest.mark.parametrize('args, message', [
    (['--repo', '/nonexistent/dir'], 'no such directory'),
    (['no-such-branch'], "unknown revision 'no-such-branch'"),
    (['main..no-such'], "unknown revision 'no-such'"),
    (['--exec=true'], 'unrecognized arguments'),
    (['--', '--output=written-by-git'], 'is not a revision'),
])
def test_errors_are_one_line_exit_2(tmp_path, args, message):
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'a': 'a\n'})
    done = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), *args])
    assert done.returncode == 2
    assert message in done.stderr and 'Traceback' not in done.stderr
    assert not (repo / 'written-by-git').exists()


def test_not_a_repository(tmp_path):
    done = run(['detect-secrets-upstash', 'history', '--repo', str(tmp_path)])
    assert done.returncode == 2 and 'not a git repository' in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_empty_repository_is_clean(tmp_path):
    repo = new_repo(tmp_path / 'r')
    status, document = scan(repo)
    assert status == 0 and document['head'] is None and document['scanned']['blobs'] == 0


def test_text_report_and_output_file(tmp_path):
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(10123)
    sha = commit(repo, {'.env': env_file(token)})
    done = run(['detect-secrets-upstash', 'history', '--repo', str(repo)])
    assert done.returncode == 1
    assert f'introduced  {sha[:12]}' in done.stdout and '.env:2' in done.stdout
    assert 'at HEAD     yes: .env' in done.stdout and token not in done.stdout
    out = tmp_path / 'report.json'
    done = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), '--format', 'json', '-o', str(out)])
    assert done.returncode == 1 and done.stdout == ''
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)


def test_hashed_secret_links_to_the_baseline(tmp_path):
    """The same credential in the working tree: `scan` and `history` give the same hash and type."""
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(8080)
    commit(repo, {'.env': env_file(token, 8080)})
    baseline = cli(['detect-secrets-upstash', 'scan', '--all-files', '.'], cwd=repo)
    entries = [e for e in json.loads(baseline.stdout)['results']['.env'] if e['type'].startswith('Upstash')]
    _, document = scan(repo)
    assert [(e['type'], e['hashed_secret'], e['line_number']) for e in entries] == [
        (c['secret_type'], c['hashed_secret'], c['introduced']['line']) for c in document['credentials']]


def test_verify_reports_live_and_revoked(tmp_path, standin):
    database, revoked = standin.new_database(), standin.new_database()
    standin.revoke(revoked.token)
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'.env': f'UPSTASH_REDIS_REST_URL={standin.url}\nUPSTASH_REDIS_REST_TOKEN={database.token}\n'
                          f'OLD_TOKEN={revoked.token}\n'})
    commit(repo, {'.env': None})

    status, document = scan(repo)                          # no --verify: nothing is sent
    assert status == 1 and standin.requests == []
    assert {c['verification'] for c in document['credentials']} == {None}

    status, document = scan(repo, '--verify', '--allow-host', '127.0.0.1')
    statuses = {c['hashed_secret']: c['verification']['status'] for c in document['credentials']}
    assert statuses == {sha1(database.token): 'live', sha1(revoked.token): 'revoked'}
    assert all(r.method in ('GET', 'POST') for r in standin.requests)
    assert database.token not in json.dumps(document)

    # without --allow-host the loopback stand-in is not an Upstash host: never sent
    standin.clear_requests()
    _, document = scan(repo, '--verify')
    assert {c['verification']['status'] for c in document['credentials']} == {'skipped'}
    assert standin.requests == []


def test_sarif_points_at_the_introducing_commit(tmp_path):
    from tests.sarif_validation import assert_github_ready
    repo = new_repo(tmp_path / 'r')
    token = tokens.generate_redis_token(10123)
    sha = commit(repo, {'deploy/app.env': env_file(token)})
    commit(repo, {'deploy/app.env': None})
    done = cli(['detect-secrets-upstash', 'history', '--repo', str(repo), '--format', 'sarif'])
    assert done.returncode == 1
    log = json.loads(done.stdout)
    (result,) = log['runs'][0]['results']
    location = result['locations'][0]['physicalLocation']
    assert location['artifactLocation']['uri'] == 'deploy/app.env' and location['region']['startLine'] == 2
    assert result['properties']['commit'] == sha and sha in result['message']['text']
    assert result['partialFingerprints']['upstashSecretHash/v1'].endswith(sha1(token))
    assert token not in done.stdout
    assert_github_ready(log, tmp_path)


def test_progress_only_on_a_terminal(tmp_path):
    import pty
    repo = new_repo(tmp_path / 'r')
    commit(repo, {'a.py': 'x = 1\n'})
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([str(BIN / 'detect-secrets-upstash'), 'history',
                               '--repo', str(repo)], stdout=subprocess.PIPE, stderr=follower, timeout=120)
        os.close(follower)
        follower = None
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    assert b'history: 1 blobs' in b''.join(chunks)
    assert b'history:' not in done.stdout
    piped = run(['detect-secrets-upstash', 'history', '--repo', str(repo)])
    assert piped.stderr == ''                              # not a terminal: no progress
