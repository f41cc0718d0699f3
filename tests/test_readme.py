"""The README is a user's first contact: its set-up commands and kinds table must stay true."""
import re

from detect_secrets_upstash import catalogue
from tests.helpers import REPO_ROOT

README = (REPO_ROOT / 'README.md').read_text()


def test_kinds_table_is_the_catalogue():
    # The table is generated from the catalogue; regenerate with
    # python -c "from detect_secrets_upstash import catalogue; print(catalogue.markdown_table())"
    table = re.search(r'<!-- kinds:start -->\n(.*?)\n<!-- kinds:end -->', README, re.S)
    assert table, 'README lost its kinds table markers'
    assert table.group(1).strip() == catalogue.markdown_table()


def test_readme_starts_with_exactly_two_setup_commands():
    first_block = re.search(r'```(?:sh|bash|console)?\n(.*?)```', README, re.S)
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2, commands
    assert re.search(r'pip install (-q )?\. ', commands[0]) and 'examples/sample' in commands[0]
    # the readable report, not a JSON baseline (tests/test_report.py runs it on the sample)
    assert commands[0].endswith('.venv/bin/detect-secrets-upstash report examples/sample')
    assert commands[1].strip() == 'bash scripts/test.sh'


def test_ci_runs_the_readme_test_command():
    ci = (REPO_ROOT / '.ci' / 'run').read_text()
    assert 'scripts/test.sh' in ci
