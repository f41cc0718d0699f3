"""`detect-secrets-upstash` and `detect-secrets-upstash-hook`: detect-secrets with our plugins.

Both are detect-secrets' own entry points (every command and flag), run after our
plugins are registered, with a few output fixes for a plugin that reports several
secret types (every change to detect-secrets' internals is listed in `patches`). The hook fails closed: when the Upstash plugins cannot
load, it exits non-zero with a message instead of letting the commit through.

detect-secrets and our plugins are imported inside the functions, not at module
level, so that a broken install becomes a clear message rather than a traceback
raised before any of our code runs.
"""
from __future__ import annotations

import errno
import os
import sys
from typing import List
from typing import Optional

PROG = 'detect-secrets-upstash'
HOOK_PROG = 'detect-secrets-upstash-hook'
PLUGIN_CLASS = 'UpstashDetector'
# Exit status when the hook refuses to run (upstream uses 1 = secrets found, 3 = baseline updated).
EXIT_PLUGINS_UNAVAILABLE = 2


class PluginsUnavailable(Exception):
    """Our plugins cannot scan: the hook must not pass the commit."""


def _argv(argv: Optional[List[str]]) -> List[str]:
    return list(sys.argv[1:] if argv is None else argv)


def load_plugins() -> None:
    """Import and register our plugins, and check detect-secrets now maps every Upstash type to them.

    :raises PluginsUnavailable: with the reason (import error, detect-secrets too old or too new).
    """
    try:
        from . import catalogue
        from . import patches
        from .plugins import UpstashDetector
        patches.apply(patches.COMMANDS)
        from .plugins import registration
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        mapping = dict(get_mapping_from_secret_type_to_class())
        # A baseline read later may list `file://` plugins of its own, which detect-secrets
        # only loads while filling this cache (upstream issue #611): the cache is kept for
        # upstream only while the settings name the same plugin files, else rebuilt.
        registration.keep_mapping_built_early()
    except Exception as error:      # any failure here means no Upstash scanning at all
        raise PluginsUnavailable(
            f'the Upstash plugins could not be loaded ({type(error).__name__}: {error})',
        ) from error
    missing = [t for t in (*catalogue.SECRET_TYPES, UpstashDetector.secret_type)
               if mapping.get(t) is not UpstashDetector]
    if missing:
        raise PluginsUnavailable(
            'detect-secrets did not register the Upstash plugin for: ' + ', '.join(missing)
            + ' (is this detect-secrets version supported? detect-secrets-upstash needs 1.5.x)',
        )


def configure_worker(settings: dict, *args, **kwargs):
    """Pool initializer for `-c N` scan workers: register our plugins, then upstream's settings.

    `-c N`: detect-secrets starts a process pool whose initializer loads the settings.
    Under the spawn / forkserver start methods (macOS, and Linux from Python 3.14) a
    worker is a fresh interpreter that never imported our plugins; the initializer is
    pickled by reference, so naming ours makes every worker import and register them.
    """
    load_plugins()
    from detect_secrets.settings import configure_settings_from_baseline
    return configure_settings_from_baseline(settings, *args, **kwargs)


def worker_initializer(configure_settings_from_baseline):
    """The patch of `secrets_collection.configure_settings_from_baseline` (see `patches`):
    a module-level function, so that it pickles by reference; it calls upstream's."""
    return configure_worker


def checked_parse_args(parse_args):
    """The hook's patch of `pre_commit_hook.parse_args` (see `patches`).

    Upstream's hook parses its arguments (loading the baseline and its plugin settings)
    inside `main`, then scans; a plugin that cannot be built there is logged and every
    file is skipped with exit 0. Checking right after parsing is the one place where
    the final plugin settings are known and nothing has been scanned yet.
    """
    import functools

    @functools.wraps(parse_args)
    def parse_and_check(argv: Optional[List[str]] = None):
        args = parse_args(argv)
        check_active_plugins(args)
        check_hook_files(getattr(args, 'filenames', None) or ())
        return args

    return parse_and_check


def _redact_stderr() -> None:
    # Every message (ours, detect-secrets', argparse's echo of a path that is really a
    # pasted token) goes through the one redaction function before it reaches stderr.
    from .redaction import redact_stderr
    redact_stderr()


def _fail(prog: str, message: str) -> int:
    print(f'{prog}: error: {message}', file=sys.stderr)
    return EXIT_PLUGINS_UNAVAILABLE


def main(argv: Optional[List[str]] = None) -> int:
    """The whole detect-secrets CLI (`scan`, `audit`, every flag) with the Upstash plugins."""
    from .global_options import move_after_subcommand
    argv = move_after_subcommand(_argv(argv), ('report', 'history'))    # `-c 2 report ...`
    _redact_stderr()
    if argv[:1] in (['--version'], ['-V']) or (argv[:1] in (['history'], ['report'])
                                               and '--version' in argv):
        # upstream's --version prints detect-secrets' version alone, as if it were ours
        from .versions import version_line
        print(version_line(PROG if argv[0] not in ('history', 'report') else f'{PROG} {argv[0]}'))
        return 0
    if argv[:1] == ['report']:
        # readable findings: detect-secrets' scan with our plugin alone (see report.py)
        try:
            load_plugins()
        except PluginsUnavailable as error:
            return _fail(f'{PROG} report', str(error))
        from .report import main as report_main
        return report_main(argv[1:])
    if argv[:1] == ['history']:
        # git history, by our scanner alone: detect-secrets' CLI is not involved
        from .history.cli import main as history_main
        return history_main(argv[1:])
    try:
        load_plugins()
    except PluginsUnavailable as error:
        return _fail(PROG, str(error))

    from . import patches
    from .plugins import scan_state
    try:
        patches.apply(patches.AUDIT)
    except patches.PatchError as error:
        return _fail(PROG, str(error))
    from detect_secrets.main import main as detect_secrets_main
    scan_state.reset()
    if not argv:
        argv = ['--help']           # upstream only does this when sys.argv is empty
    from . import bad_input
    if sys.stdout is None:
        return _fail(PROG, 'stdout is closed: there is nowhere to write the results')
    argv = _take_drop_unknown(argv)
    from .plugins import run_log
    run_log.start()
    try:
        bad_input.check_documents(argv)
        return detect_secrets_main(argv)
    except Exception as error:      # upstream's traceback on bad input: one line instead
        if isinstance(error, OSError) and sys.stdout is not None:
            # stdout gone (a closed pipe, /dev/full): keep the final flush from failing too
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            if error.errno in (errno.EPIPE, errno.ENOSPC, errno.EBADF) and not error.filename:
                return _fail(PROG, f'cannot write the output ({error.strerror})')
        return _fail(PROG, bad_input.describe(error))
    finally:
        print_run_notes()


def hook_main(argv: Optional[List[str]] = None) -> int:
    """The pre-commit entry: `detect-secrets-hook` with the Upstash plugins, failing closed."""
    argv = _argv(argv)
    if '--version' in argv:
        from .versions import version_line
        print(version_line(HOOK_PROG))
        return 0
    _redact_stderr()
    try:
        load_plugins()
        from detect_secrets import pre_commit_hook
        from . import patches
        from .plugins import scan_state
        patches.apply(patches.HOOK)
    except PluginsUnavailable as error:
        return _fail(HOOK_PROG, f'{error}; refusing to pass the commit unchecked')
    except Exception as error:
        return _fail(HOOK_PROG, f'detect-secrets could not be loaded ({type(error).__name__}: '
                                f'{error}); refusing to pass the commit unchecked')

    if sys.stdout is None or sys.stdout.closed:
        return _fail(HOOK_PROG, 'stdout is closed: the hook could not show what it finds; '
                                'refusing to pass the commit unchecked')
    scan_state.reset()
    from . import bad_input
    from .plugins import run_log
    run_log.start()
    try:
        # upstream exits 1 without a word on a non-UTF-8 baseline, and raises on a JSON list
        bad_input.check_baseline_option(argv)
    except bad_input.BadInput as error:
        return _fail(HOOK_PROG, f'{error}; refusing to pass the commit unchecked')
    try:
        status = pre_commit_hook.main(argv)
        if scan_state.unreadable_files:
            # Upstream logs "Unable to open file" only with -v and passes the commit.
            _fail(HOOK_PROG, 'could not read ' + ', '.join(sorted(set(scan_state.unreadable_files)))
                  + '; refusing to pass the commit unchecked')
            return status or EXIT_PLUGINS_UNAVAILABLE
        return status
    except PluginsUnavailable as error:
        return _fail(HOOK_PROG, f'{error}; refusing to pass the commit unchecked')
    except OSError as error:
        if error.errno in (errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO) and not error.filename:
            try:        # stdout gone (a full disk): keep the final flush from failing too
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            return _fail(HOOK_PROG, f'cannot write the findings to stdout ({error.strerror}); '
                                    'refusing to pass the commit unchecked')
        return _fail(HOOK_PROG, f'the scan failed ({bad_input.describe(error)}); '
                                'refusing to pass the commit unchecked')
    except Exception as error:      # never a silent pass, never a bare traceback
        return _fail(HOOK_PROG, f'the scan failed ({type(error).__name__}: {error}); '
                                'refusing to pass the commit unchecked')
    finally:
        print_run_notes()


def _take_drop_unknown(argv: List[str]) -> List[str]:
    """`scan --only-verified --drop-unknown`: our flag, taken out before upstream parses the
    arguments, and passed to worker processes through the environment."""
    if '--drop-unknown' not in argv:
        return argv
    import os
    from .plugins.verification_policy import ENV_DROP_UNKNOWN
    os.environ[ENV_DROP_UNKNOWN] = '1'
    return [arg for arg in argv if arg != '--drop-unknown']


def print_run_notes() -> None:
    """What the scan noticed, one line per topic on stderr (see `plugins.run_log`)."""
    from .plugins import file_reading, run_log, verification_policy
    notes = run_log.finish()
    for line in (file_reading.undecodable_summary(notes.get(file_reading.UNDECODABLE, [])),
                 verification_policy.summary(notes.get(verification_policy.TOPIC, []))):
        if line:
            print(line, file=sys.stderr)


def check_hook_files(filenames) -> None:
    """Every name pre-commit hands the hook is a regular file: a missing one, a directory
    or a FIFO (which would block the read) is not scanned, so the commit must not pass.

    :raises PluginsUnavailable:
    """
    import stat
    for filename in filenames:
        try:
            mode = os.stat(filename).st_mode
        except OSError as error:
            raise PluginsUnavailable(f'{filename}: {error.strerror or "cannot be read"}')
        if not stat.S_ISREG(mode):
            what = 'a directory' if stat.S_ISDIR(mode) else 'a FIFO' if stat.S_ISFIFO(mode) \
                else 'not a regular file'
            raise PluginsUnavailable(f'{filename} is {what}, not a file to scan')


def check_active_plugins(args) -> None:
    """After argument parsing: every configured plugin can be built, and ours is among them.

    :raises PluginsUnavailable:
    """
    from detect_secrets.settings import get_plugins
    baseline = getattr(args, 'baseline_filename', None)
    source = f'the baseline {baseline}' if baseline else 'the command line'
    try:
        active = get_plugins()
    except Exception as error:
        # FileNotFoundError: a `file://` plugin path recorded on another machine;
        # TypeError: options the plugin does not accept; InvalidFile: not a plugin file.
        raise PluginsUnavailable(
            f'the plugins configured by {source} cannot be initialised '
            f'({type(error).__name__}: {str(error) or "see the log above"})',
        ) from error
    names = {type(plugin).__name__ for plugin in active}
    disabled = set(getattr(args, 'disable_plugin', None) or ())
    if PLUGIN_CLASS not in names and PLUGIN_CLASS not in disabled:
        raise PluginsUnavailable(
            f'{source} does not enable {PLUGIN_CLASS} (was it made by plain detect-secrets?); '
            f'add it with: detect-secrets-upstash scan --baseline {baseline or ".secrets.baseline"} '
            '--force-use-all-plugins',
        )
