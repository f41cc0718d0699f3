"""Our console scripts called in this test process: `main(argv)` of the real entry point, the
real code path with the real detect-secrets underneath, minus the ~0.2 CPU-s a fresh
interpreter spends importing it all.

For tests that check logic (findings, output, exit status). Tests where the process itself
matters (console-script wiring, environment read at start-up, closed pipes, signals, a token
that must never reach the real process's stdout/stderr, git and pre-commit hooks) keep
`tests.helpers.run`.

`cli()` takes the same arguments as `run()` and returns the same CompletedProcess, so a test
switches by changing which one it calls. Each call starts from what a fresh process would
see: detect-secrets' cached settings, plugins and filters are dropped before and after, the
working directory and environment are restored, and stdout/stderr are byte streams decoded
as the subprocess runner decodes them.
"""
import contextlib
import io
import os
import subprocess
import sys
import tempfile
from typing import Optional
from typing import Sequence

ENTRY_POINTS = {
    'detect-secrets-upstash': ('detect_secrets_upstash.cli', 'main'),
    'detect-secrets-upstash-hook': ('detect_secrets_upstash.cli', 'hook_main'),
    'upstash-verify': ('detect_secrets_upstash.verify.cli', 'main'),
}


def _forget_detect_secrets_caches() -> None:
    """What a fresh process starts without: detect-secrets' cached settings, plugin and
    filter lists (a baseline's `file://` plugins and filters are loaded into these), and the
    file audit last read."""
    from detect_secrets import settings
    from detect_secrets.audit.common import open_file
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.core.plugins.util import get_plugins_from_file
    settings.cache_bust()
    settings.get_settings.cache_clear()
    get_mapping_from_secret_type_to_class.cache_clear()
    getattr(get_plugins_from_file, 'cache_clear', lambda: None)()
    # audit's line reader is cached by file name, relative to the working directory: a second
    # audit elsewhere would read the first one's '.env' (tests/test_in_process.py)
    open_file.cache_clear()


class _Stream(io.TextIOWrapper):
    """A text stream as a pipe is: not a terminal, encodes strictly as UTF-8. Output goes to an
    unbuffered temporary file, whose descriptor the scan's forked worker processes share
    (detect-secrets scans with a process pool by default): what they print is kept too."""

    def __init__(self, data: Optional[bytes] = None):
        raw = io.BytesIO(data) if data is not None else tempfile.TemporaryFile(buffering=0)
        super().__init__(raw, encoding='utf-8', errors='strict', write_through=True)

    def text(self) -> str:
        self.flush()
        self.buffer.seek(0)
        return self.buffer.read().decode('utf-8')


class _CurrentStderr:
    """Where a logging handler made at import time writes: to `sys.stderr` as it is now (a
    fresh process imports detect-secrets, and makes its log handler, after our entry point
    has wrapped stderr)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


@contextlib.contextmanager
def _log_handlers_to_current_stderr():
    import logging
    swapped = []
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        for handler in getattr(logger, 'handlers', ()):
            if type(handler) is logging.StreamHandler:
                swapped.append((handler, handler.setStream(_CurrentStderr())))
    try:
        yield
    finally:
        for handler, stream in swapped:
            handler.setStream(stream)


@contextlib.contextmanager
def _environment(env: Optional[dict]):
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def cli(command: Sequence[str], cwd: Optional[os.PathLike] = None, input: Optional[str] = None,
        env: Optional[dict] = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run one of our console scripts in-process; the interface of `tests.helpers.run`."""
    import importlib
    import detect_secrets.core.log  # noqa: F401  (its handler made now, not mid-call)
    module_name, function = ENTRY_POINTS[command[0]]
    main = getattr(importlib.import_module(module_name), function)
    stdin, stdout, stderr = _Stream((input or '').encode()), _Stream(), _Stream()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_cwd = sys.argv, os.getcwd()
    _forget_detect_secrets_caches()
    try:
        with _environment(env), _log_handlers_to_current_stderr():
            if cwd is not None:
                os.chdir(cwd)
            sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
            sys.argv = [command[0], *command[1:]]
            try:
                status = main(list(command[1:]))
            except SystemExit as exit:
                code = exit.code
                if code is None:
                    status = 0
                elif isinstance(code, int):
                    status = code
                else:
                    print(code, file=sys.stderr)
                    status = 1
            for stream in (sys.stdout, sys.stderr):     # our stderr wrapper holds partial lines
                stream.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.argv = saved_argv
        os.chdir(saved_cwd)
        _forget_detect_secrets_caches()
    try:
        return subprocess.CompletedProcess(list(command), status or 0, stdout.text(), stderr.text())
    finally:
        stdout.close()
        stderr.close()
