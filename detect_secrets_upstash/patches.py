"""Every change detect-secrets-upstash makes to detect-secrets' internals, in one table.

detect-secrets has no hooks for what we need (a plugin reporting several secret types,
files its filters skip, encodings it drops), so we wrap a few of its functions. Each
`Patch` below names its target, says why, and names the wrapper (a function taking
upstream's function and returning its replacement, which calls upstream's and adds to or
post-processes its result; none copies an upstream body).

* One idempotency mechanism: a replacement carries `PATCHED` (the wrapper that made it) and
  the function it replaced (`ORIGINAL`); `apply` skips a target whose current value was made
  by the same wrapper (also when a module imported our replacement by name from another).
* Fails closed: `apply` checks the target exists and takes the parameters the wrapper was
  written for; otherwise it raises `PatchError` naming the function (our commands then
  stop with that message; the hook refuses to pass the commit).
* Pinned: `tests/test_patches.py` checks the source hash (`source_sha256`) of every target
  as detect-secrets ships it, so a new release that changed one fails CI, by name.

Groups, applied by whoever needs them:
  SCAN      on import of `detect_secrets_upstash.plugins`, in any process that scans
            (our commands, and Yelp's hook through a `--plugin` file);
  COMMANDS  our two commands (`detect-secrets-upstash`, `detect-secrets-upstash-hook`);
  AUDIT     `detect-secrets-upstash` (scan --string, audit);
  HOOK      `detect-secrets-upstash-hook`.

Targets in `detect_secrets.main` and `detect_secrets.audit` are patched when their module
is imported, not before (`apply` then leaves a finder on `sys.meta_path` that patches right after the module's
body has run, before any importer sees it): the pre-commit hook never audits, and
importing them (and `platform` with them) was a large share of the hook's start-up.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import inspect
import sys
import types
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Tuple

from .records import frozen_record

SCAN, COMMANDS, AUDIT, HOOK = 'scan', 'commands', 'audit', 'hook'

PATCHED = '__upstash_patch__'           # on a replacement: the wrapper that made it
ORIGINAL = '__upstash_original__'       # on a replacement: what it replaced


class PatchError(RuntimeError):
    """A patch target is missing or not shaped as the wrapper expects."""


@frozen_record
class Patch:
    """One change to a detect-secrets function: where, why, and the wrapper that makes it."""
    target: str                 # 'module:attribute' or 'module:Class.attribute'
    group: str
    wrapper: str                # 'module:function': upstream function -> replacement
    parameters: Tuple[str, ...]  # upstream's parameter names the wrapper relies on
    source_sha256: str          # of upstream's source as detect-secrets 1.5.0 ships it
    reason: str


_MAPPING_SHA = '2013b496870ac11916ff98814e70e7f4603743fd98de99d7dd0faaa9d8cb1b56'
_MAPPING_REASON = ('detect-secrets finds plugin classes through this cached mapping (imported by '
                   'name here); adding every Upstash secret type makes our plugin built in, with '
                   'no file path in baselines')

_FILES_SHA = '9c34518beeaa531077dd6d954aab2a0630d294b00834dc55506bcb171a38cda4'
_FILES_REASON = ('`--all-files` walks `.git/` (every pack file and object: minutes, and one '
                 'warning each); imported by name in baseline.py and main.py')

PATCHES: Tuple[Patch, ...] = (
    # --- the scan: nothing upstream skips may hide an Upstash credential ---
    Patch('detect_secrets.filters.heuristic:is_indirect_reference', SCAN,
          'detect_secrets_upstash.plugins.line_filter:keep_lines_with_credentials', ('line',),
          'bbe78ebf07529d1fce9d67f7440d339eca3d61f0450fc95e22b6e70ec0bc8ccc', 'skips call- and subscript-like lines for every plugin '
                 '(`Redis(url=..., token="AX...")`)'),
    Patch('detect_secrets.filters.heuristic:is_potential_uuid', SCAN,
          'detect_secrets_upstash.plugins.uuid_filter:keep_management_keys', ('secret',),
          'f52881b56e1f8fda857d3c0b682298b422a2be75f0f4cacf02f2cca5a40d781b', 'drops every finding that holds a UUID, and a Management API key is one '
                 '(our plugin reports a UUID only where its context makes it a key)'),
    Patch('detect_secrets.filters.heuristic:is_lock_file', SCAN,
          'detect_secrets_upstash.plugins.skipped_files:keep_files_with_credentials', ('filename',),
          '9bc513aac92b389d69f7a6295ac69ddb525a5e0a00d2e597a388b0613154f4eb', 'skips lock files by name'),
    Patch('detect_secrets.filters.heuristic:is_swagger_file', SCAN,
          'detect_secrets_upstash.plugins.skipped_files:keep_files_with_credentials', ('filename',),
          '037e3c0b1205db7707da6e71960ac319ddd64981802e12c1541d4ae996184dfa', 'skips every path containing "swagger"'),
    Patch('detect_secrets.filters.heuristic:is_non_text_file', SCAN,
          'detect_secrets_upstash.plugins.skipped_files:keep_text_files_with_credentials',
          ('filename',), '29895fc3e1eca2324b986901f4a65178a9c05c80b9abb8470a3c69a7e2d8ef53', 'skips text formats by extension (.map source maps, .css, .svg)'),
    Patch('detect_secrets.core.scan:get_transformed_file', SCAN,
          'detect_secrets_upstash.plugins.transformed_files:keep_transformed_credentials',
          ('file', 'use_eager_transformers'), 'c132bd055ed4535edaef5b6712f3434f59d7fedbfc84d9a9fc6e9e0faa5c9829',
          'YAML/INI transformers drop list items and move block scalars'),
    Patch('detect_secrets.audit.common:get_transformed_file', SCAN,
          'detect_secrets_upstash.plugins.transformed_files:keep_transformed_credentials',
          ('file', 'use_eager_transformers'), 'c132bd055ed4535edaef5b6712f3434f59d7fedbfc84d9a9fc6e9e0faa5c9829',
          'audit re-reads lines through the transformers and must find what the scan found'),
    Patch('detect_secrets.core.scan:_get_lines_from_file', SCAN,
          'detect_secrets_upstash.plugins.file_reading:report_undecodable_files', ('filename',),
          '145034952f56c582551f24659fc98fa585a29c0cae3ea50288c1a44f704f9430', 'drops non-UTF-8 files silently and logs unreadable ones only with -v'),
    Patch('detect_secrets.audit.common:LineGetter.open_file', SCAN,
          'detect_secrets_upstash.plugins.file_reading:readable_file_opener', ('self',),
          '0e3d861e45c8fd95c9807943f4ab31c8de117b57b0dac3b0f6f2d0ae9fdf81c2', 'audit crashes on the UTF-16 and latin-1 files the scan read'),
    # --- registration: our class is a built-in plugin ---
    Patch('detect_secrets.core.plugins.util:get_mapping_from_secret_type_to_class', SCAN,
          'detect_secrets_upstash.plugins.registration:with_upstash_types', (), _MAPPING_SHA,
          _MAPPING_REASON),
    Patch('detect_secrets.core.plugins.initialize:get_mapping_from_secret_type_to_class', SCAN,
          'detect_secrets_upstash.plugins.registration:with_upstash_types', (), _MAPPING_SHA,
          _MAPPING_REASON),
    Patch('detect_secrets.core.usage.plugins:get_mapping_from_secret_type_to_class', SCAN,
          'detect_secrets_upstash.plugins.registration:with_upstash_types', (), _MAPPING_SHA,
          _MAPPING_REASON),
    Patch('detect_secrets.audit.analytics:get_mapping_from_secret_type_to_class', SCAN,
          'detect_secrets_upstash.plugins.registration:with_upstash_types', (), _MAPPING_SHA,
          _MAPPING_REASON),
    Patch('detect_secrets.settings:Settings.clear', SCAN,
          'detect_secrets_upstash.plugins.registration:with_public_credential_filter', ('self',),
          '266105b138739ff2f0aa342af39329ee465f35cc9f25c8eb000ae509a98132ac', 'fresh settings get the public-credential filter as a default filter'),
    # --- our commands ---
    Patch('detect_secrets.core.scan:scan_file', COMMANDS,
          'detect_secrets_upstash.plugins.one_finding:scan_file_for_our_commands', ('filename',),
          'f00e49702e7c6494e83cf8630cb5880a75ba14f9a388d0585bc70d1f18ed4fdd', 'skips its eager second pass after any finding, so an Upstash finding '
                  'would cost other plugins theirs; and generic plugins report an Upstash '
                  'token a second time (Base64 High Entropy, Secret Keyword): one finding per secret'),
    Patch('detect_secrets.core.baseline:load', COMMANDS,
          'detect_secrets_upstash.plugins.one_finding:deduplicated_on_load', ('baseline', 'filename'),
          'd2bb322c53da17f666be52e61de8e4c306f32579cfb78ee2e5075a74ea65ade7', 'baselines written before one-finding-per-secret are read without the repeats'),
    Patch('detect_secrets.core.scan:get_files_to_scan', COMMANDS,
          'detect_secrets_upstash.plugins.skipped_files:skip_git_directories',
          ('paths', 'should_scan_all_files', 'root'), _FILES_SHA, _FILES_REASON),
    Patch('detect_secrets.core.baseline:get_files_to_scan', COMMANDS,
          'detect_secrets_upstash.plugins.skipped_files:skip_git_directories',
          ('paths', 'should_scan_all_files', 'root'), _FILES_SHA, _FILES_REASON),
    Patch('detect_secrets.main:get_files_to_scan', COMMANDS,
          'detect_secrets_upstash.plugins.skipped_files:skip_git_directories',
          ('paths', 'should_scan_all_files', 'root'), _FILES_SHA, _FILES_REASON),
    Patch('detect_secrets.filters.common:is_ignored_due_to_verification_policies', COMMANDS,
          'detect_secrets_upstash.plugins.verification_policy:keep_unknown_upstash_findings',
          ('secret', 'plugin', 'context'),
          'c750f8636c43b96bbb846f2a6cfc9613d899e20e9eadfcbbdab31d2d49a6ef12',
          '`scan --only-verified` drops every finding that could not be verified, so an '
          'unreachable Upstash emptied the report silently; unknown Upstash findings are kept '
          '(with a warning) unless --drop-unknown'),
    Patch('detect_secrets.core.secrets_collection:configure_settings_from_baseline', COMMANDS,
          'detect_secrets_upstash.cli:worker_initializer', ('baseline', 'filename'),
          '7bab89d01967e8111b438fd983836de0739a269b109f28e4f4f413413972dcfe', '`-c N` workers started fresh (spawn, forkserver) never imported our plugins'),
    # --- detect-secrets-upstash: scan --string and audit ---
    Patch('detect_secrets.main:scan_line', AUDIT,
          'detect_secrets_upstash.adhoc_string:recording_findings', ('line',),
          'a7f0551f0f03078590f5a28dbc782950c1068567b472a4e5f62a3505dff9863e', 'lets `scan --string` fill our row from the findings upstream made'),
    Patch('detect_secrets.main:scan_adhoc_string', AUDIT,
          'detect_secrets_upstash.adhoc_string:adhoc_string_with_kinds', ('line',),
          'abda68457177ac6aee1ea7f6dfccd90d5ab17c31f2d20130e8621b0b815d8689', 'keys results by `plugin.secret_type`, so our findings printed as False'),
    Patch('detect_secrets.audit.analytics:StatisticsAggregator.__str__', AUDIT,
          'detect_secrets_upstash.described_findings:statistics_text_by_type', ('self',),
          '26cd17eb30cfb4837c0c7d73fcaf1dabcb18088af2338c5e9188a962b68631ce', 'labels statistics by class: our kinds printed as identical blocks'),
    Patch('detect_secrets.audit.analytics:StatisticsAggregator.json', AUDIT,
          'detect_secrets_upstash.described_findings:statistics_json_by_type', ('self',),
          '5f664d41b407acf7fb86bc9e384c14d995e41c681b9d3bd08a22dad1655d200c', 'keys statistics by class: our kinds overwrote each other'),
    Patch('detect_secrets.audit.io:print_context', AUDIT,
          'detect_secrets_upstash.described_findings:with_upstash_header', ('context',),
          '9c32ad1a238c7de67814345573d91ea2c97487e02f5734d3c03140c6d51c48f3', 'audit shows kind, scope, database and host of an Upstash finding'),
    Patch('detect_secrets.audit.io:get_user_decision', AUDIT,
          'detect_secrets_upstash.audit_session:quit_when_answers_run_out',
          ('prompt_secret_decision', 'can_step_back'),
          'b6e5c65baf9e0e4a9ac651b78e01bae318b9dd74713a684b961f677f651eb14c', 'answers from a pipe that run out raised EOFError and lost the session'),
    Patch('detect_secrets.audit.audit:get_baseline_from_file', AUDIT,
          'detect_secrets_upstash.audit_session:keep_the_baseline_plugins', ('filename',),
          'b1369c912bc2699fa8c7edd19030e29b61ae86f0946be99dbb772825ca83d98b', 'audit merged every default plugin into the baseline it saves back'),
    Patch('detect_secrets.audit.report:generate_report', AUDIT,
          'detect_secrets_upstash.described_findings:with_report_notes',
          ('baseline_file', 'class_to_print', 'line_getter_factory'),
          'f35c0db57caa8d9f8e88500050c6af1ce83bf286d6fd0b8120c9a86d91fffe8d', '`audit --report` entries get what our decoders know'),
    Patch('detect_secrets.main:parse_args', AUDIT,
          'detect_secrets_upstash.bad_input:checked_parse_args', ('argv',),
          'bffd7746bd1742d0f853c2ed9559d70df40be42ead234d9ff17ce74fd8aa9c2f', '`scan /missing/dir` writes an '
                  'empty baseline and exits 0, `scan --string` on closed stdin raises: the parsed '
                  'arguments are checked before anything runs'),
    # --- detect-secrets-upstash-hook ---
    Patch('detect_secrets.pre_commit_hook:pretty_print_diagnostics', HOOK,
          'detect_secrets_upstash.described_findings:with_hook_notes', ('secrets', 'width'),
          '495d6143e01dc3e53843e397c4614a7c30d4031afd3dd93d64a16f5b57d4f982', 'the hook says what each Upstash credential is and can do'),
    Patch('detect_secrets.pre_commit_hook:parse_args', HOOK,
          'detect_secrets_upstash.cli:checked_parse_args', ('argv',),
          '8776a6dc5fca1e88e918c9b309abb1ea55b25e8c12cf4dd29c80dd6cffc18f26', 'a plugin the baseline configures but that cannot be built made upstream skip '
                  'every file and pass; right after parsing, the final plugins are known'),
)


def _resolve(dotted: str) -> Tuple[Any, str]:
    """'pkg.mod:Class.attr' -> (the Class object, 'attr')."""
    module_name, _, path = dotted.partition(':')
    owner: Any = importlib.import_module(module_name)
    *owners, name = path.split('.')
    for part in owners:
        owner = getattr(owner, part)
    return owner, name


def upstream(patch: Patch) -> Callable:
    """The function detect-secrets ships at `patch.target` (ours removed, if applied)."""
    owner, name = _resolve(patch.target)
    function = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    while getattr(function, PATCHED, None) is not None:
        function = getattr(function, ORIGINAL)
    return function


def parameters(function: Callable) -> Tuple[str, ...]:
    """The parameter names of `function` in order, as `inspect.signature` gives them.

    A plain function's (also behind `functools.wraps` or `lru_cache`, which `signature`
    follows too) are read off its code object: `signature` builds a `Parameter` per name,
    for every target at each start of the hook. Any other callable goes to `signature`.
    """
    target = function
    while not hasattr(target, '__signature__'):
        wrapped = getattr(target, '__wrapped__', None)
        if wrapped is None:
            break
        target = wrapped
    if type(target) is not types.FunctionType or hasattr(target, '__signature__'):
        return tuple(inspect.signature(function).parameters)
    code = target.__code__
    named = code.co_argcount + code.co_kwonlyargcount
    # co_varnames: positional, keyword-only, then *args and **kwargs, then locals.
    names, rest = code.co_varnames[:named], code.co_varnames[named:]
    star = rest[:1] if code.co_flags & inspect.CO_VARARGS else ()
    double_star = rest[len(star):len(star) + 1] if code.co_flags & inspect.CO_VARKEYWORDS else ()
    return names[:code.co_argcount] + star + names[code.co_argcount:] + double_star


def source_sha256(function: Callable) -> str:
    return hashlib.sha256(inspect.getsource(inspect.unwrap(function)).encode()).hexdigest()


def _detect_secrets_version() -> str:
    try:
        from detect_secrets.__version__ import VERSION
        return VERSION
    except Exception:       # noqa: BLE001 (only for the message)
        return 'unknown'


def _fail(patch: Patch, problem: str) -> PatchError:
    return PatchError(f'detect-secrets {_detect_secrets_version()}: {patch.target} {problem}; '
                      'detect-secrets-upstash supports detect-secrets 1.5.x and patched nothing there')


def _apply(patch: Patch) -> None:
    try:
        owner, name = _resolve(patch.target)
        current = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
    except (ImportError, AttributeError, KeyError):
        raise _fail(patch, 'does not exist') from None
    if getattr(current, PATCHED, None) == patch.wrapper:
        return
    if not callable(current):
        raise _fail(patch, f'is not a function ({type(current).__name__})')
    found = parameters(current)
    if found != patch.parameters:
        raise _fail(patch, f'takes ({", ".join(found)}), not ({", ".join(patch.parameters)})')
    module_name, _, function_name = patch.wrapper.partition(':')
    wrap = getattr(importlib.import_module(module_name), function_name)
    replacement = wrap(current)
    setattr(replacement, PATCHED, patch.wrapper)
    setattr(replacement, ORIGINAL, current)
    setattr(owner, name, replacement)


# Modules (and packages, with their modules) patched on import (see the module docstring):
# upstream's pre-commit hook imports none of them.
ON_IMPORT = ('detect_secrets.main', 'detect_secrets.audit')
# module name -> its patches not applied yet, in table order
_pending: Dict[str, List[Patch]] = {}


class _PatchOnImport:
    """A `sys.meta_path` finder for the modules in `_pending`: the module is found as usual
    (`PathFinder`), and its loader applies the pending patches right after executing it."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in _pending:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def execute_then_patch(module):
            execute(module)
            for patch in _pending.pop(name, ()):
                _apply(patch)

        spec.loader.exec_module = execute_then_patch    # this spec's own loader object
        return spec


def _apply_or_defer(patch: Patch) -> None:
    module_name = patch.target.partition(':')[0]
    deferrable = any(module_name == name or module_name.startswith(name + '.') for name in ON_IMPORT)
    if module_name in sys.modules or not deferrable:
        _apply(patch)
        return
    waiting = _pending.setdefault(module_name, [])
    if patch not in waiting:
        waiting.append(patch)
    if not any(isinstance(finder, _PatchOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())


def apply(group: str) -> None:
    """Idempotent. Installs every patch of `group`, in table order (those on modules of
    `ON_IMPORT` not imported yet: when they are imported).

    :raises PatchError: a target is missing or shaped differently (see the module docstring).
    """
    if group == AUDIT:
        # The audit commands use those modules: patch them now, where a PatchError is
        # the caller's to report, instead of at some later import.
        for module_name in list(_pending):
            importlib.import_module(module_name)
    for patch in PATCHES:
        if patch.group == group:
            _apply_or_defer(patch)
    if group in (SCAN, COMMANDS):
        # detect-secrets looks filters up by dotted path when this cache fills.
        from detect_secrets.settings import get_filters
        get_filters.cache_clear()
