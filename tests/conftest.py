"""Shared pytest configuration.

Fixture modules live beside the tests that own them and are listed here, so each
part of the project keeps its own fixtures in its own file.

Markers (registered in setup.cfg) follow from what a test uses, so a new test is marked
without anyone remembering to: a test using a pre-commit fixture is `precommit` and `slow`,
a test in a semgrep test module is `semgrep`. Slow tests are collected first: under
pytest-xdist (scripts/test.sh runs `-n auto`) they then start at once, in parallel, instead
of one of them ending the run alone.
"""
import os

import pytest

# Semgrep: never wait on a version check or send metrics (offline CI).
os.environ.setdefault('SEMGREP_ENABLE_VERSION_CHECK', '0')
os.environ.setdefault('SEMGREP_SEND_METRICS', 'off')

pytest_plugins = ['tests.fixtures_standin', 'tests.fixtures_precommit']

_MARKS_BY_FIXTURE = {
    'pre_commit_env': ('precommit', 'slow'),
    'hook_repo': ('precommit', 'slow'),
}


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
    items.sort(key=lambda item: item.get_closest_marker('slow') is None)
