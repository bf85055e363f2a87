"""A composition whose local GSAP script is missing still gets GSAP, as HyperFrames does:
the same file of the ``gsap`` npm package (resolved through the registry by the engine),
with a lint warning."""

from __future__ import annotations

import re

#: The version HyperFrames' catalog names (FACTS §10); a missing local copy gets this one.
GSAP_FALLBACK_VERSION = "3.14.2"
_GSAP_FILE = re.compile(r"(?:^|/)(gsap(?:\.min)?\.js)$", re.IGNORECASE)


def gsap_fallback_url(src: str) -> str | None:
    """The CDN URL standing in for a local ``…/gsap.min.js`` (or ``gsap.js``), else None."""
    match = _GSAP_FILE.search(src.split("?", 1)[0].split("#", 1)[0])
    if match is None:
        return None
    return (
        f"https://cdn.jsdelivr.net/npm/gsap@{GSAP_FALLBACK_VERSION}/dist/{match.group(1).lower()}"
    )
