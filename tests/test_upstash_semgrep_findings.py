"""`upstash-semgrep` around semgrep: .mts/.cts files, Upstash SDK packages, one finding per misuse.

Each end-to-end case runs the console script (and so the real semgrep) on a generated
project; the merge of duplicate findings is also checked as a property over generated spans.
"""
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from detect_secrets_upstash import semgrep_findings
from detect_secrets_upstash import tokens
from tests.helpers import run
from tests.helpers import write_files

pytestmark = [pytest.mark.semgrep]

PROG = 'upstash-semgrep'
PUBLIC_READ = 'export const token = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n'


def _scan(project: Path, *args: str) -> dict:
    result = run([PROG, '--json', *args], cwd=project)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report['errors'] == []
    return report


def _found(report: dict) -> set:
    return {(r['path'], r['start']['line'], r['check_id']) for r in report['results']}


# ---- .mts / .cts / .mjs / .cjs ------------------------------------------------------------------

@pytest.fixture(scope='module')
def module_project(tmp_path_factory):
    key = tokens.generate_signing_key()
    receiver = ('import { Receiver } from "@upstash/qstash";\n\n'
                f'export const receiver = new Receiver({{ currentSigningKey: "{key}", '
                'nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });\n')
    vite = ('import { defineConfig, loadEnv } from "vite";\n\n'
            'export default defineConfig(({ mode }) => {\n'
            '  const env = loadEnv(mode, process.cwd(), "");\n'
            '  return { define: { "process.env": env } };\n});\n')
    project = write_files(tmp_path_factory.mktemp('modules'), {
        'vite.config.mts': vite,
        'lib/receiver.cts': receiver,
        'lib/public.mjs': PUBLIC_READ,
        'lib/public.cjs': 'module.exports = { token: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN };\n',
        # semgrep's own walk skips these directories: so do the staged copies
        'node_modules/pkg/index.mts': PUBLIC_READ,
        'generated/skip.mts': PUBLIC_READ,
    })
    return project, key


def test_mts_cts_mjs_cjs_files_are_scanned_and_reported_under_their_real_names(module_project):
    project, _ = module_project
    report = _scan(project, '--exclude', 'generated')
    assert _found(report) == {
        ('vite.config.mts', 5, 'upstash-secret-in-bundler-define'),
        ('lib/receiver.cts', 3, 'upstash-qstash-hardcoded-signing-key'),
        ('lib/public.mjs', 1, 'upstash-secret-in-public-env-var'),
        ('lib/public.cjs', 1, 'upstash-secret-in-public-env-var'),
    }
    assert 'vite.config.mts' in report['paths']['scanned']
    assert not [p for p in report['paths']['scanned'] if 'upstash-semgrep-' in p]


def test_staged_files_in_text_and_sarif_reports(module_project):
    project, key = module_project
    text = run([PROG, '--quiet', 'lib/receiver.cts', 'vite.config.mts'], cwd=project)
    assert text.returncode == 0, text.stderr
    assert 'lib/receiver.cts:3: ERROR upstash-qstash-hardcoded-signing-key' in text.stdout
    assert 'vite.config.mts:5: ERROR upstash-secret-in-bundler-define' in text.stdout
    assert '"process.env": env' in text.stdout        # the real file's code line is quoted
    assert key not in text.stdout and 'upstash-semgrep-' not in text.stdout
    sarif = run([PROG, '--sarif', '--error', 'lib/receiver.cts'], cwd=project)
    assert sarif.returncode == 1, sarif.stderr
    uris = {r['locations'][0]['physicalLocation']['artifactLocation']['uri']
            for r in json.loads(sarif.stdout)['runs'][0]['results']}
    assert uris == {'lib/receiver.cts'}
    assert key not in sarif.stdout


def test_a_staged_file_parsed_in_part_or_not_at_all_is_named_under_its_real_name(tmp_path):
    write_files(tmp_path, {'broken.mts': 'export const x = (;\n' + PUBLIC_READ})
    partly = run([PROG, '--json', '--error'], cwd=tmp_path)
    assert partly.returncode == 1, partly.stderr        # line 2 was scanned: its finding counts
    assert _found(json.loads(partly.stdout)) == {('broken.mts', 2, 'upstash-secret-in-public-env-var')}
    assert 'warning: broken.mts: semgrep could not parse line 1 ' in partly.stderr
    errors = json.loads(partly.stdout)['errors']
    assert errors and all('upstash-semgrep-' not in json.dumps(e) for e in errors)
    assert 'broken.mts' in json.dumps(errors)
    assert 'upstash-semgrep-' not in partly.stderr
    write_files(tmp_path, {'nothing.mts': '}}}} ((( ;; ' + PUBLIC_READ.strip() + ' )))\n))) {{{\n'})
    result = run([PROG, '--json', '--error'], cwd=tmp_path)
    assert result.returncode == 2, result.stderr       # no line of nothing.mts was checked
    assert 'nothing.mts' in json.dumps(json.loads(result.stdout)['errors'])


# ---- an Upstash SDK's own code is not an app leak ------------------------------------------------

SDK_FALLBACK = ('export function tokenFromEnv() {\n'
                '  return process.env.NEXT_PUBLIC_UPSTASH_VECTOR_REST_TOKEN ?? process.env.UPSTASH_VECTOR_REST_TOKEN;\n'
                '}\n')
UNVERIFIED = ('export async function POST(req: Request) {\n'
              '  const signature = req.headers.get("upstash-signature");\n'
              '  if (!signature) return new Response(null, { status: 401 });\n'
              '  return new Response("ok");\n}\n')
# The SDK's optional verifier: the app that passes none has chosen to skip verification.
SDK_OPTIONAL_VERIFIER = ('export async function verifyRequest(body: string, signature: string, verifier?: any) {\n'
                         '  if (!verifier) {\n'
                         '    return;\n'
                         '  }\n'
                         '  try {\n'
                         '    await verifier.verify({ body, signature, url: process.env.UPSTASH_WORKFLOW_URL });\n'
                         '  } catch (error) {\n'
                         '    throw new Error(`invalid signature: ${error}`);\n'
                         '  }\n'
                         '}\n')


@pytest.fixture(scope='module')
def sdk_monorepo(tmp_path_factory):
    return write_files(tmp_path_factory.mktemp('sdk'), {
        'package.json': json.dumps({'name': '@upstash/vector', 'version': '1.0.0'}),
        'src/platforms/nodejs.ts': SDK_FALLBACK,
        'src/handler.ts': UNVERIFIED,
        'src/workflow/verify.ts': SDK_OPTIONAL_VERIFIER,
        'examples/nextjs/lib/verify.ts': SDK_OPTIONAL_VERIFIER,
        # an example app inside the SDK's repository is an app: its leak counts
        'examples/nextjs/package.json': json.dumps({'name': 'vector-nextjs-example'}),
        'examples/nextjs/lib/index.ts': SDK_FALLBACK,
    })


def test_exposure_findings_in_an_upstash_sdk_package_are_dropped(sdk_monorepo):
    found = _found(_scan(sdk_monorepo))
    assert found == {
        ('examples/nextjs/lib/index.ts', 2, 'upstash-secret-in-public-env-var'),
        # the SDK's optional verifier is its option; the same code in an app skips verification
        ('examples/nextjs/lib/verify.ts', 2, 'upstash-qstash-verification-skipped-without-keys'),
        # QStash handler rules still apply to the SDK's code
        ('src/handler.ts', 2, 'upstash-qstash-signature-not-verified'),
    }


def test_include_sdk_code_reports_them(sdk_monorepo):
    found = _found(_scan(sdk_monorepo, '--include-sdk-code'))
    assert ('src/platforms/nodejs.ts', 2, 'upstash-secret-in-public-env-var') in found
    assert ('src/workflow/verify.ts', 2, 'upstash-qstash-verification-skipped-without-keys') in found


def test_error_exits_0_when_only_sdk_library_findings_remain(sdk_monorepo):
    result = run([PROG, '--error', '--quiet', 'src/platforms/nodejs.ts'], cwd=sdk_monorepo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'No Upstash findings.' in result.stdout
    result = run([PROG, '--error', '--quiet', 'examples/nextjs/lib/index.ts'], cwd=sdk_monorepo)
    assert result.returncode == 1


def test_package_name_lookup_uses_the_nearest_manifest(tmp_path):
    write_files(tmp_path, {'package.json': json.dumps({'name': '@upstash/redis'}),
                      'pkg/src/a.ts': '', 'app/package.json': '{"name": "web"}', 'app/src/b.ts': '',
                      'broken/package.json': '{not json', 'broken/c.ts': ''})
    names = semgrep_findings.PackageNames()
    assert semgrep_findings.in_upstash_sdk(str(tmp_path / 'pkg/src/a.ts'), names)
    assert not semgrep_findings.in_upstash_sdk(str(tmp_path / 'app/src/b.ts'), names)
    assert not semgrep_findings.in_upstash_sdk(str(tmp_path / 'broken/c.ts'), names)


# ---- signing keys in unit tests ----------------------------------------------------------------

def test_a_signing_key_in_a_unit_test_is_not_reported_but_one_in_app_code_is(tmp_path):
    key = tokens.generate_signing_key()
    js = ('import { Receiver } from "@upstash/qstash";\n\n'
          f'const receiver = new Receiver({{ currentSigningKey: "{key}", nextSigningKey: "{key}" }});\n')
    py = f'from qstash import Receiver\n\nreceiver = Receiver(current_signing_key="{key}", next_signing_key="{key}")\n'
    write_files(tmp_path, {'__tests__/route.test.ts': js, 'lib/receiver.spec.ts': js, 'e2e/sign.test.mjs': js,
                           'app/test_webhook.py': py, 'app/webhook_test.py': py, 'app/conftest.py': py,
                           'lib/receiver.ts': js, 'app/receiver.py': py})
    found = {(path, rule) for path, _line, rule in _found(_scan(tmp_path)) if 'hardcoded-signing-key' in rule}
    assert found == {('lib/receiver.ts', 'upstash-qstash-hardcoded-signing-key'),
                     ('app/receiver.py', 'upstash-qstash-hardcoded-signing-key-python')}


# ---- Pages Router wrapper and body parser -------------------------------------------------------

PAGES_ROUTE = ('import type { NextApiRequest, NextApiResponse } from "next";\n'
               'import { verifySignature } from "@upstash/qstash/nextjs";\n\n'
               'async function handler(req: NextApiRequest, res: NextApiResponse) {\n'
               '  await sendDigest(req.body.userId);\n  res.status(200).json({ sent: true });\n}\n\n'
               'export default verifySignature(handler);\n')


def test_pages_wrapper_with_the_body_parser_on_is_reported_only_in_pages_api_routes(tmp_path):
    write_files(tmp_path, {
        'pages/api/cron/digest.ts': PAGES_ROUTE,
        'src/pages/api/digest.js': PAGES_ROUTE.replace('import type { NextApiRequest, NextApiResponse } from "next";\n', ''
                                                       ).replace('req: NextApiRequest, res: NextApiResponse', 'req, res'),
        'pages/api/parser-off.ts': PAGES_ROUTE + '\nexport const config = { api: { bodyParser: false } };\n',
        'lib/wrap.ts': PAGES_ROUTE,
    })
    found = {(path, rule) for path, _line, rule in _found(_scan(tmp_path))
             if rule == 'upstash-qstash-pages-wrapper-body-parser-on'}
    assert found == {('pages/api/cron/digest.ts', 'upstash-qstash-pages-wrapper-body-parser-on'),
                     ('src/pages/api/digest.js', 'upstash-qstash-pages-wrapper-body-parser-on')}


# ---- one finding per misuse ----------------------------------------------------------------------

def test_workflow_receiver_undefined_as_any_is_reported_once(tmp_path):
    write_files(tmp_path, {'app/api/workflow/route.ts':
                      'import { serve } from "@upstash/workflow/nextjs";\n\n'
                      'export const { POST } = serve(async (context) => {\n'
                      '  await context.run("step", () => 1);\n'
                      '}, { receiver: undefined as any });\n'})
    report = _scan(tmp_path)
    assert [(r['path'], r['start']['line'], r['check_id']) for r in report['results']] == [
        ('app/api/workflow/route.ts', 5, 'upstash-qstash-workflow-verification-disabled')]


def test_a_use_client_module_building_a_client_from_a_public_token_is_one_finding(tmp_path):
    write_files(tmp_path, {'components/limiter.tsx':
                      '"use client";\n'
                      'import { Redis } from "@upstash/redis";\n\n'
                      'export const redis = new Redis({ url: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_URL!, '
                      'token: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN! });\n'
                      # the same read outside a client stays the public-name rule's finding
                      'export const token = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;\n'})
    report = _scan(tmp_path)
    assert sorted(_found(report)) == [
        ('components/limiter.tsx', 4, 'upstash-client-in-use-client-file'),
        ('components/limiter.tsx', 5, 'upstash-secret-in-public-env-var')]


def test_two_signing_keys_on_one_line_are_one_finding(tmp_path):
    current, following = tokens.generate_signing_key(), tokens.generate_signing_key()
    write_files(tmp_path, {'main.ts':
                      'import { Receiver } from "npm:@upstash/qstash";\n\n'
                      f'export const receiver = new Receiver({{ currentSigningKey: "{current}", '
                      f'nextSigningKey: "{following}" }});\n'})
    report = _scan(tmp_path)
    assert [(r['path'], r['start']['line'], r['check_id']) for r in report['results']] == [
        ('main.ts', 3, 'upstash-qstash-hardcoded-signing-key')]
    # the kept finding is the first key's, and the report does not print either key
    assert report['results'][0]['start']['col'] < report['results'][0]['end']['col']
    assert current not in json.dumps(report) and following not in json.dumps(report)


def test_signing_keys_in_config_files_are_reported_once_each(tmp_path):
    keys = [tokens.generate_signing_key() for _ in range(4)]
    write_files(tmp_path, {
        'serverless.yml': ('service: consumer\nprovider:\n  environment:\n'
                           f'    QSTASH_CURRENT_SIGNING_KEY: {keys[0]}\n'
                           f'    QSTASH_NEXT_SIGNING_KEY: "{keys[1]}"\n'),
        'config/default.json': json.dumps({'qstash': {'currentSigningKey': keys[2]}}, indent=2),
        # shipped in the Expo app: the Expo rule's finding, not a second one for the key
        'app.json': json.dumps({'expo': {'name': 'a', 'extra': {'QSTASH_NEXT_SIGNING_KEY': keys[3]}}}, indent=2),
        # the dev server's published key is no secret
        'wrangler.toml': '[vars]\nQSTASH_CURRENT_SIGNING_KEY = "sig_7kYjw48mhY7kAjqNGcy6cr29RJ6r"\n',
    })
    report = _scan(tmp_path)
    assert sorted(_found(report)) == [
        ('app.json', 5, 'upstash-secret-in-expo-app-json'),
        ('config/default.json', 3, 'upstash-qstash-hardcoded-signing-key-in-config'),
        ('serverless.yml', 4, 'upstash-qstash-hardcoded-signing-key-in-config'),
        ('serverless.yml', 5, 'upstash-qstash-hardcoded-signing-key-in-config')]
    assert not any(key in json.dumps(report) for key in keys)


def test_an_unused_receiver_beside_a_handler_that_never_verifies_is_one_finding(tmp_path):
    write_files(tmp_path, {
        'app/api/qstash/route.ts':
            'import { Receiver } from "@upstash/qstash";\n\n'
            'const receiver = new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, '
            'nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });\n\n'
            'export async function POST(req: Request) {\n'
            '  const signature = req.headers.get("upstash-signature");\n'
            '  if (!signature) return new Response("missing signature", { status: 401 });\n'
            '  await runJob(await req.json());\n'
            '  return new Response("ok");\n'
            '}\n',
        # alone in its module, an unused receiver is still reported
        'lib/qstash.ts':
            'import { Receiver } from "@upstash/qstash";\n\n'
            'export async function handle(body: string) {\n'
            '  const receiver = new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, '
            'nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });\n'
            '  return runJob(JSON.parse(body));\n'
            '}\n',
        'app.py':
            'import os\n\nfrom fastapi import FastAPI, Request\nfrom qstash import Receiver\n\n'
            'app = FastAPI()\nreceiver = Receiver(current_signing_key=os.environ["QSTASH_CURRENT_SIGNING_KEY"], '
            'next_signing_key=os.environ["QSTASH_NEXT_SIGNING_KEY"])\n\n'
            '@app.post("/jobs")\nasync def jobs(request: Request):\n'
            '    signature = request.headers.get("upstash-signature")\n'
            '    if not signature:\n        return {"error": "missing"}\n'
            '    return await run_job(await request.json())\n',
    })
    report = _scan(tmp_path)
    assert sorted((path, rule) for path, _, rule in _found(report)) == [
        ('app.py', 'upstash-qstash-signature-not-verified-python'),
        ('app/api/qstash/route.ts', 'upstash-qstash-signature-not-verified'),
        ('lib/qstash.ts', 'upstash-qstash-receiver-never-used')], report['results']


def test_a_destination_reading_several_delivery_headers_is_one_finding_per_module(tmp_path):
    write_files(tmp_path, {
        'app/api/cron/route.ts':
            'export async function POST(req: Request) {\n'
            '  const messageId = req.headers.get("upstash-message-id");\n'
            '  const retried = Number(req.headers.get("upstash-retried") ?? "0");\n'
            '  await runCron(messageId, retried, await req.json());\n'
            '  return new Response("ok");\n'
            '}\n',
        'worker.py':
            'from fastapi import FastAPI, Header, Request\n\napp = FastAPI()\n\n'
            '@app.post("/jobs")\nasync def jobs(\n    request: Request,\n'
            '    upstash_message_id: str = Header(default=""),\n'
            '    upstash_retried: int = Header(default=0),\n):\n'
            '    return await run_job(upstash_message_id, upstash_retried, await request.json())\n',
        # the same reads in a module that verifies draw nothing
        'app/api/verified/route.ts':
            'import { Receiver } from "@upstash/qstash";\n\n'
            'const receiver = new Receiver({ currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!, '
            'nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY! });\n\n'
            'export async function POST(req: Request) {\n'
            '  const body = await req.text();\n'
            '  try {\n'
            '    await receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body, url: req.url });\n'
            '  } catch {\n'
            '    return new Response("bad signature", { status: 401 });\n'
            '  }\n'
            '  await runCron(req.headers.get("upstash-message-id"), JSON.parse(body));\n'
            '  return new Response("ok");\n'
            '}\n',
    })
    report = _scan(tmp_path)
    assert sorted(_found(report)) == [
        ('app/api/cron/route.ts', 2, 'upstash-qstash-delivery-signature-never-checked'),
        ('worker.py', 8, 'upstash-qstash-delivery-signature-never-checked-python')], report['results']


def test_a_write_token_in_an_angular_environment_file_is_reported_there_only(tmp_path):
    token, other = tokens.generate_redis_token(), tokens.generate_redis_token()
    settings = f'export const environment = {{\n  production: true,\n  upstashToken: "{token}",\n}};\n'
    write_files(tmp_path, {
        'src/environments/environment.prod.ts': settings,
        # elsewhere a bare literal is the detect-secrets plugin's finding, not a bundle leak
        'src/app/settings.ts': settings,
        # given to the SDK it is the SDK-client rule's finding, once
        'src/environments/environment.ts':
            'import { Redis } from "@upstash/redis";\n\n'
            f'export const redis = new Redis({{ url: "https://example.upstash.io", token: "{other}" }});\n',
    })
    report = _scan(tmp_path)
    assert sorted(_found(report)) == [
        ('src/environments/environment.prod.ts', 3, 'upstash-write-token-in-browser-environment-file'),
        ('src/environments/environment.ts', 3, 'upstash-hardcoded-write-token-in-sdk-client')], report['results']
    assert token not in json.dumps(report) and other not in json.dumps(report)


def test_a_token_in_a_notebook_cell_is_one_finding(tmp_path):
    endpoint = tokens.generate_endpoint()
    vector, password = tokens.generate_vector_token(endpoint), tokens.generate_redis_token()
    cells = [{'cell_type': 'code', 'execution_count': 1, 'metadata': {}, 'outputs': [], 'source': [
        'from upstash_vector import Index\n',
        f'index = Index(url="https://{endpoint}-vector.upstash.io", token="{vector}")\n',
        # a connection URL's password: the URL rule's finding alone
        f'REDIS_URL = "rediss://default:{password}@{tokens.generate_host_name()}.upstash.io:6379"\n',
        'reader = Index.from_env()\n']}]
    notebook = {'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}
    write_files(tmp_path, {'notebooks/search.ipynb': json.dumps(notebook, indent=1)})
    report = _scan(tmp_path)
    assert sorted((rule for _, _, rule in _found(report))) == [
        'upstash-hardcoded-redis-url', 'upstash-hardcoded-token-in-notebook'], report['results']
    assert vector not in json.dumps(report) and password not in json.dumps(report)


def test_a_qstash_named_route_that_never_verifies_is_one_finding(tmp_path):
    write_files(tmp_path, {
        'server.ts':
            'import express from "express";\n\nconst app = express();\n\n'
            'app.post("/api/qstash/resize", express.json(), async (req, res) => {\n'
            '  await resize(req.body.imageId);\n  res.json({ ok: true });\n});\n\n'
            # users call this one to send to QStash
            'app.post("/api/qstash/publish", async (req, res) => res.json(await enqueue(req.body)));\n',
        # the route and a delivery header in one module: one finding, the header's
        'worker.ts':
            'import { Hono } from "hono";\n\nconst app = new Hono();\n\n'
            'app.post("/qstash/jobs", async (c) => {\n'
            '  const attempt = Number(c.req.header("upstash-retried") ?? "0");\n'
            '  await runJob(await c.req.json(), attempt);\n  return c.json({ ok: true });\n});\n\n'
            'export default app;\n',
        'views.py':
            'from flask import Flask, request\n\napp = Flask(__name__)\n\n\n'
            '@app.route("/qstash/digest", methods=["POST"])\ndef digest():\n'
            '    send_digest(request.get_json(force=True))\n    return {"ok": True}\n',
    })
    report = _scan(tmp_path)
    assert sorted(_found(report)) == [
        ('server.ts', 5, 'upstash-qstash-route-never-checked'),
        ('views.py', 6, 'upstash-qstash-route-never-checked-python'),
        ('worker.ts', 6, 'upstash-qstash-delivery-signature-never-checked')], report['results']


RULES = ['rule-a', 'rule-b', 'upstash-secret-in-public-env-var', 'upstash-client-in-use-client-file',
         'upstash-qstash-hardcoded-signing-key-in-config', 'upstash-secret-in-expo-app-json',
         'upstash-qstash-receiver-never-used', 'upstash-qstash-signature-not-verified',
         'upstash-qstash-delivery-signature-never-checked', 'upstash-qstash-route-never-checked']
spans = st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(0, 3), st.integers(0, 6)).map(
    lambda t: (t[0], t[1], t[0] + t[2], t[3] if t[2] else t[1] + t[3]))
findings = st.lists(st.tuples(st.sampled_from(RULES), st.sampled_from(['x.ts', 'y.ts']),
                              spans), max_size=12)


def _merges_into(dropped, kept) -> bool:
    (rule, path, span), (other_rule, other_path, other) = dropped, kept
    if path != other_path:
        return False
    if rule == other_rule and rule in semgrep_findings.ONE_PER_FILE:
        return True             # one finding stands for the module
    if other_rule in semgrep_findings.MERGED_INTO_FILE.get(rule, ()):
        return True             # anywhere in the file
    if rule != other_rule and other_rule not in semgrep_findings.MERGED_INTO.get(rule, ()):
        return False
    return other[0] == span[0] or semgrep_findings._contains(other, span)


@settings(max_examples=500)
@given(findings)
def test_merge_keeps_one_finding_per_misuse(items):
    drop = semgrep_findings.merge_duplicates(items)
    kept = [item for i, item in enumerate(items) if i not in drop]
    # nothing kept is a duplicate of another kept finding (same rule within it or on its
    # line, or within a finding of a rule it merges into)...
    for i, item in enumerate(kept):
        for j, other in enumerate(kept):
            if i != j:
                assert not _merges_into(item, other), (item, other)
    # ...and every dropped one is a duplicate of a kept one, or of a dropped one that is
    # (a key read on the line of a client built in a 'use client' module): no misuse is lost
    reaches_kept = {i for i in range(len(items)) if i not in drop}
    while True:
        more = {i for i in drop - reaches_kept
                if any(_merges_into(items[i], items[k]) for k in reaches_kept)}
        if not more:
            break
        reaches_kept |= more
    assert drop <= reaches_kept, [items[i] for i in drop - reaches_kept]
