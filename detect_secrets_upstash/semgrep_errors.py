"""What semgrep's errors mean for a scan: a target parsed in part, or not at all.

semgrep recovers from syntax errors: it reports `PartialParsing` with the spans it could not
read and still matches the rest of the file (JSX entities, a TypeScript form its parser does
not know). Such a file was checked but for those lines, so a warning names them and
`--error` does not fail the scan for it. A file of which no line parsed was not checked at
all: that, like every other error semgrep reports (an unreadable target, a timeout, a rule
problem), leaves the scan incomplete, and `--error` exits 2.
"""
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Sequence
from typing import Tuple

PARTIAL_PARSING = 'PartialParsing'
Lines = Tuple[int, int]         # first and last line, inclusive


class PartlyParsed(NamedTuple):
    path: str
    unparsed: List[Lines]
    detail: str                 # semgrep's word on what it could not read


class Assessment(NamedTuple):
    partly_parsed: List[PartlyParsed]   # checked but for the lines named
    unchecked: List[Dict[str, Any]]     # errors that leave (part of) the scan unchecked


def error_type(error: Dict[str, Any]) -> str:
    kind = error.get('type')
    if isinstance(kind, list) and kind:
        return str(kind[0])
    return str(kind or '')


def _merged(ranges: Sequence[Lines]) -> List[Lines]:
    merged: List[Lines] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def unparsed_lines(error: Dict[str, Any]) -> List[Lines]:
    ranges = []
    for span in error.get('spans') or []:
        try:
            ranges.append((int(span['start']['line']), int(span['end']['line'])))
        except (KeyError, TypeError, ValueError):
            continue
    return _merged(ranges)


def nothing_parsed(path: str, unparsed: Sequence[Lines]) -> bool:
    """Whether every line of `path` holding code lies in the unparsed ranges (an unreadable
    file counts as not parsed: nothing says it was checked)."""
    try:
        with open(path, encoding='utf-8', errors='replace') as source:
            lines = source.read().splitlines()
    except OSError:
        return True
    return all(any(start <= number <= end for start, end in unparsed)
               for number, line in enumerate(lines, 1) if line.strip())


def describe_lines(ranges: Sequence[Lines]) -> str:
    parts = [str(a) if a == b else f'{a}-{b}' for a, b in ranges]
    plural = len(ranges) > 1 or any(a != b for a, b in ranges)
    return ('lines ' if plural else 'line ') + ', '.join(parts)


def _detail(message: str) -> str:
    # "Syntax error at line a.ts:2:\n `<div>&` was unexpected": the part after the location
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return ' '.join(lines[1:]) if len(lines) > 1 else ' '.join(lines)


def assess(errors: Sequence[Dict[str, Any]]) -> Assessment:
    partly: List[PartlyParsed] = []
    unchecked: List[Dict[str, Any]] = []
    for error in errors:
        path = error.get('path') or ''
        unparsed = unparsed_lines(error)
        if (error_type(error) == PARTIAL_PARSING and path and unparsed
                and not nothing_parsed(path, unparsed)):
            partly.append(PartlyParsed(path, unparsed, _detail(error.get('message', ''))))
        else:
            unchecked.append(error)
    return Assessment(partly, unchecked)


def warning_line(prog: str, partly: PartlyParsed) -> str:
    detail = f' ({partly.detail})' if partly.detail else ''
    return (f'{prog}: warning: {partly.path}: semgrep could not parse '
            f'{describe_lines(partly.unparsed)}{detail}: the rest of the file was scanned, '
            f'those lines were not')
