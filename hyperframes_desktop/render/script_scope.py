"""Each sub-composition's inline scripts run in a scope of their own, as in HyperFrames.

HyperFrames' compiler wraps every script of a sub-composition in a function before it joins
the page, so two sub-compositions may both declare ``const tl`` (the catalog's examples do):
top-level ``let``/``const``/``class``/``function`` names stay inside their composition, while
anything a script puts on ``window`` (``window.__timelines[id] = tl``) is shared as before.
Inlined without that scope, the second declaration throws "Identifier 'tl' has already been
declared" and that composition never registers its timeline.

The function also receives that composition's own ``document``, ``gsap`` and ``window``, as
HyperFrames' runtime gives them: queries and GSAP selector strings match only elements inside
the instance's host element (``js/hf_script_scope.js``), so two compositions (or two instances
of one) may use the same classes and ids and each script styles and animates its own, and a
timeline registered under the composition's id is also kept as that instance's, so each
instance is seeked from its own start. The scope's own parameters sit in an outer function,
so a script may still declare its own ``const gsap`` or ``let document``.

Only classic inline scripts are wrapped: ``src`` scripts load as files, modules already have a
scope of their own, and data blocks (JSON, templates) are not code. The opening of the scope
goes on the script's first line, so the composition's own lines keep their numbers; the
closing gets a line of its own, after the script's last line (which may end in a ``//``
comment).
"""

from __future__ import annotations

import json

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.span_elements import Edit, elements_in

#: ``type`` values a browser runs as a classic script (empty = no type attribute).
_CLASSIC = frozenset({"", "text/javascript", "application/javascript", "text/ecmascript"})

#: The attribute the compiler puts on each sub-composition host: its instance's scope.
SCOPE_ATTRIBUTE = "data-hf-scope"
SCOPE_OPEN = "(function(document,gsap,window){(function(){"


def scope_close(scope: str) -> str:
    """The end of the wrapper: the script's function applied to its instance's scope."""
    key = json.dumps(scope).replace("<", "\\u003c")
    return f"\n}}).call(this);}}).apply(window,window.__hfScope({key}));"


def script_scope_edits(comp: Composition, span: tuple[int, int], scope: str = "") -> list[Edit]:
    """Edits wrapping the inline classic scripts in ``comp.text[span]`` in a function scope
    with the ``document`` and ``gsap`` of the host marked ``data-hf-scope=scope``; none for a
    root composition (its scripts are the page's own, as in HyperFrames)."""
    if not comp.sub:
        return []
    text = comp.text
    close = scope_close(scope)
    edits: list[Edit] = []
    for element in elements_in(text, span):
        end = element.span[1]
        if element.tag != "script" or element.closed_at is None or element.has("src"):
            continue
        kind = (element.attrs.get("type") or "").strip().lower()
        if kind not in _CLASSIC:
            continue
        if not text[end : element.closed_at].strip():
            continue
        edits.append((end, end, SCOPE_OPEN))
        edits.append((element.closed_at, element.closed_at, close))
    return edits
