"""`tests.in_process.cli` runs start from what a fresh process would see: one run's cached
state (detect-secrets' settings, plugins, the file audit read last) never answers for the next."""
import json

from detect_secrets_upstash import tokens
from tests.in_process import cli


def _audit_report(directory):
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=directory)
    assert result.returncode == 0, result.stderr
    return [(entry['filename'], entry['upstash']['kind']) for entry in json.loads(result.stdout)['results']]


def test_a_second_audit_in_another_folder_reads_its_own_files(tmp_path):
    # The same relative name ('.env') in two folders, audited one after the other in this
    # process: the second must read its own file, as its own process would.
    for folder, line in (('first', f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token()}\n'),
                         ('second', f'QSTASH_TOKEN={tokens.generate_qstash_token()}\n')):
        directory = tmp_path / folder
        directory.mkdir()
        (directory / '.env').write_text('# app settings\n' * (folder == 'second') + line)
        scan = cli(['detect-secrets-upstash', 'scan', '--all-files'], cwd=directory)
        assert scan.returncode == 0, scan.stderr
        (directory / '.secrets.baseline').write_text(scan.stdout)
        expected = 'redis_rest_token' if folder == 'first' else 'qstash_token'
        assert _audit_report(directory) == [('.env', expected)], folder
