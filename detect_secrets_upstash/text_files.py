"""Reading a file's bytes as text the way a person's editor would: UTF-8, UTF-16 / UTF-32
(told by a byte order mark, or UTF-16 by its NUL bytes), else latin-1.

The scan (`plugins.file_reading`) and the audit notes read files through this, so both see the
same lines with the same numbers.
"""
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
    latin-1 (which maps every byte, so ASCII credentials survive in any 8-bit file)."""
    wide = sniff_wide_encoding(data)
    if wide:
        text = data.decode(wide, errors='replace')
        return (text[1:] if text.startswith('\ufeff') else text), wide
    try:
        return data.decode('utf-8'), 'utf-8'
    except UnicodeDecodeError:
        return data.decode(LATIN_1), LATIN_1


def read_lines(path: str) -> List[str]:
    """A file's lines as the scan reads them (see `decode_bytes`), without line endings.

    :raises: OSError
    """
    with open(path, 'rb') as handle:
        text = decode_bytes(handle.read())[0]
    return [line.rstrip('\r\n') for line in io.StringIO(text, newline=None)]
