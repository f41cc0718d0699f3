"""detect-secrets' own filters, file transformers and file handling must not hide an Upstash
credential (see detect_secrets_upstash/plugins/guards.py). Each case runs the real
`detect-secrets-upstash scan` on temporary files and checks the exact line."""
import base64
import codecs
import hashlib
import json
import os
import subprocess

import pytest

from detect_secrets_upstash import tokens

from .detection_helpers import Expected
from .detection_helpers import fill
from .detection_helpers import generate
from .detection_helpers import scan_in_process as scan
from .detection_helpers import upstash_findings
from .detection_helpers import write_corpus
from .helpers import run
from .in_process import cli

# (upstream behaviour that would hide the credential, file name, template)
CASES = [
    ('is_indirect_reference: constructor call', 'a.py',
     'redis = Redis(url="https://brave-otter-10123.upstash.io", token="@@redis_rest_token@@")\n'),
    ('is_indirect_reference: getenv default', 'b.py',
     'token = os.getenv("UPSTASH_REDIS_REST_TOKEN", "@@redis_read_only_token@@")\n'),
    ('is_indirect_reference: subscript', 'c.py',
     'os.environ["QSTASH_TOKEN"] = config["x"] or "@@qstash_token@@"\n'),
    ('is_indirect_reference: comparison with a call', 'd.js',
     'if (key === verify("@@qstash_signing_key@@")) { ok() }\n'),
    ('is_likely_id_string: id-named variable', 'e.py',
     'database_id = "@@redis_rest_token@@"\nuser_id: "@@vector_token@@"\n'),
    ('is_templated_secret / dollar sign: shell default', 'f.sh',
     'TOKEN="${UPSTASH_REDIS_REST_TOKEN:-@@redis_rest_token@@}"\n'),
    ('yaml transformer: list items and a plain list', 'g.yaml',
     'name: app\nenv:\n  - UPSTASH_REDIS_REST_TOKEN=@@redis_rest_token@@\n  - OTHER=1\n'
     'keys:\n  - @@qstash_signing_key@@\n'),
    ('yaml transformer: block scalar moved to its key line', 'h.yml',
     'name: app\nscript: |\n  echo start\n  export T=@@redis_rest_token@@\n  echo done\n'),
    ('yaml transformer: multi-line flow sequence', 'i.yaml',
     'name: app\ntokens: [\n  @@redis_rest_token@@,\n  "@@vector_read_only_token@@"\n]\n'),
    ('ini transformer: continuation lines', 'j.cfg',
     '[upstash]\nurl = https://brave-otter-10123.upstash.io\ntokens =\n  @@redis_rest_token@@\n'
     '  @@redis_read_only_token@@\n'),
    ('is_lock_file', 'package-lock.json',
     '{\n  "name": "x",\n  "packages": {"": {"env": "@@redis_rest_token@@"}}\n}\n'),
    ('is_swagger_file', 'swagger/openapi.json',
     '{"components": {"securitySchemes": {"x": {"example": "Bearer @@redis_rest_token@@"}}}}\n'),
    ('is_non_text_file: source map', 'app.js.map',
     '{"version":3,"sourcesContent":["const t = \\"@@redis_rest_token@@\\";\\n"]}\n'),
]


@pytest.fixture(scope='module')
def cases_scan(tmp_path_factory):
    directory = tmp_path_factory.mktemp('guards')
    expected = write_corpus(directory, CASES)
    baseline, stderr = scan(directory)
    return expected, upstash_findings(baseline), baseline


@pytest.mark.parametrize('name', [name for name, _, _ in CASES])
def test_upstream_shortcut_does_not_hide_the_credential(cases_scan, name):
    expected, found, _ = cases_scan
    want = set(expected[name])
    filename = next(iter(want)).filename
    assert {f for f in found if f.filename == filename} == want


def test_files_let_through_are_scanned_for_upstash_only(tmp_path):
    # A lock file holding a token is scanned, but other plugins see only the token's line,
    # not the lock file's integrity hashes.
    lines = [f'"integrity": "sha512-{base64.b64encode(os.urandom(64)).decode()}",' for _ in range(20)]
    lines[7] = f'"env": "{generate("redis_rest_token")}",'
    (tmp_path / 'package-lock.json').write_text('{\n' + '\n'.join(lines) + '\n}\n')
    baseline, _ = scan(tmp_path)
    results = baseline['results']['package-lock.json']
    assert {r['line_number'] for r in results} == {9}
    assert 'Upstash Redis REST Token' in {r['type'] for r in results}


def test_indirect_reference_filter_still_applies_to_other_lines(tmp_path):
    # Our guard lets a line through only when it holds an Upstash credential: upstream's
    # heuristic keeps working for everything else.
    secret_hex = tokens._random_hex(40)
    text = f'password = get_password("{secret_hex}")\n'
    (tmp_path / 'x.py').write_text(text)
    baseline, _ = scan(tmp_path)
    assert baseline['results'] == {}
    unfiltered, _ = scan(tmp_path, '--disable-filter', 'detect_secrets.filters.heuristic.is_indirect_reference')
    assert unfiltered['results'], 'the case must be one the filter hides'


def test_a_file_of_many_equal_call_lines_is_judged_once_per_text(tmp_path, monkeypatch):
    # The indirect-reference guard judges a call line by every place its text occurs (it is
    # handed the line alone). A generated file repeating one call line (a hostile input, or a
    # bundle) must cost one judgement per place, not one per place per repeat: 400 copies
    # were 160,000 judgements before (10,000 copies: 10^8).
    from detect_secrets_upstash.plugins import line_filter
    judged = []
    real = line_filter.holds_credential
    monkeypatch.setattr(line_filter, 'holds_credential',
                        lambda line, *args, **kwargs: judged.append(line) or real(line, *args, **kwargs))
    copies = 400
    text = '# upstash cache client\n' + 'value = compute(settings["cache_name"])\n' * copies
    (tmp_path / 'many.py').write_text(text)
    baseline, _ = scan(tmp_path)
    assert upstash_findings(baseline) == set()
    assert 0 < len(judged) <= copies + 1


def test_our_finding_does_not_cost_other_plugins_their_eager_pass_findings(tmp_path):
    # Upstream re-reads a file with its eager transformers (a .env parsed as INI, values
    # quoted for the entropy plugins) only when the first pass found nothing; an Upstash
    # finding on the first pass must not drop what plain detect-secrets reports.
    (tmp_path / 'app.env').write_text(f'CACHE_ENDPOINT={generate("redis_rest_token")}\n'
                                      f'BUILD_HASH={tokens._random_hex(40)}\n')
    plain = run(['detect-secrets', 'scan', '--all-files'], cwd=tmp_path)
    upstream = {(r['type'], r['line_number']) for r in json.loads(plain.stdout)['results']['app.env']}
    assert ('Hex High Entropy String', 2) in upstream, 'the case must be one only the eager pass finds'
    # upstream's generic findings of the token itself (line 1) become our one finding
    expected = {(kind, line) for kind, line in upstream if line != 1} | {('Upstash Redis REST Token', 1)}
    for extra in ((), ('-c', '2')):
        runner = run if extra else cli              # -c 2: worker processes, for real
        result = runner(['detect-secrets-upstash', *extra, 'scan', '--all-files'], cwd=tmp_path)
        ours = {(r['type'], r['line_number']) for r in json.loads(result.stdout)['results']['app.env']}
        assert ours == expected, extra


def test_lock_file_without_credential_is_still_skipped(tmp_path):
    (tmp_path / 'yarn.lock').write_text('"x@^1": integrity sha512-' + 'A' * 60 + '\n'
                                        'password = "' + tokens._random_hex(40) + '"\n')
    baseline, _ = scan(tmp_path)
    assert baseline['results'] == {}


def test_undecodable_file_is_reported_on_stderr_and_its_token_found(tmp_path):
    token = generate('redis_rest_token')
    (tmp_path / 'notes.txt').write_bytes('caf\xe9 cr\xe8me\n'.encode('latin-1')
                                         + f'TOKEN={token}\n'.encode() + b'\xff\xfe\x00 end\n')
    (tmp_path / 'blob.dat').write_bytes(bytes(range(256)) * 4)
    baseline, stderr = scan(tmp_path)
    findings = upstash_findings(baseline)
    assert {(f.filename, f.secret_type, f.line_number) for f in findings} == {
        ('notes.txt', 'Upstash Redis REST Token', 2)}
    assert 'notes.txt: not UTF-8 text; read as latin-1 and scanned for Upstash credentials only' in stderr
    assert ('1 file(s) not UTF-8 text, no Upstash credential found in a latin-1 reading '
            '(other plugins skip them): blob.dat') in stderr
    assert token not in stderr
    # other plugins never see the bytes of an undecodable file
    assert {r['type'] for r in baseline['results']['notes.txt']} == {'Upstash Redis REST Token'}


# (file name, how it is encoded): Windows tools (PowerShell's `>` and `Out-File`, Notepad's
# "Unicode") write UTF-16; the BOM-less forms are told by their NUL bytes.
WIDE_ENCODINGS = [
    ('le.env', lambda text: codecs.BOM_UTF16_LE + text.encode('utf-16-le')),
    ('be.env', lambda text: codecs.BOM_UTF16_BE + text.encode('utf-16-be')),
    ('le32.env', lambda text: codecs.BOM_UTF32_LE + text.encode('utf-32-le')),
    ('be32.env', lambda text: codecs.BOM_UTF32_BE + text.encode('utf-32-be')),
    ('nobom-le.env', lambda text: text.encode('utf-16-le')),
    ('nobom-be.env', lambda text: text.encode('utf-16-be')),
]


def test_utf16_and_utf32_files_are_decoded_with_right_line_numbers(tmp_path):
    written = {}
    for name, encode in WIDE_ENCODINGS:
        redis_token, qstash_token = generate('redis_rest_token'), generate('qstash_token')
        text = (f'# caf\u00e9 settings\r\nUPSTASH_REDIS_REST_URL=https://brave-otter-10123.upstash.io\r\n'
                f'UPSTASH_REDIS_REST_TOKEN={redis_token}\r\n\r\nQSTASH_TOKEN={qstash_token}\r\n')
        (tmp_path / name).write_bytes(encode(text))
        written[name] = (redis_token, qstash_token)
    baseline, stderr = scan(tmp_path)
    found = {(f.filename, f.secret_type, f.line_number) for f in upstash_findings(baseline)}
    assert found == {(name, kind, line) for name, _ in WIDE_ENCODINGS
                     for kind, line in (('Upstash Redis REST Token', 3), ('Upstash QStash Token', 5))}
    assert 'le.env: UTF-16-LE text; decoded and scanned' in stderr
    assert 'nobom-be.env: UTF-16-BE text; decoded and scanned' in stderr
    assert 'no Upstash credential' not in stderr
    assert not any(token in stderr for pair in written.values() for token in pair)

    # audit reads the file the way the scan did
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = {(entry['filename'], tuple(entry['lines']), entry['upstash']['kind'], entry['upstash']['host'])
              for entry in json.loads(result.stdout)['results'] if entry['types'][0].startswith('Upstash')}
    assert report == {(name, *finding) for name, _ in WIDE_ENCODINGS
                      for finding in ((('3',), 'redis_rest_token', 'brave-otter-10123.upstash.io'),
                                      (('5',), 'qstash_token', None))}


def test_binary_with_nul_bytes_is_not_taken_for_utf16(tmp_path):
    token = generate('redis_rest_token')
    blob = bytes(range(256)) * 8 + f'\nTOKEN={token}\n'.encode()
    (tmp_path / 'blob.dat').write_bytes(blob)
    baseline, stderr = scan(tmp_path)
    head = blob[:blob.index(b'TOKEN=')]
    line = head.replace(b'\r\n', b'\n').replace(b'\r', b'\n').count(b'\n') + 1    # a lone CR ends a line too
    assert {(f.filename, f.line_number) for f in upstash_findings(baseline)} == {('blob.dat', line)}
    assert 'blob.dat: not UTF-8 text; read as latin-1 and scanned for Upstash credentials only' in stderr


def test_disabled_upstash_plugin_prints_no_upstash_warnings(tmp_path):
    token = generate('redis_rest_token')
    (tmp_path / 'notes.txt').write_bytes(b'caf\xe9\n' + f'TOKEN={token}\n'.encode())
    (tmp_path / 'le.env').write_bytes(codecs.BOM_UTF16_LE + f'TOKEN={token}\n'.encode('utf-16-le'))
    baseline, stderr = scan(tmp_path, '--disable-plugin', 'UpstashDetector')
    assert 'UpstashDetector' not in {p['name'] for p in baseline['plugins_used']}
    assert 'warning' not in stderr, stderr
    assert not upstash_findings(baseline)


def test_audit_report_reads_an_undecodable_file(tmp_path):
    token = generate('redis_read_only_token')
    (tmp_path / 'legacy.conf').write_bytes(b'# r\xe9glages\n' + f'token {token}\n'.encode())
    baseline, _ = scan(tmp_path)
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert 'Traceback' not in result.stderr
    (entry,) = json.loads(result.stdout)['results']
    assert entry['filename'] == 'legacy.conf'
    assert entry['types'] == ['Upstash Redis Read-Only Token']
    assert list(entry['lines']) == ['2']


def test_a_lone_carriage_return_counts_as_a_line_end_in_scan_audit_and_report(tmp_path):
    # Upstream reads text with universal newlines (a lone CR ends a line). A compiled module
    # or other binary file read as latin-1 often holds a CR byte: every reader of the file
    # must count it the same way, or report/audit look for the token on the wrong line.
    token = generate('redis_rest_token')
    database = str(tokens.decode_redis_token(token).database_id)
    (tmp_path / 'app.pyc').write_bytes(b'\xa7\r\x0d\n\x00\x00\xe3\x00\x12' + f'>{token}\xda'.encode('latin-1')
                                       + b'\x05\rx\n\xff')
    (tmp_path / 'notes.txt').write_bytes(b'caf\xe9\rcr\xe8me\r\n' + f'TOKEN={token}\n'.encode())
    baseline, _ = scan(tmp_path)
    assert {(f.filename, f.line_number) for f in upstash_findings(baseline)} == {
        ('app.pyc', 3), ('notes.txt', 3)}
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    audited = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert audited.returncode == 0, audited.stderr
    assert {(e['filename'], tuple(e['lines'])) for e in json.loads(audited.stdout)['results']} == {
        ('app.pyc', ('3',)), ('notes.txt', ('3',))}
    report = cli(['detect-secrets-upstash', 'report', '--format', 'json', '--baseline', '.secrets.baseline'],
                 cwd=tmp_path)
    assert token not in report.stdout + report.stderr
    findings = json.loads(report.stdout)['findings']
    assert sorted((f['filename'], f['line_number'], f['layer'], f['problem'], f['database']) for f in findings) == [
        ('app.pyc', 3, 'token bytes', None, database), ('notes.txt', 3, 'token bytes', None, database)], report.stdout


def test_line_numbers_survive_transformation_with_crlf(tmp_path):
    text, expected = fill('name: app\r\nenv:\r\n  - KEY=@@redis_rest_token@@\r\n  - B=1\r\n', 'k.yaml')
    (tmp_path / 'k.yaml').write_bytes(text.encode())
    baseline, _ = scan(tmp_path)
    assert upstash_findings(baseline) == set(expected)


def test_guards_hold_in_parallel_scans(tmp_path):
    # `-c N` scans in worker processes: the guards must be installed there too.
    expected = write_corpus(tmp_path, CASES)
    result = run(['detect-secrets-upstash', '-c', '2', 'scan', '--all-files'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = upstash_findings(json.loads(result.stdout))
    assert found == {e for findings in expected.values() for e in findings}


def test_audit_report_finds_credentials_the_transformers_would_drop(tmp_path):
    # audit re-reads files through the same transformers: a YAML list item must be found there.
    write_corpus(tmp_path, [case for case in CASES if case[1] in ('g.yaml', 'h.yml')])
    baseline, _ = scan(tmp_path)
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = [e for e in json.loads(result.stdout)['results'] if e['types'][0].startswith('Upstash ')]
    assert {(e['filename'], tuple(e['lines'])) for e in entries} == {
        ('g.yaml', ('3',)), ('g.yaml', ('6',)), ('h.yml', ('4',))}


def test_undecodable_files_give_one_summary_line_and_all_files_never_walks_git(tmp_path):
    from tests.helpers import git_repo
    repo = git_repo(tmp_path / 'repo')
    for number in range(7):
        (repo / f'image{number}.dat').write_bytes(bytes(range(256)) * 8 + bytes([number]))
    token = generate('redis_rest_token')
    (repo / 'app.env').write_text(f'TOKEN={token}\n')
    subprocess.run(['git', 'add', '.'], cwd=repo, check=True)
    subprocess.run(['git', 'commit', '-qm', 'x'], cwd=repo, check=True)
    subprocess.run(['git', 'gc', '-q'], cwd=repo, check=True)        # pack files in .git/
    # a token inside .git/ (an editor's backup of a message, say): history, not the work tree
    (repo / '.git' / 'COMMIT_EDITMSG').write_text(f'TOKEN={generate("redis_rest_token")}\n')
    result = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=repo)
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)['results']) == {'app.env'}
    warnings = [line for line in result.stderr.splitlines() if 'warning' in line]
    assert warnings == ['detect-secrets-upstash: warning: 7 file(s) not UTF-8 text, no Upstash credential '
                        'found in a latin-1 reading (other plugins skip them): image0.dat, image1.dat, '
                        'image2.dat, image3.dat, image4.dat and 2 more'], result.stderr
    # named explicitly, a file in .git/ is scanned
    named = cli(['detect-secrets-upstash', 'scan', '.git/COMMIT_EDITMSG'], cwd=repo)
    assert set(json.loads(named.stdout)['results']) == {'.git/COMMIT_EDITMSG'}


# A value only its place identifies: a Redis-like layout no decoder or frame knows, under a
# plain `token` name, counts only because an Upstash URL stands a few lines away. Every
# guard must read a line with its nearby lines, as the plugin does, or such a finding is
# dropped before the plugin sees it. (name, file name, template with @@ for the value,
# the value's line)
HOST_LINE = 'url: "https://brave-otter-10123.upstash.io",'
CONTEXT_CASES = [
    ('is_indirect_reference: a call on the token line', 'client.ts',
     f'const redis = new Redis({{\n  {HOST_LINE}\n  token: getToken("@@"),\n}});\n', 3),
    ('is_indirect_reference: a call around the assignment', 'config.py',
     'URL = "https://brave-otter-10123.upstash.io"\nclient = connect(token = "@@")\n', 2),
    # the filter is given the line alone and finds its neighbours by its text: a text that
    # occurs twice is judged by each of its places, not only by the first
    ('is_indirect_reference: the same call twice, only the second beside the URL', 'twice.py',
     'client = connect(token = "@@")\n' + '# -\n' * 10
     + 'URL = "https://brave-otter-10123.upstash.io"\nclient = connect(token = "@@")\n', 13),
    ('is_lock_file: the URL line is kept for the plugin', 'yarn.lock',
     f'# yarn lockfile v1\n{HOST_LINE}\nfoo "1.0"\n  token: "@@"\n', 4),
    ('yaml transformer: a list item', 'g.yaml',
     'name: app\nurl: https://brave-otter-10123.upstash.io\nenv:\n  - token=@@\n  - OTHER=1\n', 4),
    ('yaml transformer: a block scalar', 'h.yml',
     'name: app\nurl: https://brave-otter-10123.upstash.io\nscript: |\n  echo start\n'
     '  export TOKEN=@@\n  echo done\n', 5),
]


@pytest.fixture(scope='module')
def context_cases_scan(tmp_path_factory):
    from detect_secrets_upstash.findings import line_credentials
    from .test_evidence_layers import invented_redis_token
    directory = tmp_path_factory.mktemp('context-guards')
    expected = {}
    for name, filename, template, line_number in CONTEXT_CASES:
        value = invented_redis_token()
        text = template.replace('@@', value)
        line = text.split('\n')[line_number - 1]
        assert value in line and not line_credentials(line, filename), 'the case must need its nearby lines'
        (directory / filename).write_text(text)
        expected[name] = Expected(filename, 'Upstash Redis REST Token', line_number,
                                  hashlib.sha1(value.encode()).hexdigest())
    baseline, _ = scan(directory)
    return expected, upstash_findings(baseline)


@pytest.mark.parametrize('name', [case[0] for case in CONTEXT_CASES])
def test_a_finding_only_its_nearby_lines_identify_survives_upstream_shortcuts(context_cases_scan, name):
    expected, found = context_cases_scan
    want = expected[name]
    assert {f for f in found if f.filename == want.filename} == {want}
