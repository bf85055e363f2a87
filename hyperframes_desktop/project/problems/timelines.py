"""A root composition that registers no GSAP timeline and does not say so.

Without data-duration either, it has no length at all: that is an error (HyperFrames' render
fails on it with "zero duration").

HyperFrames renders such a composition from its data-duration (the capture does not wait
for a timeline forever), and its lint warns: the author probably forgot either the
registration or ``data-no-timeline``. A composition that loads scripts from files may
register its timeline there; like HyperFrames' lint, it is not flagged.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .source import Source, line_of

_SCRIPT_SRC = re.compile(r"<script\b[^>]*\bsrc\s*=", re.IGNORECASE)


def check_timeline(source: Source, *, is_sub: bool) -> list[Problem]:
    comp = source.comp
    if is_sub or comp.is_template:
        return []
    if comp.no_timeline and not comp.duration_from_page:
        return []
    text = comp.text
    if "__timelines" in text or _SCRIPT_SRC.search(text):
        return []
    if comp.duration_from_page:  # no data-duration and nothing to take a length from
        return [
            source.problem(
                "error",
                "the root element has no data-duration and the composition registers no GSAP "
                "timeline to take its length from",
                f'add data-duration="5" (seconds) to the root element (data-composition-id='
                f'"{comp.composition_id}"), or register its timeline as '
                f'window.__timelines["{comp.composition_id}"] = tl',
                line=line_of(text, comp.root_span[0]),
                attribute="data-duration",
            )
        ]
    return [
        source.problem(
            "warning",
            f'the composition "{comp.composition_id}" registers no GSAP timeline and has no '
            "data-no-timeline; it renders from its data-duration without animation from GSAP",
            f'register its timeline as window.__timelines["{comp.composition_id}"] = tl, or add '
            "data-no-timeline to the root element if it animates with CSS only",
            line=line_of(text, comp.root_span[0]),
            attribute="data-no-timeline",
        )
    ]
