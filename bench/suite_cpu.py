"""CPU-seconds each test costs, the test process and the processes it started, as a pytest plugin.

    python -m pytest -n 2 -p no:cacheprovider -p bench.suite_cpu --suite-cpu=40 -q

prints, after the run, the suite's total and the most expensive test files and tests, each as
CPU-seconds of the test process itself (`self`: in-process work, hypothesis) and of the
processes it started and waited for (`child`: the CLI, semgrep, pre-commit, git). On a
machine whose cores are shared, CPU-seconds tell far more than the durations (`--durations`),
which grow with the load; they still grow somewhat with it (cache and core contention).

Each test is charged from its setup to its teardown, so a session fixture is charged to the
test that first needs it, and a server it started to the test at whose end it is stopped.
Under pytest-xdist each worker writes its figures to a file of the run's basetemp and the
controller adds them up; pytest's own start-up and collection (~4 CPU-s a worker) are not in
any test's figure.
"""
import json
import os
import resource
from pathlib import Path

import pytest


def pytest_addoption(parser):
    parser.addoption('--suite-cpu', type=int, default=None, metavar='N',
                     help='print the N tests and test files that cost the most CPU-seconds')


def _cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _records_dir(config) -> Path:
    factory = config._tmp_path_factory     # noqa: SLF001  (the run's basetemp, set before tests)
    base = factory.getbasetemp()
    root = base.parent if os.environ.get('PYTEST_XDIST_WORKER') else base
    directory = root / 'suite-cpu'
    directory.mkdir(exist_ok=True)
    return directory


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if item.config.getoption('suite_cpu') is None:
        yield
        return
    before = _cpu()
    yield
    after = _cpu()
    worker = os.environ.get('PYTEST_XDIST_WORKER', 'main')
    with open(_records_dir(item.config) / f'{worker}.jsonl', 'a', encoding='utf-8') as out:
        out.write(json.dumps({'test': item.nodeid, 'self': after[0] - before[0],
                              'child': after[1] - before[1]}) + '\n')


def pytest_terminal_summary(terminalreporter, config):
    count = config.getoption('suite_cpu')
    if count is None or os.environ.get('PYTEST_XDIST_WORKER'):
        return
    rows = [json.loads(line) for path in sorted(_records_dir(config).glob('*.jsonl'))
            for line in path.read_text(encoding='utf-8').splitlines()]
    if not rows:
        return
    write = terminalreporter.write_line
    total = lambda row: row['self'] + row['child']      # noqa: E731
    by_file = {}
    for row in rows:
        name = row['test'].split('::')[0]
        own, child = by_file.get(name, (0.0, 0.0))
        by_file[name] = (own + row['self'], child + row['child'])
    terminalreporter.section('CPU-seconds (self = test process, child = processes it waited for)')
    write(f"{len(rows)} tests: {sum(r['self'] for r in rows):.1f} self + "
          f"{sum(r['child'] for r in rows):.1f} child = {sum(map(total, rows)):.1f} CPU-s")
    write('')
    for name, (own, child) in sorted(by_file.items(), key=lambda kv: -sum(kv[1]))[:count]:
        write(f'{own + child:7.1f}  self {own:6.1f}  child {child:6.1f}  {name}')
    write('')
    for row in sorted(rows, key=lambda r: -total(r))[:count]:
        write(f"{total(row):7.1f}  self {row['self']:6.1f}  child {row['child']:6.1f}  {row['test']}")
