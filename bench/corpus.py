"""A generated, realistic repository to scan in benchmarks.

Python/TS/JS sources, a minified bundle, YAML and JSON configs, lockfiles, `.env`
files, notebooks and docs, with a few freshly generated Upstash credentials mixed in
(so the plugin's decoding path runs too, not only its regex). Everything comes from a
seeded random generator, tokens included, so two runs scan the same bytes and
instruction counts can be compared across runs.

    python bench/corpus.py DIR        # write the corpus into DIR and print its size
"""
import base64
import contextlib
import hashlib
import json
import os
import random
import sys
import types
from pathlib import Path
from typing import Dict
from typing import Iterator

from detect_secrets_upstash import tokens

WORDS = (
    'user account session cache redis queue message topic vector index query result '
    'config client server request response handler payload token limit retry timeout '
    'value key store fetch update delete create list item order price customer event '
    'schedule worker job status error logger metrics upload file path name id data'
).split()
ADJECTIVES = 'brave quiet clever gentle proud bold calm eager fancy happy'.split()
ANIMALS = 'otter walrus falcon badger lynx heron marmot gecko ibis koala'.split()


@contextlib.contextmanager
def _seeded_tokens(rng: random.Random) -> Iterator[None]:
    """Make `tokens.generate_*` draw from `rng` instead of os.urandom (reproducible bytes)."""
    original = tokens.os
    tokens.os = types.SimpleNamespace(urandom=rng.randbytes)
    try:
        yield
    finally:
        tokens.os = original


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.files: Dict[str, str] = {}
        self.credentials = 0
        self.kind = None        # which credential_line() setting to write (None: random)

    # -- small pieces --
    def word(self) -> str:
        return self.rng.choice(WORDS)

    def ident(self, parts: int = 2) -> str:
        return '_'.join(self.word() for _ in range(parts))

    def camel(self, parts: int = 2) -> str:
        first, *rest = (self.word() for _ in range(parts))
        return first + ''.join(w.title() for w in rest)

    def sentence(self, n: int = 8) -> str:
        return ' '.join(self.word() for _ in range(n)).capitalize() + '.'

    def host(self) -> str:
        return (f'{self.rng.choice(ADJECTIVES)}-{self.rng.choice(ANIMALS)}-'
                f'{self.rng.randint(1000, 65000)}.upstash.io')

    def b64(self, n: int) -> str:
        return base64.b64encode(self.rng.randbytes(n)).decode()

    def credential_line(self) -> str:
        """One line holding a generated Upstash credential, in one of its usual settings."""
        self.credentials += 1
        rng = self.rng
        host = self.host()
        db = int(host.split('.')[0].rsplit('-', 1)[1])
        choice = rng.randrange(6) if self.kind is None else self.kind
        if choice == 0:
            return f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token(db)}'
        if choice == 1:
            return f'KV_REST_API_READ_ONLY_TOKEN="{tokens.generate_redis_token(db, read_only=True)}"'
        if choice == 2:
            return f'REDIS_URL=rediss://default:{tokens.generate_redis_token(db)}@{host}:6379'
        if choice == 3:
            return f'QSTASH_TOKEN={tokens.generate_qstash_token()}'
        if choice == 4:
            return f'QSTASH_CURRENT_SIGNING_KEY={tokens.generate_signing_key()}'
        endpoint = host.split('.')[0] + '-us1'
        return f'UPSTASH_VECTOR_REST_TOKEN={tokens.generate_vector_token(endpoint)}'

    # -- file kinds --
    def python(self, lines: int) -> str:
        out = ['"""' + self.sentence(10) + '"""', 'import json', 'import logging',
               'from typing import Any, Dict, List, Optional', '', 'log = logging.getLogger(__name__)', '']
        while len(out) < lines:
            name = self.ident()
            out += [f'def {name}({self.word()}: str, {self.word()}: Optional[int] = None) -> Dict[str, Any]:',
                    f'    """{self.sentence(9)}"""']
            for _ in range(self.rng.randint(3, 12)):
                kind = self.rng.randrange(6)
                if kind == 0:
                    out.append(f'    {self.ident()} = {self.ident()}({self.word()!r}, timeout={self.rng.randint(1, 60)})')
                elif kind == 1:
                    out.append(f'    # {self.sentence(self.rng.randint(4, 14))}')
                elif kind == 2:
                    out.append(f'    if {self.word()} is None or len({self.word()}) > {self.rng.randint(2, 900)}:')
                    out.append(f'        raise ValueError(f"{self.sentence(5)} {{{self.word()}!r}}")')
                elif kind == 3:
                    out.append(f'    log.info("{self.sentence(6)} %s", {self.word()})')
                elif kind == 4:
                    out.append(f'    {self.word()} = {{"{self.word()}": {self.word()}, "{self.word()}": [{self.rng.randint(0, 99)}, {self.rng.randint(0, 99)}]}}')
                else:
                    out.append(f'    {self.word()}_hash = "{hashlib.sha1(self.rng.randbytes(8)).hexdigest()}"')
            out += [f'    return {{"{self.word()}": {self.word()}}}', '', '']
        return '\n'.join(out) + '\n'

    def typescript(self, lines: int) -> str:
        out = [f"import {{ {self.camel()} }} from './{self.word()}';",
               "import { Redis } from '@upstash/redis';", '']
        while len(out) < lines:
            name = self.camel(3)
            out += [f'export async function {name}({self.word()}: string, opts?: {{ {self.word()}: number }}): Promise<void> {{']
            for _ in range(self.rng.randint(3, 12)):
                kind = self.rng.randrange(6)
                if kind == 0:
                    out.append(f'  const {self.camel()} = await {self.camel()}.{self.word()}(`{self.word()}:${{{self.word()}}}`);')
                elif kind == 1:
                    out.append(f'  // {self.sentence(self.rng.randint(4, 14))}')
                elif kind == 2:
                    out.append(f"  if (!{self.word()}) throw new Error('{self.sentence(5)}');")
                elif kind == 3:
                    out.append(f'  const url = process.env.{self.word().upper()}_{self.word().upper()}_URL ?? "";')
                elif kind == 4:
                    out.append(f'  await fetch(`${{url}}/{self.word()}/{self.word()}`, {{ method: "POST", body: JSON.stringify({{ {self.word()}: {self.rng.randint(0, 999)} }}) }});')
                else:
                    out.append(f'  console.log("{self.sentence(5)}", {self.word()});')
            out += ['}', '']
        return '\n'.join(out) + '\n'

    def minified(self, size: int, line_length: int) -> str:
        chunks, total, line = [], 0, []
        while total < size:
            piece = self.rng.choice((
                f'function {self.camel()[:3]}(e,t){{return e.{self.word()}(t)||"{self.word()}"}}',
                f'var {self.word()[:2]}={{{self.word()}:"{self.b64(self.rng.randint(6, 40))}",n:{self.rng.randint(0, 9999)}}};',
                f'e.exports="data:image/png;base64,{self.b64(self.rng.randint(60, 600))}";',
                f'const {self.word()[:1]}=t("{self.word()}"),r=n.{self.word()}?.{self.word()};',
                f'if(!{self.word()[:1]})throw new Error("{self.sentence(4)}");',
            ))
            line.append(piece)
            total += len(piece)
            if sum(map(len, line)) > line_length:
                chunks.append(''.join(line))
                line = []
        chunks.append(''.join(line))
        return '\n'.join(chunks) + '\n'

    def yaml(self, lines: int, credential: bool) -> str:
        out = ['name: ' + self.ident(), 'on:', '  push:', '    branches: [main]', 'jobs:']
        while len(out) < lines:
            out += [f'  {self.word()}:', '    runs-on: ubuntu-latest', '    env:',
                    f'      {self.word().upper()}_URL: https://{self.host()}',
                    f'      {self.word().upper()}_TOKEN: ${{{{ secrets.{self.word().upper()}_TOKEN }}}}',
                    '    steps:', '      - uses: actions/checkout@v4',
                    f'      - run: npm run {self.word()} -- --{self.word()}={self.rng.randint(1, 9)}',
                    f'        # {self.sentence(7)}']
        if credential:
            out.insert(self.rng.randrange(5, len(out)), '      - ' + self.credential_line())
        return '\n'.join(out) + '\n'

    def json_config(self, keys: int) -> str:
        document = {self.camel(): (self.sentence(4) if self.rng.random() < 0.5 else self.rng.randint(0, 999))
                    for _ in range(keys)}
        document['dependencies'] = {f'@{self.word()}/{self.word()}': f'^{self.rng.randint(0, 9)}.{self.rng.randint(0, 30)}.0'
                                    for _ in range(keys)}
        return json.dumps(document, indent=2) + '\n'

    def package_lock(self, packages: int) -> str:
        entries = {}
        for _ in range(packages):
            name = f'{self.word()}-{self.word()}-{self.rng.randint(0, 999)}'
            version = f'{self.rng.randint(0, 9)}.{self.rng.randint(0, 30)}.{self.rng.randint(0, 30)}'
            entries[f'node_modules/{name}'] = {
                'version': version,
                'resolved': f'https://registry.npmjs.org/{name}/-/{name}-{version}.tgz',
                'integrity': 'sha512-' + self.b64(64),
                'dev': self.rng.random() < 0.5,
            }
        return json.dumps({'name': 'app', 'lockfileVersion': 3, 'packages': entries}, indent=2) + '\n'

    def poetry_lock(self, packages: int) -> str:
        out = []
        for _ in range(packages):
            name = f'{self.word()}-{self.word()}'
            out += ['[[package]]', f'name = "{name}"', f'version = "{self.rng.randint(0, 9)}.{self.rng.randint(0, 30)}"',
                    f'description = "{self.sentence(6)}"', 'optional = false', 'files = [']
            for _ in range(self.rng.randint(1, 4)):
                out.append(f'    {{file = "{name}-py3-none-any.whl", hash = "sha256:{hashlib.sha256(self.rng.randbytes(8)).hexdigest()}"}},')
            out += [']', '']
        return '\n'.join(out) + '\n'

    def env(self, credentials: int) -> str:
        out = [f'# {self.sentence(6)}', 'NODE_ENV=development', f'PORT={self.rng.randint(3000, 9000)}',
               f'UPSTASH_REDIS_REST_URL=https://{self.host()}',
               f'SENTRY_DSN=https://{hashlib.md5(self.rng.randbytes(8)).hexdigest()}@o1.ingest.sentry.io/1',
               f'{self.word().upper()}_SECRET={self.b64(24)}']
        out += [self.credential_line() for _ in range(credentials)]
        out += [f'{self.word().upper()}_{self.word().upper()}={self.word()}' for _ in range(8)]
        return '\n'.join(out) + '\n'

    def notebook(self, cells: int, credential: bool) -> str:
        document_cells = []
        for index in range(cells):
            source = [self.python(8).split('\n')[i] + '\n' for i in range(6)]
            if credential and index == cells // 2:
                name, value = self.credential_line().split('=', 1)
                source.insert(1, f'os.environ["{name}"] = "{value.strip(chr(34))}"\n')
            document_cells.append({'cell_type': 'code', 'execution_count': index, 'metadata': {},
                                   'outputs': [{'output_type': 'stream', 'name': 'stdout',
                                                'text': [self.sentence(8) + '\n']}],
                                   'source': source})
        return json.dumps({'cells': document_cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5},
                          indent=1) + '\n'

    def markdown(self, paragraphs: int) -> str:
        out = [f'# {self.sentence(3)}', '']
        for _ in range(paragraphs):
            out += [self.sentence(self.rng.randint(12, 40)), '', '```bash',
                    f'curl -H "Authorization: Bearer $TOKEN" https://{self.host()}/get/{self.word()}', '```', '']
        return '\n'.join(out) + '\n'

    def build(self, scale: float) -> None:
        rng, n = self.rng, (lambda count: max(1, int(count * scale)))
        for i in range(n(90)):
            self.files[f'app/{self.word()}/{self.ident()}_{i}.py'] = self.python(rng.randint(80, 500))
        for i in range(n(90)):
            ext = rng.choice(('ts', 'tsx', 'js'))
            self.files[f'web/src/{self.word()}/{self.camel()}{i}.{ext}'] = self.typescript(rng.randint(60, 400))
        self.files['web/dist/app.min.js'] = self.minified(n(500_000), 40_000)
        for i in range(n(40)):
            self.files[f'.github/workflows/{self.word()}_{i}.yml'] = self.yaml(rng.randint(30, 150), credential=i % 10 == 3)
        for i in range(n(30)):
            self.files[f'config/{self.word()}_{i}.json'] = self.json_config(rng.randint(5, 60))
        self.files['web/package-lock.json'] = self.package_lock(n(2500))
        self.files['poetry.lock'] = self.poetry_lock(n(400))
        for i in range(n(12)):
            self.files[f'services/{self.word()}_{i}/.env'] = self.env(credentials=i % 3)
        for i in range(n(6)):
            self.files[f'notebooks/{self.word()}_{i}.ipynb'] = self.notebook(rng.randint(10, 40), credential=i % 2 == 0)
        for i in range(n(20)):
            self.files[f'docs/{self.word()}_{i}.md'] = self.markdown(rng.randint(5, 30))


def generate(root: os.PathLike, scale: float = 1.0, seed: int = 20261129) -> Dict[str, int]:
    """Write the corpus under `root`; returns {'files', 'bytes', 'credentials'}.

    `scale` multiplies file counts and sizes (1.0 ~ 4 MB, 400 files).
    """
    rng = random.Random(seed)
    writer = _Writer(rng)
    with _seeded_tokens(rng):
        writer.build(scale)
    root = Path(root)
    total = 0
    for relative, text in writer.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        total += len(text.encode())
    return {'files': len(writer.files), 'bytes': total, 'credentials': writer.credentials}


def generate_warm_up(root: os.PathLike) -> None:
    """A tiny corpus of every file kind, plus one credential in each setting: scanning it
    first runs every lazy import and fills every cache before a measured scan."""
    generate(root, scale=0.01, seed=1)
    writer = _Writer(random.Random(2))
    lines = []
    with _seeded_tokens(writer.rng):
        for kind in range(6):
            writer.kind = kind
            lines.append(writer.credential_line())
    Path(root, 'credentials.env').write_text('\n'.join(lines) + '\n')


def files_under(root: os.PathLike):
    """Every file of a generated corpus, sorted (scan order must be the same in every run)."""
    return sorted(str(p) for p in Path(root).rglob('*') if p.is_file())


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: python bench/corpus.py DIR')
    print(generate(sys.argv[1]))
