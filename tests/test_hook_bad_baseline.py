"""The hook on a baseline it cannot read: one line saying why, exit 2 (upstream refused a
non-UTF-8 baseline with exit 1 and no word, and a JSON list with a raw TypeError)."""
import pytest

from detect_secrets_upstash import tokens
from tests.helpers import run
from tests.in_process import cli


@pytest.fixture
def staged(tmp_path):
    (tmp_path / 'app.env').write_text('DEBUG=1\n')
    baseline = cli(['detect-secrets-upstash', 'scan', 'app.env'], cwd=tmp_path)
    assert baseline.returncode == 0, baseline.stderr
    (tmp_path / 'good.baseline').write_text(baseline.stdout)
    return tmp_path


@pytest.mark.parametrize('content, reason', [
    (None, 'not UTF-8'),                                    # the good baseline plus one \xe9 byte
    (b'[]\n', 'not a detect-secrets baseline'),
    (b'{"results": [1, 2]}\n', 'not a detect-secrets baseline'),
    (b'{"results": {}', 'not JSON'),
])
def test_unreadable_baseline_is_one_line_and_exit_2(staged, content, reason):
    if content is None:
        content = (staged / 'good.baseline').read_bytes() + b'\xe9'
    (staged / 'bad.baseline').write_bytes(content)
    done = cli(['detect-secrets-upstash-hook', '--baseline', 'bad.baseline', 'app.env'], cwd=staged)
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and 'bad.baseline' in lines[0] and reason in lines[0], done.stderr
    assert 'refusing to pass the commit' in lines[0] and 'Error' not in lines[0]


def test_good_baseline_still_passes_and_finds(staged):
    assert cli(['detect-secrets-upstash-hook', '--baseline', 'good.baseline', 'app.env'],
               cwd=staged).returncode == 0
    (staged / 'app.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token()}\n')
    assert run(['detect-secrets-upstash-hook', '--baseline', 'good.baseline', 'app.env'],
               cwd=staged).returncode == 1
