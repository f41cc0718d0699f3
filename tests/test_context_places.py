"""Places where context-only kinds stand across lines or behind escaped quotes, scanned by the
real `detect-secrets-upstash scan` (its `main(argv)` in-process: findings are logic) with
generated values: the Management API key (a UUID)
and the legacy 32-hex Redis password whose host stands on another line. Each form is one
a user's file writes: a Kubernetes env list, a Terraform key/value pair, a notebook cell's
JSON-escaped source, a TOML section, a Compose list with the host after the password."""
import json
import secrets
import string

import pytest

from detect_secrets_upstash import catalogue
from detect_secrets_upstash import placeholders
from detect_secrets_upstash import tokens

from .detection_helpers import scan_in_process as scan
from .in_process import cli

HOST = 'us1-quiet-lynx-46120.upstash.io'
EMAIL = 'ops@acme-widgets.dev'


def _uuid():
    return tokens.generate_management_api_key()


def _password():
    return tokens.generate_legacy_redis_password()


# (format, file name, template with {v} where the credential stands, its 1-based line)
MANAGEMENT = [
    ('kubernetes env list', 'k8s/deploy.yaml',
     'spec:\n  containers:\n    - name: infra\n      env:\n        - name: UPSTASH_EMAIL\n'
     f'          value: {EMAIL}\n        - name: UPSTASH_API_KEY\n          value: "{{v}}"\n', 8),
    ('kubernetes env list without the email', 'k8s/job.yaml',
     'env:\n  - name: UPSTASH_API_KEY\n    value: "{v}"\n', 3),
    ('terraform key/value pair', 'tf/vercel.tf',
     'resource "vercel_project_environment_variable" "upstash" {\n  project_id = vercel_project.app.id\n'
     '  key        = "UPSTASH_API_KEY"\n  value      = "{v}"\n  target     = ["production"]\n}\n', 4),
    ('notebook cell, JSON-escaped quotes', 'nb/provision.ipynb',
     '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n    "import os\\n",\n'
     '    "os.environ[\\"UPSTASH_API_KEY\\"] = \\"{v}\\"\\n"\n   ]\n  }\n ]\n}\n', 7),
    ('toml [upstash] section', 'toml/config.toml',
     f'[app]\nname = "shop"\n\n[upstash]\nemail = "{EMAIL}"\napi_key = "{{v}}"\n', 6),
]

PASSWORD = [
    ('kubernetes env list', 'k8s/redis.yaml',
     f'env:\n  - name: REDIS_HOST\n    value: {HOST}\n  - name: REDIS_PASSWORD\n    value: "{{v}}"\n', 5),
    ('notebook cell', 'nb/cache.ipynb',
     '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n'
     f'    "os.environ[\\"REDIS_HOST\\"] = \\"{HOST}\\"\\n",\n'
     '    "os.environ[\\"REDIS_PASSWORD\\"] = \\"{v}\\"\\n"\n   ]\n  }\n ]\n}\n', 7),
    ('terraform key/value pairs', 'tf/env.tf',
     f'env = [\n  {{\n    key   = "REDIS_HOST"\n    value = "{HOST}"\n  }},\n'
     '  {{\n    key   = "REDIS_PASSWORD"\n    value = "{v}"\n  }},\n]\n', 8),
    ('compose list, host after the password', 'compose/docker-compose.yml',
     'services:\n  app:\n    environment:\n      - REDIS_PASSWORD={v}\n'
     f'      - REDIS_HOST={HOST}\n      - REDIS_PORT=6379\n', 4),
    # a notebook saved as one line of JSON: the value is followed by `\"\n"]`
    ('notebook saved on one line', 'nb/one-line.ipynb',
     '{"cells": [{"cell_type": "code", "source": ["import os\\n", '
     f'"os.environ[\\"REDIS_HOST\\"] = \\"{HOST}\\"\\n", '
     '"os.environ[\\"REDIS_PASSWORD\\"] = \\"{v}\\""]}], "nbformat": 4}\n', 1),
    # the password as the last argument of a client call (redis-py, ioredis options)
    ('keyword argument closing a call', 'py/cache.py',
     f'import redis\n\nr = redis.Redis(host="{HOST}", port=6379, ssl=True, password="{{v}}")\n', 3),
]


def _write(tmp_path, table, make):
    expected = {}
    for name, filename, template, line in table:
        value = make()
        path = tmp_path / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template.replace('{{', '{').replace('}}', '}').replace('{v}', value)
                        if '{{' in template else template.replace('{v}', value))
        expected[name] = (filename, line, value)
    return expected


def _results(baseline, filename):
    return [(r['type'], r['line_number']) for r in baseline['results'].get(filename, [])
            if r['type'] in catalogue.BY_SECRET_TYPE]


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp('places')
    management = _write(directory / 'm', MANAGEMENT, _uuid)
    passwords = _write(directory / 'p', PASSWORD, _password)
    baseline, _ = scan(directory)
    return directory, baseline, management, passwords


@pytest.mark.parametrize('name', [row[0] for row in MANAGEMENT])
def test_management_key_is_found_in_each_format(corpus, name):
    _, baseline, management, _ = corpus
    filename, line, _ = management[name]
    assert _results(baseline, f'm/{filename}') == [('Upstash Management API Key', line)]


@pytest.mark.parametrize('name', [row[0] for row in PASSWORD])
def test_legacy_password_with_its_host_on_another_line_is_found(corpus, name):
    _, baseline, _, passwords = corpus
    filename, line, _ = passwords[name]
    assert _results(baseline, f'p/{filename}') == [('Upstash Redis Password', line)]


def test_audit_names_the_kinds_and_the_host(corpus):
    directory, baseline, _, passwords = corpus
    (directory / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=directory)
    assert result.returncode == 0, result.stderr
    notes = {e['filename']: e['upstash'] for e in json.loads(result.stdout)['results'] if 'upstash' in e}
    for filename, _, _ in passwords.values():
        assert notes[f'p/{filename}']['host'] == HOST
    assert {notes[f'm/{row[1]}']['scope'] for row in MANAGEMENT} == {'account'}


NOT_REPORTED = [
    # a value: whose entry names no credential, beside Upstash words
    ('k8s/other.yaml', f'env:\n  - name: UPSTASH_EMAIL\n    value: {EMAIL}\n  - name: REQUEST_ID\n'
                       '    value: "{uuid}"\n'),
    # another provider's section
    ('toml/neon.toml', f'[upstash]\nemail = "{EMAIL}"\n\n[neon]\napi_key = "{{uuid}}"\n'),
    ('tf/placeholder.tf', '  key   = "UPSTASH_API_KEY"\n  value = "00000000-0000-0000-0000-000000000000"\n'),
    ('tf/var.tf', '  key   = "UPSTASH_API_KEY"\n  value = "${{var.upstash_api_key}}"\n'),
    # a password with no Upstash host around it
    ('k8s/local.yaml', 'env:\n  - name: REDIS_HOST\n    value: localhost\n  - name: REDIS_PASSWORD\n'
                       '    value: "{hex}"\n'),
]


def test_places_without_a_credential_stay_silent(tmp_path):
    for filename, template in NOT_REPORTED:
        path = tmp_path / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        text = template.replace('{{uuid}}', '{uuid}').replace('{{var', '{var').replace('}}"', '}"')
        path.write_text(text.replace('{uuid}', _uuid()).replace('{hex}', _password()))
    baseline, _ = scan(tmp_path)
    assert {f: _results(baseline, f) for f in baseline['results'] if _results(baseline, f)} == {}


# --- the Management key in a form that is not a UUID, beside UPSTASH_EMAIL ---

def test_a_dashless_management_key_beside_the_email_is_the_account_key(tmp_path):
    key = _uuid().replace('-', '')
    (tmp_path / '.env').write_text(f'UPSTASH_EMAIL={EMAIL}\nUPSTASH_API_KEY={key}\n')
    # without the email, 32 hex under an Upstash key name stays what it was (a Redis password)
    (tmp_path / 'alone.env').write_text(f'UPSTASH_API_KEY={_password()}\n')
    baseline, _ = scan(tmp_path)
    assert _results(baseline, '.env') == [('Upstash Management API Key', 2)]
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (note,) = [e['upstash'] for e in json.loads(result.stdout)['results'] if e['filename'] == '.env']
    assert note['scope'] == 'account'
    assert _results(baseline, 'alone.env') == [('Upstash Redis Password', 1)]


@pytest.mark.parametrize('prefix', ['upstash_mk_', 'mk_', 'devkey_'])
def test_a_prefixed_hex_key_beside_the_email_is_the_management_key_of_an_unrecognised_layout(tmp_path, prefix):
    key = prefix + _uuid().replace('-', '')
    (tmp_path / '.env').write_text(f'UPSTASH_EMAIL={EMAIL}\nUPSTASH_API_KEY={key}\n')
    baseline, _ = scan(tmp_path)
    assert _results(baseline, '.env') == [('Upstash Management API Key', 2)]
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    (note,) = [e['upstash'] for e in json.loads(result.stdout)['results'] if e['filename'] == '.env']
    assert (note['scope'], note['layout']) == ('account', tokens.UNRECOGNISED)


@pytest.mark.parametrize('name', ['UPSTASH_MANAGEMENT_API_KEY', 'MYAPP_UPSTASH_DEVELOPER_API_KEY',
                                  'UPSTASH_PERSONAL_ADMIN_KEY'])
def test_a_key_of_an_unseen_layout_under_a_management_key_name_is_the_management_key(tmp_path, name):
    # no email beside it, no UUID or hex: only the name says it is the account-wide key
    body = ''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40))
    while placeholders.spells_words(body):      # about 1 in 20,000 spells 'TEST', 'Fake': refused by design
        body = ''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(40))
    key = 'umk_' + body
    (tmp_path / '.env').write_text(f'{name}={key}\n')
    # a Redis-style name beside it keeps its own kind
    (tmp_path / 'redis.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={key}\n')
    baseline, _ = scan(tmp_path)
    assert _results(baseline, '.env') == [('Upstash Management API Key', 1)]
    assert _results(baseline, 'redis.env') == [('Upstash Redis REST Token', 1)]
    (tmp_path / '.secrets.baseline').write_text(json.dumps(baseline))
    result = cli(['detect-secrets-upstash', 'audit', '--report', '--json', '.secrets.baseline'], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (note,) = [e['upstash'] for e in json.loads(result.stdout)['results'] if e['filename'] == '.env']
    assert (note['scope'], note['layout']) == ('account', tokens.UNRECOGNISED)
