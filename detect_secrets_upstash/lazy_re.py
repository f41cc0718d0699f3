"""Regexes compiled on first use instead of at import.

Compiling the catalogue's and the context layer's regexes at import cost a large share of
the plugin's start-up (what every pre-commit run on a tiny commit pays), although a clean
file reaches only a few of them. `compile()` takes the arguments of `re.compile` and
returns a stand-in that compiles once, at the first method call; after that every
method of the real pattern is found on the stand-in itself (no per-call indirection on
the scan path). `pattern` and `flags` are readable without compiling, which is what the
modules that build one regex out of another read.
"""
from __future__ import annotations

import re


class LazyPattern:
    """`re.compile(pattern, flags)`, compiled the first time one of its methods is used."""

    def __init__(self, pattern, flags=0):
        self.pattern = pattern
        self._flags = flags

    @property
    def compiled(self) -> 're.Pattern':
        compiled = self.__dict__.get('_compiled')
        if compiled is None:
            compiled = self.__dict__['_compiled'] = re.compile(self.pattern, self._flags)
            for name in ('search', 'match', 'fullmatch', 'finditer', 'findall', 'sub', 'subn',
                         'split', 'groupindex', 'groups', 'flags'):
                setattr(self, name, getattr(compiled, name))
        return compiled

    def __getattr__(self, name):
        # Only reached for names not yet copied onto the instance: compile, then look again.
        if name.startswith('__') or name in ('_compiled', '_flags', 'pattern'):
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f'lazy_re.compile({self.pattern!r}, {self._flags!r})'


def compile(pattern, flags=0) -> LazyPattern:     # noqa: A001  (the name re users expect)
    return LazyPattern(pattern, flags)
