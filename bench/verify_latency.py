"""How close `upstash-verify` gets to the ideal wall time when the server is slow.

The Upstash REST stand-in (tests/standin, a real redis-server behind it) adds 50 ms to every
answer. N credentials are verified with a pool of C workers; the ideal is
latency x ceil(N / C): every request waits its 50 ms and the pool is never idle. The ratio
wall / ideal is printed; the target is <= 1.3.

A Redis token costs one request: `/pipeline` carries the liveness read (EXISTS) and the
scope probe (no-op DEL) together, so the ideal above is exact for Redis. A Vector token
needs two round trips (`/info`, then the no-op delete that asks the server for its scope),
so the mixed figure's ideal counts round trips: latency x ceil(round trips / C).

The verifier runs in its own process (as `upstash-verify` would), so its threads do not
share a GIL with the stand-in's; the time measured is verification only (interpreter
start-up, about 0.3 s, is printed separately).

    python bench/verify_latency.py [--count 200] [--concurrency 8] [--latency 0.05]
"""
import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1.3


def _client(spec_path: str) -> None:
    """Child process: verify the credentials in the spec file, print timings as JSON."""
    from detect_secrets_upstash.verify.http import HostPolicy
    from detect_secrets_upstash.verify.inputs import from_env_lines
    from detect_secrets_upstash.verify.verifier import Options
    from detect_secrets_upstash.verify.verifier import verify_credentials
    spec = json.loads(Path(spec_path).read_text())
    policy = HostPolicy.of(['127.0.0.1'])
    credentials = from_env_lines(spec['env'], policy)
    options = Options(policy=policy, concurrency=spec['concurrency'],
                      qstash_urls=(spec['url'],), vector_urls=(spec['url'],))
    started = time.perf_counter()
    results = verify_credentials(credentials, options)
    seconds = time.perf_counter() - started
    statuses = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    print(json.dumps({'seconds': seconds, 'statuses': statuses, 'count': len(results)}))


def _run_client(env_text: str, url: str, concurrency: int, workdir: str) -> dict:
    spec = Path(workdir) / 'spec.json'
    spec.write_text(json.dumps({'env': env_text, 'url': url, 'concurrency': concurrency}))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, '--client', str(spec)], capture_output=True,
                          text=True, timeout=600)
    total = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f'verify latency: client failed:\n{proc.stderr[-2000:]}')
    figures = json.loads(proc.stdout)
    figures['process_seconds'] = total
    return figures


def _redis_set(standin, count: int):
    lines = [f'UPSTASH_REDIS_REST_URL={standin.url}']
    for _ in range(math.ceil(count / 2)):
        database = standin.new_database()
        lines += [f'TOKEN={database.token}', f'READ_ONLY_TOKEN={database.read_only_token}']
    return '\n'.join(lines[:count + 1]) + '\n', count


def _mixed_set(standin, count: int):
    """80% Redis, 10% QStash, 10% Vector (two round trips each)."""
    qstash = vector = count // 10
    redis_count = count - qstash - vector
    text, _ = _redis_set(standin, redis_count)
    lines = [text.rstrip('\n')]
    for _ in range(qstash):
        lines.append(f'QSTASH_TOKEN={standin.new_qstash_account().token}')
    for _ in range(vector):
        lines.append(f'UPSTASH_VECTOR_REST_TOKEN={standin.new_vector_index().token}')
    round_trips = redis_count + qstash + 2 * vector
    return '\n'.join(lines) + '\n', round_trips


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--count', type=int, default=200)
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument('--latency', type=float, default=0.05)
    parser.add_argument('--client', help=argparse.SUPPRESS)
    # Called as a function (bench/run.py), argv defaults to no arguments, not run.py's own.
    args = parser.parse_args([] if argv is None else argv)
    if args.client:
        _client(args.client)
        return 0
    if args.latency <= 0 or args.count < 1 or args.concurrency < 1:
        parser.error('--latency, --count and --concurrency must be positive')

    from tests.standin import RedisServer
    from tests.standin import UpstashStandIn

    print(f'verify latency: {args.count} credentials, concurrency {args.concurrency}, '
          f'stand-in latency {args.latency * 1000:.0f} ms', flush=True)
    worst = 0.0
    with tempfile.TemporaryDirectory(prefix='bench-verify-') as workdir:
        redis_server = RedisServer(Path(workdir) / 'redis').start()
        try:
            for name, make in (('redis', _redis_set), ('mixed', _mixed_set)):
                standin = UpstashStandIn(redis_server, latency=args.latency).start()
                try:
                    env_text, round_trips = make(standin, args.count)
                    figures = _run_client(env_text, standin.url, args.concurrency, workdir)
                finally:
                    standin.stop()
                ideal = args.latency * math.ceil(round_trips / args.concurrency)
                ratio = figures['seconds'] / ideal
                worst = max(worst, ratio)
                statuses = ', '.join(f'{n} {s}' for s, n in sorted(figures['statuses'].items()))
                print(f'  {name:6} {figures["count"]} credentials, {round_trips} round trips: '
                      f'wall {figures["seconds"]:.3f} s, ideal {ideal:.3f} s '
                      f'(latency x ceil({round_trips}/{args.concurrency})), ratio {ratio:.2f}x '
                      f'[{statuses}]; whole process {figures["process_seconds"]:.2f} s', flush=True)
        finally:
            redis_server.stop()
    verdict = 'within' if worst <= TARGET else 'OVER'
    print(f'verify latency: worst ratio {worst:.2f}x, {verdict} the {TARGET}x target')
    return 0 if worst <= TARGET else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
