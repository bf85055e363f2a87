"""Why a resource could not be given to a page, as a sentence naming it and the fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RefusalKind(StrEnum):
    BLOCKED = "blocked"  # never fetched: not an npm CDN, Google Fonts or a static https URL
    OFFLINE = "offline"  # would need the network, which is off, and it is not cached
    MISSING = "missing"  # unknown package, version or file
    INTEGRITY = "integrity"  # bytes differ from the registry's or the tag's hash
    FAILED = "failed"  # network error, timeout, too large


class ResourceError(Exception):
    """Raised inside the resolver; turned into a :class:`Refusal` at its edge."""

    def __init__(self, kind: RefusalKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class Refusal:
    """The resolver's "no": what was asked, why, and how to fix it (one sentence or two)."""

    url: str
    kind: RefusalKind
    message: str

    def __str__(self) -> str:
        return self.message
