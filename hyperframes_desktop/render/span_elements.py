"""The elements of a composition's markup that the compiler edits as it inlines it.

Shared by the URL rewrite (render/url_rewrite.py), the script scope
(render/script_scope.py) and the iframe clock: each walks the elements that start inside
the part of the file that is inlined (a sub-composition's ``<template>`` content, or the
whole file) and returns edits into the file's text.
"""

from __future__ import annotations

from collections.abc import Iterator

from hyperframes_desktop.project.scanner import Element, scan

#: (start, end, replacement) into a composition's text
Edit = tuple[int, int, str]


def elements_in(text: str, span: tuple[int, int]) -> Iterator[Element]:
    """The elements of ``text`` whose start tag begins inside ``span`` (start inclusive)."""
    lo, hi = span
    for element in scan(text):
        if lo <= element.span[0] < hi:
            yield element
