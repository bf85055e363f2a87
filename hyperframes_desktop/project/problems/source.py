"""One composition file as the checkers read it: its elements, its CSS, and line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import Problem, Severity, display_name
from ..model import Composition
from ..scanner import Element, scan

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class CssText:
    """A piece of CSS: a ``<style>`` element's content, a ``style`` attribute or a linked
    stylesheet. ``offset`` is where it starts in ``text`` (the text of ``file``)."""

    css: str
    file: Path
    text: str
    offset: int
    element: Element | None  # the element carrying it, for style attributes


@dataclass
class Source:
    """A loaded composition's file, scanned once for the checkers."""

    comp: Composition
    elements: list[Element] = field(init=False)

    def __post_init__(self) -> None:
        self.elements = scan(self.comp.text)

    @property
    def root(self) -> Path:
        return self.comp.project_root

    @property
    def display(self) -> str:
        return display_name(self.comp.path, self.root)

    def used(self, element: Element) -> bool:
        """Whether the render uses this element: a sub-composition contributes only the
        content of its ``<template>``."""
        if not self.comp.is_template or self.comp.template_span is None:
            return True
        low, high = self.comp.template_span
        return low <= element.span[0] < high

    def line_at(self, offset: int) -> int:
        return line_of(self.comp.text, offset)

    def problem(
        self,
        severity: Severity,
        message: str,
        fix: str,
        *,
        line: int | None,
        attribute: str | None = None,
        element: Element | None = None,
        file: Path | None = None,
    ) -> Problem:
        shown = display_name(file, self.root) if file is not None else self.display
        element_id = (element.attrs.get("id") or None) if element is not None else None
        return Problem(severity, shown, line, attribute, message, fix, element_id)

    @cached_property
    def css(self) -> list[CssText]:
        """Inline ``<style>`` blocks and ``style`` attributes of the used elements (linked
        stylesheets are read by the callers that need them)."""
        text = self.comp.text
        found: list[CssText] = []
        for element in self.elements:
            if not self.used(element):
                continue
            if element.tag == "style" and element.closed_at is not None:
                begin = element.span[1]
                found.append(
                    CssText(text[begin : element.closed_at], self.comp.path, text, begin, None)
                )
            style = element.attrs.get("style")
            if style:
                at = text.find(style, element.span[0], element.span[1])
                found.append(
                    CssText(style, self.comp.path, text, max(at, element.span[0]), element)
                )
        return found


def line_of(text: str, offset: int) -> int:
    """1-based line of ``offset`` in ``text``."""
    return text.count("\n", 0, max(0, offset)) + 1


def strip_comments(css: str) -> str:
    """CSS without comments, same length (comments blanked) so offsets still hold."""
    return _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), css)
