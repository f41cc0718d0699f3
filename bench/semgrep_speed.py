"""What the Upstash rule pack costs a semgrep run, against semgrep with one trivial rule.

A generated TypeScript monorepo of 4,000 files (pnpm/turbo style: `apps/web` Next.js,
`apps/admin` Vite, `apps/api` Express, `packages/ui`, `packages/lib`, each with its
package.json and build/test configs, `vitest.config.mts` included) is scanned: React
components, App Router and Pages Router API handlers, Express routers, utilities, unit
tests, a few QStash handlers -- verified and not -- and Upstash clients. The same flags and
five configurations:

  trivial     semgrep scan --experimental --config <one rule: `eval(...)` in JS/TS>
              (semgrep's OCaml front end, as `upstash-semgrep` runs it)
  trivial-py  semgrep scan --config <the same rule>   (the Python front end, what plain
              `semgrep scan` runs)
  cli         upstash-semgrep --json --quiet   (what users and the pre-commit hook run:
              the combined pack, .mts/.cts staging, SDK filter, merged duplicates)
  merged      semgrep scan --experimental --config <the pack as one file, exactly as
              `upstash-semgrep` passes it, without its prefilter>
  pack        semgrep scan --config <the rule pack directory>   (plain
              `semgrep --config semgrep-rules/`; one round only, for information)

`merged` and `pack` run the same rules; they differ only in startup: semgrep validates
every config FILE in a separate semgrep-core process (~0.15-1 s each, depending on the load
of the machine), and the pack keeps one rule per file. `merged` is the figure that counts
(it is what users of `upstash-semgrep` and the pre-commit hook pay); `pack` is printed to
show what calling semgrep on the directory costs.

How real is the mix? QStash handlers are what the pack spends its time on (semgrep matches
the QStash rules on every file that calls `verify` or reads the signature header), so their
share decides the ratio. Four public monorepos that use QStash, read 2026-12, JS/TS files
outside node_modules: dubinc/dub 4,212 files, 6 importing `@upstash/qstash`, 1 reading the
`upstash-signature` header; mfts/papermark 1,210, 1 and 5 (0.5%: the densest);
elie222/inbox-zero 2,804, 10 and 0; openstatusHQ/openstatus 2,260, 1 and 1. The tree's
QStash share is 0.6% by default (24 of 4,000: 8 behind the SDK's wrapper, 16 reading the
header next to a `Receiver`), above the densest of them. `--qstash-share 0.03` builds the
earlier tree (120 handlers, 80 of them reading the header: 16 times the header reads of the
densest real app), the heavy case of a codebase made mostly of QStash handlers, such as an
examples collection. The tree also holds 120 Upstash client modules (3%).

Each is run ROUNDS times, in rotating order, and the best wall time (and the best CPU time
of semgrep and its children) counts: the machine is shared, so the minimum is the figure
least disturbed by other work. The `cli` ratio against `trivial` (the same front end) is
the number to keep within 1.5x; the ratio against `trivial-py` is printed beside it.

`--instructions` also counts the instructions of the `upstash-semgrep` process itself under
valgrind (semgrep's processes are not traced): the cost of our own Python, which the load of
a shared machine does not change.

`--tree DIR` (repeatable) times an existing checkout instead of the generated tree, read
only: `trivial`, `cli` and `merged` on each, best of ROUNDS, one ratio line per tree. Public
projects that use Upstash are the real-world check of the generated mix, e.g.

    git clone --depth 1 https://github.com/dubinc/dub /tmp/dub
    python bench/semgrep_speed.py --tree /tmp/dub

`--cli-jobs N` gives `upstash-semgrep` semgrep's `-j N` (by default semgrep picks its number
of parallel jobs itself, as a user's run does): with a few dozen files to match, semgrep's
parallel jobs cost CPU time that one job does not, most of all on a loaded machine.

    python bench/semgrep_speed.py [--files 4000] [--rounds 3] [--keep DIR] [--instructions]
                                  [--cli-jobs N] [--qstash-share 0.006] [--tree DIR ...]
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from detect_secrets_upstash.semgrep import FRONT_END
from detect_secrets_upstash.semgrep import combined_rules
from detect_secrets_upstash.semgrep import rules_dir

LIMIT = 1.5
# QStash handler files in the generated tree: papermark's 0.5% (see the docstring), rounded up.
REAL_QSTASH_SHARE = 0.006
FLAGS = ('--metrics=off', '--disable-version-check', '--quiet', '--json', '--no-git-ignore')
TRIVIAL_RULE = """\
rules:
  - id: trivial-eval
    languages: [javascript, typescript]
    severity: INFO
    message: eval
    pattern: eval(...)
"""

# ---- the generated tree ------------------------------------------------------------------

WORDS = ('order', 'invoice', 'user', 'team', 'project', 'report', 'billing', 'email', 'event',
         'upload', 'search', 'profile', 'session', 'comment', 'product', 'cart', 'audit', 'plan')


def _component(rng: random.Random, name: str, client: bool) -> str:
    fields = rng.sample(WORDS, 4)
    state = '\n'.join(f'  const [{f}, set{f.title()}] = useState<string>("");' for f in fields)
    inputs = '\n'.join(
        f'        <input name="{f}" value={{{f}}} onChange={{(e) => set{f.title()}(e.target.value)}} />'
        for f in fields)
    head = '"use client";\n\n' if client else ''
    return f'''{head}import {{ useEffect, useState }} from "react";
import styles from "./{name}.module.css";

type {name}Props = {{ title: string; items: {{ id: string; label: string }}[] }};

export default function {name}({{ title, items }}: {name}Props) {{
{state}
  const [loading, setLoading] = useState(false);

  useEffect(() => {{
    let cancelled = false;
    setLoading(true);
    fetch("/api/{fields[0]}")
      .then((res) => res.json())
      .then((data) => {{ if (!cancelled) set{fields[0].title()}(String(data.value ?? "")); }})
      .finally(() => setLoading(false));
    return () => {{ cancelled = true; }};
  }}, []);

  return (
    <section className={{styles.root}}>
      <h2>{{title}}</h2>
      {{loading ? <p>Loading...</p> : null}}
      <form onSubmit={{(e) => e.preventDefault()}}>
{inputs}
      </form>
      <ul>
        {{items.map((item) => (
          <li key={{item.id}} className={{item.id === {fields[1]} ? styles.active : undefined}}>
            {{item.label}}
          </li>
        ))}}
      </ul>
    </section>
  );
}}
'''


def _app_route(rng: random.Random, thing: str) -> str:
    return f'''import {{ NextRequest, NextResponse }} from "next/server";
import {{ db }} from "@/lib/db";

export async function GET(request: NextRequest) {{
  const page = Number(request.nextUrl.searchParams.get("page") ?? "1");
  const limit = Math.min(Number(request.nextUrl.searchParams.get("limit") ?? "20"), 100);
  const rows = await db.{thing}.findMany({{ skip: (page - 1) * limit, take: limit }});
  return NextResponse.json({{ page, rows }});
}}

export async function POST(request: NextRequest) {{
  const auth = request.headers.get("authorization");
  if (!auth?.startsWith("Bearer ")) {{
    return NextResponse.json({{ error: "unauthorised" }}, {{ status: 401 }});
  }}
  const input = await request.json();
  if (typeof input.name !== "string" || input.name.length > {rng.randint(40, 200)}) {{
    return NextResponse.json({{ error: "invalid name" }}, {{ status: 400 }});
  }}
  const created = await db.{thing}.create({{ data: {{ name: input.name, owner: auth.slice(7) }} }});
  return NextResponse.json(created, {{ status: 201 }});
}}
'''


def _pages_api(rng: random.Random, thing: str) -> str:
    return f'''import type {{ NextApiRequest, NextApiResponse }} from "next";
import {{ getSession }} from "../../lib/session";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {{
  const session = await getSession(req);
  if (!session) return res.status(401).json({{ error: "sign in first" }});
  switch (req.method) {{
    case "GET":
      return res.status(200).json({{ {thing}: [], user: session.userId }});
    case "DELETE":
      if (typeof req.query.id !== "string") return res.status(400).end();
      return res.status(204).end();
    default:
      res.setHeader("Allow", "GET, DELETE");
      return res.status(405).end();
  }}
}}
'''


def _express_router(rng: random.Random, thing: str) -> str:
    return f'''const express = require("express");
const {{ body, validationResult }} = require("express-validator");
const service = require("../services/{thing}");

const router = express.Router();

router.get("/{thing}s", async (req, res, next) => {{
  try {{
    const items = await service.list({{ limit: Number(req.query.limit) || {rng.randint(10, 50)} }});
    res.json(items);
  }} catch (err) {{
    next(err);
  }}
}});

router.post("/{thing}s", body("name").isString().isLength({{ max: 120 }}), async (req, res) => {{
  const errors = validationResult(req);
  if (!errors.isEmpty()) return res.status(400).json({{ errors: errors.array() }});
  const created = await service.create(req.body);
  res.status(201).json(created);
}});

module.exports = router;
'''


def _util(rng: random.Random, name: str) -> str:
    return f'''export function {name}Format(value: number, currency = "USD"): string {{
  return new Intl.NumberFormat("en-US", {{ style: "currency", currency }}).format(value);
}}

export function {name}Chunk<T>(items: T[], size = {rng.randint(2, 20)}): T[][] {{
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}}

export function {name}Slug(text: string): string {{
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}}

export async function {name}Retry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {{
  let last: unknown;
  for (let i = 0; i < attempts; i++) {{
    try {{ return await fn(); }} catch (err) {{ last = err; await new Promise((r) => setTimeout(r, 2 ** i * 100)); }}
  }}
  throw last;
}}
'''


def _qstash_handler(rng: random.Random, kind: int) -> str:
    if kind == 0:   # the SDK wrapper
        return '''import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

async function handler(request: Request) {
  const job = await request.json();
  await fetch(process.env.WORKER_URL!, { method: "POST", body: JSON.stringify(job) });
  return new Response("ok");
}

export const POST = verifySignatureAppRouter(handler);
'''
    if kind == 1:   # Receiver with try/catch
        return '''import { Receiver } from "@upstash/qstash";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY!,
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY!,
});

export async function POST(request: Request) {
  const signature = request.headers.get("upstash-signature") ?? "";
  const body = await request.text();
  try {
    await receiver.verify({ signature, body, url: request.url });
  } catch {
    return new Response("invalid signature", { status: 401 });
  }
  const job = JSON.parse(body);
  return Response.json({ received: job.id });
}
'''
    return '''import { Receiver } from "@upstash/qstash";

const receiver = new Receiver();

export async function POST(request: Request) {
  const signature = request.headers.get("upstash-signature");
  if (!signature) return new Response("missing signature", { status: 401 });
  const job = await request.json();
  const ok = receiver.verify({ signature, body: JSON.stringify(job) });
  if (!ok) return new Response("invalid", { status: 401 });
  return Response.json({ received: job.id });
}
'''


def _upstash_client(rng: random.Random, n: int) -> str:
    if n % 3 == 0:
        return f'''import {{ Redis }} from "@upstash/redis";
import {{ Ratelimit }} from "@upstash/ratelimit";

export const redis = Redis.fromEnv();
export const ratelimit = new Ratelimit({{
  redis,
  limiter: Ratelimit.slidingWindow({rng.randint(5, 50)}, "10 s"),
  prefix: "rl:{n}",
}});
'''
    if n % 3 == 1:
        return '''import { Redis } from "@upstash/redis";

export const cache = new Redis({
  url: process.env.UPSTASH_REDIS_REST_URL!,
  token: process.env.UPSTASH_REDIS_REST_TOKEN!,
});

export async function cached<T>(key: string, ttl: number, load: () => Promise<T>): Promise<T> {
  const hit = await cache.get<T>(key);
  if (hit !== null) return hit;
  const value = await load();
  await cache.set(key, value, { ex: ttl });
  return value;
}
'''
    return '''import { Client } from "@upstash/qstash";

const qstash = new Client({ token: process.env.QSTASH_TOKEN! });

export async function enqueue(path: string, payload: unknown) {
  return qstash.publishJSON({ url: `${process.env.APP_URL}${path}`, body: payload, retries: 3 });
}
'''


WORKSPACES = ('apps/web', 'apps/admin', 'apps/api', 'packages/ui', 'packages/lib')


def _unit_test(rng: random.Random, thing: str) -> str:
    return f'''import {{ describe, expect, it }} from "vitest";
import {{ {thing}Slug, {thing}Chunk }} from "../src/{thing}";

describe("{thing}", () => {{
  it("slugs", () => {{
    expect({thing}Slug("Hello World {rng.randint(1, 99)}")).toMatch(/^hello-world-/);
  }});
  it("chunks", () => {{
    expect({thing}Chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  }});
}});
'''


def _workspace_files(workspace: str) -> Dict[str, str]:
    """package.json and the build/test configs every workspace of a monorepo has."""
    name = workspace.split('/')[-1]
    files = {
        'package.json': f'{{"name": "@acme/{name}", "private": true, "type": "module"}}\n',
        'tsconfig.json': '{"extends": "../../tsconfig.base.json", "include": ["src", "app"]}\n',
        'vitest.config.mts': 'import { defineConfig } from "vitest/config";\n\n'
                             'export default defineConfig({ test: { environment: "node" } });\n',
    }
    if name == 'web':
        files['next.config.mjs'] = ('/** @type {import("next").NextConfig} */\n'
                                    'export default { reactStrictMode: true, '
                                    'env: { NEXT_PUBLIC_APP_URL: process.env.APP_URL } };\n')
    if name == 'admin':
        files['vite.config.ts'] = ('import { defineConfig } from "vite";\nimport react from "@vitejs/plugin-react";\n\n'
                                   'export default defineConfig({ plugins: [react()], '
                                   'define: { __APP_VERSION__: JSON.stringify("1.0.0") } });\n')
    return files


def generate_tree(root: Path, files: int, seed: int = 4,
                  qstash_share: float = 0.03) -> Dict[str, int]:
    """Write `files` source files under root (a monorepo); returns how many of each kind.

    The dense default share of QStash handlers gives the tests' small trees a few of them."""
    rng = random.Random(seed)
    for workspace in WORKSPACES:
        for name, text in _workspace_files(workspace).items():
            path = root / workspace / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    # Shares of a typical app: mostly components and handlers, a sprinkling of Upstash.
    plan: List[Tuple[str, float]] = [('component', 0.34), ('client-component', 0.08),
                                     ('app-route', 0.14), ('pages-api', 0.06),
                                     ('express', 0.10), ('util', 0.12), ('unit-test', 0.10),
                                     ('qstash', qstash_share), ('upstash', 0.03)]
    counts = {kind: int(files * share) for kind, share in plan}
    counts['component'] += files - sum(counts.values())
    for kind, count in counts.items():
        for i in range(count):
            thing = WORDS[i % len(WORDS)]
            name = f'{thing.title()}{kind.title().replace("-", "")}{i}'
            web, admin, api, ui, lib = (root / w for w in WORKSPACES)
            if kind in ('component', 'client-component'):
                base = (ui, admin, web)[i % 3]
                path = base / 'src' / 'components' / f'{thing}' / f'{name}.tsx'
                text = _component(rng, name, client=kind == 'client-component')
            elif kind == 'app-route':
                path = web / 'app' / 'api' / f'{thing}-{i}' / 'route.ts'
                text = _app_route(rng, thing)
            elif kind == 'pages-api':
                path = web / 'pages' / 'api' / f'{thing}-{i}.ts'
                text = _pages_api(rng, thing)
            elif kind == 'express':
                path = api / 'src' / 'routes' / f'{thing}-{i}.js'
                text = _express_router(rng, thing)
            elif kind == 'util':
                path = lib / 'src' / f'{thing}{i}.ts'
                text = _util(rng, f'{thing}{i}')
            elif kind == 'unit-test':
                path = lib / 'src' / '__tests__' / f'{thing}{i}.test.ts'
                text = _unit_test(rng, f'{thing}{i}')
            elif kind == 'qstash':
                path = web / 'app' / 'api' / 'jobs' / f'job-{i}' / 'route.ts'
                text = _qstash_handler(rng, i % 3)
            else:
                path = (web, api, lib)[i % 3] / 'src' / 'upstash' / f'client-{i}.ts'
                text = _upstash_client(rng, i)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return counts


# ---- timing -------------------------------------------------------------------------------

def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_semgrep(config: Optional[Path], target: Path,
                python_front_end: bool = False,
                cli_jobs: Optional[int] = None) -> Tuple[float, float, dict]:
    """One scan: (wall seconds, CPU seconds of semgrep and its children, parsed JSON).

    `config` None runs `upstash-semgrep` itself, as users and the hook do."""
    env = {**os.environ, 'SEMGREP_ENABLE_VERSION_CHECK': '0', 'SEMGREP_SEND_METRICS': 'off'}
    if config is None:
        cli = shutil.which('upstash-semgrep') or str(Path(sys.executable).parent / 'upstash-semgrep')
        jobs = [] if cli_jobs is None else ['-j', str(cli_jobs)]
        command = [cli, '--json', '--quiet', *jobs, str(target)]
    else:
        semgrep = shutil.which('semgrep') or str(Path(sys.executable).parent / 'semgrep')
        front_end = ('scan',) if python_front_end else FRONT_END
        command = [semgrep, *front_end, *FLAGS, '--config', str(config), str(target)]
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if proc.returncode not in (0, 1):
        raise SystemExit(f'semgrep failed ({proc.returncode}): {proc.stderr[-2000:]}')
    return wall, cpu, json.loads(proc.stdout)


def own_instructions(target: Path, work: Path) -> int:
    """Instructions of the `upstash-semgrep` process itself (valgrind's cachegrind, children not
    traced: semgrep's own processes run natively and are not counted): our Python's cost,
    which the machine's load does not change."""
    cli = shutil.which('upstash-semgrep') or str(Path(sys.executable).parent / 'upstash-semgrep')
    env = {**os.environ, 'SEMGREP_ENABLE_VERSION_CHECK': '0', 'SEMGREP_SEND_METRICS': 'off'}
    command = [sys.executable, cli, '--json', '--quiet', str(target)]
    subprocess.run(command, capture_output=True, env=env, timeout=1800)   # caches warm, as in the rounds
    out = work / 'cachegrind.out'
    done = subprocess.run(['valgrind', '--tool=cachegrind', '--cache-sim=no', '--branch-sim=no',
                           f'--cachegrind-out-file={out}', *command],
                          capture_output=True, env=env, timeout=1800)
    if done.returncode not in (0, 1):
        raise SystemExit(f'upstash-semgrep under valgrind failed: {done.stderr[-2000:]!r}')
    for line in out.read_text().splitlines():
        if line.startswith('summary:'):
            return int(line.split()[1])
    raise SystemExit(f'no instruction total in {out}')


def _load() -> str:
    return ', '.join(f'{n:.2f}' for n in os.getloadavg())


def _rotated(names: List[str], round_no: int) -> List[str]:
    """`names` in this round's order: no configuration always runs first (cold caches)."""
    shift = round_no % len(names)
    return names[shift:] + names[:shift]


def _js_ts_files(tree: Path) -> int:
    suffixes = {'.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts'}
    return sum(1 for path in tree.rglob('*')
               if path.suffix in suffixes and 'node_modules' not in path.parts and path.is_file())


def time_checkouts(trees: List[Path], rounds: int, cli_jobs: Optional[int]) -> int:
    """`trivial`, `cli` and `merged` on each checkout, rotating order, best of `rounds`."""
    missing = [str(tree) for tree in trees if not tree.is_dir()]
    if missing:
        raise SystemExit(f'not a directory: {", ".join(missing)}')
    work = Path(tempfile.mkdtemp(prefix='semgrep-speed-'))
    try:
        trivial = work / 'trivial.yaml'
        trivial.write_text(TRIVIAL_RULE)
        merged = work / 'merged.yaml'
        merged.write_text(combined_rules(rules_dir()))
        configs: Dict[str, Optional[Path]] = {'trivial': trivial, 'cli': None, 'merged': merged}
        names = list(configs)
        print(f'load average {_load()}')
        over = []
        for tree in trees:
            best = {name: [float('inf'), float('inf')] for name in names}
            for round_no in range(rounds):
                for name in _rotated(names, round_no):
                    wall, cpu, report = run_semgrep(configs[name], tree, False, cli_jobs)
                    best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
                    if round_no == 0:
                        print(f'  {tree.name} {name:8s} findings {len(report["results"])}  '
                              f'errors {len(report["errors"])}')
            base_wall, base_cpu = best['trivial']
            ratio = best['cli'][0] / base_wall
            if ratio > LIMIT:
                over.append(str(tree))
            print(f'{tree} ({_js_ts_files(tree)} JS/TS files): trivial {base_wall:.2f}s wall / '
                  f'{base_cpu:.2f}s cpu; upstash-semgrep {best["cli"][0]:.2f}s / '
                  f'{best["cli"][1]:.2f}s = {ratio:.2f}x wall, {best["cli"][1] / base_cpu:.2f}x cpu '
                  f'({"within" if ratio <= LIMIT else "OVER"} {LIMIT:.1f}x); merged pack '
                  f'{best["merged"][0] / base_wall:.2f}x wall', flush=True)
        print(f'load average at the end: {_load()}')
        return 1 if over else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--files', type=int, default=4000)
    parser.add_argument('--rounds', type=int, default=3, help='runs of each configuration')
    parser.add_argument('--keep', type=Path, help='generate the tree here and keep it')
    parser.add_argument('--instructions', action='store_true',
                        help="also count the instructions of upstash-semgrep's own process "
                             '(valgrind; semgrep not counted)')
    parser.add_argument('--cli-jobs', type=int, metavar='N',
                        help="give upstash-semgrep -j N (default: semgrep's own choice)")
    parser.add_argument('--qstash-share', type=float, default=REAL_QSTASH_SHARE,
                        help='share of QStash handler files in the generated tree (default '
                             f'{REAL_QSTASH_SHARE}: above the densest public monorepo measured)')
    parser.add_argument('--tree', type=Path, action='append', metavar='DIR',
                        help='time this existing checkout (read only) instead of the generated '
                             'tree; repeat for several')
    # bench/run.py hands every part the same extra arguments: ignore the ones for others.
    args, _ = parser.parse_known_args(argv)
    if args.tree:
        return time_checkouts(args.tree, args.rounds, args.cli_jobs)

    work = Path(tempfile.mkdtemp(prefix='semgrep-speed-'))
    tree = args.keep or work / 'tree'
    try:
        counts = generate_tree(tree, args.files, qstash_share=args.qstash_share)
        trivial = work / 'trivial.yaml'
        trivial.write_text(TRIVIAL_RULE)
        pack = rules_dir()
        rule_files = sorted(pack.rglob('*.yaml'))
        merged = work / 'merged.yaml'       # JSON is YAML to semgrep
        merged.write_text(combined_rules(pack))
        rules = json.loads(merged.read_text())['rules']
        configs: Dict[str, Optional[Path]] = {'trivial': trivial, 'trivial-py': trivial,
                                              'cli': None, 'merged': merged, 'pack': pack}
        python_front_end = {'trivial-py', 'pack'}
        print(f'tree: {sum(counts.values())} files in {tree} '
              f'({", ".join(f"{k} {v}" for k, v in counts.items())})')
        print(f'pack: {pack} ({len(rule_files)} rule files, {len(rules)} rules)')
        print(f'cli: upstash-semgrep --json --quiet'
              f'{"" if args.cli_jobs is None else f" -j {args.cli_jobs}"}; load average '
              f'{_load()}')

        best = {name: [float('inf'), float('inf')] for name in configs}
        findings: Dict[str, Dict[str, int]] = {}
        timed = ['trivial', 'cli', 'merged', 'trivial-py']
        for round_no in range(args.rounds):
            # The directory form runs once (it only shows what plain `semgrep --config DIR` costs).
            order = _rotated(timed, round_no) + (['pack'] if round_no == 0 else [])
            for name in order:
                wall, cpu, report = run_semgrep(configs[name], tree, name in python_front_end,
                                                args.cli_jobs)
                best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
                print(f'  round {round_no + 1} {name:10s} wall {wall:6.1f}s  cpu {cpu:6.1f}s  '
                      f'findings {len(report["results"])}  errors {len(report["errors"])}')
                findings[name] = {}
                for result in report['results']:
                    rule = result['check_id'].rsplit('.', 1)[-1]
                    findings[name][rule] = findings[name].get(rule, 0) + 1
        if findings['pack'] != findings['merged']:
            print(f'WARNING: pack and merged disagree: {findings["pack"]} vs {findings["merged"]}')
        print(f'cli findings by rule: {json.dumps(findings["cli"], sort_keys=True)}')
        base_wall, base_cpu = best['trivial']
        print(f'best trivial: wall {base_wall:.1f}s, cpu {base_cpu:.1f}s')
        for name in ('trivial-py', 'cli', 'merged', 'pack'):
            wall, cpu = best[name]
            print(f'best {name:10s}: wall {wall:.1f}s ({wall / base_wall:.2f}x), '
                  f'cpu {cpu:.1f}s ({cpu / base_cpu:.2f}x)')
        print(f'load average at the end: {_load()}')
        ratios = {name: best[name][0] / base_wall for name in ('cli', 'merged', 'pack')}
        cpu_ratio = best['cli'][1] / base_cpu
        verdict = 'within' if ratios['cli'] <= LIMIT else 'OVER'
        print(f'upstash-semgrep/trivial wall-time ratio: {ratios["cli"]:.2f}x '
              f'({verdict} the {LIMIT:.1f}x limit), CPU {cpu_ratio:.2f}x; semgrep with the '
              f'combined pack: {ratios["merged"]:.2f}x; upstash-semgrep/trivial-py CPU: '
              f'{best["cli"][1] / best["trivial-py"][1]:.2f}x')
        print(f'semgrep --config <dir>/trivial wall-time ratio: {ratios["pack"]:.2f}x (for '
              f'information: semgrep validates each of the {len(rule_files)} rule files '
              f'in its own process)')
        if args.instructions:
            print(f'upstash-semgrep process itself (valgrind cachegrind, semgrep not counted): '
                  f'{own_instructions(tree, work) / 1e6:.0f}M instructions')
        # The target is what users pay: upstash-semgrep (and the hook).
        return 0 if ratios['cli'] <= LIMIT else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
