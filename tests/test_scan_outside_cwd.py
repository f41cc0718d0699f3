"""A PATH outside the current directory (or a scan run from `/`): upstream drops every file
there without a word (an empty baseline, exit 0). `scan` says so in one line and exits 2;
`report` scans such a directory itself, so its findings are never lost.

The path handling is logic: the runs are in-process (tests/in_process.py), except one real
console-script run per command, which shows the installed script behaves the same."""
import json

from detect_secrets_upstash import tokens
from tests.helpers import run
from tests.in_process import cli


def _elsewhere(tmp_path):
    elsewhere = tmp_path / 'elsewhere'
    (elsewhere / 'sub').mkdir(parents=True)
    token = tokens.generate_redis_token()
    (elsewhere / 'app.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={token}\n')
    (elsewhere / 'sub' / 'worker.env').write_text(f'QSTASH_TOKEN={tokens.generate_qstash_token()}\n')
    here = tmp_path / 'here'
    here.mkdir()
    return elsewhere, here, token


def test_a_path_outside_the_cwd_is_one_line_and_exit_2(tmp_path):
    elsewhere, here, _ = _elsewhere(tmp_path)
    for path in ('../elsewhere', '../elsewhere/app.env'):
        runner = run if path == '../elsewhere' else cli
        done = runner(['detect-secrets-upstash', 'scan', '--all-files', path], cwd=here)
        assert done.returncode == 2, done
        assert 'outside' in done.stderr and 'Traceback' not in done.stderr and not done.stdout
    inside = cli(['detect-secrets-upstash', 'scan', '--all-files', 'elsewhere'], cwd=tmp_path)
    assert inside.returncode == 0 and 'elsewhere/app.env' in inside.stdout


def test_a_scan_run_from_the_root_directory_is_refused(tmp_path):
    # from / upstream cuts two characters off every absolute path and finds no file
    elsewhere, _, _ = _elsewhere(tmp_path)
    for path in (str(elsewhere), str(elsewhere / 'app.env')):
        done = cli(['detect-secrets-upstash', 'scan', '--all-files', path], cwd='/')
        assert done.returncode == 2, done
        assert 'cannot scan with / as its root' in done.stderr and not done.stdout
        assert 'Traceback' not in done.stderr


def test_report_scans_a_directory_outside_the_cwd_and_from_the_root(tmp_path):
    elsewhere, here, token = _elsewhere(tmp_path)
    expected = {'Upstash Redis REST Token', 'Upstash QStash Token'}
    for cwd, path in ((here, '../elsewhere'), (here, str(elsewhere)), ('/', str(elsewhere))):
        for extra in ([], ['--all-files']):
            runner = run if (cwd, path, extra) == (here, '../elsewhere', []) else cli
            text = runner(['detect-secrets-upstash', 'report', *extra, path], cwd=cwd)
            assert text.returncode == 1, (cwd, path, text)
            assert 'No Upstash credentials found' not in text.stdout
            assert '2 Upstash credential(s) in 2 file(s)' in text.stdout
            assert token not in text.stdout + text.stderr and 'Traceback' not in text.stderr
        as_json = cli(['detect-secrets-upstash', 'report', '--format', 'json', path], cwd=cwd)
        assert as_json.returncode == 1
        findings = json.loads(as_json.stdout)['findings']
        assert {f['secret_type'] for f in findings} == expected
        # the names lead back to the files from where the report was run
        assert {(tmp_path / cwd / f['filename']).resolve() for f in findings} == {
            elsewhere / 'app.env', elsewhere / 'sub' / 'worker.env'}
        sarif = cli(['detect-secrets-upstash', 'report', '--format', 'sarif', path], cwd=cwd)
        assert sarif.returncode == 1
        assert len(json.loads(sarif.stdout)['runs'][0]['results']) == 2


def test_report_refuses_to_walk_the_whole_file_system(tmp_path):
    done = run(['detect-secrets-upstash', 'report', '/'], cwd=tmp_path)
    assert done.returncode == 2 and 'cannot walk the whole file system' in done.stderr
    assert 'Traceback' not in done.stderr and 'No Upstash credentials found' not in done.stdout
