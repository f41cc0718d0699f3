"""Every change to detect-secrets' internals (`detect_secrets_upstash.patches`) is pinned.

A new detect-secrets release that changed a function we wrap fails here, naming the
function, instead of our wrapper silently drifting from what upstream now does. A target
shaped differently at run time stops our commands with a message (the hook refuses the
commit) instead of patching something else.
"""
import sys

import pytest

from detect_secrets_upstash import patches
from tests.helpers import run


def _version() -> str:
    from detect_secrets.__version__ import VERSION
    return VERSION


@pytest.mark.parametrize('patch', patches.PATCHES, ids=lambda patch: patch.target)
def test_upstream_function_is_the_one_the_wrapper_was_written_for(patch):
    function = patches.upstream(patch)
    assert patches.parameters(function) == patch.parameters, (
        f'detect-secrets {_version()} changed the parameters of {patch.target}: '
        f'review {patch.wrapper} and update its entry in detect_secrets_upstash/patches.py')
    found = patches.source_sha256(function)
    assert found == patch.source_sha256, (
        f'detect-secrets {_version()} changed the source of {patch.target}: review {patch.wrapper} '
        f'against it, then pin source_sha256={found!r} in detect_secrets_upstash/patches.py')


class _Owner:
    def method(self, a, *rest):
        return a


def _callable_shapes():
    import functools
    import inspect

    def plain(a, b=1):
        return a

    def every_kind(a, /, b, *args, c, d=2, **kwargs):
        local = a
        return local

    def stars(*args, **kwargs):
        return args

    def keyword_only(*, key, **options):
        return key

    def keywords_only(a, **kwargs):
        return a

    @functools.lru_cache(maxsize=1)
    def cached():
        return {}

    @functools.wraps(every_kind)
    def wrapped(*args, **kwargs):
        return every_kind(*args, **kwargs)

    def declared(a):
        return a
    declared.__signature__ = inspect.Signature(
        [inspect.Parameter('declared_name', inspect.Parameter.POSITIONAL_OR_KEYWORD)])

    return [plain, every_kind, stars, keyword_only, keywords_only, cached, wrapped, declared,
            functools.partial(plain, 1), len, dict.get, _Owner().method, _Owner.method,
            *(patches.upstream(patch) for patch in patches.PATCHES)]


def _shape_id(function):
    # Ids must be the same in every pytest-xdist worker: a repr holding a memory address
    # (functools.partial's) makes the workers collect different tests and the run fail.
    inner = getattr(function, 'func', None)
    if inner is not None:
        return 'partial-of-' + _shape_id(inner)
    return getattr(function, '__qualname__', type(function).__name__)


@pytest.mark.parametrize('function', _callable_shapes(), ids=_shape_id)
def test_parameters_are_the_names_inspect_signature_gives(function):
    # `parameters` reads plain functions' names off the code object (cheaper at start-up
    # than `inspect.signature`): it must give the same names in the same order.
    import inspect
    assert patches.parameters(function) == tuple(inspect.signature(function).parameters)


def test_one_entry_per_target_each_with_a_reason_and_a_known_group():
    targets = [patch.target for patch in patches.PATCHES]
    assert len(targets) == len(set(targets))
    for patch in patches.PATCHES:
        assert patch.group in (patches.SCAN, patches.COMMANDS, patches.AUDIT, patches.HOOK)
        assert len(patch.reason) > 20, patch.target
        assert patch.wrapper.startswith('detect_secrets_upstash.'), patch.target


# The drivers below run in a fresh interpreter: the suite's own process stays unpatched
# except for what importing the plugins does.
APPLY_TWICE = '''
import detect_secrets_upstash.plugins
from detect_secrets_upstash import patches
for group in (patches.SCAN, patches.COMMANDS, patches.AUDIT, patches.HOOK):
    patches.apply(group)
first = {p.target: patches._resolve(p.target) for p in patches.PATCHES}
first = {t: (o.__dict__[n] if isinstance(o, type) else getattr(o, n)) for t, (o, n) in first.items()}
for group in (patches.SCAN, patches.COMMANDS, patches.AUDIT, patches.HOOK):
    patches.apply(group)
for patch in patches.PATCHES:
    owner, name = patches._resolve(patch.target)
    now = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    assert now is first[patch.target], patch.target
    assert getattr(now, patches.PATCHED) == patch.wrapper, patch.target
    original = getattr(now, patches.ORIGINAL)
    assert getattr(original, patches.PATCHED, None) is None, patch.target + ' wrapped twice'
    assert original is patches.upstream(patch), patch.target
print('ok', len(patches.PATCHES))
'''


def test_applying_twice_wraps_each_target_once():
    result = run([sys.executable, '-c', APPLY_TWICE])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['ok', str(len(patches.PATCHES))]


# detect-secrets as a future release might ship it: a target renamed or re-shaped.
RESHAPED = '''
import sys
import detect_secrets.{module} as target
{change}
from detect_secrets_upstash import cli
sys.exit(cli.{entry}(sys.argv[1:]))
'''


@pytest.mark.parametrize('module, change, entry, args, target', [
    ('filters.heuristic', 'target.is_indirect_reference = lambda text: False', 'hook_main',
     ['leak.env'], 'detect_secrets.filters.heuristic:is_indirect_reference'),
    ('core.scan', 'del target._get_lines_from_file', 'hook_main',
     ['leak.env'], 'detect_secrets.core.scan:_get_lines_from_file'),
    ('core.scan', 'target.scan_file = lambda filename, eager=False: iter(())', 'main',
     ['scan', 'leak.env'], 'detect_secrets.core.scan:scan_file'),
    ('main', 'target.scan_adhoc_string = lambda line, plugins=(): ""', 'main',
     ['scan', '--string', 'x'], 'detect_secrets.main:scan_adhoc_string'),
], ids=['line-filter-reshaped', 'reader-removed', 'scan-file-reshaped', 'adhoc-string-reshaped'])
def test_a_target_of_an_unexpected_shape_fails_closed_with_its_name(tmp_path, module, change, entry,
                                                                    args, target):
    from detect_secrets_upstash import tokens
    (tmp_path / 'leak.env').write_text(f'UPSTASH_REDIS_REST_TOKEN={tokens.generate_redis_token()}\n')
    driver = RESHAPED.format(module=module, change=change, entry=entry)
    result = run([sys.executable, '-c', driver, *args], cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert target in result.stderr
    assert 'detect-secrets-upstash supports detect-secrets 1.5.x' in result.stderr
    assert 'Traceback' not in result.stderr
    if entry == 'hook_main':
        assert 'refusing to pass the commit unchecked' in result.stderr


RUN_HOOK_TWICE = '''
import os, sys
from detect_secrets_upstash import cli
first = cli.hook_main(['locked.env'])
second = cli.hook_main(['clean.env'])
print(first, second)
'''


def test_each_scan_starts_from_fresh_state(tmp_path):
    # One process, two hook runs (as a library caller would): the first run's unreadable
    # file must not fail the second.
    from tests.test_hook import _unreadable_as_this_user
    (tmp_path / 'locked.env').write_text('A=1\n')
    (tmp_path / 'clean.env').write_text('A=1\n')
    prefix = _unreadable_as_this_user(tmp_path / 'locked.env')
    if prefix is None:
        pytest.skip('cannot make a file unreadable for this user (no setpriv, or it may not drop capabilities)')
    result = run([*prefix, sys.executable, '-c', RUN_HOOK_TWICE], cwd=tmp_path)
    assert result.stdout.split() == ['2', '0'], result.stdout + result.stderr
    assert 'could not read locked.env' in result.stderr


# The hook's start-up: detect_secrets.audit is patched when imported, not imported to patch it.
PATCHED_ON_IMPORT = '''
import sys
from detect_secrets_upstash import cli, patches
cli.load_plugins()
patches.apply(patches.HOOK)
print(sorted(name for name in sys.modules if name.startswith('detect_secrets.audit')))
import detect_secrets.audit.common as common, detect_secrets.audit.analytics as analytics
print(getattr(common.get_transformed_file, patches.PATCHED, None),
      getattr(common.LineGetter.open_file, patches.PATCHED, None),
      getattr(analytics.get_mapping_from_secret_type_to_class, patches.PATCHED, None))
'''


def test_audit_modules_are_patched_when_imported_and_not_imported_by_the_hook():
    result = run([sys.executable, '-c', PATCHED_ON_IMPORT])
    assert result.returncode == 0, result.stderr
    imported, patched = result.stdout.splitlines()
    assert imported == '[]'
    wrappers = {patch.target: patch.wrapper for patch in patches.PATCHES}
    assert patched.split() == [wrappers['detect_secrets.audit.common:get_transformed_file'],
                               wrappers['detect_secrets.audit.common:LineGetter.open_file'],
                               wrappers['detect_secrets.audit.analytics:get_mapping_from_secret_type_to_class']]
