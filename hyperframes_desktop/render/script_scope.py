"""Each sub-composition's inline scripts run in a scope of their own, as in HyperFrames.

HyperFrames' compiler wraps every script of a sub-composition in a function before it joins
the page, so two sub-compositions may both declare ``const tl`` (the catalog's examples do):
top-level ``let``/``const``/``class``/``function`` names stay inside their composition, while
anything a script puts on ``window`` (``window.__timelines[id] = tl``) is shared as before.
Inlined without that scope, the second declaration throws "Identifier 'tl' has already been
declared" and that composition never registers its timeline.

Only classic inline scripts are wrapped: ``src`` scripts load as files, modules already have a
scope of their own, and data blocks (JSON, templates) are not code. The opening of the scope
goes on the script's first line, so the composition's own lines keep their numbers; the
closing gets a line of its own, after the script's last line (which may end in a ``//``
comment).
"""

from __future__ import annotations

from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.scanner import scan

Edit = tuple[int, int, str]

#: ``type`` values a browser runs as a classic script (empty = no type attribute).
_CLASSIC = frozenset({"", "text/javascript", "application/javascript", "text/ecmascript"})

SCOPE_OPEN = "(function(){"
SCOPE_CLOSE = "\n}).call(window);"


def script_scope_edits(comp: Composition, span: tuple[int, int]) -> list[Edit]:
    """Edits wrapping the inline classic scripts in ``comp.text[span]`` in a function scope;
    none for a root composition (its scripts are the page's own, as in HyperFrames)."""
    if not comp.sub:
        return []
    text = comp.text
    lo, hi = span
    edits: list[Edit] = []
    for element in scan(text):
        begin, end = element.span
        if element.tag != "script" or begin < lo or begin >= hi or element.closed_at is None:
            continue
        if element.has("src"):
            continue
        kind = (element.attrs.get("type") or "").strip().lower()
        if kind not in _CLASSIC:
            continue
        if not text[end : element.closed_at].strip():
            continue
        edits.append((end, end, SCOPE_OPEN))
        edits.append((element.closed_at, element.closed_at, SCOPE_CLOSE))
    return edits
