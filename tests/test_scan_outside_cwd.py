"""`scan PATH` with PATH outside the current directory: upstream drops every file there and
writes an empty baseline with exit 0; ours says so in one line and exits 2."""
from detect_secrets_upstash import tokens
from tests.helpers import run


def test_a_path_outside_the_cwd_is_one_line_and_exit_2(tmp_path):
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    (elsewhere / 'app.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token()}\n')
    here = tmp_path / 'here'
    here.mkdir()
    for path in ('../elsewhere', '../elsewhere/app.env'):
        done = run(['detect-secrets-upstash', 'scan', '--all-files', path], cwd=here)
        assert done.returncode == 2, done
        assert 'outside' in done.stderr and 'Traceback' not in done.stderr and not done.stdout
    inside = run(['detect-secrets-upstash', 'scan', '--all-files', 'elsewhere'], cwd=tmp_path)
    assert inside.returncode == 0 and 'elsewhere/app.env' in inside.stdout
