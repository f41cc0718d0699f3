"""What the decoders in `tokens` return: the facts a credential's bytes state.

Kept apart from `tokens` so that they are created on the first decode, not at import
(`tokens.RedisToken` and the others still name them).
"""
from dataclasses import dataclass
from typing import Optional

from .tokens import READ_ONLY
from .tokens import READ_WRITE


@dataclass(frozen=True)
class RedisToken:
    """A decoded Redis REST token (also the password of `rediss://` URLs)."""
    read_only: bool
    database_id: int
    # 'current' | 'current-untailed' | 'current-p10' | 'id64' | 'id64-untailed' | 'legacy' | 'legacy-hex'
    # | 'legacy-ro' | 'legacy-00' | 'legacy-00-hex' (see docs/detection.md, "Seen in public code")
    layout: str
    # The number in a read-write token's `p<digit><number>` tail. Usually the database id,
    # but not always (`p10` was seen), so it never overrides the head's id.
    tail_number: Optional[int] = None

    @property
    def scope(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE


@dataclass(frozen=True)
class VectorToken:
    """A decoded Vector / Search token; the endpoint gives the REST URL offline."""
    read_only: bool
    endpoint: str

    @property
    def scope(self) -> str:
        return READ_ONLY if self.read_only else READ_WRITE


@dataclass(frozen=True)
class QStashToken:
    user_id: str
