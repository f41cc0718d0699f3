"""Progress on stderr for long runs (verification, scans): a bar on a terminal, a plain line
every few seconds otherwise (CI logs), nothing with `-q`.

A ticker thread keeps printing while nothing completes, so a slow host is visible as
elapsed time, not as silence. Nothing printed here holds a token: only counts and times.
"""
import sys
import threading
import time
from typing import Optional
from typing import TextIO

DEFAULT_INTERVAL = 5.0
_BAR = 24


class Progress:
    def __init__(self, label: str, quiet: bool = False, stream: Optional[TextIO] = None,
                 interval: float = DEFAULT_INTERVAL, tty: Optional[bool] = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval
        self.done = 0
        self.total: Optional[int] = None
        self._start = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._drawn = False

    def __enter__(self) -> 'Progress':
        if not self.quiet:
            self._thread = threading.Thread(target=self._tick, name='progress', daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        if self.quiet:
            return
        with self._lock:
            # Off a terminal a run shorter than one interval prints nothing; a longer one
            # ends with its final count.
            printed = self._last_printed_done >= 0
            if self.total is not None and (self.tty or (printed and self.done != self._last_printed_done)):
                self._print(final=True)
            if self.tty and self._drawn:
                self.stream.write('\n')
                self.stream.flush()

    _last_printed_done = -1

    def update(self, done: int, total: int) -> None:
        """The verifier's callback: `done` of `total` requests answered."""
        with self._lock:
            self.done, self.total = done, total
            if not self.quiet and self.tty:
                self._print()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval if not self.tty else 0.5):
            with self._lock:
                self._print()

    def _text(self) -> str:
        elapsed = time.monotonic() - self._start
        if self.total is None:
            return f'{self.label}: started, {elapsed:.0f}s'
        return f'{self.label}: {self.done}/{self.total} answered, {elapsed:.0f}s'

    def _print(self, final: bool = False) -> None:
        if self.tty:
            total = self.total or 0
            filled = int(_BAR * self.done / total) if total else 0
            bar = '#' * filled + '-' * (_BAR - filled)
            self.stream.write(f'\r[{bar}] {self._text()}\x1b[K')
            self._drawn = True
        else:
            self.stream.write(self._text() + '\n')
            self._last_printed_done = self.done
        self.stream.flush()
