"""Shared pytest configuration.

Fixture modules live beside the tests that own them and are listed here, so each
part of the project keeps its own fixtures in its own file.
"""
import os

# Semgrep: never wait on a version check or send metrics (offline CI).
os.environ.setdefault('SEMGREP_ENABLE_VERSION_CHECK', '0')
os.environ.setdefault('SEMGREP_SEND_METRICS', 'off')

pytest_plugins = ['tests.fixtures_standin', 'tests.fixtures_precommit']
