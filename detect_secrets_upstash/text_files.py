"""Reading a file's bytes as text the way a person's editor would: UTF-8, UTF-16 / UTF-32
(told by a byte order mark, or by their NUL bytes), else latin-1; where that reading may be
wrong, the credential lines of a second reading are kept too (see `decode_bytes`).

The scan (`plugins.file_reading`) and the audit notes read files through this, so both see the
same lines with the same numbers.
"""
from __future__ import annotations

import codecs
import io
from typing import List
from typing import Optional

LATIN_1 = 'latin-1'     # maps every byte: ASCII tokens survive in any 8-bit file

# Byte order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, 'utf-32-le'),
    (codecs.BOM_UTF32_BE, 'utf-32-be'),
    (codecs.BOM_UTF16_LE, 'utf-16-le'),
    (codecs.BOM_UTF16_BE, 'utf-16-be'),
)
SNIFF_BYTES = 4096


def sniff_wide_encoding(data: bytes) -> Optional[str]:
    """'utf-16-le' etc. when `data` starts with a UTF-16/32 byte order mark, or is UTF-16
    without one (mostly-ASCII text then has a NUL in every other byte: Windows tools write
    such files); None for anything else."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    head = data[:SNIFF_BYTES]
    quads = len(head) // 4
    if quads >= 2:
        # UTF-32 without a mark: three NULs in every four bytes, the fourth almost never NUL.
        nuls = [head[i::4][:quads].count(0) for i in range(4)]
        if nuls[0] <= 0.05 * quads and min(nuls[1:]) >= 0.9 * quads:
            return 'utf-32-le'
        if nuls[3] <= 0.05 * quads and min(nuls[:3]) >= 0.9 * quads:
            return 'utf-32-be'
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_nuls, odd_nuls = head[0::2].count(0), head[1::2].count(0)
    # Text, not a binary blob: one half of the bytes mostly NUL, the other half almost never.
    if odd_nuls >= 0.6 * pairs and even_nuls <= 0.05 * pairs:
        return 'utf-16-le'
    if even_nuls >= 0.6 * pairs and odd_nuls <= 0.05 * pairs:
        return 'utf-16-be'
    return None


def decode_bytes(data: bytes):
    """(text, encoding): UTF-16/32 when a BOM or the NUL pattern says so, else UTF-8, else
    latin-1 (which maps every byte, so ASCII credentials survive in any 8-bit file).

    A wide reading can be wrong (an ASCII .env that starts with the bytes of a byte order
    mark reads as CJK; text can be wide in another alignment than sniffed), and so can a
    narrow one of a file holding NULs: then a second reading (the bytes without their NULs,
    as latin-1) is taken too, and wherever one of its lines holds a credential that the
    first reading's line of the same number lacks, that line is used instead.
    """
    text, encoding = _first_reading(data)
    if encoding.startswith('utf-16') or encoding.startswith('utf-32') or b'\x00' in data:
        text = _with_credential_lines_of(text, data.replace(b'\x00', b'').decode(LATIN_1))
    return text, encoding


def _first_reading(data: bytes):
    wide = sniff_wide_encoding(data)
    if wide:
        text = data.decode(wide, errors='replace')
        return (text[1:] if text.startswith('\ufeff') else text), wide
    try:
        return data.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError:
        return data.decode(LATIN_1), LATIN_1


def _with_credential_lines_of(text: str, other: str) -> str:
    # Imported here: importing findings compiles the scanner, which `catalogue.extend()` must precede.
    from .findings import file_credentials
    lines, others = split_lines(text), split_lines(other)
    better = {index for index, _ in file_credentials(others)}
    if not better:
        return text
    better -= {index for index, _ in file_credentials(lines)}
    merged = []
    for number in range(max(len(lines), len(others))):
        line = lines[number] if number < len(lines) else ''
        if number in better:
            line = others[number]
        merged.append(line)
    return '\n'.join(merged)


def read_lines(path: str) -> List[str]:
    """A file's lines as the scan reads them (see `decode_bytes`), without line endings.

    :raises: OSError
    """
    with open(path, 'rb') as handle:
        text = decode_bytes(handle.read())[0]
    return split_lines(text)


def split_lines(text: str) -> List[str]:
    """Lines as upstream reads a text file (universal newlines: `\\n`, `\\r\\n` and a lone
    `\\r` each end a line), without their endings. Every reader of a decoded file splits with
    this, so the scan, `audit`, `report` and `history` give a credential the same line number."""
    return [line.rstrip('\r\n') for line in io.StringIO(text, newline=None)]
