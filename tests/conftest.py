"""Shared pytest configuration.

Fixture modules live beside the tests that own them and are listed here, so each
part of the project keeps its own fixtures in its own file.

Markers (registered in setup.cfg) follow from what a test uses, so a new test is marked
without anyone remembering to: a test using a pre-commit fixture is `precommit` and `slow`,
a test in a semgrep test module is `semgrep`. Slow tests are collected first, then the
semgrep ones, then the rest: under pytest-xdist (scripts/test.sh runs `-n auto`) the workers
take tests from that queue one at a time (`--maxschedchunk 1`, set below), so the long tests
run in parallel at the start and the short ones fill in until the workers end together.
(xdist's default hands each worker a quarter of its share at once: the first worker got every
slow test, one after another, while the second ran short ones.)

A module-scoped fixture is made once per worker that runs a test using it: when xdist split
such a module's tests between the two workers, both made it (a SARIF Multitool run, ~3 CPU-s,
in tests/test_sarif.py and in tests/test_verify_cli.py; a corpus scan elsewhere). So under
xdist's default `--dist load` the scheduler below hands each module that defines a
module-scoped fixture to one worker as one unit, and every other test as a unit of its own,
one at a time, in the queue order above. (`xdist_group` marks cannot do this here: with
pytest 9 the node id xdist rewrites to carry the group is no longer what pytest reports.)
"""
import itertools
import os
import re
import sys
from pathlib import Path

import pytest

# Semgrep: never wait on a version check or send metrics (offline CI).
os.environ.setdefault('SEMGREP_ENABLE_VERSION_CHECK', '0')
os.environ.setdefault('SEMGREP_SEND_METRICS', 'off')
# Bytecode caches on, as scripts/test.sh has them, however pytest was started: with
# PYTHONDONTWRITEBYTECODE set, each console script the tests start compiles every module of
# this package changed since its cache was written, and each xdist worker rewrites and
# compiles every test module, run after run (workers and subprocesses inherit this).
os.environ.pop('PYTHONDONTWRITEBYTECODE', None)
sys.dont_write_bytecode = False

pytest_plugins = ['tests.fixtures_standin', 'tests.fixtures_precommit', 'tests.fixtures_semgrep']

_MARKS_BY_FIXTURE = {
    'pre_commit_env': ('precommit', 'slow'),
    'hook_repo': ('precommit', 'slow'),
}


_MODULE_FIXTURE = re.compile(r"@pytest\.fixture\(\s*scope=['\"]module['\"]")
# Test modules (by their node-id path) that define a module-scoped fixture.
_ONE_UNIT_MODULES = frozenset(
    f'tests/{path.name}' for path in Path(__file__).parent.glob('test_*.py')
    if _MODULE_FIXTURE.search(path.read_text(encoding='utf-8')))


def _dist_given(config) -> bool:
    return any(arg in ('--dist', '-d', '--distload') or arg.startswith('--dist=')
               for arg in config.invocation_params.args)


def pytest_xdist_make_scheduler(config, log):
    """`--dist load` (the default with -n), with each module of _ONE_UNIT_MODULES one unit."""
    if config.getoption('dist') != 'load' or _dist_given(config):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleFixturesOnOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split('::', 1)[0]
            return module if module in _ONE_UNIT_MODULES else nodeid

    config.option.loadscopereorder = False      # keep the queue order (slow tests first)
    return ModuleFixturesOnOneWorker(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin('xdist') and config.getoption('maxschedchunk', None) is None:
        config.option.maxschedchunk = 1


def _queue_position(item) -> int:
    if item.get_closest_marker('slow') is not None:
        return 0
    return 1 if item.get_closest_marker('semgrep') is not None else 2


def pytest_collection_modifyitems(config, items):
    for item in items:
        marks = set()
        for fixture in getattr(item, 'fixturenames', ()):
            marks.update(_MARKS_BY_FIXTURE.get(fixture, ()))
        if 'semgrep' in item.module.__name__.rsplit('.', 1)[-1]:
            marks.add('semgrep')
        for mark in sorted(marks):
            item.add_marker(mark)
    # Stable: the order within each group stays the collection order (every xdist worker
    # must collect the same order).
    items.sort(key=_queue_position)
    # pre-commit builds hook environments under a lock on its (shared) store: a worker waiting
    # on the other's build sits idle, so the slow pre-commit tests alternate with other slow ones.
    slow = [item for item in items if _queue_position(item) == 0]
    precommit = [item for item in slow if item.get_closest_marker('precommit') is not None]
    others = [item for item in slow if item.get_closest_marker('precommit') is None]
    alternating = [item for pair in itertools.zip_longest(precommit, others) for item in pair if item is not None]
    items[:len(slow)] = alternating
