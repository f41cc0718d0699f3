"""What the decoders in `tokens` return: the facts a credential's bytes state.

Kept apart from `tokens` so that they are created on the first decode, not at import
(`tokens.RedisToken` and the others still name them), and made with `frozen_record`, as the
other records are: a `@dataclass(frozen=True)` class costs ~4M instructions to create, paid
by the first scan line that decodes.
"""
from typing import Optional

from .records import frozen_record
from .tokens import READ_ONLY
from .tokens import READ_WRITE


class _ReadOnlyFlag:
    """A token whose bytes say read-only or not: its scope."""
    read_only: bool

    @property
    def scope(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE


@frozen_record
class RedisToken(_ReadOnlyFlag):
    """A decoded Redis REST token (also the password of `rediss://` URLs)."""
    read_only: bool
    database_id: int
    # 'current' | 'current-untailed' | 'current-p10' | 'id64' | 'id64-untailed' | 'legacy' | 'legacy-hex'
    # | 'legacy-ro' | 'legacy-00' | 'legacy-00-hex' (see docs/detection.md, "Seen in public code")
    layout: str
    # The number in a read-write token's `p<digit><number>` tail. Usually the database id,
    # but not always (`p10` was seen), so it never overrides the head's id.
    tail_number: Optional[int] = None


@frozen_record
class VectorToken(_ReadOnlyFlag):
    """A decoded Vector / Search token; the endpoint gives the REST URL offline."""
    read_only: bool
    endpoint: str


@frozen_record
class QStashToken:
    """A decoded QStash token: the user it belongs to."""
    user_id: str
