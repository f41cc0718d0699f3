"""What `context.describe` says about a finding: its Upstash host and whether they agree.

Kept apart from `context` so that the class is created when a finding is first
described, not when the scan imports `context` (`context.FindingContext` still names it).
"""
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class FindingContext:
    host: Optional[str] = None          # Upstash host named by the finding's URL or nearby lines
    rest_url: Optional[str] = None      # https://<host>, where a REST call would go
    mismatch: Optional[str] = None      # a sentence when the credential contradicts the host
